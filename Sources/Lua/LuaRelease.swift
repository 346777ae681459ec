import CLua54

/// Which Lua the program runs: the release of the library it is linked with, as the library itself
/// reports it (`lua_ident`), so an updated system library shows through without a rebuild.
public enum LuaRelease {
    /// "Lua 5.4.6": the same words `lua5.4 -v` starts with.
    public static var linked: String {
        let ident = String(cString: clua_ident())
        // "$LuaVersion: Lua 5.4.6  Copyright (C) 1994-2023 Lua.org, PUC-Rio $$LuaAuthors: ... $"
        let afterTag = ident.split(separator: ":", maxSplits: 1).dropFirst().first ?? Substring(ident)
        let words = afterTag.split(separator: " ").prefix(2)
        return words.joined(separator: " ")
    }
}

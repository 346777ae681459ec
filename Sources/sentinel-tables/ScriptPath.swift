import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The script argument of the commands that run one.
enum ScriptPath {
    static func check(_ path: String) throws {
        guard access(path, R_OK) == 0 else { throw ValidationError("cannot read script '\(path)'") }
    }
}

import CLua54
import CLuaBridge

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LuaState {
    /// Compiles a text chunk named `@name` (so errors read `name:line:`) without running it. A first
    /// line starting with `#` is skipped, keeping line numbers. Binary chunks are refused.
    public func load(_ source: String, name: String) throws -> LuaValue {
        try load(bytes: Array(source.utf8), chunkName: "@" + name)
    }

    /// Compiles a chunk with a raw Lua chunk name (`@file`, `=label`, or anything else for
    /// `[string "..."]`). The text of an `@file` chunk is kept on the state: it is the only source the
    /// error locator reads (it never opens the file a chunk name names).
    public func load(bytes source: [UInt8], chunkName: String) throws -> LuaValue {
        releaseQueuedReferences()
        var source = source
        if source.first == UInt8(ascii: "#") {
            // Blank the shebang line but keep its newline so line numbers stay true.
            let end = source.firstIndex(of: UInt8(ascii: "\n")) ?? source.endIndex
            source.removeSubrange(source.startIndex..<end)
        }
        if source.isEmpty { source = [UInt8(ascii: "\n")] }
        let status = source.withUnsafeBytes { buffer in
            luaL_loadbufferx(
                lua, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count, chunkName, "t")
        }
        try checkLoadStatus(status)
        if chunkName.hasPrefix("@") {
            source.withUnsafeBytes { buffer in
                clb_keep_source(
                    lua, chunkName, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count)
            }
        }
        return .function(popReference())
    }

    /// Compiles the file at `path` (named `@path` as given, so keep it relative for short messages).
    /// The caller chose the file: it is opened as the process opens any path.
    public func load(file path: String) throws -> LuaValue {
        try load(bytes: try Self.contents(ofScript: path), chunkName: "@" + path)
    }

    /// The bytes of the script at `path`, read whole (a pipe too, as `lua` reads one; never a directory).
    private static func contents(ofScript path: String) throws -> [UInt8] {
        func failure(_ code: Int32) -> LuaError {
            LuaError(.file, "cannot open \(path): \(String(cString: strerror(code)))")
        }
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw failure(errno) }
        defer { close(file) }
        var status = stat()
        if fstat(file, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { throw failure(EISDIR) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LuaError(.file, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// Runs the script at `path` with `arguments`: they are the chunk's `...` and `arg[1...]`, and
    /// `arg[0]` is `path`. `require` searches the script's directory first. Returns what the script
    /// returned.
    @discardableResult
    public func run(file path: String, arguments: [String] = []) throws -> [LuaValue] {
        // Everything before the last "/" (not split and joined: see packagePath on start-up).
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        setScriptDirectory(path.hasPrefix("/") && directory.isEmpty ? "/" : directory)
        var argTable: [LuaValue: LuaValue] = [0: .text(path)]
        for (offset, argument) in arguments.enumerated() {
            argTable[.integer(Int64(offset + 1))] = .text(argument)
        }
        try setGlobal("arg", .map(argTable))
        let chunk = try load(file: path)
        return try call(chunk, arguments.map(LuaValue.text))
    }

    /// Compiles and runs a text chunk named `@name`.
    @discardableResult
    public func run(_ source: String, name: String = "chunk", arguments: [LuaValue] = []) throws
        -> [LuaValue]
    {
        try call(load(source, name: name), arguments)
    }

    /// Calls a Lua function with `arguments` and returns its results. From outside any run this starts
    /// a run (limits armed); from a host function it is part of the current run.
    @discardableResult
    public func call(_ function: LuaValue, _ arguments: [LuaValue] = []) throws -> [LuaValue] {
        releaseQueuedReferences()
        let base = lua_gettop(lua)
        defer { lua_settop(lua, base) }
        guard lua_checkstack(lua, Int32(clamping: arguments.count + 4)) != 0 else {
            throw LuaError(.conversion, "too many arguments")
        }
        try checkFootprint(of: arguments, for: "the arguments of a call into Lua")
        try push(function)
        for argument in arguments {
            try push(argument)
        }
        if runDepth == 0 {
            clb_begin_run(lua)
            lastHostMemoryRefusal = nil
        }
        runDepth += 1
        let status = clb_pcall(lua, Int32(arguments.count), LUA_MULTRET)
        runDepth -= 1
        let stop = runDepth == 0 ? clb_end_run(lua) : clb_stop_reason_of(lua)
        guard status == LUA_OK else {
            throw runError(status: status)
        }
        if stop != CLB_STOP_NONE {
            // The script caught the stop somewhere the hook could not raise it again before the end
            // (a host function's error in its last instructions): a stopped run never succeeds.
            throw stopError(stop, message: currentStopMessage ?? "interrupted!", traceback: nil)
        }
        let top = lua_gettop(lua)
        guard top > base else { return [] }
        return try (base + 1...top).map { try value(at: $0) }
    }

    private func checkLoadStatus(_ status: Int32) throws {
        switch status {
        case LUA_OK: return
        case LUA_ERRSYNTAX: throw LuaError(.syntax, popErrorMessage())
        case LUA_ERRFILE: throw LuaError(.file, popErrorMessage())
        case LUA_ERRMEM: throw LuaError(.memory, memoryMessage(popErrorMessage()))
        default: throw LuaError(.runtime, popErrorMessage())
        }
    }

    /// The error for a failed protected call, with the message on top of the stack.
    private func runError(status: Int32) -> LuaError {
        let message = popErrorMessage()
        clb_push_last_traceback(lua)
        let traceback =
            lua_type(lua, -1) == LUA_TSTRING ? Self.withoutHostFrames(stringAt(-1).description) : nil
        clua_pop(lua, 1)
        let stop = clb_stop_reason_of(lua)
        if stop != CLB_STOP_NONE {
            // Whatever the error says (a message handler that failed, an error the script raised while
            // being stopped), the run ended because of the stop.
            let stopMessage = currentStopMessage ?? "interrupted!"
            return stopError(
                stop, message: message.hasSuffix(stopMessage) ? message : stopMessage, traceback: traceback)
        }
        if status == LUA_ERRMEM {
            return LuaError(.memory, memoryMessage(message))
        }
        if let refusal = lastHostMemoryRefusal, message.hasSuffix(refusal) {
            // A host allocation the budget refused, raised as a Lua error at the caller's line (and
            // perhaps located again by coroutine.wrap): still a memory error.
            return LuaError(.memory, message, traceback: traceback)
        }
        return LuaError(.runtime, message, traceback: traceback)
    }

    /// The traceback without the frames of the host's own Lua chunks (loaded with a chunk name `=[name]`,
    /// shown as `[name]:31:`), and without the `error` call that raised from one: they are not the
    /// user's code and their line numbers mean nothing to them. `[C]` frames and chunks a script loaded
    /// (`[string "..."]`) stay.
    static func withoutHostFrames(_ traceback: String) -> String {
        let lines = traceback.split(separator: "\n", omittingEmptySubsequences: false)
        func isHostFrame(_ index: Int) -> Bool {
            guard index < lines.count else { return false }
            let line = lines[index]
            return line.hasPrefix("\t[") && !line.hasPrefix("\t[C]") && !line.hasPrefix("\t[string ")
        }
        var kept: [Substring] = []
        for index in lines.indices where !isHostFrame(index) {
            if lines[index] == "\t[C]: in function 'error'", isHostFrame(index + 1) { continue }
            kept.append(lines[index])
        }
        return kept.joined(separator: "\n")
    }

    private func stopError(_ stop: clb_stop_reason, message: String, traceback: String?) -> LuaError {
        switch stop {
        case CLB_STOP_TIME: return LuaError(.timeLimit, message, traceback: traceback)
        case CLB_STOP_INSTRUCTIONS: return LuaError(.instructionLimit, message, traceback: traceback)
        default: return LuaError(.interrupted, message, traceback: traceback)
        }
    }

    private func memoryMessage(_ message: String) -> String {
        guard clb_memory_limit_hit(lua) != 0 else { return message }
        let limit = clb_memory_limit(lua)
        let amount = limit >= 1_048_576 && limit % 1_048_576 == 0 ? "\(limit >> 20) MB" : "\(limit) bytes"
        return "memory limit of \(amount) exceeded (\(message))"
    }
}

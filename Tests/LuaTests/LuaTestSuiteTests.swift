import Foundation
import Lua
import Testing

/// Lua 5.4.4's own test files (`testes/`, from the shared folder; no copy is committed), run in
/// portable mode under `lua5.4` and under the sandbox. Every file the reference interpreter passes
/// must pass in the sandbox too, unless it reaches one of the sandbox's deliberate restrictions
/// (docs/lua-api.md lists them): then it must stop exactly there, so a new difference, or a
/// restriction that went away, fails this test.
@Suite struct LuaTestSuiteTests {
    /// `SENTINEL_TABLES_LUA_TESTS` when set, else `shared/` beside the checkout, else the workplace's
    /// shared folder.
    static let directory: String = {
        let besideCheckout = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/lua-5.4.4-tests").path
        var candidates: [String] = []
        if let given = ProcessInfo.processInfo.environment["SENTINEL_TABLES_LUA_TESTS"], !given.isEmpty {
            candidates.append(given)
        }
        candidates += [besideCheckout, "/work/shared/lua-5.4.4-tests"]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/pm.lua") } ?? besideCheckout
    }()

    /// The files that need no C test library and no `lua` executable. Left out: `all.lua` (the driver,
    /// built on `dofile`), `main.lua` (starts `lua` with `os.execute`), `heavy.lua` (gigabytes and
    /// minutes), and the helpers `bwcoercion.lua` and `tracegc.lua`. `api.lua` and `code.lua` skip
    /// themselves without the C test library, in both.
    static let files = [
        "api", "attrib", "big", "bitwise", "calls", "closure", "code", "constructs", "coroutine", "cstack",
        "db", "errors", "events", "files", "gc", "gengc", "goto", "literals", "locals", "math", "nextvar",
        "pm", "sort", "strings", "tpack", "utf8", "vararg", "verybig",
    ]

    /// Where the sandbox stops each file that reaches a restriction, and the restriction.
    static let restrictions: [String: (stop: String, restriction: String)] = [
        "attrib": (
            "attrib.lua:30: attempt to call a nil value (field 'searchpath')", "no package.searchpath"
        ),
        "calls": ("calls.lua:317: assertion failed!", "binary chunks do not load"),
        "coroutine": ("coroutine.lua:345: attempt to call a nil value (field 'sethook')", "debug subset"),
        "closure": ("closure.lua:243: attempt to call a nil value (field 'upvalueid')", "debug subset"),
        "cstack": ("tracegc.lua:28: finalizers (__gc) are not available in scripts", "no finalizers"),
        "db": ("db.lua:16: attempt to call a nil value (field 'gethook')", "debug subset"),
        "errors": ("errors.lua:30: assertion failed!", "no io.stdin"),
        "events": ("events.lua:438: attempt to call a nil value (field 'setmetatable')", "debug subset"),
        "files": ("files.lua:10: attempt to call a nil value (field 'input')", "io keeps read and write"),
        "gc": ("gc.lua:309: finalizers (__gc) are not available in scripts", "no finalizers"),
        "gengc": ("gengc.lua:51: finalizers (__gc) are not available in scripts", "no finalizers"),
        "goto": ("goto.lua:188: attempt to call a nil value (field 'upvalueid')", "debug subset"),
        "literals": (
            "literals.lua:296: attempt to call a nil value (field 'setlocale')",
            "os keeps time, clock, date, getenv"
        ),
        "locals": ("locals.lua:74: attempt to call a nil value (field 'getupvalue')", "debug subset"),
        "nextvar": ("nextvar.lua:344: table index is nil", "no io.stdin"),
        "strings": ("strings.lua:168: assertion failed!", "no io.stdin"),
    ]

    @Test(arguments: files)
    func theSandboxKeepsLuasSemantics(file: String) async throws {
        let path = "\(Self.directory)/\(file).lua"
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("Lua's test files are missing: \(path) (set SENTINEL_TABLES_LUA_TESTS)")
            return
        }
        let reference = try Self.runReference(path)
        #expect(reference.passed, "lua5.4 fails \(file).lua: \(reference.output)")

        let sandboxed = try await Self.runSandboxed(path)
        if let expected = Self.restrictions[file] {
            #expect(
                sandboxed?.contains(expected.stop) == true,
                "\(file).lua should stop at the restriction '\(expected.restriction)' (\(expected.stop)), got \(sandboxed ?? "success")"
            )
        } else {
            #expect(sandboxed == nil, "\(file).lua fails in the sandbox: \(sandboxed ?? "")")
        }
    }

    /// Runs `path` under `lua5.4` in portable mode; whether it passed, and what it printed.
    static func runReference(_ path: String) throws -> (passed: Bool, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "lua5.4", "-e", "_port = true _soft = true", URL(fileURLWithPath: path).lastPathComponent,
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus == 0, String(decoding: output.suffix(2000), as: UTF8.self))
    }

    /// Runs `path` in a sandboxed state (on a thread of its own, with a deep enough stack for
    /// cstack.lua); nil when it passed, else the error.
    static func runSandboxed(_ path: String) async throws -> String? {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result { () throws -> String? in
                        let state = try LuaState(
                            LuaConfiguration(
                                modulePaths: [directory], limits: LuaLimits(time: .seconds(300))))
                        try state.setGlobal("_port", true)
                        try state.setGlobal("_soft", true)
                        try state.run("print = function() end")  // the files' progress notes
                        do {
                            try state.run(file: path)
                            return nil
                        } catch let error as LuaError {
                            return error.message
                        }
                    })
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

import Foundation
import Lua
import Testing

/// The files Lua code reaches (the threat model in docs/architecture.md): `require` opens only module
/// names beneath the directories the host fixed, with no symbolic link; the error locator reads only
/// source text the host loaded and kept, never the file a chunk name names.
@Suite struct FileReachTests {
    // MARK: require

    @Test func requireRefusesWhatIsNotAModuleName() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        // Lua's template would be split on ';' after the name is put in: "x;/abs/evil" reached /abs/evil.lua.
        let outside = try directory.write("outside/evil.lua", "ran_outside = true return 'pwned'")
        let evil = String(outside.dropLast(".lua".count))
        try directory.write("scripts/helper.lua", "return 'helper'")
        let main = try directory.write(
            "scripts/main.lua",
            """
            local refused = {}
            for _, name in ipairs { "x;\(evil)", "\(evil)", "../outside/evil", "a/b", ".hidden", "a..b", "a.", "", "x\\0y" } do
              local ok, err = pcall(require, name)
              refused[#refused + 1] = (not ok) and err or "loaded"
            end
            local co = coroutine.wrap(function() return pcall(require, "x;\(evil)") end)
            local ok, fromCoroutine = co()
            return ran_outside == nil, table.concat(refused, "\\n"), ok, fromCoroutine, require("helper")
            """)
        let results = try LuaState().run(file: main)
        #expect(results.first == .boolean(true), "the outside file ran")
        let messages = results[1].stringValue?.split(separator: "\n", omittingEmptySubsequences: false) ?? []
        #expect(!messages.contains("loaded"))
        #expect(
            results[1].stringValue?.contains("module 'x;\(evil)' not found: not a module name") == true,
            "\(results[1])")
        #expect(results[2] == .boolean(false))
        #expect(results[3].stringValue?.contains("module 'x;\(evil)' not found: not a module name") == true)
        #expect(results[4] == .text("helper"))
    }

    @Test func requireFollowsNoSymbolicLink() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let outside = try directory.write("outside/secret.lua", "ran_outside = true return 'secret'")
        try directory.write("outside/pkg/inner.lua", "ran_outside = true return 'inner'")
        try directory.write("scripts/real.lua", "return 'real'")
        try FileManager.default.createSymbolicLink(
            atPath: directory.path + "/scripts/linked.lua", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(
            atPath: directory.path + "/scripts/pkg", withDestinationPath: directory.path + "/outside/pkg")
        let main = try directory.write(
            "scripts/main.lua",
            """
            local a, ea = pcall(require, "linked")
            local b, eb = pcall(require, "pkg.inner")
            local c, ec = coroutine.wrap(function() return pcall(require, "linked") end)()
            return ran_outside == nil, a, b, ea, require("real"), eb, c, ec
            """)
        let results = try LuaState().run(file: main)
        #expect(results.prefix(3) == [.boolean(true), .boolean(false), .boolean(false)])
        // The link is there and refused, which is not "no file" (issue 29).
        let refused = "file '\(directory.path)/scripts/linked.lua' not read: a symbolic link"
        #expect(results[3].stringValue?.contains(refused) == true, "\(results[3])")
        #expect(results[4] == .text("real"))
        #expect(
            results[5].stringValue?.contains(
                "file '\(directory.path)/scripts/pkg/inner.lua' not read: a symbolic link (or one on its path)"
            )
                == true, "\(results[5])")
        #expect(results[6] == .boolean(false))
        #expect(results[7].stringValue?.contains(refused) == true, "\(results[7])")
    }

    @Test func modulesAreNamedByTheirRelativePathAndLoadedAsText() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write("lib/deep/mod.lua", "#!/shebang\n\nerror('line three')")
        let state = try LuaState(LuaConfiguration(modulePaths: [directory.path + "/lib"]))
        let error = luaError { try state.run("require('deep.mod')", name: "main.lua") }
        #expect(
            error?.message.contains("\(directory.path)/lib/deep/mod.lua:3: line three") == true,
            "\(String(describing: error))")
    }

    // MARK: the error locator

    /// A state with `check { ... }`, a host function whose unknown options are located by line.
    private func stateWithOptions() throws -> LuaState {
        let state = try LuaState()
        try state.register("check") { call in
            _ = try call.options(1, allowed: ["name"])
            return call.returning()
        }
        return state
    }

    @Test func theErrorLocatorNeverReadsTheFileAChunkNameNames() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        // Were the file read, `nmae =` on its line 5 would be reported as the error's line.
        let secret = try directory.write(
            "credentials", "[default]\naws_access_key_id = A\n\n\nnmae = secret\n")
        let state = try stateWithOptions()
        let error = luaError {
            try state.run("assert(load('check {\\n name = 1,\\n nmae = 2 }', '@\(secret)'))()", name: "s.lua")
        }
        #expect(
            error?.message.hasPrefix("\(secret):1: unknown option 'nmae'") == true,
            "\(String(describing: error))")
        // From a coroutine too.
        let fromCoroutine = luaError {
            try state.run(
                "coroutine.wrap(function() assert(load('check {\\n\\n nmae = 2 }', '@\(secret)'))() end)()",
                name: "s.lua")
        }
        #expect(fromCoroutine?.message.contains("\(secret):1: unknown option 'nmae'") == true)
    }

    @Test func aChunkNamedAfterAPipeDoesNotBlock() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let fifo = directory.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = LockedMessages()
        let thread = Thread {
            do {
                let state = try stateWithOptions()
                for name in ["@/dev/stdin", "@\(fifo)"] {
                    let error = luaError {
                        try state.run("assert(load('check {\\n nmae = 2 }', '\(name)'))()", name: "p.lua")
                    }
                    outcome.append(error?.message ?? "no error")
                }
            } catch {
                outcome.append("\(error)")
            }
            finished.signal()
        }
        thread.start()
        // Opening a FIFO with no writer blocks forever: were it opened, this would time out.
        #expect(finished.wait(timeout: .now() + 10) == .success, "the error locator blocked on a pipe")
        #expect(outcome.messages.count == 2)
        #expect(
            outcome.messages.allSatisfy { $0.contains(":1: unknown option 'nmae'") }, "\(outcome.messages)")
    }

    @Test func theErrorLocatorFindsKeysInTheScriptAndInModules() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write(
            "helper.lua", "return function()\n  check {\n    name = 1,\n    nmae = 2,\n  }\nend")
        let main = try directory.write("main.lua", "local f = require('helper')\ncheck {\n\n  nmae = 1 }")
        let module = try directory.write("module.lua", "require('helper')()")
        let state = try stateWithOptions()
        #expect(
            luaError { try state.run(file: main) }?.message.hasPrefix("\(main):4: unknown option") == true)
        let inModule = luaError { try state.run(file: module) }
        #expect(
            inModule?.message.hasPrefix("\(directory.path)/helper.lua:4: unknown option") == true,
            "\(String(describing: inModule))")
    }
}

/// Messages collected on another thread.
final class LockedMessages: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ message: String) {
        lock.lock()
        stored.append(message)
        lock.unlock()
    }

    var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

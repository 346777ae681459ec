import Lua
import Testing

@Suite struct HostFunctionTests {
    @Test func throwingHostFunctionUnderPcallReleasesEverything() throws {
        let state = try LuaState()
        let counter = LiveCounter()
        var deferredCleanups = 0
        try state.register("fail") { _ in
            let tracked = Tracked(counter)
            defer { deferredCleanups += 1 }
            throw TrackedError(tracked: tracked)
        }
        let results = try state.run(
            """
            local failures = 0
            for i = 1, 1000 do
              local ok, err = pcall(fail)
              if not ok and err:find("tracked failure", 1, true) then failures = failures + 1 end
            end
            return failures
            """, name: "loop.lua")
        #expect(results == [.integer(1000)])
        #expect(counter.live == 0)
        #expect(deferredCleanups == 1000)
        // The state is still usable.
        #expect(try state.run("return 1 + 1") == [.integer(2)])
    }

    @Test func hostErrorsCarryTheCallersFileAndLine() throws {
        let state = try LuaState()
        try state.register("fail") { _ in throw TrackedError(tracked: Tracked(LiveCounter())) }
        let error = luaError { try state.run("local x = 1\nfail()\n", name: "scripts/job.lua") }
        #expect(error?.kind == .runtime)
        #expect(error?.message == "scripts/job.lua:2: tracked failure")
        #expect(error?.traceback?.contains("scripts/job.lua:2") == true)
    }

    @Test func badArgumentsUseLuasShape() throws {
        let state = try LuaState()
        try state.registerModule(
            "acme",
            functions: [
                "apply": { call in
                    _ = try call.table(1)
                    return call.returning()
                },
                "double": { call in call.returning(try call.integer(1) * 2) },
            ], global: true)
        let missing = luaError { try state.run("\nacme.apply()", name: "a.lua") }
        #expect(missing?.message == "a.lua:2: bad argument #1 to 'acme.apply' (table expected, got no value)")
        let wrong = luaError { try state.run("acme.apply(nil)", name: "a.lua") }
        #expect(wrong?.message == "a.lua:1: bad argument #1 to 'acme.apply' (table expected, got nil)")
        let fraction = luaError { try state.run("acme.double(1.5)", name: "a.lua") }
        #expect(
            fraction?.message
                == "a.lua:1: bad argument #1 to 'acme.double' (number has no integer representation)")
        #expect(
            try state.run("return acme.double(21), require('acme') == acme") == [
                .integer(42), .boolean(true),
            ])
    }

    @Test func errorsCanBeCaughtAsValuesInLua() throws {
        let state = try LuaState()
        try state.register("check") { call in
            throw call.argumentError(1, "custom problem")
        }
        // As with Lua's own argument errors, the location is the Lua function that made the call.
        let results = try state.run(
            "local ok, err = pcall(function() check(1) end) return ok, err", name: "c.lua")
        #expect(results == [.boolean(false), .text("c.lua:1: bad argument #1 to 'check' (custom problem)")])
    }

    @Test func unknownOptionsAreRejectedByName() throws {
        let state = try LuaState()
        try state.registerModule(
            "sentinel",
            functions: [
                "table": { call in
                    let options = try call.options(1, allowed: ["name", "partition_key", "ttl"])
                    return try call.returning(options["name"] ?? .nil)
                }
            ], global: true)
        #expect(try state.run("return sentinel.table { name = 'audit' }") == [.text("audit")])
        let typo = luaError { try state.run("sentinel.table { nmae = 'audit' }", name: "t.lua") }
        #expect(typo?.message == "t.lua:1: unknown option 'nmae' in sentinel.table (did you mean 'name'?)")
        let unrelated = luaError { try state.run("sentinel.table { colour = 1 }", name: "t.lua") }
        #expect(unrelated?.message == "t.lua:1: unknown option 'colour' in sentinel.table")
        let positional = luaError { try state.run("sentinel.table { 'audit' }", name: "t.lua") }
        #expect(
            positional?.message
                == "t.lua:1: bad argument #1 to 'sentinel.table' (option names must be strings, got number key 1)"
        )
    }

    @Test func hostFunctionsCanCallBackIntoLua() throws {
        let state = try LuaState()
        try state.register("map") { call in
            let function = try call.function(1)
            let input = try call.table(2).arrayValue ?? []
            let output = try input.map { try call.state.call(function, [$0]).first ?? .nil }
            return try call.returning(.array(output))
        }
        #expect(
            try state.run("return map(function(x) return x * 10 end, {1, 2, 3})")
                == [.array([10, 20, 30])])
        // An error inside the callback keeps its own location and is not prefixed twice.
        let error = luaError {
            try state.run("map(function(x)\n  error('inner')\nend, {1})", name: "cb.lua")
        }
        #expect(error?.message == "cb.lua:2: inner")
    }

    @Test func userdataReleasesItsSwiftObjectWhenCollected() throws {
        let state = try LuaState()
        let counter = LiveCounter()
        final class Box {
            let tracked: Tracked
            var value: Int64 = 0
            init(_ counter: LiveCounter) { tracked = Tracked(counter) }
        }
        state.registerType(
            Box.self, name: "acme.Box",
            methods: [
                "set": { call in
                    let box = try call.object(1, as: Box.self)
                    box.value = try call.integer(2)
                    return call.returning()
                },
                "get": { call in call.returning(try call.object(1, as: Box.self).value) },
            ],
            metamethods: ["__tostring": { call in call.returning("Box") }])
        try state.register("newbox") { call in try call.returning(try call.state.userdata(Box(counter))) }
        let results = try state.run(
            """
            local b = newbox()
            b:set(7)
            return b:get(), tostring(b)
            """)
        #expect(results == [.integer(7), .text("Box")])
        #expect(counter.live == 1 || counter.live == 0)
        let selfError = luaError { try state.run("local b = newbox() b.set({}, 1)", name: "u.lua") }
        #expect(selfError?.message == "u.lua:1: calling 'set' on bad self (acme.Box expected, got table)")
        let argError = luaError { try state.run("local b = newbox() b:set('x')", name: "u.lua") }
        #expect(argError?.message == "u.lua:1: bad argument #1 to 'set' (number expected, got string)")
        state.collectGarbage()
        #expect(counter.live == 0)
    }

    @Test func userdataInsideATableGivesBackItsObject() throws {
        let state = try LuaState()
        final class Tag {
            let name: String
            init(_ name: String) { self.name = name }
        }
        final class Other {}
        state.registerType(Tag.self, name: "acme.Tag", methods: [:])
        state.registerType(Other.self, name: "acme.Other", methods: [:])
        try state.register("tag") { call in
            try call.returning(try call.state.userdata(Tag(try call.string(1))))
        }
        let results = try state.run("return { first = tag('a'), list = { tag('b'), 3 } }")
        let table = try #require(results.first)
        #expect(state.object(table["first"], as: Tag.self)?.name == "a")
        let list = try #require(table["list"].arrayValue)
        #expect(state.object(list[0], as: Tag.self)?.name == "b")
        #expect(state.object(list[0], as: Other.self) == nil)
        #expect(state.object(list[1], as: Tag.self) == nil)
        let elsewhere = try LuaState()
        elsewhere.registerType(Tag.self, name: "acme.Tag", methods: [:])
        #expect(elsewhere.object(table["first"], as: Tag.self) == nil)
    }
}

import Lua
import SentinelScript
import Testing

/// `register` refuses names scripts could not write, and names that would silently replace a
/// library, `sentinel` or an earlier registration, unless asked by name with `replacing: true`.
@Suite struct RegistrationNameTests {
    static let noAWS = ScriptHostConfiguration(aws: nil)
    static func echo(_ call: LuaCall) throws -> LuaResults { call.returning("mine") }

    @Test(arguments: ["", "acme.tags", "end", "local", "_ENV", "1st", "my-module", "a b", "ä"])
    func aNameThatIsNotAnIdentifierIsRefused(name: String) throws {
        let host = try ScriptHost(Self.noAWS)
        #expect(throws: LuaRegistrationError(name: name, reason: .notAnIdentifier)) {
            try host.register(function: name, Self.echo)
        }
        #expect(throws: LuaRegistrationError(name: name, reason: .notAnIdentifier)) {
            try host.register(module: name, functions: ["f": Self.echo])
        }
        #expect(throws: LuaRegistrationError(name: name, reason: .notAnIdentifier)) {
            try host.register(module: name, values: [:], replacing: true)
        }
    }

    @Test(arguments: ["print", "string", "table", "sentinel", "require", "_G", "math", "coroutine"])
    func aBuiltInIsNotReplacedUnlessAskedByName(name: String) throws {
        let host = try ScriptHost(Self.noAWS)
        #expect(throws: LuaRegistrationError(name: name, reason: .alreadyDefined)) {
            try host.register(function: name, Self.echo)
        }
        #expect(throws: LuaRegistrationError(name: name, reason: .alreadyDefined)) {
            try host.register(module: name, functions: ["f": Self.echo])
        }
        let kept = try host.run("return type(\(name))").values
        #expect(kept != [.text("nil")])
        #expect(try host.run("return sentinel.schema.sessions().name").values == [.text("sentinel-sessions")])
    }

    @Test func theErrorNamesTheNameAndHowToReplaceIt() throws {
        let host = try ScriptHost(Self.noAWS)
        do {
            try host.register(module: "sentinel", functions: [:])
            Issue.record("replaced sentinel")
        } catch let error as LuaRegistrationError {
            #expect(error.description.contains("'sentinel'"))
            #expect(error.description.contains("replacing: true"))
        }
        do {
            try host.register(function: "acme.tags", Self.echo)
            Issue.record("registered a dotted global")
        } catch let error as LuaRegistrationError {
            #expect(error.description.contains("'acme.tags'"))
            #expect(error.description.contains("not a Lua identifier"))
        }
    }

    @Test func replacingTrueReplaces() throws {
        let host = try ScriptHost(Self.noAWS)
        try host.register(function: "print", replacing: true, Self.echo)
        #expect(try host.run("return print()").values == [.text("mine")])
        try host.register(module: "string", functions: ["f": Self.echo], replacing: true)
        #expect(
            try host.run("return string.f(), require('string').f()").values == [.text("mine"), .text("mine")])
    }

    @Test func aSecondRegistrationOfTheSameNameIsRefusedUnlessReplacing() throws {
        let host = try ScriptHost(Self.noAWS)
        try host.register(module: "acme", functions: ["f": Self.echo])
        #expect(throws: LuaRegistrationError(name: "acme", reason: .alreadyDefined)) {
            try host.register(module: "acme", values: ["x": .integer(1)])
        }
        try host.register(module: "acme", values: ["x": .integer(1)], replacing: true)
        #expect(try host.run("return acme.x").values == [.integer(1)])
    }

    /// A bare `LuaState` keeps the same rule; a module only `require` reaches may be dotted.
    @Test func aBareStateRefusesTheSameNamesAndAllowsDottedRequireNames() throws {
        let state = try LuaState()
        #expect(throws: LuaRegistrationError(name: "table", reason: .alreadyDefined)) {
            try state.register("table", Self.echo)
        }
        #expect(throws: LuaRegistrationError(name: "a..b", reason: .notAnIdentifier)) {
            try state.registerModule("a..b", functions: [:])
        }
        try state.registerModule("acme.tags", functions: ["f": Self.echo])
        #expect(try state.run("return require('acme.tags').f()", name: "t") == [.text("mine")])
    }
}

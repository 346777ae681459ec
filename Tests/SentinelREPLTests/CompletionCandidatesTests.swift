import Lua
import SentinelScript
import Testing

@testable import SentinelREPL

@Suite("completion candidates")
struct CompletionCandidatesTests {
    func candidates(_ text: String, setup: String = "") throws -> (found: [String], state: LuaState) {
        let state = try LuaState()
        try SentinelModule.install(into: state)
        if !setup.isEmpty { try state.run(setup) }
        let completion = try CompletionCandidates(state: state)
        return (completion.candidates(for: Array(text.utf8)), state)
    }

    @Test func completesGlobalsAndFields() throws {
        #expect(try candidates("sentinel.sch").found == ["sentinel.schema"])
        #expect(try candidates("sentin").found == ["sentinel"])
        let fields = try candidates("sentinel.").found
        #expect(fields.contains("sentinel.apply") && fields.contains("sentinel.validate"))
        #expect(try candidates("sentinel.schema.b").found == ["sentinel.schema.breakglass"])
    }

    @Test func completesSchemaMethodsAfterAColon() throws {
        let found = try candidates("s:", setup: "s = sentinel.schema.sessions()").found
        #expect(found.contains("s:add_gsi") && found.contains("s:copy"))
        #expect(!found.contains("s:name"))
    }

    @Test func neverRunsAMetamethod() throws {
        let setup = """
            count = 0
            trap = setmetatable({}, { __index = function() count = count + 1 end })
            """
        let (found, state) = try candidates("trap.x.y", setup: setup)
        #expect(found.isEmpty)
        #expect(try state.global("count") == 0)
    }

    @Test func ignoresWhatIsNotAName() throws {
        #expect(try candidates("1x.").found.isEmpty)
        #expect(try candidates("a..b").found.isEmpty)
        #expect(try candidates("\u{ff}\u{01}").found.isEmpty)
    }
}

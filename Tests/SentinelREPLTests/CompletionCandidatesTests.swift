import Lua
import SentinelScript
import Testing

@testable import SentinelREPL

@Suite("completion candidates")
struct CompletionCandidatesTests {
    func candidates(_ text: String, after before: String = "", setup: String = "") throws -> (
        found: [String], state: LuaState
    ) {
        let state = try LuaState()
        try SentinelModule.install(into: state)
        if !setup.isEmpty { try state.run(setup) }
        let completion = try CompletionCandidates(state: state)
        return (completion.candidates(for: Array(text.utf8), before: Array(before.utf8)), state)
    }

    /// Stands in for ListTables, counting its calls.
    static let fakeTables = """
        listed = 0
        sentinel.db.tables = function()
          listed = listed + 1
          return { "sentinel-requests", "sentinel-sessions", "other", "sentinel-breakglass" }
        end
        """

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

    @Test func completesTableNamesInsideAStringArgumentOfADbFunction() throws {
        let setup = Self.fakeTables
        #expect(
            try candidates("sentinel-s", after: "db.scan(\"", setup: setup).found == ["sentinel-sessions"])
        #expect(
            try candidates("sentinel-", after: "x = sentinel.db.get( '", setup: setup).found == [
                "sentinel-breakglass", "sentinel-requests", "sentinel-sessions",
            ])
        #expect(
            try candidates(
                "ot", after: "sentinel.find.active_sessions { user = 'u', table = \"", setup: setup
            )
            .found == ["other"])
    }

    @Test func completesTheEndOfATableNameSplitAtAHyphen() throws {
        // `-` breaks words for libedit, so only the end of the name is the word being completed.
        #expect(
            try candidates("s", after: "db.get(\"sentinel-", setup: Self.fakeTables).found == ["sessions"])
        #expect(try candidates("", after: "db.get(\"sentinel-", setup: Self.fakeTables).found.count == 3)
    }

    @Test func looksUpTableNamesOnlyInsideSuchAString() throws {
        let (found, state) = try candidates("sentinel-", after: "print(\"", setup: Self.fakeTables)
        #expect(found.isEmpty)
        #expect(try state.global("listed") == 0, "no ListTables outside a table-name string")
        #expect(
            try candidates("sentinel.sch", after: "db.scan(", setup: Self.fakeTables).found == [
                "sentinel.schema"
            ])
    }

    @Test func aFailingTableListCompletesNothing() throws {
        let setup = "sentinel.db.tables = function() error('AccessDenied') end"
        #expect(try candidates("a", after: "db.scan('", setup: setup).found.isEmpty)
    }

    @Test func ignoresWhatIsNotAName() throws {
        #expect(try candidates("1x.").found.isEmpty)
        #expect(try candidates("a..b").found.isEmpty)
        #expect(try candidates("\u{ff}\u{01}").found.isEmpty)
    }
}

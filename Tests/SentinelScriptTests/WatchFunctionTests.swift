import DynamoDB
import Foundation
import Lua
import Provisioning
import SentinelScript
import Synchronization
import Testing

/// `sentinel.db.watch` against the local server's DynamoDB Streams: the changes a script and boto3
/// make arrive in order, `false` and errors stop the watch, and the script's limits stop its waits.
@Suite struct WatchFunctionTests {
    /// Creates a table with a NEW_AND_OLD_IMAGES stream, puts, updates and deletes item `a`.
    static let setup = """
        local name = ...
        local db = sentinel.db
        assert(sentinel.apply({ sentinel.table { name = name, partition_key = "id", stream = "NEW_AND_OLD_IMAGES" } })[1].error == nil)
        db.put(name, { id = "a", n = 1, note = "x" })
        db.update(name, { id = "a" }, { n = 2 }, { remove = { "note" } })
        db.delete(name, { id = "a" })

        """

    /// Data and provisioning against the local server: the scripts create their tables with a stream.
    static func services(_ client: DynamoDBClient) -> SentinelServices {
        SentinelServices(
            controlPlane: { DynamoDBControlPlane(client: client) }, dynamoDB: { client },
            waitPolicy: WaitPolicy(firstDelay: .milliseconds(1), maximumDelay: .milliseconds(20)))
    }

    static func run(_ client: DynamoDBClient, _ script: String, arguments: [String]) async throws
        -> [LuaValue]
    {
        try await onScriptThread {
            let state = try LuaState()
            try SentinelModule.install(into: state, services: services(client))
            return try state.run(script, name: "watch.lua", arguments: arguments.map(LuaValue.text))
        }
    }

    static func error(_ client: DynamoDBClient, _ script: String, arguments: [String]) async throws
        -> LuaError?
    {
        do {
            _ = try await run(client, script, arguments: arguments)
            return nil
        } catch let error as LuaError {
            return error
        }
    }

    @Test func changesArriveInOrderWithWhatChanged() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("watch")
            let results = try await Self.run(
                client,
                Self.setup + """
                    local lines = {}
                    local given = db.watch(name, { since = "trim_horizon", until_caught_up = true }, function(c)
                      lines[#lines + 1] = table.concat({ c.event, c.keys.id, table.concat(c.changed or {}, ","),
                        tostring(c.new and c.new.n), tostring(c.old and c.old.n), math.type(c.time) }, " ")
                    end)
                    -- From now on only: nothing has changed since.
                    local later = db.watch(name, { until_caught_up = true }, function() error("no change expected") end)
                    return given, table.concat(lines, "\\n"), later
                    """, arguments: [table])
            #expect(results.first?.integerValue == 3)
            #expect(
                results.dropFirst().first?.stringValue
                    == "INSERT a id,n,note 1 nil integer\nMODIFY a n,note 2 1 integer\nREMOVE a id,n nil 2 integer"
            )
            #expect(results.last?.integerValue == 0)
        }
    }

    @Test func aChangeMadeByBoto3WhileWatchingArrives() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("watch-live")
            _ = try await Self.run(
                client,
                """
                local name = ...
                assert(sentinel.apply({ sentinel.table { name = name, partition_key = "id", stream = "NEW_IMAGE" } })[1].error == nil)
                """, arguments: [table])
            // boto3 writes once a second until the watch, following from `latest`, has seen a change:
            // however long the script takes to start watching, a write comes after it did.
            let seen = SeenFlag()
            let writer = Task.detached {
                for attempt in 0..<120 where !seen.value.load(ordering: .acquiring) {
                    _ = try Boto3.run(
                        "client.put_item(TableName=table, Item={'id': {'S': 'boto%d' % int(sys.argv[3])}, "
                            + "'who': {'S': 'b3'}})\nprint(1)",
                        table: table, extra: [String(attempt)])
                    try await Task.sleep(for: .seconds(1))
                }
            }
            let results = try await Self.run(
                client,
                """
                local name = ...
                local seen
                sentinel.db.watch(name, {}, function(c) seen = c.new.who return false end)
                return seen
                """, arguments: [table])
            seen.value.store(true, ordering: .releasing)
            try await writer.value
            #expect(results.first?.stringValue == "b3")
        }
    }

    @Test func falseStopsAndAnErrorIsRaisedAgain() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("watch-stop")
            let results = try await Self.run(
                client,
                Self.setup + """
                    local first = db.watch(name, { since = "trim_horizon" }, function(c) return false end)
                    local ok, message = pcall(db.watch, name, { since = "trim_horizon" }, function(c) error("stop here") end)
                    local bad, why = pcall(db.watch, name, { since = "yesterday" }, function() end)
                    local nofn = pcall(db.watch, name, {})
                    return first, ok, message, why, nofn
                    """, arguments: [table])
            #expect(results.first?.integerValue == 1)
            #expect(results.dropFirst().first?.booleanValue == false)
            #expect(results.dropFirst(2).first?.stringValue?.contains("stop here") == true)
            #expect(
                results.dropFirst(3).first?.stringValue?.contains(
                    "option 'since' of sentinel.db.watch must be \"latest\" or \"trim_horizon\"") == true)
            #expect(results.dropFirst(4).first?.booleanValue == false)
        }
    }

    @Test func aTableWithoutAStreamIsToldHowToEnableOne() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("watch-none")
            try await LocalData.createTable(client, table)
            let error = try await Self.error(
                client, "sentinel.db.watch(..., nil, function() end)", arguments: [table])
            #expect(error?.message.contains("table '\(table)' has no DynamoDB stream enabled") == true)
            #expect(error?.message.contains(#"stream = "NEW_AND_OLD_IMAGES""#) == true)
        }
    }

    /// A watch on a quiet table waits for ever: the script's time limit ends it, directly and from a
    /// coroutine, as it ends any other wait.
    @Test func theScriptsTimeLimitEndsAWatch() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("watch-limit")
            _ = try await Self.run(
                client,
                """
                assert(sentinel.apply({ sentinel.table { name = ..., partition_key = "id", stream = "KEYS_ONLY" } })[1].error == nil)
                """, arguments: [table])
            for script in [
                "sentinel.db.watch(..., {}, function() end)",
                "coroutine.wrap(function(t) sentinel.db.watch(t, {}, function() end) end)(...)",
                "local ok, e = pcall(sentinel.db.watch, ..., {}, function() end) return ok, e",
            ] {
                let message = try await onScriptThread { () -> String in
                    let state = try LuaState(LuaConfiguration(limits: LuaLimits(time: .seconds(2))))
                    try SentinelModule.install(into: state, services: Self.services(client))
                    do {
                        _ = try state.run(script, name: "limit.lua", arguments: [.text(table)])
                        return "returned"
                    } catch {
                        return "\(error)"
                    }
                }
                #expect(message.contains("time limit"), "\(script): \(message)")
            }
        }
    }

    /// What the handler does counts against the script's limits: its memory runs out as a memory
    /// error and its loop stops at the instruction limit, the watch ending with them, not after them.
    @Test func theHandlerRunsUnderTheScriptsMemoryAndInstructionLimits() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("watch-memory")
            _ = try await Self.run(
                client,
                Self.setup + "return true", arguments: [table])
            let cases: [(LuaLimits, String, LuaError.Kind)] = [
                (
                    LuaLimits(memoryBytes: 8 << 20),
                    "local t = {} sentinel.db.watch(..., { since = 'trim_horizon' }, function(c) "
                        + "for i = 1, 1e7 do t[#t + 1] = ('x'):rep(64) .. i end end)",
                    .memory
                ),
                (
                    LuaLimits(instructions: 2_000_000),
                    "sentinel.db.watch(..., { since = 'trim_horizon' }, function(c) while true do end end)",
                    .instructionLimit
                ),
            ]
            for (limits, script, kind) in cases {
                let error = try await onScriptThread { () -> LuaError? in
                    let state = try LuaState(LuaConfiguration(limits: limits))
                    try SentinelModule.install(into: state, services: Self.services(client))
                    do {
                        _ = try state.run(script, name: "limits.lua", arguments: [.text(table)])
                        return nil
                    } catch let error as LuaError {
                        return error
                    }
                }
                #expect(error?.kind == kind, "\(script): \(String(describing: error))")
            }
        }
    }
}

/// Set once the watch has seen a change: the writer stops then.
private final class SeenFlag: Sendable {
    let value = Atomic<Bool>(false)
}

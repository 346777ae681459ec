import DynamoDB
import Foundation
import Lua
import Provisioning
import SentinelScript
import Testing

/// `max_rcu` and `max_wcu` on the script functions that do bulk work: the work is done whole within
/// the budget, each request asks for its consumed capacity, and an option for a kind the function does
/// not use is refused. (How long the work takes is not asserted: scripts/bench measures the rate.)
@Suite struct CapacityBudgetScriptTests {
    @Test func bulkFunctionsKeepToABudgetAndDoAllTheirWork() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("budget")
            let files = "budget-files-\(table)"
            try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: files) }
            try await LocalData.createTable(client, table)
            try await LocalData.createTable(client, table + "-copy")
            let results = try await onScriptThread {
                let state = try LuaState()
                try SentinelModule.install(
                    into: state,
                    services: SentinelServices(
                        controlPlane: { DynamoDBControlPlane(client: client) }, dynamoDB: { client },
                        waitPolicy: WaitPolicy(firstDelay: .milliseconds(1), maximumDelay: .milliseconds(20)))
                )
                return try state.run(
                    """
                    local name, files = ...
                    local db = sentinel.db
                    local items = {}
                    for i = 1, 60 do items[i] = { id = ("i%03d"):format(i), n = i } end
                    local written = db.put_all(name, items, { max_wcu = 1000 })
                    local scanned = #db.scan(name, { limit = 1000, segments = 3, max_rcu = 1000 })
                    local exported = db.export(name, files .. "/items.json", { segments = 2, max_rcu = 1000 })
                    local imported = db.import(name .. "-copy", files .. "/items.json", { max_wcu = 1000 })
                    local report = sentinel.migrate {
                      from = name, to = sentinel.table { name = name .. "-m", partition_key = "n_text" },
                      checkpoint_dir = files, max_rcu = 1000, max_wcu = 1000,
                      transform = function(item) item.n_text = tostring(item.n) return item end,
                    }
                    local _, unused = pcall(db.scan, name, { max_wcu = 5 })
                    local _, viaS3 = pcall(sentinel.migrate, { from = name, to = sentinel.table { name = "x", partition_key = "id" },
                      via = "s3://bucket/prefix", max_rcu = 5 })
                    return written, scanned, exported, imported, report.copied, report.verified, unused, viaS3
                    """, name: "budget.lua", arguments: [.text(table), .text(files)])
            }
            #expect(results.map(\.integerValue).prefix(5) == [60, 60, 60, 60, 60])
            #expect(results[5].booleanValue == true)
            #expect(
                results[6].stringValue?.contains(
                    "option 'max_wcu' of sentinel.db.scan limits nothing: sentinel.db.scan does not write items"
                )
                    == true, "\(results[6])")
            #expect(
                results[7].stringValue?.contains("field 'max_rcu' is for the copy through this machine")
                    == true,
                "\(results[7])")
        }
    }
}

/// A host's session read budget (`repl --max-rcu`): every Scan and Query of `sentinel.db` without its
/// own `max_rcu` is charged to it.
@Suite struct SessionReadBudgetTests {
    @Test func everyScanAndQueryOfTheSessionIsChargedToItsBudget() async throws {
        let table = LocalData.uniqueName("session-budget")
        let budget = CapacityBudget(readUnits: 1_000_000, writeUnits: nil)
        var configuration = ScriptHostConfiguration(
            aws: .init(
                region: "us-east-1", endpoint: try LocalData.endpoint(),
                credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")))
        configuration.readBudget = budget
        let results = try await ScriptHost.withHost(configuration) { host in
            try host.run(
                """
                local name = ...
                assert(sentinel.apply({ sentinel.table { name = name, partition_key = "id" } })[1].error == nil)
                sentinel.db.put_all(name, { { id = "a" }, { id = "b" } })
                local n = 0
                for _ in sentinel.db.each(name) do n = n + 1 end
                return #sentinel.db.scan(name), #sentinel.db.query(name, { where = { id = "a" } }),
                  sentinel.db.count(name), n
                """, arguments: [table]
            ).values
        }
        #expect(results.map(\.integerValue) == [2, 1, 2, 2])
        // scan, query, count and each: one page each.
        #expect((budget.usage(.read)?.requests ?? 0) >= 4)
        #expect((budget.usage(.read)?.consumed ?? 0) > 0)
    }
}

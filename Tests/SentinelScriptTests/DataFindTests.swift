import DynamoDB
import Lua
import Testing

/// `sentinel.find` over tables with Sentinel's schemas, seeded with more items than one page holds.
@Suite struct DataFindTests {
    @Test func findersQueryTheirIndexesOverEveryPage() async throws {
        try await LocalData.withClient { client, requests in
            let requestsTable = LocalData.uniqueName("requests")
            let breakglassTable = LocalData.uniqueName("breakglass")
            let sessionsTable = LocalData.uniqueName("sessions")
            try await LocalData.createTable(
                client, requestsTable,
                gsis: [
                    ("gsi-requester", "requester", "created_at"), ("gsi-status", "status", "created_at"),
                    ("gsi-profile", "profile", "created_at"),
                ])
            try await LocalData.createTable(
                client, breakglassTable,
                gsis: [
                    ("gsi-invoker", "invoker", "created_at"), ("gsi-status", "status", "created_at"),
                    ("gsi-profile", "profile", "created_at"),
                ])
            try await LocalData.createTable(
                client, sessionsTable,
                gsis: [
                    ("gsi-user", "user", "created_at"), ("gsi-status", "status", "created_at"),
                    ("gsi-profile", "profile", "created_at"),
                    ("gsi-server-instance", "server_instance_id", "status"),
                ])
            // A padding attribute makes each item ~20 KB, so 120 items need several 1 MB pages.
            let results = try await LocalData.run(
                client,
                """
                local R, B, S = ...
                local pad = ("x"):rep(20000)
                local requests, breakglass, sessions = {}, {}, {}
                for i = 1, 120 do
                  local at = ("2024-02-%02dT00:00:%02dZ"):format(i % 28 + 1, i % 60)
                  requests[i] = { id = "r" .. i, status = i % 3 == 0 and "approved" or "pending",
                    profile = i % 2 == 0 and "prod" or "dev", requester = i % 4 == 0 and "alice" or "bob",
                    created_at = at, pad = pad }
                  breakglass[i] = { id = "b" .. i, status = i % 5 == 0 and "closed" or "active",
                    invoker = i % 2 == 0 and "alice" or "bob", profile = "prod", created_at = at }
                  sessions[i] = { id = "s" .. i, status = i % 4 == 0 and "revoked" or "active",
                    user = i % 3 == 0 and "carol" or "dave", server_instance_id = i % 2 == 0 and "i-1" or "i-2",
                    created_at = at, pad = pad }
                end
                local db, find = sentinel.db, sentinel.find
                db.put_all(R, requests); db.put_all(B, breakglass); db.put_all(S, sessions)
                local function all(items, check)
                  for _, item in ipairs(items) do assert(check(item), item.id) end
                  return #items
                end
                return
                  all(find.pending_requests { table = R }, function(i) return i.status == "pending" end),
                  all(find.pending_requests { table = R, profile = "prod" },
                    function(i) return i.status == "pending" and i.profile == "prod" end),
                  all(find.pending_requests { table = R, since = "2024-02-10", ["until"] = "2024-02-20" },
                    function(i) return i.created_at >= "2024-02-10" and i.created_at <= "2024-02-20" end),
                  all(find.requests_by { table = R, requester = "alice" }, function(i) return i.requester == "alice" end),
                  all(find.active_breakglass { table = B, invoker = "alice", profile = "prod" },
                    function(i) return i.status == "active" and i.invoker == "alice" end),
                  all(find.active_sessions { table = S, user = "carol" },
                    function(i) return i.status == "active" and i.user == "carol" end),
                  all(find.sessions_on { table = S, server_instance_id = "i-1" },
                    function(i) return i.status == "active" and i.server_instance_id == "i-1" end),
                  all(find.sessions_on { table = S, server_instance_id = "i-1", status = "revoked", since = "2024-02-15" },
                    function(i) return i.status == "revoked" and i.created_at >= "2024-02-15" end)
                """, arguments: [requestsTable, breakglassTable, sessionsTable])
            let counts = results.compactMap(\.integerValue)
            // Pending: 120 - 40 approved. Prod pending: even and not a multiple of 3.
            #expect(counts.count == 8)
            #expect(Array(counts.prefix(2)) == [80, 40])
            #expect(counts[3] == 30)
            #expect(counts[4] == 48)
            #expect(counts[5] == 30)
            #expect(counts[6] == 30)
            #expect(requests.count("Query") > 8, "finders follow every page")
            let error = try await LocalData.error(
                client, "sentinel.find.requests_by { tabel = 'x' }", name: "f.lua")
            #expect(
                error?.message
                    == "f.lua:1: unknown option 'tabel' in sentinel.find.requests_by (did you mean 'table'?)")
            let missing = try await LocalData.error(client, "sentinel.find.requests_by {}", name: "f.lua")
            #expect(missing?.message == "f.lua:1: sentinel.find.requests_by needs the option 'requester'")
        }
    }
}

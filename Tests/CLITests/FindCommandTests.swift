import Foundation
import Testing

/// `sentinel.find` reads items that another client wrote: the tables are made from Sentinel's schemas
/// by the tool, boto3 fills them with more than one page per answer, and the counts each question
/// should give are worked out in Python from the items written, not by querying.
@Suite struct FindCommandTests {
    /// Writes 150 items of ~20 KB into each table (a 1 MB page holds ~50) and prints the expected
    /// answer counts as JSON.
    static let seed = #"""
        requests_table, breakglass_table, sessions_table = sys.argv[2:5]
        resource = boto3.resource("dynamodb", endpoint_url=sys.argv[1])
        pad = "x" * 20000
        requests, breakglass, sessions = [], [], []
        for i in range(1, 151):
            at = "2024-03-%02dT10:00:%02dZ" % (i % 28 + 1, i % 60)
            requests.append({"id": "r%d" % i, "status": "approved" if i % 3 == 0 else "pending",
                             "profile": "prod" if i % 2 == 0 else "dev",
                             "requester": "alice" if i % 4 == 0 else "bob", "created_at": at, "pad": pad})
            breakglass.append({"id": "b%d" % i, "status": "closed" if i % 5 == 0 else "active",
                               "invoker": "alice" if i % 2 == 0 else "bob", "profile": "prod" if i % 3 else "dev",
                               "created_at": at, "pad": pad})
            sessions.append({"id": "s%d" % i, "status": "revoked" if i % 4 == 0 else "active",
                             "user": "carol" if i % 3 == 0 else "dave",
                             "server_instance_id": "i-1" if i % 2 == 0 else "i-2", "created_at": at, "pad": pad})
        for name, items in ((requests_table, requests), (breakglass_table, breakglass), (sessions_table, sessions)):
            with resource.Table(name).batch_writer() as writer:
                for item in items:
                    writer.put_item(Item=item)
        def count(items, keep):
            return sum(1 for item in items if keep(item))
        print(json.dumps({
            "pending": count(requests, lambda r: r["status"] == "pending"),
            "pending_prod": count(requests, lambda r: r["status"] == "pending" and r["profile"] == "prod"),
            "pending_window": count(requests, lambda r: r["status"] == "pending"
                                    and "2024-03-10" <= r["created_at"] <= "2024-03-20T99"),
            "by_alice": count(requests, lambda r: r["requester"] == "alice"),
            "breakglass_alice_prod": count(breakglass, lambda b: b["status"] == "active"
                                           and b["invoker"] == "alice" and b["profile"] == "prod"),
            "sessions_carol": count(sessions, lambda s: s["status"] == "active" and s["user"] == "carol"),
            "on_i1": count(sessions, lambda s: s["status"] == "active" and s["server_instance_id"] == "i-1"),
            "revoked_on_i1_since": count(sessions, lambda s: s["status"] == "revoked"
                                         and s["server_instance_id"] == "i-1" and s["created_at"] >= "2024-03-15"),
        }, sort_keys=True))
        """#

    /// Asks each question and prints the counts, checking every item answers it.
    static let questions = """
        local R, B, S = ...
        local find = sentinel.find
        local function count(items, check)
          for _, item in ipairs(items) do assert(check(item), "wrong item " .. item.id) end
          return #items
        end
        local counts = {
          pending = count(find.pending_requests { table = R }, function(i) return i.status == "pending" end),
          pending_prod = count(find.pending_requests { table = R, profile = "prod" },
            function(i) return i.status == "pending" and i.profile == "prod" end),
          pending_window = count(find.pending_requests { table = R, since = "2024-03-10", ["until"] = "2024-03-20T99" },
            function(i) return i.created_at >= "2024-03-10" end),
          by_alice = count(find.requests_by { table = R, requester = "alice" },
            function(i) return i.requester == "alice" end),
          breakglass_alice_prod = count(find.active_breakglass { table = B, invoker = "alice", profile = "prod" },
            function(i) return i.status == "active" and i.invoker == "alice" and i.profile == "prod" end),
          sessions_carol = count(find.active_sessions { table = S, user = "carol" },
            function(i) return i.status == "active" and i.user == "carol" end),
          on_i1 = count(find.sessions_on { table = S, server_instance_id = "i-1" },
            function(i) return i.status == "active" and i.server_instance_id == "i-1" end),
          revoked_on_i1_since = count(
            find.sessions_on { table = S, server_instance_id = "i-1", status = "revoked", since = "2024-03-15" },
            function(i) return i.status == "revoked" and i.created_at >= "2024-03-15" end),
        }
        local names = {}
        for name in pairs(counts) do names[#names + 1] = name end
        table.sort(names)
        for _, name in ipairs(names) do print(name .. "=" .. counts[name]) end
        """

    @Test func findersAnswerFromItemsBoto3WroteAcrossPages() throws {
        let env = "fd" + UUID().uuidString.prefix(6).lowercased()
        let created = try CommandRunner.run(
            ["run", "--endpoint-url", try LocalDynamoDB.endpoint(), "examples/run-bootstrap.lua", env],
            in: CommandRunner.repositoryRoot, environment: LocalDynamoDB.clientEnvironment)
        try #require(created.status == 0, "\(created.stderr)")
        let tables = ["sentinel-requests", "sentinel-breakglass", "sentinel-sessions"].map { "\($0)-\(env)" }
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        let seeded = try LocalDynamoDB.boto3("sys.argv[2:] = [\(names)]\n" + Self.seed)
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(seeded.utf8)) as? [String: Int],
            "boto3 said: \(seeded)")
        #expect(expected["pending"] == 100 && expected["by_alice"] == 37, "the seed wrote what it should")

        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("questions.lua", Self.questions)
        // The endpoint goes before the script: what follows the script are its arguments.
        let answered = try CommandRunner.run(
            ["run", "--endpoint-url", try LocalDynamoDB.endpoint(), "questions.lua"] + tables,
            in: directory.path, environment: LocalDynamoDB.clientEnvironment)
        try #require(answered.status == 0, "\(answered.stderr)")
        var counts: [String: Int] = [:]
        for line in answered.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=")
            if parts.count == 2 { counts[String(parts[0])] = Int(parts[1]) }
        }
        #expect(counts == expected)
    }
}

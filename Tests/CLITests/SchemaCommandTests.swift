import Foundation
import Testing

@Suite struct SchemaCommandTests {
    @Test(arguments: ["approvals", "breakglass", "sessions"])
    func createTableJSONIsAcceptedByTheAWSCLI(kind: String) throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let name = "ct-\(kind)-\(UUID().uuidString.prefix(8))"
        let result = try CommandRunner.run(["schema", kind, "--name", name])
        #expect(result.status == 0, "\(result.stderr)")
        try directory.write("create.json", result.stdout)
        _ = try LocalDynamoDB.aws([
            "dynamodb", "create-table", "--cli-input-json", "file://\(directory.path)/create.json",
        ])
        let described = try LocalDynamoDB.aws(["dynamodb", "describe-table", "--table-name", name])
        let table = try #require(
            (try JSONSerialization.jsonObject(with: Data(described.utf8)) as? [String: Any])?["Table"]
                as? [String: Any])
        #expect(table["TableName"] as? String == name)
        let indexes = (table["GlobalSecondaryIndexes"] as? [[String: Any]] ?? []).compactMap {
            $0["IndexName"] as? String
        }
        let expected: [String: Set<String>] = [
            "approvals": ["gsi-requester", "gsi-status", "gsi-profile"],
            "breakglass": ["gsi-invoker", "gsi-status", "gsi-profile"],
            "sessions": ["gsi-user", "gsi-status", "gsi-profile", "gsi-server-instance"],
        ]
        #expect(Set(indexes) == expected[kind])
        #expect(
            (table["BillingModeSummary"] as? [String: Any])?["BillingMode"] as? String == "PAY_PER_REQUEST")
        #expect((table["SSEDescription"] as? [String: Any])?["SSEType"] as? String == "KMS")
    }

    @Test func scriptSchemasPrintInEveryFormat() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "tables.lua",
            """
            local s = sentinel.schema.sessions { name = "sessions-dev" }
            s:add_gsi { name = "gsi-device-id", partition_key = "device_id", sort_key = "created_at" }
            return { s, sentinel.table { name = "audit", partition_key = "id", ttl = "expires" } }
            """)
        let createTable = try CommandRunner.run(["schema", "tables.lua"], in: directory.path)
        #expect(createTable.status == 0, "\(createTable.stderr)")
        let requests = try #require(
            try JSONSerialization.jsonObject(with: Data(createTable.stdout.utf8)) as? [[String: Any]])
        #expect(requests.map { $0["TableName"] as? String } == ["sessions-dev", "audit"])
        let json = try CommandRunner.run(["schema", "tables.lua", "--format", "json"], in: directory.path)
        let documents = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(documents.last?["ttl"] as? String == "expires")
        let lua = try CommandRunner.run(["schema", "tables.lua", "--format", "lua"], in: directory.path)
        // A built-in with changes is the built-in plus the edits; another table every setting.
        #expect(
            lua.stdout.contains("  local s = sentinel.schema.sessions { name = \"sessions-dev\" }\n"),
            "\(lua.stdout)")
        #expect(lua.stdout.contains("schemas[#schemas + 1] = sentinel.table {"), "\(lua.stdout)")
        // The Lua rendering is itself a script that gives the same schemas.
        try directory.write("again.lua", lua.stdout)
        let again = try CommandRunner.run(["schema", "again.lua", "--format", "json"], in: directory.path)
        #expect(again.stdout == json.stdout)
    }

    /// `schema sessions --format lua` starts a customisation from the built-in, not from a whole
    /// `sentinel.table {}`, and gives back the same schema.
    @Test func aBuiltInIsWrittenInLuaAsTheBuiltIn() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let lua = try CommandRunner.run(
            ["schema", "sessions", "--name", "sentinel-sessions-prod", "--format", "lua"], in: directory.path)
        #expect(lua.status == 0, "\(lua.stderr)")
        #expect(
            lua.stdout == """
                -- sentinel-sessions-prod: Sentinel's sessions schema, unchanged
                local s = sentinel.schema.sessions { name = "sentinel-sessions-prod" }
                return s

                """, "\(lua.stdout)")
        try directory.write("again.lua", lua.stdout)
        let json = try CommandRunner.run(
            ["schema", "sessions", "--name", "sentinel-sessions-prod", "--format", "json"], in: directory.path
        )
        let again = try CommandRunner.run(["schema", "again.lua", "--format", "json"], in: directory.path)
        #expect(again.stdout == json.stdout)
    }

    @Test func scriptsTakeArgumentsAsPlanGivesThem() throws {
        let root = CommandRunner.repositoryRoot
        let bootstrap = try CommandRunner.run(
            ["schema", "examples/bootstrap.lua", "prod", "--format", "json"], in: root)
        #expect(bootstrap.status == 0, "\(bootstrap.stderr)")
        #expect(bootstrap.stdout.contains("\"name\": \"sentinel-requests-prod\""))
        let device = try CommandRunner.run(
            ["schema", "--format", "json", "examples/device-sessions.lua", "prod"], in: root)
        #expect(device.status == 0, "\(device.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(device.stdout.utf8)) as? [String: Any])
        #expect(document["name"] as? String == "sentinel-sessions-prod")
        #expect(document["deletion_protection"] as? Bool == true)
        // A dash-led argument goes after `--`, as with plan.
        let dashed = try CommandRunner.run(["schema", "examples/bootstrap.lua", "--", "-x"], in: root)
        #expect(dashed.stdout.contains("sentinel-sessions--x"), "\(dashed.stderr)")
        let builtIn = try CommandRunner.run(["schema", "sessions", "prod"])
        #expect(builtIn.status == 2)
        #expect(builtIn.stderr.contains("takes no arguments"))
    }

    @Test func invalidSchemasListEveryProblemAndExitOne() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "bad.lua",
            """
            local s = sentinel.schema.approvals { name = "x" }
            s.billing_mode = "PROVISIONED"
            s.tags["aws:owner"] = "me"
            return s
            """)
        let result = try CommandRunner.run(["schema", "bad.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("table 'x': name: "))
        #expect(result.stderr.contains("table 'x': read_capacity: "))
        #expect(result.stderr.contains("table 'x': tags"))
    }

    @Test func scriptErrorsNameTheLineAndUsageErrorsExitTwo() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("typo.lua", "return sentinel.table {\n  name = 'a', parition_key = 'id' }\n")
        let typo = try CommandRunner.run(["schema", "typo.lua"], in: directory.path)
        #expect(typo.status == 1)
        // The field's own line, not the call's first line.
        #expect(typo.stderr.hasPrefix("typo.lua:2: unknown option 'parition_key' in sentinel.table"))
        try directory.write("nothing.lua", "local x = 1\n")
        let nothing = try CommandRunner.run(["schema", "nothing.lua"], in: directory.path)
        #expect(nothing.status == 1)
        #expect(nothing.stderr.hasPrefix("nothing.lua: the script returned nothing"))
        #expect(try CommandRunner.run(["schema", "sesions"]).status == 2)
        #expect(try CommandRunner.run(["schema", "typo.lua", "--name", "x"], in: directory.path).status == 2)
        #expect(try CommandRunner.run(["schema", "sessions", "--format", "yaml"]).status == 2)
    }
}

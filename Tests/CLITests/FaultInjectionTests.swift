import Foundation
import Testing

/// Apply of every provisioning example through the delay proxy while it injects one kind of fault:
/// throttling, 500s, connections reset before the server acted or after it acted (the response lost),
/// and slow responses. Each run either converges or fails naming the step; no table is ever reported as
/// done while it differs from its schema, as boto3 sees it; and after a failure, applying again without
/// faults finishes the job. The proxy also enforces DynamoDB's rules (``strictRules``), and three changes
/// those rules make hard (a TTL rename, point-in-time recovery on a new table, a stream view type change)
/// run through it too: each converges, ends PENDING saying what waits, or fails naming the step.
@Suite struct FaultInjectionTests {
    /// The proxy's rule flags every run here uses: backups unavailable for a while after create, and
    /// DynamoDB's hour (for TTL) scaled to a second.
    static let strictRules = ["--backups-unavailable-seconds", "0.3", "--rule-seconds-per-hour", "1"]

    /// One fault, as the proxy's arguments. Counts within the client's four attempts (DynamoDB's
    /// default) are retried away; larger ones exhaust them and must fail the step cleanly.
    struct Fault: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        var testDescription: String { arguments.isEmpty ? "no fault" : arguments.joined(separator: " ") }
    }

    static let faults: [Fault] = [
        ["--throttle", "CreateTable:2"], ["--throttle", "DescribeTable:5"],
        ["--fail", "CreateTable:1"], ["--fail", "DescribeTable:2"], ["--fail", "UpdateTimeToLive:4"],
        ["--fail", "UpdateContinuousBackups:4"],
        ["--reset-before", "CreateTable:1"], ["--reset-before", "UpdateTimeToLive:1"],
        ["--reset-before", "DescribeTimeToLive:3"],
        ["--reset-after", "CreateTable:1"], ["--reset-after", "UpdateTimeToLive:1"],
        ["--reset-after", "UpdateContinuousBackups:1"], ["--reset-after", "TagResource:1"],
        ["--slow", "DescribeTable:0.2"],
    ].map(Fault.init)

    /// How an example is run and what it provisions.
    struct Example: CustomTestStringConvertible, Sendable {
        let script: String
        /// `run` for the imperative example, `apply` for the declarative ones.
        let command: String
        var testDescription: String { script }

        /// The command line for environment `env` against `endpoint` (`run` takes its options before
        /// the script: what follows the script is the script's).
        func arguments(env: String, endpoint: String) -> [String] {
            switch (command, script) {
            case ("run", _): ["run", "--endpoint-url", endpoint, "examples/\(script)", env]
            default: ["apply", "examples/\(script)", env, "--yes", "--endpoint-url", endpoint]
            }
        }

        /// The schemas the example provisions for environment `env`.
        func schemas(env: String) throws -> [[String: Any]] {
            switch script {
            case "device-sessions.lua":
                return try SchemaConformance.schemas(of: "examples/\(script)", arguments: [env])
            case "run-bootstrap.lua":
                return try SchemaConformance.schemas(of: "examples/bootstrap.lua") { "\($0)-\(env)" }
            default:
                return try SchemaConformance.schemas(of: "examples/\(script)") { "\($0)-\(env)" }
            }
        }
    }

    static let examples = [
        Example(script: "bootstrap.lua", command: "apply"),
        Example(script: "device-sessions.lua", command: "apply"),
        Example(script: "hardened.lua", command: "apply"),
        Example(script: "run-bootstrap.lua", command: "run"),
    ]

    @Test func everyProvisioningExampleIsCovered() {
        let covered = Set(Self.examples.map(\.script))
        // hello.lua provisions nothing; targets.lua names where bootstrap.lua's tables go (applied by
        // TargetsCommandTests).
        #expect(Set(ExamplesTests.examples).subtracting(covered) == ["hello.lua", "targets.lua"])
    }

    @Test(arguments: examples, faults)
    func applyUnderFaultConvergesOrNamesTheStep(example: Example, fault: Fault) throws {
        let env = "fi" + UUID().uuidString.prefix(6).lowercased()
        let schemas = try example.schemas(env: env)
        let proxy = try DelayProxy(delay: 0, arguments: fault.arguments + Self.strictRules)
        let environment = LocalDynamoDB.clientEnvironment
        let result = try CommandRunner.run(
            example.arguments(env: env, endpoint: proxy.endpoint),
            in: CommandRunner.repositoryRoot, environment: environment)
        let output = result.stdout + result.stderr
        #expect(!result.killedBySignal, "\(output)")
        #expect(result.status == 0 || result.status == 1, "\(output)")

        var reportedDone: [[String: Any]] = []
        for schema in schemas {
            let name = schema["name"] as? String ?? ""
            let line = result.stdout.split(separator: "\n").first { $0.contains(name) }.map(String.init) ?? ""
            if line.contains("FAILED") {
                #expect(result.status != 0, "a failed table with exit status 0: \(output)")
                #expect(Self.namesTheStep(line), "the failure does not name its step: \(line)")
            } else {
                #expect(!line.isEmpty || result.status != 0, "\(name) is not in the report: \(output)")
                if !line.isEmpty { reportedDone.append(schema) }
            }
        }
        if result.status == 0 { #expect(reportedDone.count == schemas.count) }
        // Nothing reported done may differ from its schema.
        #expect(try SchemaConformance.differences(reportedDone) == [], "\(output)")

        if result.status != 0 {
            // The run that failed left things so that applying again, without faults, finishes the job.
            let again = try CommandRunner.run(
                example.arguments(env: env, endpoint: try LocalDynamoDB.endpoint()),
                in: CommandRunner.repositoryRoot, environment: environment)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(try SchemaConformance.differences(schemas) == [])
        }
    }

    /// A change DynamoDB's rules make hard: `before` is applied first (directly), then `after` through
    /// the strict proxy with a fault.
    struct RuleCase: CustomTestStringConvertible, Sendable {
        let label: String
        let before: String?
        let after: String
        var testDescription: String { label }

        func script(_ fields: String, table: String) -> String {
            "return sentinel.table { name = '\(table)', partition_key = 'id', \(fields) }\n"
        }
    }

    static let ruleCases = [
        RuleCase(label: "TTL rename", before: "ttl = 'a'", after: "ttl = 'b'"),
        RuleCase(label: "PITR on create", before: nil, after: "point_in_time_recovery = true, ttl = 'a'"),
        RuleCase(label: "stream view change", before: "stream = 'NEW_IMAGE'", after: "stream = 'KEYS_ONLY'"),
    ]

    static let ruleFaults: [Fault] = [
        [], ["--reset-after", "UpdateTimeToLive:1"], ["--reset-after", "UpdateTable:1"],
        ["--throttle", "UpdateTable:2"], ["--fail", "UpdateContinuousBackups:4"],
        ["--reset-before", "UpdateContinuousBackups:1"],
    ].map(Fault.init)

    @Test(arguments: ruleCases, ruleFaults)
    func ruleCaseUnderFaultConvergesIsPendingOrNamesTheStep(rule: RuleCase, fault: Fault) throws {
        let table = "rule-" + UUID().uuidString.prefix(8).lowercased()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("after.lua", rule.script(rule.after, table: table))
        if let before = rule.before {
            try directory.write("before.lua", rule.script(before, table: table))
            let setup = try LocalDynamoDB.tool(["apply", "before.lua", "--yes"], in: directory.path)
            try #require(setup.status == 0, "\(setup.stdout)\(setup.stderr)")
        }
        let proxy = try DelayProxy(delay: 0.2, arguments: fault.arguments + Self.strictRules)
        let result = try proxy.tool(["apply", "after.lua", "--yes"], in: directory.path)
        let output = result.stdout + result.stderr
        #expect(!result.killedBySignal, "\(output)")
        let line =
            result.stdout.split(separator: "\n").first { $0.hasPrefix("\(table):") }.map(String.init) ?? ""
        switch result.status {
        case 0:
            #expect(line.contains("CREATED") || line.contains("UPDATED"), "\(output)")
        case 3:
            // PENDING says what waits and from when; nothing is reported done that is not.
            #expect(line.contains("PENDING: ") && line.contains("can run from "), "\(output)")
        default:
            #expect(result.status == 1, "\(output)")
            #expect(Self.namesTheStep(line), "the failure does not name its step: \(output)")
        }
        if result.status != 0 {
            // Applying again once the faults are spent and DynamoDB's hour (a second here) has passed
            // finishes the job. Through the same proxy: it holds a re-enabled stream that moto cannot.
            Thread.sleep(forTimeInterval: 1.2)
            let again = try proxy.tool(["apply", "after.lua", "--yes"], in: directory.path)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        }
        let state = try LocalDynamoDB.boto3(
            """
            t = ddb.describe_table(TableName='\(table)')['Table']
            ttl = ddb.describe_time_to_live(TableName='\(table)')['TimeToLiveDescription']
            pitr = ddb.describe_continuous_backups(TableName='\(table)')['ContinuousBackupsDescription']
            print(t.get('StreamSpecification', {}).get('StreamViewType', '-'), ttl.get('AttributeName', '-')
                  if ttl['TimeToLiveStatus'] == 'ENABLED' else '-',
                  pitr['PointInTimeRecoveryDescription']['PointInTimeRecoveryStatus'])
            """, endpoint: proxy.endpoint
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let expected =
            switch rule.label {
            case "TTL rename": "- b DISABLED"
            case "PITR on create": "- a ENABLED"
            default: "KEYS_ONLY - DISABLED"
            }
        #expect(state == expected, "\(output)")
    }

    /// `table 'NAME': STEP: cause`, where STEP is a plan step or the request that failed.
    static func namesTheStep(_ line: String) -> Bool {
        guard let range = line.range(of: "table '") else { return false }
        let rest = line[range.upperBound...]
        guard let close = rest.range(of: "': ") else { return false }
        let afterTable = rest[close.upperBound...]
        guard let colon = afterTable.range(of: ": ") else { return false }
        let step = afterTable[..<colon.lowerBound]
        let known = [
            "create table", "enable TTL", "disable TTL", "point-in-time recovery", "tag ", "create index",
            "encryption", "stream", "waiting for",
            "DescribeTable", "DescribeTimeToLive", "DescribeContinuousBackups", "ListTagsOfResource",
        ]
        return known.contains { step.contains($0) }
    }
}

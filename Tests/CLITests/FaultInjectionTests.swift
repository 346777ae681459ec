import Foundation
import Testing

/// Apply of every provisioning example through the delay proxy while it injects one kind of fault:
/// throttling, 500s, connections reset before the server acted or after it acted (the response lost),
/// and slow responses. Each run either converges or fails naming the step; no table is ever reported as
/// done while it differs from its schema, as boto3 sees it; and after a failure, applying again without
/// faults finishes the job.
@Suite struct FaultInjectionTests {
    /// One fault, as the proxy's arguments. Counts within the client's three attempts are retried
    /// away; larger ones exhaust them and must fail the step cleanly.
    struct Fault: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let faults: [Fault] = [
        ["--throttle", "CreateTable:2"], ["--throttle", "DescribeTable:5"],
        ["--fail", "CreateTable:1"], ["--fail", "DescribeTable:2"], ["--fail", "UpdateTimeToLive:3"],
        ["--fail", "UpdateContinuousBackups:3"],
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
        // hello.lua provisions nothing.
        #expect(Set(ExamplesTests.examples).subtracting(covered) == ["hello.lua"])
    }

    @Test(arguments: examples, faults)
    func applyUnderFaultConvergesOrNamesTheStep(example: Example, fault: Fault) throws {
        let env = "fi" + UUID().uuidString.prefix(6).lowercased()
        let schemas = try example.schemas(env: env)
        let proxy = try DelayProxy(delay: 0, arguments: fault.arguments)
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

    /// `table 'NAME': STEP: cause`, where STEP is a plan step or the request that failed.
    static func namesTheStep(_ line: String) -> Bool {
        guard let range = line.range(of: "table '") else { return false }
        let rest = line[range.upperBound...]
        guard let close = rest.range(of: "': ") else { return false }
        let afterTable = rest[close.upperBound...]
        guard let colon = afterTable.range(of: ": ") else { return false }
        let step = afterTable[..<colon.lowerBound]
        let known = [
            "create table", "enable TTL", "point-in-time recovery", "tag ", "create index", "encryption",
            "DescribeTable", "DescribeTimeToLive", "DescribeContinuousBackups", "ListTagsOfResource",
        ]
        return known.contains { step.contains($0) }
    }
}

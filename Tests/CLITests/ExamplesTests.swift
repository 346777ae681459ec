import Foundation
import Testing

/// Every script in examples/ runs, and the declarative ones give valid schemas.
@Suite struct ExamplesTests {
    static var examples: [String] {
        let directory = CommandRunner.repositoryRoot + "/examples"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted()
    }

    @Test func thereAreExamples() {
        #expect(Self.examples.contains("hello.lua"))
        for example in ["device-sessions.lua", "bootstrap.lua", "hardened.lua", "run-bootstrap.lua"] {
            #expect(Self.examples.contains(example))
        }
    }

    /// Each example runs against the local server, with a unique first argument so that examples
    /// that create tables do not meet other tests' tables.
    @Test(arguments: examples)
    func exampleRuns(name: String) throws {
        let env = "ex" + UUID().uuidString.prefix(6).lowercased()
        let result = try CommandRunner.run(
            ["run", "--endpoint-url", try LocalDynamoDB.endpoint(), "examples/\(name)", env],
            in: CommandRunner.repositoryRoot, environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 0, "\(name): \(result.stderr)")
    }

    @Test func runBootstrapAppliesAndPrintsEachResult() throws {
        let env = "rb" + UUID().uuidString.prefix(6).lowercased()
        let result = try CommandRunner.run(
            ["run", "--endpoint-url", try LocalDynamoDB.endpoint(), "examples/run-bootstrap.lua", env],
            in: CommandRunner.repositoryRoot, environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        for table in ["sentinel-requests", "sentinel-breakglass", "sentinel-sessions"] {
            #expect(result.stdout.contains("\(table)-\(env)"))
        }
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.contains("CREATED") })
    }

    @Test func deviceIndexExampleAddsTheIndexSentinelQueries() throws {
        let result = try CommandRunner.run(
            ["schema", "examples/device-sessions.lua", "--format", "json"],
            in: CommandRunner.repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["name"] as? String == "sentinel-sessions-dev")
        let indexes = (document["gsis"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(indexes.last == "gsi-device-id")
    }
}

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
        #expect(Self.examples.contains("device-sessions.lua"))
    }

    @Test(arguments: examples)
    func exampleRuns(name: String) throws {
        let result = try CommandRunner.run(["run", "examples/\(name)"], in: CommandRunner.repositoryRoot)
        #expect(result.status == 0, "\(name): \(result.stderr)")
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

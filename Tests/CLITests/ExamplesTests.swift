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

    /// The command lines in each example's header, as a user would copy them.
    static var headerCommands: [(example: String, line: String)] {
        examples.flatMap { name -> [(example: String, line: String)] in
            let path = CommandRunner.repositoryRoot + "/examples/" + name
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let header = text.split(separator: "\n").drop { $0.hasPrefix("#!") }.prefix { $0.hasPrefix("--") }
            return header.filter { $0.contains("sentinel-tables ") }.map { line in
                (name, String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces))
            }
        }
    }

    @Test func everyExampleShowsHowToRunIt() {
        for name in Self.examples {
            #expect(Self.headerCommands.contains { $0.example == name }, "\(name) has no usage line")
        }
    }

    /// Each usage line works as written: placeholders filled in, and the local server given where
    /// the line names one (`http://127.0.0.1:8000`). Otherwise AWS_ENDPOINT_URL_DYNAMODB names it, so
    /// nothing reaches AWS; for a line that names its endpoint, that variable names a port where
    /// nothing listens, so the line's own `--endpoint-url` must be the one that counts.
    @Test(arguments: headerCommands.map(\.line))
    func usageLineRunsAsWritten(_ line: String) throws {
        let endpoint = try LocalDynamoDB.endpoint()
        var environment = LocalDynamoDB.clientEnvironment
        environment["AWS_ENDPOINT_URL_DYNAMODB"] =
            line.contains("http://127.0.0.1:8000") ? "http://127.0.0.1:9" : endpoint
        var words = line.split(separator: " ").map(String.init)
        while let first = words.first, first.contains("="), !first.hasPrefix("-") {
            let parts = first.split(separator: "=", maxSplits: 1).map(String.init)
            environment[parts[0]] = parts.count > 1 ? parts[1] : ""
            words.removeFirst()
        }
        if words.starts(with: ["swift", "run"]) { words.removeFirst(2) }
        #expect(words.first == "sentinel-tables", "\(line)")
        let env = "hd" + UUID().uuidString.prefix(6).lowercased()
        let arguments = words.dropFirst().map { word -> String in
            switch word {
            case "[ENV]": env
            case "[NAME]": "reader"
            case "http://127.0.0.1:8000": endpoint
            default: word
            }
        }
        let result = try CommandRunner.run(
            Array(arguments), in: CommandRunner.repositoryRoot, environment: environment)
        #expect(result.status == 0, "\(line): \(result.stderr)")
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

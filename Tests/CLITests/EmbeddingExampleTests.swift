import Foundation
import JSON
import Schema
import SentinelScript
import Testing

/// examples/embedding, a separate package that depends on this one by path, builds and runs: its
/// Swift tag policy is called from Lua, and it prints the tables' tags and the offline plan.
@Suite struct EmbeddingExampleTests {
    static let package = CommandRunner.repositoryRoot + "/examples/embedding"

    /// The example as scripts/test builds it: into the scratch path of these tests
    /// (`swift build --package-path examples/embedding --scratch-path .build`), so that it reuses every
    /// dependency this package's build compiled. The tests cannot build it themselves: SwiftPM locks
    /// the scratch path while `swift test` runs (so after changing the libraries, run scripts/test or
    /// that command before `swift test`).
    static let built: Result<String, BuildFailure> = {
        let tool = CommandRunner.executable
        let binary = tool.deletingLastPathComponent().appendingPathComponent("acme-tables").path
        let scratch = tool.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .path
        let command =
            "swift build --package-path examples/embedding --scratch-path \(scratch) (as scripts/test does)"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            return .failure(BuildFailure(output: "\(binary) is missing: build it with \(command)"))
        }
        return .success(binary)
    }()

    struct BuildFailure: Error, CustomStringConvertible {
        let output: String
        var description: String { "examples/embedding is not built: \(output)" }
    }

    @Test func theExampleHostStampsTagsAndPrintsTheOfflinePlan() throws {
        let binary = try Self.built.get()
        let result = try CommandRunner.run(["tables.lua", "prod"], in: Self.package, executable: binary)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        let expected = """
            sentinel-requests-prod: cost-center=cc-1001 environment=prod owner=platform
            sentinel-breakglass-prod: cost-center=cc-1001 environment=prod owner=platform
            sentinel-sessions-prod: cost-center=cc-1001 environment=prod owner=platform

            """
        #expect(result.stdout.hasPrefix(expected), "\(result.stdout)")
        for table in ["sentinel-requests-prod", "sentinel-breakglass-prod", "sentinel-sessions-prod"] {
            #expect(result.stdout.contains("\(table): will be created"))
        }
        #expect(result.stdout.hasSuffix("Plan: 3 to create, 0 to change, 0 up to date.\n"))
    }

    /// The Swift examples of the README and docs/embedding.md are the marked parts of
    /// AsyncApply.swift, which the example's build compiles: the documents show code that compiles,
    /// in async code as written.
    @Test func theReadmesSwiftExampleIsCompiledCode() throws {
        for (document, mark) in [
            ("README.md", "README"), ("docs/embedding.md", "README"), ("docs/embedding.md", "embedding.md"),
            ("docs/embedding.md", "fleet"),
        ] {
            let text = try String(
                contentsOfFile: CommandRunner.repositoryRoot + "/" + document, encoding: .utf8)
            let blocks = text.components(separatedBy: "```swift\n").dropFirst().map {
                $0.components(separatedBy: "```")[0]
            }
            let source = try String(
                contentsOfFile: Self.package + "/Sources/acme-tables/AsyncApply.swift", encoding: .utf8)
            let marked = try #require(
                source.components(separatedBy: "// \(mark) begin\n").dropFirst().first?
                    .components(separatedBy: "// \(mark) end").first)
            let dedented = marked.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0)
            }.joined(separator: "\n").trimmingCharacters(in: .whitespaces)
            #expect(
                blocks.contains(dedented),
                "\(document) does not show the compiled lines marked \(mark) in AsyncApply.swift")
        }
        _ = try Self.built.get()
    }

    @Test func aPolicyErrorNamesTheScriptLine() throws {
        let binary = try Self.built.get()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "bad.lua",
            """
            local s = sentinel.schema.sessions()

            s.tags = acme.tags_for("marketing")
            return s
            """)
        let result = try CommandRunner.run(["bad.lua"], in: directory.path, executable: binary)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "bad.lua:3: bad argument #1 to 'acme.tags_for' (unknown owner 'marketing' (known: payments, platform))\n"
        )
    }

    @Test func theHostRefusesTablesTheScriptLeftUntagged() throws {
        let binary = try Self.built.get()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("untagged.lua", "return sentinel.schema.breakglass { name = 'bg' }\n")
        let result = try CommandRunner.run(["untagged.lua"], in: directory.path, executable: binary)
        #expect(result.status == 1)
        #expect(result.stderr == "tables without Acme's tags: bg\n")
    }
}

/// What a host hands back is what the CLI prints: the same schemas, document for document.
@Suite struct ScriptHostAgreesWithTheCLITests {
    @Test(arguments: ["device-sessions.lua", "hardened.lua", "bootstrap.lua"])
    func returnedSchemasMatchTheSchemaCommand(example: String) throws {
        let path = CommandRunner.repositoryRoot + "/examples/" + example
        let host = try ScriptHost(ScriptHostConfiguration(aws: nil))
        let schemas = try host.run(file: path).schemas()
        #expect(!schemas.isEmpty)
        for (format, document) in [
            ("json", { (schema: TableSchema) in schema.schemaDocument() }),
            ("create-table", { (schema: TableSchema) in schema.createTableRequest() }),
        ] {
            let printed = try CommandRunner.run(["schema", path, "--format", format])
            #expect(printed.status == 0, "\(printed.stderr)")
            let documents = schemas.map(document)
            let expected = JSONWriter(style: .pretty).string(
                from: documents.count == 1 ? documents[0] : .array(documents))
            #expect(printed.stdout == expected + "\n", "\(example) as \(format)")
        }
    }
}

import Foundation
import TestSupport
import Testing

/// The local DynamoDB server (moto_server) that scripts/test starts for the integration tests.
enum LocalDynamoDB {
    /// Its endpoint. A missing server fails the test: integration tests never skip silently.
    static func endpoint() throws -> String { try LocalServerEndpoint.fromEnvironment() }

    /// Fake credentials and a region for the local server, for the aws CLI and boto3.
    static let clientEnvironment = ChildProcess.localCredentials.merging([
        "AWS_REGION": "us-east-1", "AWS_PAGER": "",
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "HOME": NSTemporaryDirectory(),
    ]) { $1 }

    /// Runs the tool against the local server: `--endpoint-url` and fake credentials added.
    static func tool(_ arguments: [String], in directory: String? = nil) throws -> CommandResult {
        try CommandRunner.run(
            arguments + ["--endpoint-url", try endpoint()], in: directory, environment: clientEnvironment)
    }

    /// Runs a Python snippet with boto3's DynamoDB client bound to `ddb` (an independent client), and
    /// returns what it printed; fails the test when it fails. `endpoint` is another server to ask (the
    /// delay proxy, for state it holds that moto cannot).
    static func boto3(_ code: String, endpoint: String? = nil) throws -> String {
        let prelude = "import boto3, json, sys\nddb = boto3.client('dynamodb', endpoint_url=sys.argv[1])\n"
        return try client(
            ["python3", "-c", prelude + code, try endpoint ?? Self.endpoint()], describedAs: "boto3")
    }

    /// Runs the aws CLI against the local server; returns its standard output, failing on an error exit.
    static func aws(_ arguments: [String]) throws -> String {
        try client(
            ["aws"] + arguments + ["--endpoint-url", try endpoint(), "--output", "json"],
            describedAs: "aws \(arguments.joined(separator: " "))")
    }

    /// Runs an independent client with the local server's credentials; its standard output, or a test
    /// failure carrying its standard error.
    private static func client(_ command: [String], describedAs name: String) throws -> String {
        let result = try ChildProcess.run(command, environment: clientEnvironment)
        try #require(result.status == 0, "\(name) failed: \(result.errors)")
        return result.text
    }
}

/// A local DynamoDB server of a test's own (scripts/local-dynamodb), for data too large to share:
/// started on a free loopback port, stopped with ``stop()``. Failing to start fails the test.
final class PrivateDynamoDB: Sendable {
    let endpoint: String
    private let state: String

    init() throws {
        state = NSTemporaryDirectory() + "private-dynamodb-" + UUID().uuidString.prefix(8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.repositoryRoot + "/scripts/local-dynamodb")
        process.arguments = ["start", state]
        // No pipes: the server it leaves running must not hold one of ours. The script writes the
        // endpoint to STATE/endpoint.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let url = ((try? String(contentsOfFile: state + "/endpoint", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(
            process.terminationStatus == 0 && url.hasPrefix("http://127.0.0.1:"), "moto_server did not start")
        endpoint = url
    }

    /// Runs the tool against this server.
    func tool(_ arguments: [String], in directory: String? = nil) throws -> CommandResult {
        try CommandRunner.run(
            arguments + ["--endpoint-url", endpoint], in: directory,
            environment: LocalDynamoDB.clientEnvironment)
    }

    func stop() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.repositoryRoot + "/scripts/local-dynamodb")
        process.arguments = ["stop", state]
        try? process.run()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: state)
    }
}

/// The servers tests start of their own are gone when the test says so: the test process blocks SIGTERM,
/// and a server inheriting that mask used to outlive `stop` (and the whole test run).
@Suite struct PrivateDynamoDBTests {
    @Test func aStoppedServerNoLongerListens() throws {
        let server = try PrivateDynamoDB()
        let port = try #require(server.endpoint.split(separator: ":").last.map(String.init))
        let probe = """
            import socket, sys
            try:
                socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2).close()
                print("listening")
            except OSError:
                print("gone")
            """
        #expect(try ChildProcess.python(probe, arguments: [port]).text == "listening\n")
        server.stop()
        #expect(try ChildProcess.python(probe, arguments: [port]).text == "gone\n")
    }
}

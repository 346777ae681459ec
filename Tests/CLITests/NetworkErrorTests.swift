import Foundation
import Testing

/// What a command says when AWS cannot be reached or what answers is not DynamoDB: one clean message
/// per kind of failure, once per command, without waiting on attempts that cannot succeed.
@Suite struct NetworkErrorTests {
    /// A loopback port where nothing listens (the discard port).
    static let refusingEndpoint = "http://127.0.0.1:9"

    static func threeTables(in directory: ScriptDirectory) throws {
        try directory.write(
            "three.lua",
            """
            return { sentinel.schema.approvals { name = 'ne-a' }, sentinel.schema.breakglass { name = 'ne-b' },
              sentinel.schema.sessions { name = 'ne-c' } }
            """)
    }

    /// Each command that reaches AWS, on the three tables of `three.lua`.
    static let everyCommandOnThreeTables = [
        ["plan", "three.lua"], ["apply", "three.lua", "--yes"], ["status", "ne-a", "ne-b", "ne-c"],
        ["delete", "ne-a", "ne-b", "--yes"],
    ]

    static func occurrences(of text: String, in output: String) -> Int {
        output.components(separatedBy: text).count - 1
    }

    /// The `attempt` of each request `--verbose` logged: a refused loopback connection is not worth a
    /// second attempt (the old behaviour made three, 5 seconds each, per table).
    static func attemptsLogged(in stderr: String) -> [String] {
        stderr.split(separator: "\n").filter { $0.hasSuffix("DynamoDB request") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("attempt=") }.map(String.init)
        }
    }

    @Test(arguments: everyCommandOnThreeTables)
    func missingCredentialsAreSaidOnce(_ arguments: [String]) throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.threeTables(in: directory)
        let result = try CommandRunner.run(
            arguments + ["--endpoint-url", Self.refusingEndpoint, "--region", "us-east-1"],
            in: directory.path,
            environment: [
                "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "",
                "HOME": "/nonexistent",
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_CONFIG_FILE": "/nonexistent",
                "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
            ])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(Self.occurrences(of: "no AWS credentials found", in: result.stderr) == 1, "\(result.stderr)")
    }

    @Test(arguments: everyCommandOnThreeTables)
    func aRefusedConnectionIsSaidOnceAndNotRetried(_ arguments: [String]) throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.threeTables(in: directory)
        let result = try CommandRunner.run(
            arguments + ["--endpoint-url", Self.refusingEndpoint, "--verbose"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 1, "\(result.stderr)")
        let attempts = Self.attemptsLogged(in: result.stderr)
        #expect(!attempts.isEmpty && attempts.allSatisfy { $0 == "attempt=1" }, "\(result.stderr)")
        let message = "sentinel-tables: connection refused by \(Self.refusingEndpoint)"
        #expect(Self.occurrences(of: message, in: result.stderr) == 1, "\(result.stderr)")
        let messages = result.stderr.split(separator: "\n").filter { !$0.hasSuffix("DynamoDB request") }
        for noise in ["errno", "reset", "failed: ", "ne-b"] {
            #expect(!messages.contains { $0.contains(noise) }, "\(result.stderr)")
        }
    }

    @Test func aScriptNamesTheOperationOnce() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("d.lua", "print(sentinel.db.describe('ne-x'))\n")
        let result = try CommandRunner.run(
            ["run", "--endpoint-url", Self.refusingEndpoint, "--verbose", "d.lua"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 1)
        #expect(Self.attemptsLogged(in: result.stderr) == ["attempt=1"], "\(result.stderr)")
        // After the caller line `run` prints before the script's first request.
        #expect(result.stderr.hasPrefix("account not checked"), "\(result.stderr)")
        let firstLine =
            result.stderr.split(separator: "\n").first {
                !$0.hasSuffix("DynamoDB request") && !$0.hasPrefix("account ")
            }.map(String.init) ?? ""
        #expect(
            firstLine.hasPrefix(
                "d.lua:1: DescribeTable on table 'ne-x': connection refused by \(Self.refusingEndpoint)"),
            "\(result.stderr)")
        #expect(Self.occurrences(of: "DescribeTable", in: firstLine) == 1)
    }

    @Test func anAnswerThatIsNotDynamoDBShowsItsStatusAndTypeNotItsBody() throws {
        let server = try HTMLServer()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.threeTables(in: directory)
        let result = try CommandRunner.run(
            ["plan", "three.lua", "--endpoint-url", server.endpoint], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 1)
        let message = "sentinel-tables: \(server.endpoint) answered HTTP 404 (text/html; charset=utf-8)"
        #expect(Self.occurrences(of: message, in: result.stderr) == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("<"), "\(result.stderr)")
    }

    @Test func tlsToAPlainHTTPServerIsATLSFailure() throws {
        let plain = try LocalDynamoDB.endpoint()
        let tls = plain.replacingOccurrences(of: "http://", with: "https://")
        let result = try CommandRunner.run(
            ["status", "ne-a", "ne-b", "--endpoint-url", tls], environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 1)
        #expect(
            Self.occurrences(of: "sentinel-tables: TLS handshake with \(tls) failed", in: result.stderr) == 1,
            "\(result.stderr)")
    }

    @Test func anUnknownHostIsSaidAsSuch() throws {
        let endpoint = "http://ne-no-such-host.invalid"
        let result = try CommandRunner.run(
            ["status", "ne-a", "--endpoint-url", endpoint, "--aws-timeout", "20"],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("sentinel-tables: cannot resolve the host name of \(endpoint)"),
            "\(result.stderr)")
    }

    @Test func awsTimeoutBoundsEachCall() throws {
        let proxy = try DelayProxy(delay: 0, arguments: ["--slow", "DescribeTable:30"])
        // The proxy would answer after 30 s: the message is only printed if the bound cut it short.
        let result = try CommandRunner.run(
            ["status", "ne-a", "ne-b", "--endpoint-url", proxy.endpoint, "--aws-timeout", "1"],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 1)
        let message = "sentinel-tables: no answer from \(proxy.endpoint) within 1 s"
        #expect(Self.occurrences(of: message, in: result.stderr) == 1, "\(result.stderr)")
    }
}

/// A web server that answers every request with an HTML 404 page, as a wrong endpoint would.
final class HTMLServer {
    let endpoint: String
    private let process: Process

    init() throws {
        let script = #"""
            import sys
            from http.server import BaseHTTPRequestHandler, HTTPServer
            class Handler(BaseHTTPRequestHandler):
                def do_POST(self):
                    self.rfile.read(int(self.headers.get("Content-Length", "0")))
                    body = b"<!DOCTYPE html><html><body><h1>Not Found</h1>" + b"x" * 500 + b"</body></html>"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            server = HTTPServer(("127.0.0.1", 0), Handler)
            print("http://127.0.0.1:%d" % server.server_address[1], flush=True)
            server.serve_forever()
            """#
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let output = Pipe()
        process.standardOutput = output
        // Not the test's own stderr: a child holding it would keep the test run from ending.
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty,
            byte != Data("\n".utf8)
        {
            line.append(byte)
        }
        endpoint = String(decoding: line, as: UTF8.self)
    }

    deinit {
        // SIGKILL: the test harness may start children with SIGTERM blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

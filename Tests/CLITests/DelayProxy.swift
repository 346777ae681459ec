import Foundation
import Testing

/// scripts/dynamodb-delay-proxy in front of the local server: tables and new indexes stay CREATING for
/// a while, as on AWS, and faults can be injected. Its log has one line per request:
/// `time operation table status reported-table-status`.
final class DelayProxy {
    let endpoint: String
    private let logPath: String
    private let pid: Int32

    /// A proxy in front of `upstream` (the shared local server when nil).
    init(delay: Double, arguments: [String] = [], upstream: String? = nil) throws {
        let directory = NSTemporaryDirectory() + "proxy-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let portFile = directory + "/url"
        logPath = directory + "/log"
        // Started through a shell that returns at once, so Foundation does not watch the long-lived
        // proxy (its exit watch relies on descriptors the proxy closes at start).
        let command =
            ([
                CommandRunner.repositoryRoot + "/scripts/dynamodb-delay-proxy",
                try upstream ?? LocalDynamoDB.endpoint(),
                String(delay),
                "--port-file", portFile,
            ] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = [
            "-c", "\(command) </dev/null >/dev/null 2>'\(logPath)' & echo $! > '\(directory)/pid'",
        ]
        try shell.run()
        shell.waitUntilExit()
        var url: String?
        for _ in 0..<100 where url == nil {
            url = try? String(contentsOfFile: portFile, encoding: .utf8)
            if url == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let pidText = (try? String(contentsOfFile: directory + "/pid", encoding: .utf8)) ?? ""
        pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        endpoint = try #require(
            url,
            "the delay proxy did not start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
    }

    deinit {
        if pid > 0 { kill(pid, SIGTERM) }
    }

    /// The access keys that signed the requests answered so far, in order (`-` for an unsigned one).
    var signingKeys: [String] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            return fields.count > 5 ? String(fields[5]) : nil
        }
    }

    /// The requests seen so far, as `(operation, table, reported status)`.
    var requests: [(operation: String, table: String, reported: String)] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            return (
                fields.count > 1 ? fields[1] : "", fields.count > 2 ? fields[2] : "",
                fields.count > 4 ? fields[4] : ""
            )
        }
    }

    /// Runs the tool against the proxy.
    func tool(_ arguments: [String], in directory: String) throws -> CommandResult {
        try CommandRunner.run(
            arguments + ["--endpoint-url", endpoint], in: directory,
            environment: LocalDynamoDB.clientEnvironment)
    }
}

@Suite struct WaitingTests {
    @Test func applyWaitsForCreatingTablesAndIndexesBeforeTheNextStep() throws {
        let proxy = try DelayProxy(delay: 1.5)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = "slow-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write("v1.lua", "return sentinel.schema.sessions { name = '\(table)' }\n")
        try directory.write(
            "v2.lua",
            """
            local s = sentinel.schema.sessions { name = '\(table)', point_in_time_recovery = true }
            s:add_gsi { name = 'gsi-device-id', partition_key = 'device_id', sort_key = 'created_at' }
            return s
            """)
        let first = try proxy.tool(["apply", "v1.lua", "--yes"], in: directory.path)
        #expect(first.status == 0, "\(first.stderr)")
        var log = proxy.requests.filter { $0.table == table }
        let ttl = try #require(log.firstIndex { $0.operation == "UpdateTimeToLive" })
        // CREATING was seen, and TTL was only set once DescribeTable said ACTIVE.
        #expect(log[..<ttl].contains { $0.operation == "DescribeTable" && $0.reported == "CREATING" })
        #expect(log[..<ttl].last { $0.operation == "DescribeTable" }?.reported == "ACTIVE")
        #expect(
            first.stderr.contains("waiting for")
                || log[..<ttl].filter { $0.operation == "DescribeTable" }.count > 2)

        let second = try proxy.tool(["apply", "v2.lua", "--yes"], in: directory.path)
        #expect(second.status == 0, "\(second.stderr)")
        log = proxy.requests.filter { $0.table == table }
        let update = try #require(log.lastIndex { $0.operation == "UpdateTable" })
        let backups = try #require(log.lastIndex { $0.operation == "UpdateContinuousBackups" })
        #expect(update < backups)
        #expect(
            log[update..<backups].contains { $0.operation == "DescribeTable" && $0.reported == "UPDATING" })
    }

    @Test func throttlingIsRetriedAndPersistentFailuresNameTheStep() throws {
        let proxy = try DelayProxy(
            delay: 0, arguments: ["--throttle", "CreateTable:2", "--fail", "UpdateTimeToLive:4"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = "faulty-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write("t.lua", "return sentinel.schema.breakglass { name = '\(table)' }\n")
        let result = try proxy.tool(["apply", "t.lua", "--yes"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(table): FAILED"))
        #expect(result.stdout.contains("enable TTL on ttl"))
        #expect(result.stdout.contains("InternalServerError"))
        #expect(proxy.requests.filter { $0.operation == "CreateTable" && $0.table == table }.count == 3)
        #expect(!result.stdout.contains("testing"), "no credentials in output")
        // The table was created despite the throttling; a second run finishes the job.
        let again = try proxy.tool(["apply", "t.lua", "--yes"], in: directory.path)
        #expect(again.status == 0, "\(again.stdout)")
        #expect(again.stdout.contains("\(table): UPDATED (1 step)"))
    }
}

import Foundation
import Testing

/// Ctrl-C in a terminal while a command's AWS work is really under way: every command stops, says
/// what was done and what was not, and exits with 130.
///
/// The proxy holds each command's work for 30 s and the driver waits at most 10 s for the command to
/// end, so a command that ends at all ended because of Ctrl-C; how fast is not asserted (a loaded CI
/// machine decides that), only that it did not sit out the work it was interrupted in.
@Suite("Ctrl-C in a terminal")
struct InterruptTests {
    /// Starts the command in a pseudo-terminal, waits for `ready`, presses Ctrl-C `presses` times and
    /// checks the exit status and that each of `expected` was printed afterwards.
    static let driver = #"""
        import json, sys, time, pexpect

        spec = json.loads(sys.argv[1])
        child = pexpect.spawn(spec["binary"], spec["arguments"], cwd=spec["directory"], encoding="utf-8",
                              timeout=20, dimensions=(24, 200))
        child.expect_exact(spec["ready"])
        time.sleep(spec.get("settle", 0.5))
        for _ in range(spec["presses"]):
            child.sendintr()
            time.sleep(0.05)
        child.expect(pexpect.EOF, timeout=10)
        child.close()
        seen = child.before
        problems = []
        if child.exitstatus != 130:
            problems.append("exit status %r (signal %r), not 130" % (child.exitstatus, child.signalstatus))
        for text in spec["expected"]:
            if text not in seen:
                problems.append("missing %r" % text)
        for text in spec.get("unexpected", []):
            if text in seen:
                problems.append("printed %r" % text)
        if problems:
            sys.exit("; ".join(problems) + "\n--- output after Ctrl-C:\n" + seen)
        """#

    struct Scenario: CustomTestStringConvertible, Sendable {
        let name: String
        /// The command after the binary; `TABLE` is replaced by a fresh table name.
        let arguments: [String]
        /// Proxy arguments: what it holds or delays.
        let proxy: [String]
        let proxyDelay: Double
        let ready: String
        let presses: Int
        let expected: [String]
        var testDescription: String { name }
    }

    static let scenarios = [
        Scenario(
            name: "apply waiting for a new table", arguments: ["apply", "two.lua", "--yes"], proxy: [],
            proxyDelay: 30, ready: "TABLE-b: + create table", presses: 1,
            expected: [
                "TABLE-a: INTERRUPTED", "done:     + create table", "not done: + enable TTL on ttl",
                "interrupted (apply again to finish)",
            ]),
        Scenario(
            name: "apply with a request held", arguments: ["apply", "two.lua", "--yes"],
            proxy: ["--slow", "CreateTable:30"], proxyDelay: 0, ready: "TABLE-b: + create table", presses: 1,
            // The proxy holds CreateTable's answer after moto made the table: sent, answer not seen.
            expected: [
                "TABLE-a: INTERRUPTED", "TABLE-b: INTERRUPTED",
                "may have run: + create table (sent, its answer not seen: plan shows whether it did)",
            ]),
        Scenario(
            name: "apply, Ctrl-C twice", arguments: ["apply", "two.lua", "--yes"], proxy: [], proxyDelay: 30,
            ready: "TABLE-b: + create table", presses: 2, expected: ["interrupted"]),
        Scenario(
            name: "apply on targets, one finished and one held",
            arguments: [
                "apply", "per-target.lua", "--target", "direct", "--target", "held", "--parallel", "1",
                "--yes",
            ],
            proxy: ["--slow", "CreateTable:30"], proxyDelay: 0, ready: "[held] TABLE-held: + create table",
            presses: 1, expected: ["apply interrupted; finished: direct; interrupted: held", "INTERRUPTED"]),
        Scenario(
            name: "plan", arguments: ["plan", "two.lua"], proxy: ["--slow", "DescribeTable:30"],
            proxyDelay: 0, ready: "", presses: 1, expected: ["plan interrupted: nothing was changed"]),
        Scenario(
            name: "status", arguments: ["status", "TABLE-a"], proxy: ["--slow", "DescribeTable:30"],
            proxyDelay: 0, ready: "", presses: 1, expected: ["status interrupted"]),
        Scenario(
            name: "delete", arguments: ["delete", "TABLE-a", "--yes"], proxy: ["--slow", "DescribeTable:30"],
            proxyDelay: 0, ready: "", presses: 1,
            expected: ["delete interrupted while checking the tables: nothing was deleted"]),
        Scenario(
            name: "export", arguments: ["export", "TABLE-a", "-o", "out.json"],
            proxy: ["--slow", "DescribeTable:30"],
            proxyDelay: 0, ready: "", presses: 1, expected: ["export interrupted: out.json was not written"]),
        Scenario(
            name: "import", arguments: ["import", "TABLE-a", "items.json"],
            proxy: ["--slow", "DescribeTable:30"],
            proxyDelay: 0, ready: "account not checked", presses: 1,
            expected: ["import interrupted: nothing was written"]),
        Scenario(
            name: "run", arguments: ["run", "status.lua"], proxy: ["--slow", "DescribeTable:30"],
            proxyDelay: 0, ready: "", presses: 1, expected: ["status.lua:1:"]),
    ]

    @Test(arguments: scenarios)
    func ctrlCStopsTheCommand(_ scenario: Scenario) throws {
        let proxy = try DelayProxy(delay: scenario.proxyDelay, arguments: scenario.proxy)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = "ct-int-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write(
            "two.lua",
            """
            return {
              sentinel.schema.approvals { name = '\(table)-a' },
              sentinel.schema.breakglass { name = '\(table)-b' },
            }
            """)
        try directory.write("status.lua", "print(sentinel.status('\(table)-a'))\n")
        // Targets: one straight to the local server, one through the proxy (the command's endpoint).
        try directory.write(
            "targets.lua",
            "return { direct = { endpoint_url = '\(try LocalDynamoDB.endpoint())' }, held = {} }\n")
        try directory.write(
            "per-target.lua",
            "return sentinel.schema.approvals { name = '\(table)-' .. sentinel.target.name }\n")
        try directory.write("items.json", #"{"Item":{"id":{"S":"a"}}}"# + "\n")
        let replace = { (text: String) in text.replacingOccurrences(of: "TABLE", with: table) }
        let spec: [String: Any] = [
            "binary": CommandRunner.executable.path, "directory": directory.path,
            "arguments": [scenario.arguments[0], "--endpoint-url", proxy.endpoint]
                + scenario.arguments.dropFirst().map(replace),
            "ready": replace(scenario.ready), "presses": scenario.presses,
            "expected": scenario.expected.map(replace),
            "unexpected": ["CancellationError", "FAILED"],
            // A command that prints nothing before its first request is given time to send it.
            "settle": scenario.ready.isEmpty ? 1.0 : 0.6,
        ]
        var environment = LocalDynamoDB.clientEnvironment
        environment["TERM"] = "xterm"
        let (status, text) = try CommandRunner.runPythonDriver(
            Self.driver,
            arguments: [String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)],
            environment: environment)
        #expect(status == 0, "\(scenario.name): \(text)")
    }
}

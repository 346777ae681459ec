import Foundation
import Testing

/// `sentinel-tables migrate` in a terminal: the progress line (items copied, items per second, the
/// source's estimated count), none when standard error is a pipe, and Ctrl-C part-way through a copy,
/// which stops it with the source unchanged and says how to go on; `--resume` then finishes the copy.
///
/// The delay proxy paces the copy instead of the clock: each write is held a tenth of a second for the
/// progress line (so the copy lasts long enough for a rate to be shown), and for Ctrl-C the writes after
/// the first two are held 30 s, so the copy is certainly under way, and certainly not finished, when
/// Ctrl-C comes.
@Suite struct MigrateTerminalTests {
    /// Runs the command in a pseudo-terminal; with `interruptAfter` (a regular expression), presses
    /// Ctrl-C once the output matches it. Prints `{"status", "signal", "output"}` as JSON.
    static let driver = #"""
        import json, sys, time, pexpect

        spec = json.loads(sys.argv[1])
        child = pexpect.spawn(spec["binary"], spec["arguments"], cwd=spec["directory"], encoding="utf-8",
                              timeout=60, dimensions=(24, 200))
        seen = ""
        if "interruptAfter" in spec:
            child.expect(spec["interruptAfter"])
            seen = child.before + child.after
            time.sleep(0.5)
            child.sendintr()
            # The held write would keep a command that ignored Ctrl-C for 30 s more.
            child.expect(pexpect.EOF, timeout=20)
        else:
            child.expect(pexpect.EOF)
        child.close()
        print(json.dumps({"status": child.exitstatus, "signal": child.signalstatus, "output": seen + child.before}))
        """#

    struct Run {
        let status: Int?
        let output: String
    }

    /// The migrate command of `directory`'s sessions.lua in a pseudo-terminal, through `endpoint`.
    static func inTerminal(
        _ arguments: [String], endpoint: String, directory: ScriptDirectory, interruptAfter: String? = nil
    ) throws -> Run {
        var spec: [String: Any] = [
            "binary": CommandRunner.executable.path, "directory": directory.path,
            "arguments": arguments + ["--endpoint-url", endpoint],
        ]
        if let interruptAfter { spec["interruptAfter"] = interruptAfter }
        let answer = try CommandRunner.runInTerminal(driver, spec: spec)
        return Run(status: answer["status"] as? Int, output: answer["output"] as? String ?? "")
    }

    static func migration(_ source: String, _ target: String) -> [String] {
        [
            "migrate", "sessions.lua", "--table", source, "--to", target, "--yes", "--segments", "1",
            "--page-size", "25",
        ]
    }

    @Test(.timeLimit(.minutes(3)))
    func aTerminalShowsTheProgressLineAndAPipeDoesNot() throws {
        let source = ExportImportTests.unique("mig-tty")
        try MigrateCommandTests.makeSessions(source, count: 300)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try MigrateCommandTests.script(directory, table: source)
        // Twelve pages of 25, each write held 0.1 s: the copy lasts over a second, long enough for a rate.
        let proxy = try DelayProxy(delay: 0, arguments: ["--slow", "BatchWriteItem:0.1"])
        let run = try Self.inTerminal(
            Self.migration(source, source + "-v2"), endpoint: proxy.endpoint, directory: directory)
        #expect(run.status == 0, "\(run.output)")
        // Redrawn in place (carriage return, erase line) with the rate and the source's estimated count,
        // ending on the final count (six of the 300 are left out by migrate(item)) before the report.
        let line = "\r\u{1B}\\[K\(source) → \(source)-v2: copied [0-9,]+ of ~300 items \\([0-9,]+ items/s\\)"
        #expect(run.output.contains(try Regex(line)), "\(run.output)")
        let last = "\r\u{1B}\\[K\(source) → \(source)-v2: copied 294 of ~300 items \\([0-9,]+ items/s\\)\r\n"
        #expect(run.output.contains(try Regex(last)), "\(run.output)")
        #expect(run.output.contains("copied 294 of 300 items from \(source)"), "\(run.output)")

        // Standard error a pipe: the report alone, no progress line.
        let piped = try LocalDynamoDB.tool(Self.migration(source, source + "-v3"), in: directory.path)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("copied 294 of 300 items from \(source)"))
        #expect(!piped.stderr.contains("\u{1B}[K"), "\(piped.stderr)")
        #expect(!piped.stderr.contains("items/s"), "\(piped.stderr)")
        #expect(!piped.stderr.contains("\r"), "\(piped.stderr)")
    }

    @Test(.timeLimit(.minutes(3)))
    func ctrlCStopsTheCopyWithTheSourceUnchangedAndResumeFinishesIt() throws {
        let source = ExportImportTests.unique("mig-int")
        let target = source + "-v2"
        try MigrateCommandTests.makeSessions(source, count: 300)
        let before = try MigrateCommandTests.items(source)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try MigrateCommandTests.script(directory, table: source)
        // Two pages are written and saved, the third page's write is held: Ctrl-C comes during it.
        let proxy = try DelayProxy(delay: 0, arguments: ["--slow", "BatchWriteItem:30@2"])
        let run = try Self.inTerminal(
            Self.migration(source, target), endpoint: proxy.endpoint, directory: directory,
            interruptAfter: "copied [1-9][0-9,]* of ~300 items")
        #expect(run.status == 130, "\(run.output)")
        #expect(
            run.output.contains(try Regex("copy stopped after [1-9][0-9]* items; the target holds those")),
            "\(run.output)")
        #expect(run.output.contains("Run it again with --resume to go on"), "\(run.output)")
        #expect(run.output.contains("\(source) was not changed"), "\(run.output)")
        #expect(!run.output.contains("CancellationError"), "\(run.output)")
        // The usual interrupt line, not the write the Ctrl-C cancelled (issue 29).
        #expect(run.output.contains("migrate interrupted: copy stopped after"), "\(run.output)")
        #expect(!run.output.contains("BatchWriteItem on table"), "\(run.output)")
        #expect(
            !(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
                $0.hasSuffix(".migrate-checkpoint")
            }.isEmpty))

        // Straight to the server this time (the proxy would hold every write now).
        let resumed = try LocalDynamoDB.tool(
            Self.migration(source, target) + ["--resume"], in: directory.path)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(
            resumed.stdout.contains(
                "copied 294 of 300 items from \(source) (6 left out by migrate(item)), resuming 1 segments"),
            "\(resumed.stdout)")
        #expect(resumed.stdout.contains("all equal"), "\(resumed.stdout)")
        #expect(try MigrateCommandTests.items(target) == MigrateCommandTests.expected(from: source))
        #expect(try MigrateCommandTests.items(source) == before)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
                $0.hasSuffix(".migrate-checkpoint")
            }.isEmpty)
    }
}

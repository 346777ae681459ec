import Foundation
import Synchronization
import TestSupport
import Testing

/// Runs the built `sentinel-tables` binary as a user would and captures what it did.
struct CommandResult {
    let status: Int32
    /// Whether the process ended by a signal (a crash or a trap) rather than by exiting.
    let killedBySignal: Bool
    let stdout: String
    let stderr: String
}

enum CommandRunner {
    /// The binary SwiftPM built next to this test bundle.
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test runner is `.build/<config>/<package>PackageTests.xctest`.
        while !FileManager.default.fileExists(
            atPath: directory.appendingPathComponent("sentinel-tables").path)
            && directory.path != "/"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("sentinel-tables")
    }

    /// Runs the tool (or another `executable`) with `arguments` in `directory`; `interruptAfter`
    /// sends SIGINT after that delay.
    static func run(
        _ arguments: [String], in directory: String? = nil, stdin: String? = nil,
        interruptAfter: Duration? = nil, environment: [String: String] = [:], executable: String? = nil,
        killAfter: Duration? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? Self.executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given
            }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let finished = Atomic<Bool>(false)
        if let killAfter {
            // A hang becomes a killed process (killedBySignal) instead of a stuck suite.
            let pid = process.processIdentifier
            let seconds = Double(killAfter.components.seconds)
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: seconds)
                if !finished.load(ordering: .acquiring) { kill(pid, SIGKILL) }
            }
        }
        defer { finished.store(true, ordering: .releasing) }
        if let interruptAfter {
            Thread.sleep(
                forTimeInterval: Double(interruptAfter.components.seconds) + Double(
                    interruptAfter.components.attoseconds) / 1e18)
            kill(process.processIdentifier, SIGINT)
        }
        // Read before waiting so a full pipe cannot block the child.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Runs the tool in `directory` with standard input a pipe that receives `input` and then stays
    /// open (a terminal nobody types into, `(printf abc; sleep 25) | ...`), or the null device when
    /// `input` is nil; standard output is read only after the process ends, so with `drainOutput`
    /// false a script that writes much blocks on it, as under a reader that stopped. A process still
    /// running after `killAfter` is killed (`killedBySignal`): a hang fails the test, not the suite.
    static func runWithInputLeftOpen(
        _ arguments: [String], in directory: String, input: String?, killAfter: Duration
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        let deadline = ContinuousClock.now + killAfter
        while process.isRunning, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try stdin.fileHandleForWriting.close()
        return CommandResult(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            stderr: String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// The repository root (for running the examples).
    /// Runs a Python driver (`python3 -c driver arguments...`, pexpect for the terminal tests) with
    /// `environment`; its exit status and everything it printed, stdout and stderr together.
    static func runPythonDriver(_ driver: String, arguments: [String], environment: [String: String]) throws
        -> (status: Int32, output: String)
    {
        let result = try ChildProcess.run(
            ["python3", "-c", driver] + arguments, environment: environment, mergeErrors: true)
        return (result.status, result.text)
    }

    /// Runs a pexpect `driver` (Python) that drives the tool in a pseudo-terminal as `spec` (JSON: the
    /// binary, directory, arguments, ...) says and prints one JSON object with what it saw; returns that
    /// object. A driver that fails, or prints anything else, fails the test.
    static func runInTerminal(_ driver: String, spec: [String: Any]) throws -> [String: Any] {
        let (status, text) = try runTerminalDriver(driver, spec: spec)
        #expect(status == 0, "\(text)")
        return try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8.filter { $0 != 0 })) as? [String: Any],
            "\(text)")
    }

    /// Runs a pexpect `driver` with `spec` (JSON) as its argument and the local server's client
    /// environment with `TERM=xterm`; its exit status and everything it printed.
    static func runTerminalDriver(_ driver: String, spec: [String: Any]) throws -> (
        status: Int32, output: String
    ) {
        try runPythonDriver(
            driver,
            arguments: [String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)],
            environment: LocalDynamoDB.clientEnvironment.merging(["TERM": "xterm"]) { $1 })
    }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }
}

/// A scratch directory with a short path (Lua shortens chunk names past 60 characters).
struct ScriptDirectory {
    let path: String

    init() throws {
        path = "/tmp/ct-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        let file = URL(fileURLWithPath: path + "/" + name)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

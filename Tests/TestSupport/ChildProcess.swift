import Foundation

/// A program the tests run to completion: the independent clients that check our results (boto3,
/// botocore and the aws CLI, through `python3` or `aws`) and drivers written in Python. One runner for
/// every test target, so that how output is collected (both pipes read before waiting, so a child that
/// writes much cannot block on a full pipe) is written once.
public enum ChildProcess {
    /// What a finished program left.
    public struct Result: Sendable {
        public var status: Int32
        public var output: Data
        public var errors: String

        /// Standard output as text.
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// Fake credentials and a region, for boto3 and the aws CLI against a local server.
    public static let localCredentials = [
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
    ]

    /// Runs `command` (looked up on PATH) and waits for it. `environment` is the whole environment when
    /// given; otherwise the program inherits this process's. `mergeErrors` sends standard error to the
    /// output too, interleaved as written.
    public static func run(
        _ command: [String], environment: [String: String]? = nil, mergeErrors: Bool = false
    )
        throws -> Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = mergeErrors ? output : errors
        try process.run()
        // Standard error on a thread of its own while standard output is read here: reading one to the end
        // before the other would leave a child that fills the second pipe blocked.
        let errorText = LockedText()
        let reader = Thread {
            if !mergeErrors {
                errorText.set(
                    String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            }
            errorText.finish()
        }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: data, errors: errorText.waitForText())
    }

    /// `python3 -c code arguments...` with the local server's fake credentials added to this process's
    /// environment (`environment` entries win).
    public static func python(_ code: String, arguments: [String] = [], environment: [String: String] = [:])
        throws -> Result
    {
        let merged = ProcessInfo.processInfo.environment.merging(localCredentials) { $1 }.merging(environment)
        {
            $1
        }
        return try run(["python3", "-c", code] + arguments, environment: merged)
    }
}

/// Text handed from the reader thread, and the moment it is complete.
private final class LockedText: @unchecked Sendable {
    // Unchecked: `text` is written once before `done` is signalled and read only after waiting on it.
    private var text = ""
    private let done = DispatchSemaphore(value: 0)

    func set(_ value: String) { text = value }
    func finish() { done.signal() }
    func waitForText() -> String {
        done.wait()
        return text
    }
}

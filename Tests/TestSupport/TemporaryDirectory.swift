import Foundation

/// A temporary directory removed at the end of the test.
public final class TemporaryDirectory {
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "dynamodb-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes an executable shell script and returns a command that runs it. The command runs it
    /// through `sh` rather than executing the file, since executing a file that a process forked
    /// concurrently by another test may still hold open for writing fails with "Text file busy".
    public func script(_ name: String, _ body: String) throws -> String {
        let file = "\(path)/\(name)"
        try ("#!/bin/sh\n" + body).write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
        return "sh '\(file)'"
    }
}

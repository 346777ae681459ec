import Foundation
import TestSupport
import Testing

@testable import AWS

/// `credential_process` is split into words as a POSIX shell (and botocore's `shlex.split`) splits
/// it, and run without a shell.
@Suite struct ShellWordsTests {
    @Test(arguments: [
        ("aws-vault export --format=json prod", ["aws-vault", "export", "--format=json", "prod"]),
        ("  spaced\t out  ", ["spaced", "out"]),
        ("'single quoted' \"double quoted\"", ["single quoted", "double quoted"]),
        (#"a\ b "c\"d" 'e\f' "g\h""#, ["a b", "c\"d", "e\\f", "g\\h"]),
        ("x''y \"\"", ["xy", ""]),
        ("$HOME ~ *.sh a|b", ["$HOME", "~", "*.sh", "a|b"]),
        ("", []),
    ])
    func splitsAsAShellWould(line: String, words: [String]) throws {
        #expect(try ShellWords.split(line) == words)
    }

    @Test(arguments: ["'open", "\"open", "a \"b\\"])
    func anUnclosedQuoteIsAnError(line: String) {
        #expect(throws: ShellWords.UnterminatedQuote.self) { try ShellWords.split(line) }
    }

    @Test func theCommandRunsWithoutAShell() async throws {
        let directory = try TemporaryDirectory()
        let script = "\(directory.path)/args.sh"
        try """
        printf '{"Version": 1, "AccessKeyId": "%s|%s", "SecretAccessKey": "s"}' "$1" "$2"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let provider = ProcessCredentialProvider(
            command: "sh '\(script)' \"two words\" $HOME", profileName: "p",
            environment: [
                "HOME": "/home/tester", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/bin",
            ])
        let credentials = try #require(try await provider.credentials())
        // A shell would have expanded $HOME; the aws CLI passes it as it is.
        #expect(credentials.accessKeyID == "two words|$HOME")
    }
}

import Foundation
import Testing

/// scripts/demo, the README's first command, does what it says: provisions the three tables into a
/// server of its own and shows that a second apply on that same server changes nothing.
@Suite struct DemoScriptTests {
    @Test func theDemoShowsThatASecondApplyChangesNothing() throws {
        // The test runner blocks signals that its children inherit; unblocked here, so that the
        // demo's own clean-up can stop the server it started, as it does when run from a shell.
        let unblocked =
            "import os, signal; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
            + "os.execvp('bash', ['bash', 'scripts/demo'])"
        let result = try CommandRunner.run(
            ["python3", "-c", unblocked], in: CommandRunner.repositoryRoot,
            environment: ["SENTINEL_TABLES_BINARY": CommandRunner.executable.path],
            executable: "/usr/bin/env")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sentinel-sessions: CREATED"), "\(result.stdout)")
        #expect(
            result.stderr.contains(
                "== sentinel-tables apply examples/bootstrap.lua, again on the same server"))
        #expect(result.stdout.hasSuffix("Apply: 0 changed, 3 up to date, 0 failed.\n"), "\(result.stdout)")
        #expect(result.stderr.contains("The second apply changed nothing"))
        #expect(!result.stderr.contains("Run it again and nothing changes"))
        #expect(result.stderr.contains("To explore the tables in the REPL, run scripts/demo --keep"))
    }

    /// With --keep, the demo says what to run next (the REPL on the server it left running and how to
    /// stop that server), never to run `scripts/demo --keep`, which the user just did.
    @Test func keepSaysWhatToRunNext() throws {
        let unblocked =
            "import os, signal; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
            + "os.execvp('bash', ['bash', 'scripts/demo', '--keep'])"
        let result = try CommandRunner.run(
            ["python3", "-c", unblocked], in: CommandRunner.repositoryRoot,
            environment: ["SENTINEL_TABLES_BINARY": CommandRunner.executable.path],
            executable: "/usr/bin/env")
        // Stop the server it kept, whatever the assertions find.
        let stop = try #require(
            result.stderr.firstMatch(of: #/stop it with: (scripts/local-dynamodb stop [^)]+)\)/#),
            "\(result.stderr)")
        _ = try CommandRunner.run(
            ["bash", "-c", String(stop.output.1)], in: CommandRunner.repositoryRoot,
            executable: "/usr/bin/env")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("scripts/demo --keep"), "\(result.stderr)")
        #expect(result.stderr.contains(" repl --endpoint-url http://127.0.0.1:"), "\(result.stderr)")
    }
}

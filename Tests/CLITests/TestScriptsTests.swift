import Foundation
import Testing

/// scripts/test and scripts/install-dependencies, run in a scratch copy of `scripts/` where every
/// command they call (swift, luacheck, apt-get, the other scripts) is a stub that logs its call: what
/// they do on a failure and on a busy package manager, without building or installing anything.
@Suite struct TestScriptsTests {
    /// A Python driver: copies `scripts/<name>` into a scratch root, writes the stubs `spec` names
    /// (path -> shell body, each logging its own name and arguments to `log`), runs the script with
    /// `bin/` first on PATH, optionally while another process holds an fcntl lock on `lock` for
    /// `hold` seconds, and prints what happened as JSON.
    private static let driver = #"""
        import fcntl, json, os, shutil, subprocess, sys, tempfile, time
        spec = json.loads(sys.argv[1])
        root = tempfile.mkdtemp(prefix="st-scripts-", dir="/tmp")
        os.makedirs(root + "/scripts"); os.makedirs(root + "/bin")
        log = root + "/log"
        shutil.copy(spec["repository"] + "/scripts/" + spec["script"], root + "/scripts/" + spec["script"])
        for path, body in spec["stubs"].items():
            with open(root + "/" + path, "w") as f:
                f.write("#!/bin/bash\necho \"%s $*\" >> %s\n%s\n" % (os.path.basename(path), log, body))
            os.chmod(root + "/" + path, 0o755)
        environment = dict(os.environ, PATH=root + "/bin:/usr/bin:/bin", PYTHON=root + "/bin/python-stub")
        lock = None
        if "hold" in spec:
            environment["SENTINEL_TABLES_APT_LOCKS"] = root + "/lock-frontend " + root + "/lists-lock"
            environment["SENTINEL_TABLES_APT_LOCK_WAIT"] = str(spec["wait"])
            lock = open(root + "/lists-lock", "w")
            open(root + "/lock-frontend", "w").close()
            fcntl.lockf(lock, fcntl.LOCK_EX)
        child = subprocess.Popen(["bash", root + "/scripts/" + spec["script"]], cwd=root, env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if lock is not None:
            time.sleep(spec["hold"])
            fcntl.lockf(lock, fcntl.LOCK_UN)
        out, err = child.communicate(timeout=60)
        calls = open(log).read().splitlines() if os.path.exists(log) else []
        shutil.rmtree(root)
        print(json.dumps({"status": child.returncode, "stderr": err, "calls": calls}))
        """#

    private static func run(_ spec: [String: Any]) throws -> (status: Int, stderr: String, calls: [String]) {
        var spec = spec
        spec["repository"] = CommandRunner.repositoryRoot
        let (status, text) = try CommandRunner.runPythonDriver(
            driver,
            arguments: [String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)],
            environment: ProcessInfo.processInfo.environment)
        #expect(status == 0, "\(text)")
        let answer = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
        return (
            answer["status"] as? Int ?? -1, answer["stderr"] as? String ?? "",
            answer["calls"] as? [String] ?? []
        )
    }

    @Test func scriptsTestRunsEveryStepAndListsTheFailuresAtTheEnd() throws {
        let run = try Self.run([
            "script": "test",
            "stubs": [
                "scripts/install-dependencies": "exit 0",
                "scripts/lint-numbers": "exit 1",
                "scripts/lint-layers": "exit 0",
                "scripts/local-dynamodb": #"[ "$1" = start ] && echo http://127.0.0.1:1; exit 0"#,
                "scripts/test-install": "exit 0",
                "bin/luacheck": "exit 0",
                // The build passes, the tests fail.
                "bin/swift": #"[ "$1" = test ] && exit 1; exit 0"#,
            ],
        ])
        #expect(run.status == 1, "\(run.stderr)")
        // Nothing stops at the first failure: the tests ran after the lint failed, test-install after
        // the tests failed, and the server was stopped.
        #expect(run.calls.contains("swift test --skip-build"), "\(run.calls)")
        #expect(run.calls.contains("test-install "), "\(run.calls)")
        #expect(run.calls.contains { $0.hasPrefix("local-dynamodb stop") }, "\(run.calls)")
        #expect(
            run.stderr.hasSuffix(
                "== scripts/test: 2 step(s) failed:\n  - lint-numbers (the one number rule)\n  - tests\n"),
            "\(run.stderr)")
    }

    @Test func scriptsTestDoesNotRunTheTestsWithoutABuildButStillChecksTheInstall() throws {
        let run = try Self.run([
            "script": "test",
            "stubs": [
                "scripts/install-dependencies": "exit 0",
                "scripts/lint-numbers": "exit 0",
                "scripts/lint-layers": "exit 0",
                "scripts/local-dynamodb": "exit 0",
                "scripts/test-install": "exit 0",
                "bin/luacheck": "exit 0",
                "bin/swift": #"[ "$1" = build ] && exit 1; exit 0"#,
            ],
        ])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(!run.calls.contains("swift test --skip-build"), "\(run.calls)")
        #expect(run.calls.contains("test-install "), "\(run.calls)")
        #expect(run.stderr.contains("  - build\n  - build examples/embedding (not run: the build failed)\n"))
        #expect(run.stderr.contains("  - tests (not run: the build failed)\n"), "\(run.stderr)")
    }

    /// What install-dependencies calls, with every package missing so that it runs apt-get.
    private static let packageManager: [String: String] = [
        "bin/dpkg-query": "exit 1",
        "bin/apt-get": "exit 0",
        "bin/sudo": #"exec "$@""#,
        "bin/python-stub": "exit 0",
        "bin/moto_server": "exit 0",
        "bin/aws": "exit 0",
    ]

    @Test func installDependenciesWaitsForThePackageManagersLock() throws {
        let run = try Self.run([
            "script": "install-dependencies", "stubs": Self.packageManager, "hold": 2, "wait": 30,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                try Regex("waiting for /tmp/st-scripts-[^/]+/lists-lock \\(another apt or dpkg")),
            "\(run.stderr)")
        #expect(
            run.calls.contains { $0.hasPrefix("apt-get -o DPkg::Lock::Timeout=30 update") }, "\(run.calls)")
        #expect(run.calls.contains { $0.contains("install -y") }, "\(run.calls)")
    }

    @Test func installDependenciesGivesUpOnALockHeldTooLongAndSaysWhy() throws {
        let run = try Self.run([
            "script": "install-dependencies", "stubs": Self.packageManager, "hold": 4, "wait": 1,
        ])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("lists-lock is still held after 1s (another apt or dpkg is running)"))
        #expect(!run.calls.contains { $0.hasPrefix("apt-get") }, "\(run.calls)")
    }
}

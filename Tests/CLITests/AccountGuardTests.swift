import Foundation
import Testing

/// Issue 28's second rule: the allowed-account guard belongs to each credential set, not to a client.
/// A `credential_process` that answers one account's credentials first and another's on a later
/// refresh (its credentials always about to expire, so every request asks again) stops the run at the
/// second set, and the delay proxy in front of DynamoDB sees no request signed with it.
@Suite struct AccountGuardTests {
    /// A credential process that asks the local identity server's SSO portal for credentials of the
    /// account written in `account` (so the test decides when it changes), valid for two minutes.
    static let rotatingProcess = #"""
        import json, sys, time, urllib.request
        url, account_file = sys.argv[1], sys.argv[2]
        account = open(account_file).read().strip()
        request = urllib.request.Request(url + "/federation/credentials?role_name=R&account_id=" + account,
                                         headers={"x-amz-sso_bearer_token": "sso-access-token"})
        credentials = json.load(urllib.request.urlopen(request))["roleCredentials"]
        print(json.dumps({"Version": 1, "AccessKeyId": credentials["accessKeyId"],
                          "SecretAccessKey": credentials["secretAccessKey"],
                          "SessionToken": credentials["sessionToken"],
                          "Expiration": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 120))}))
        """#

    @Test func credentialsRefreshedIntoAnotherAccountSignNothing() throws {
        try CredentialCommandTests.withHome { home, identity in
            let directory = home.directory.path
            try home.directory.write("creds.py", Self.rotatingProcess)
            try home.directory.write("account", "111111111111\n")
            try home.directory.write(
                ".aws/config",
                "[profile rotating]\nregion = us-east-1\n"
                    + "credential_process = python3 \(directory)/creds.py \(identity.url) \(directory)/account\n"
            )
            // Waits on standard input between the two calls, so the test switches the account there.
            try home.directory.write(
                "two.lua",
                """
                io.write("first\\t", tostring((pcall(sentinel.db.tables))), "\\n"):flush()
                io.read("l")
                local ok, err = pcall(sentinel.db.tables)
                print("second", ok, err)
                """)
            let proxy = try DelayProxy(delay: 0)
            let process = Process()
            process.executableURL = CommandRunner.executable
            process.arguments = [
                "run", "--profile", "rotating", "--allowed-account", "111111111111", "--endpoint-url",
                proxy.endpoint, "two.lua",
            ]
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.environment = ProcessInfo.processInfo.environment.merging(home.environment) { $1 }
            let stdin = Pipe()
            let stdout = Pipe()
            let stderr = Pipe()
            (process.standardInput, process.standardOutput, process.standardError) = (stdin, stdout, stderr)
            try process.run()
            // The first call's line, then the switch to another account's credentials.
            var seen = Data()
            while !String(decoding: seen, as: UTF8.self).contains("\n") {
                let chunk = stdout.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            try home.directory.write("account", "222222222222\n")
            stdin.fileHandleForWriting.write(Data("go\n".utf8))
            try stdin.fileHandleForWriting.close()
            seen.append(stdout.fileHandleForReading.readDataToEndOfFile())
            let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let output = String(decoding: seen, as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(errors)")
            #expect(output.hasPrefix("first\ttrue\n"), "\(output)\(errors)")
            #expect(
                output.contains(
                    "second\tfalse\t"
                ) && output.contains("the credentials belong to account 222222222222")
                    && output.contains(
                        "not to the allowed account 111111111111; nothing was sent to DynamoDB"),
                "\(output)")
            // At DynamoDB: requests signed with the first account's key only.
            let keys = proxy.signingKeys
            #expect(keys.contains("ASIASSO111111111111"), "\(keys)")
            #expect(!keys.contains("ASIASSO222222222222"), "\(keys)")
        }
    }

    @Test(arguments: [",", " , ", "111111111111,", "abc", "11111111111"])
    func aGuardSettingThatNamesNoValidAccountRefusesToRun(setting: String) throws {
        try CredentialCommandTests.withHome { home, _ in
            var environment = home.environment
            environment["SENTINEL_TABLES_ALLOWED_ACCOUNTS"] = setting
            environment["AWS_ACCESS_KEY_ID"] = "AKIDSTATIC"
            environment["AWS_SECRET_ACCESS_KEY"] = "staticsecret"
            let proxy = try DelayProxy(delay: 0)
            let result = try CommandRunner.run(
                ["status", "sentinel-sessions", "--endpoint-url", proxy.endpoint], in: home.directory.path,
                environment: environment, killAfter: .seconds(60))
            #expect(result.status != 0, "'\(setting)' ran unguarded: \(result.stdout)")
            #expect(result.stderr.contains("allowed-account guard names"), "'\(setting)': \(result.stderr)")
            #expect(proxy.requests.isEmpty, "'\(setting)': \(proxy.requests)")
        }
    }
}

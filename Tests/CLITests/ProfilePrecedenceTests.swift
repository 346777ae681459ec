import Foundation
import Testing

/// `--profile` wins over exported keys, as in the aws CLI: the reproduction of issue 15's first item,
/// where keys exported for a dev account signed a `--profile prod` command.
@Suite struct ProfilePrecedenceTests {
    @Test func theNamedProfileSignsEvenWithKeysExported() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        // The profile's credentials come from a process that leaves a mark, so the test sees which
        // source was used (moto accepts any signature).
        let mark = directory.path + "/process-ran"
        try directory.write(
            "credentials.sh",
            """
            #!/bin/sh
            touch '\(mark)'
            echo '{"Version": 1, "AccessKeyId": "AKIDPROD", "SecretAccessKey": "prodsecret"}'
            """)
        try directory.write(
            "config",
            "[profile prod]\ncredential_process = sh \(directory.path)/credentials.sh\nregion = us-east-1\n")
        var environment = LocalDynamoDB.clientEnvironment  // exports AWS_ACCESS_KEY_ID=testing
        environment["AWS_CONFIG_FILE"] = directory.path + "/config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.path + "/none"

        let withProfile = try CommandRunner.run(
            ["status", "no-such-table", "--profile", "prod", "--endpoint-url", try LocalDynamoDB.endpoint()],
            in: directory.path, environment: environment)
        #expect(withProfile.status == 0, "\(withProfile.stderr)")
        #expect(FileManager.default.fileExists(atPath: mark), "the profile's credential_process did not run")

        // AWS_PROFILE alone chooses the profile but the exported keys still come first (botocore).
        try FileManager.default.removeItem(atPath: mark)
        environment["AWS_PROFILE"] = "prod"
        let withVariable = try CommandRunner.run(
            ["status", "no-such-table", "--endpoint-url", try LocalDynamoDB.endpoint()], in: directory.path,
            environment: environment)
        #expect(withVariable.status == 0, "\(withVariable.stderr)")
        #expect(!FileManager.default.fileExists(atPath: mark))
    }
}

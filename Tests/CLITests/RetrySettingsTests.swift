import Foundation
import Testing

/// AWS_MAX_ATTEMPTS / max_attempts and AWS_RETRY_MODE / retry_mode, counted at the delay proxy while
/// it throttles every request of an operation.
@Suite struct RetrySettingsTests {
    static func describeAttempts(
        _ environment: [String: String], files: ScriptDirectory, table: String
    ) throws -> (result: CommandResult, attempts: Int) {
        let proxy = try DelayProxy(delay: 0, arguments: ["--throttle", "DescribeTable:50"])
        let result = try CommandRunner.run(
            ["status", table, "--endpoint-url", proxy.endpoint], in: files.path,
            environment: LocalDynamoDB.clientEnvironment.merging(environment) { $1 })
        return (result, proxy.requests.filter { $0.operation == "DescribeTable" && $0.table == table }.count)
    }

    @Test func throttledRequestsAreTriedAsOftenAsConfigured() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = "retries-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write(
            "config", "[profile slow]\nregion = us-east-1\nmax_attempts = 3\nretry_mode = adaptive\n")
        let cleared = [
            "AWS_MAX_ATTEMPTS": "", "AWS_RETRY_MODE": "", "AWS_CONFIG_FILE": directory.path + "/config",
        ]

        let byDefault = try Self.describeAttempts(cleared, files: directory, table: table)
        #expect(byDefault.result.status == 1)
        #expect(byDefault.attempts == 4, "DynamoDB's default is four attempts")
        #expect(byDefault.result.stderr.contains("ThrottlingException"), "\(byDefault.result.stderr)")

        let fromEnvironment = try Self.describeAttempts(
            cleared.merging(["AWS_MAX_ATTEMPTS": "2"]) { $1 }, files: directory, table: table)
        #expect(fromEnvironment.attempts == 2)

        let fromProfile = try Self.describeAttempts(
            cleared.merging(["AWS_PROFILE": "slow"]) { $1 }, files: directory, table: table)
        #expect(fromProfile.attempts == 3)

        let whoami = try CommandRunner.run(
            ["whoami", "--verbose", "--endpoint-url", "http://127.0.0.1:9"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment.merging(
                cleared.merging(["AWS_PROFILE": "slow"]) { $1 }
            ) { $1 })
        #expect(whoami.stdout.contains("retries     adaptive, 3 attempts"), "\(whoami.stdout)")

        let wrong = try CommandRunner.run(
            ["status", table, "--endpoint-url", "http://127.0.0.1:9"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment.merging(["AWS_RETRY_MODE": "fastest"]) { $1 })
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("AWS_RETRY_MODE must be standard or adaptive"), "\(wrong.stderr)")
    }
}

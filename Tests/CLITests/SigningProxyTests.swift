import Foundation
import Testing

/// Requests as a strict endpoint checks them: the delay proxy verifies every SigV4 signature (moto
/// verifies none), with the secrets STS hands out passing through it, and can keep a clock of its own.
@Suite struct SigningProxyTests {
    /// A home with a `base` profile of static keys and a `deployer` role assumed from it; STS and
    /// DynamoDB both reached through `proxy`. No keys are exported.
    static func home(_ directory: ScriptDirectory, proxy: DelayProxy, secret: String = "basesecret") throws
        -> [String: String]
    {
        try directory.write(
            "config",
            """
            [profile deployer]
            role_arn = arn:aws:iam::222222222222:role/deployer
            source_profile = base
            role_session_name = signed
            """)
        try directory.write(
            "credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = \(secret)\n")
        var environment = LocalDynamoDB.clientEnvironment
        environment["AWS_ACCESS_KEY_ID"] = ""
        environment["AWS_SECRET_ACCESS_KEY"] = ""
        environment["AWS_CONFIG_FILE"] = directory.path + "/config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.path + "/credentials"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["AWS_ENDPOINT_URL_STS"] = proxy.endpoint
        return environment
    }

    @Test func assumedRoleCredentialsSignRequestsThatAStrictEndpointAccepts() throws {
        let proxy = try DelayProxy(
            delay: 0, arguments: ["--check-signatures", "--secret", "AKIDBASE:basesecret"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let environment = try Self.home(directory, proxy: proxy)
        let table = "ct-signed-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write("t.lua", "return sentinel.table { name = '\(table)', partition_key = 'id' }\n")
        let apply = try CommandRunner.run(
            ["apply", "t.lua", "--yes", "--profile", "deployer", "--endpoint-url", proxy.endpoint],
            in: directory.path, environment: environment)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(
            apply.stderr.hasPrefix(
                "account 222222222222 (arn:aws:sts::222222222222:assumed-role/deployer/signed)"))
        #expect(apply.stderr.contains("\(table)"), "\(apply.stderr)")
        // The DynamoDB requests, signed with the role's temporary credentials, were checked and accepted.
        let operations = proxy.requests.map(\.operation)
        #expect(operations.contains("CreateTable"), "\(operations)")
    }

    @Test func aWrongSecretOrAnUnknownKeyIsRefusedByTheStrictEndpoint() throws {
        let proxy = try DelayProxy(
            delay: 0, arguments: ["--check-signatures", "--secret", "AKIDBASE:basesecret"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        // The control for the test above: the proxy really checks, so a wrong secret fails.
        let wrong = try Self.home(directory, proxy: proxy, secret: "not-the-secret")
        let refused = try CommandRunner.run(
            ["whoami", "--profile", "base", "--endpoint-url", proxy.endpoint], in: directory.path,
            environment: wrong)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("InvalidSignatureException"), "\(refused.stderr)")
        #expect(refused.stderr.contains("does not match the signature you provided"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("not-the-secret"))
        // A table's read that meets it says the operation, the table and the code once (issue 29: it
        // was `DescribeTable failed: InvalidSignatureException: DescribeTable on table ... failed: ...`).
        let status = try CommandRunner.run(
            ["status", "ct-sig", "--profile", "base", "--endpoint-url", proxy.endpoint], in: directory.path,
            environment: wrong)
        #expect(status.status == 1)
        #expect(
            status.stderr.components(separatedBy: "InvalidSignatureException").count == 2, "\(status.stderr)")
        #expect(status.stderr.components(separatedBy: "DescribeTable").count == 2, "\(status.stderr)")

        // Keys the endpoint never issued: DynamoDB's own words for it.
        let unknown = try CommandRunner.run(
            ["status", "ct-any", "--endpoint-url", proxy.endpoint], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("UnrecognizedClientException"), "\(unknown.stderr)")
    }

    @Test func aSkewedClockIsCorrectedFromTheServersDate() throws {
        // The endpoint's clock is 20 minutes ahead of this machine's: every first signature is refused
        // as expired, and the tool signs again with the server's time.
        let proxy = try DelayProxy(
            delay: 0,
            arguments: ["--check-signatures", "--secret", "testing:testing", "--clock-skew", "1200"])
        let status = try CommandRunner.run(
            ["status", "ct-skew-none", "--endpoint-url", proxy.endpoint, "--verbose"],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("ct-skew-none: NOT_FOUND"), "\(status.stdout)")
        let attempts = status.stderr.split(separator: "\n").filter { $0.hasSuffix("DynamoDB request") }
            .compactMap {
                line in line.split(separator: " ").first { $0.hasPrefix("attempt=") }.map(String.init)
            }
        #expect(attempts == ["attempt=1", "attempt=2"], "\(status.stderr)")
        // The proxy refused the first signature itself (no table read); the second reached the server.
        #expect(proxy.requests.map(\.table) == ["", "ct-skew-none"], "\(proxy.requests)")
        #expect(!status.stderr.contains("Signature expired"), "\(status.stderr)")
    }
}

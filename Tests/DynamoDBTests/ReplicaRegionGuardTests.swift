import AWSTestSupport
import DynamoDB
import Foundation
import JSON
import TestSupport
import Testing

/// A global table's replica requests (`send(..., region:)`, signed for the replica's region) go
/// through the same credentials and allowed-account guard as the table's own: credentials refreshed
/// into another account part-way through a run sign nothing, in the replica's region as in the
/// table's. The credentials come from a `credential_process` that always answers credentials about to
/// expire (so each request asks it again) for the account written in a file the test changes; a
/// scripted STS says which account each key belongs to.
@Suite struct ReplicaRegionGuardTests {
    /// The region a request was signed for, from its credential scope.
    static func signedRegion(_ request: LocalHTTPServer.Request) -> String {
        let scope = request.header("Authorization")?.split(separator: "/") ?? []
        return scope.count > 2 ? String(scope[2]) : ""
    }

    /// The access key a request was signed with.
    static func signingKey(_ request: LocalHTTPServer.Request) -> String {
        let authorization = request.header("Authorization") ?? ""
        guard let start = authorization.range(of: "Credential=") else { return "" }
        return String(authorization[start.upperBound...].prefix { $0 != "/" })
    }

    @Test func credentialsRefreshedIntoAnotherAccountSignNothingInAReplicasRegion() async throws {
        let directory = try TemporaryDirectory()
        let accountFile = "\(directory.path)/account"
        try "111111111111\n".write(toFile: accountFile, atomically: true, encoding: .utf8)
        let process = try directory.script(
            "creds.sh",
            """
            account=$(cat '\(accountFile)')
            expires=$(date -u -d '+60 seconds' +%Y-%m-%dT%H:%M:%SZ)
            printf '{"Version": 1, "AccessKeyId": "AKID%s", "SecretAccessKey": "secret", ' "$account"
            printf '"Expiration": "%s"}' "$expires"
            """)
        let sts = try await LocalHTTPServer.start { _, request in
            let account = String(Self.signingKey(request).dropFirst("AKID".count))
            return .respond(
                status: 200, headers: [("Content-Type", "text/xml")],
                body: Array(
                    """
                    <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <GetCallerIdentityResult><Arn>arn:aws:iam::\(account):user/ops</Arn>
                      <UserId>AIDA\(account)</UserId><Account>\(account)</Account></GetCallerIdentityResult>
                    </GetCallerIdentityResponse>
                    """.utf8))
        }
        defer { Task { try? await sts.stop() } }
        let dynamoDB = try await LocalHTTPServer.start { _, _ in .json(200, #"{"Table": {}}"#) }
        defer { Task { try? await dynamoDB.stop() } }
        var environment = quietEnvironment
        environment["AWS_ENDPOINT_URL_STS"] = sts.url
        environment["AWS_REGION"] = "us-east-1"
        let configuration = try DynamoDBConfiguration.resolve(
            .init(profile: "proc", endpoint: dynamoDB.url, allowedAccounts: ["111111111111"]),
            environment: environment,
            fileSystem: MemoryFileSystem(files: [
                "/home/tester/.aws/config": "[profile proc]\ncredential_process = \(process)\n"
            ]))
        let client = DynamoDBClient(configuration: configuration)
        defer { Task { try? await client.shutdown() } }

        // The allowed account's credentials: the table's region and the replica's, each signed for its own.
        _ = try await client.send("DescribeTable", ["TableName": "sessions"])
        _ = try await client.send("DescribeTable", ["TableName": "sessions"], region: "eu-west-1")
        #expect(dynamoDB.requests.map(Self.signedRegion) == ["us-east-1", "eu-west-1"])

        // Refreshed into another account: the replica's region refuses before signing, as the table's does.
        try "222222222222\n".write(toFile: accountFile, atomically: true, encoding: .utf8)
        for region in ["eu-west-1", "us-west-2", nil] as [String?] {
            let error = await #expect(throws: DynamoDBError.self) {
                _ = try await client.send("UpdateTable", ["TableName": "sessions"], region: region)
            }
            #expect(
                "\(error!)".contains("belong to account 222222222222")
                    && "\(error!)".contains("not to the allowed account 111111111111"),
                "\(error!)")
        }
        #expect(dynamoDB.requests.count == 2)
        #expect(dynamoDB.requests.map(Self.signingKey) == ["AKID111111111111", "AKID111111111111"])

        // Back to the allowed account: the replica's region is reachable again.
        try "111111111111\n".write(toFile: accountFile, atomically: true, encoding: .utf8)
        _ = try await client.send("DescribeTable", ["TableName": "sessions"], region: "ap-southeast-2")
        #expect(dynamoDB.requests.last.map(Self.signedRegion) == "ap-southeast-2")
    }
}

import Foundation
import Testing

@Suite struct IAMCommandTests {
    @Test func builtInPolicyUsesTheRegionsPartitionAndAccount() throws {
        let result = try CommandRunner.run(
            [
                "iam", "--schema", "sessions", "--name", "s-prod", "--region", "cn-north-1", "--account",
                "123456789012",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let policy = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(policy["Version"] as? String == "2012-10-17")
        let statements = policy["Statement"] as? [[String: Any]] ?? []
        let resources = statements.flatMap {
            $0["Resource"] as? [String] ?? [($0["Resource"] as? String) ?? ""]
        }
        #expect(resources.contains("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/s-prod"))
        #expect(resources.contains("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/s-prod/index/*"))
        let actions = statements.flatMap { $0["Action"] as? [String] ?? [] }
        #expect(actions.contains("dynamodb:CreateTable"))
        #expect(actions.contains("dynamodb:Query"))
    }

    @Test func scriptPolicyCoversEveryReturnedTableWithKMS() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "t.lua",
            """
            return { sentinel.schema.approvals(), sentinel.table { name = "audit", partition_key = "id",
              encryption = { type = "CUSTOMER_KEY", kms_key = "1234abcd-12ab-34cd-56ef-1234567890ab" } } }
            """)
        let result = try CommandRunner.run(["iam", "t.lua", "--region", "us-east-1"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("arn:aws:dynamodb:us-east-1:*:table/sentinel-requests"))
        #expect(result.stdout.contains("arn:aws:dynamodb:us-east-1:*:table/audit"))
        #expect(result.stdout.contains("arn:aws:kms:us-east-1:*:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
    }

    @Test(arguments: [
        ["iam"], ["iam", "--schema", "sessions", "x.lua"], ["iam", "--schema", "nope"],
        ["iam", "--schema", "sessions", "--account", "12"],
        ["iam", "--schema", "sessions", "--region", "moon"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}

import JSON
import Schema
import Testing

@Suite struct IAMPolicyTests {
    static let provisioning = #"""
        ["dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTimeToLive", "dynamodb:DescribeTimeToLive",
         "dynamodb:UpdateTable", "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups",
         "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:ListTagsOfResource"]
        """#
    static let operations = #"""
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
         "dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
         "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"]
        """#
    static let kms =
        #"["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]"#

    @Test func withoutAdministrationMatchesSentinelsPolicyShapeForOneTable() throws {
        let policy = IAMPolicy(
            table: BuiltInSchema.breakglass.schema(), region: "us-east-1", administration: false)
        let expected = try JSONValue(
            parsing: """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Sid": "SentinelTableProvisioning",
                      "Effect": "Allow",
                      "Action": \(Self.provisioning),
                      "Resource": ["arn:aws:dynamodb:us-east-1:*:table/sentinel-breakglass"]
                    },
                    {
                      "Sid": "SentinelTableOperations",
                      "Effect": "Allow",
                      "Action": \(Self.operations),
                      "Resource": [
                        "arn:aws:dynamodb:us-east-1:*:table/sentinel-breakglass",
                        "arn:aws:dynamodb:us-east-1:*:table/sentinel-breakglass/index/*"
                      ]
                    }
                  ]
                }
                """)
        #expect(policy.document == expected)
    }

    /// Get/Put/DeleteResourcePolicy only on the tables whose schema sets `resource_policy` (a policy or
    /// `false`): a schema without the field leaves the policy alone and never reads it in plan or apply.
    @Test func resourcePolicyActionsOnlyOnTablesThatSetAPolicy() throws {
        var closed = TableSchema(name: "closed", partitionKey: .string("id"), resourcePolicy: .noPolicy)
        let plain = TableSchema(name: "plain", partitionKey: .string("id"))
        #expect(!IAMPolicy(tables: [plain]).statements.contains { $0.sid == "SentinelTableResourcePolicies" })
        closed.resourcePolicy = .policy(#"{"Statement": {}}"#)
        let policy = IAMPolicy(tables: [plain, closed, closed], region: "us-east-1", administration: false)
        #expect(
            policy.statements.map(\.sid) == [
                "SentinelTableProvisioning", "SentinelTableResourcePolicies", "SentinelTableOperations",
            ])
        #expect(
            policy.statements[1].document
                == [
                    "Sid": "SentinelTableResourcePolicies", "Effect": "Allow",
                    "Action": [
                        "dynamodb:GetResourcePolicy", "dynamodb:PutResourcePolicy",
                        "dynamodb:DeleteResourcePolicy",
                    ],
                    "Resource": ["arn:aws:dynamodb:us-east-1:*:table/closed"],
                ])
    }

    @Test func administrationAddsDeleteTableOnTheTablesAndListTablesOnEverything() throws {
        let tables = [BuiltInSchema.approvals.schema(), BuiltInSchema.sessions.schema()]
        let policy = IAMPolicy(tables: tables, region: "eu-west-1", accountID: "123456789012")
        #expect(
            policy.statements.map(\.sid) == [
                "SentinelTableProvisioning", "SentinelTableOperations", "SentinelTableAdministration",
                "SentinelTableListing",
            ])
        let expected = try JSONValue(
            parsing: """
                [
                  {
                    "Sid": "SentinelTableAdministration",
                    "Effect": "Allow",
                    "Action": ["dynamodb:DeleteTable"],
                    "Resource": [
                      "arn:aws:dynamodb:eu-west-1:123456789012:table/sentinel-requests",
                      "arn:aws:dynamodb:eu-west-1:123456789012:table/sentinel-sessions"
                    ]
                  },
                  {"Sid": "SentinelTableListing", "Effect": "Allow", "Action": ["dynamodb:ListTables"], "Resource": ["*"]}
                ]
                """)
        #expect(JSONValue.array(policy.statements[2...].map(\.document)) == expected)
        let withoutAdministration = IAMPolicy(tables: tables, region: "eu-west-1", administration: false)
        let actions = withoutAdministration.statements.flatMap(\.actions)
        #expect(!actions.contains("dynamodb:DeleteTable") && !actions.contains("dynamodb:ListTables"))
    }

    @Test(arguments: [
        ("us-east-1", "aws"), ("eu-west-1", "aws"), ("cn-north-1", "aws-cn"), ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"), ("us-gov-east-1", "aws-us-gov"), ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
    ])
    func arnsUseThePartitionOfTheRegion(region: String, partition: String) {
        let policy = IAMPolicy(
            table: BuiltInSchema.sessions.schema(), region: region, accountID: "123456789012")
        #expect(
            policy.statements.first?.resources == [
                "arn:\(partition):dynamodb:\(region):123456789012:table/sentinel-sessions"
            ])
        #expect(ARNScope.partition(forRegion: region) == partition)
    }

    @Test func missingRegionAndAccountAreWildcards() {
        for (region, account) in [(String?.none, String?.none), ("", "")] {
            let policy = IAMPolicy(
                table: BuiltInSchema.approvals.schema(), region: region, accountID: account)
            #expect(
                policy.statements[1].resources == [
                    "arn:aws:dynamodb:*:*:table/sentinel-requests",
                    "arn:aws:dynamodb:*:*:table/sentinel-requests/index/*",
                ])
        }
        let withAccount = IAMPolicy(table: BuiltInSchema.approvals.schema(), accountID: "123456789012")
        #expect(
            withAccount.statements[0].resources == ["arn:aws:dynamodb:*:123456789012:table/sentinel-requests"]
        )
    }

    @Test func onePolicyCoversSeveralTables() {
        let tables = BuiltInSchema.allCases.map { $0.schema() } + [BuiltInSchema.sessions.schema()]
        let policy = IAMPolicy(tables: tables, region: "eu-central-1", accountID: "111122223333")
        #expect(
            policy.statements.map(\.sid) == [
                "SentinelTableProvisioning", "SentinelTableOperations", "SentinelTableAdministration",
                "SentinelTableListing",
            ])
        let arn = "arn:aws:dynamodb:eu-central-1:111122223333:table/"
        #expect(
            policy.statements[0].resources == [
                arn + "sentinel-requests", arn + "sentinel-breakglass", arn + "sentinel-sessions",
            ])
        #expect(
            policy.statements[1].resources == [
                arn + "sentinel-requests", arn + "sentinel-requests/index/*", arn + "sentinel-breakglass",
                arn + "sentinel-breakglass/index/*", arn + "sentinel-sessions",
                arn + "sentinel-sessions/index/*",
            ])
    }

    @Test func noKMSStatementWithoutACustomerKey() {
        var schema = BuiltInSchema.sessions.schema()
        #expect(IAMPolicy(table: schema, administration: false).statements.count == 2)
        schema.encryption = .default
        #expect(IAMPolicy(table: schema, administration: false).statements.count == 2)
    }

    @Test func customerKeysByARNOrIDAreNamedAsKeyARNs() throws {
        var first = TableSchema(name: "first", partitionKey: .string("id"))
        first.encryption = .customerKey(
            "arn:aws:kms:us-west-2:444455556666:key/12345678-1234-1234-1234-123456789012")
        var second = TableSchema(name: "second", partitionKey: .string("id"))
        second.encryption = .customerKey("1234abcd-12ab-34cd-56ef-1234567890ab")
        let policy = IAMPolicy(
            tables: [first, second], region: "cn-north-1", accountID: "123456789012", administration: false)
        let expected = try JSONValue(
            parsing: """
                {
                  "Sid": "SentinelTableKMSKeys",
                  "Effect": "Allow",
                  "Action": \(Self.kms),
                  "Resource": [
                    "arn:aws:kms:us-west-2:444455556666:key/12345678-1234-1234-1234-123456789012",
                    "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                  ]
                }
                """)
        #expect(policy.statements.count == 3)
        #expect(policy.statements.last?.document == expected)
    }

    @Test func customerKeysByAliasUseTheResourceAliasesCondition() throws {
        var byName = TableSchema(name: "by-name", partitionKey: .string("id"))
        byName.encryption = .customerKey("alias/orders")
        var byARN = TableSchema(name: "by-arn", partitionKey: .string("id"))
        byARN.encryption = .customerKey("arn:aws-us-gov:kms:us-gov-west-1:444455556666:alias/audit")
        let policy = IAMPolicy(
            tables: [byName, byARN], region: "us-gov-east-1", accountID: "123456789012", administration: false
        )
        let expected = try JSONValue(
            parsing: """
                {
                  "Sid": "SentinelTableKMSKeyAliases",
                  "Effect": "Allow",
                  "Action": \(Self.kms),
                  "Resource": [
                    "arn:aws-us-gov:kms:us-gov-east-1:123456789012:key/*",
                    "arn:aws-us-gov:kms:us-gov-west-1:444455556666:key/*"
                  ],
                  "Condition": {
                    "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/orders", "alias/audit"]}
                  }
                }
                """)
        #expect(
            policy.statements.map(\.sid) == [
                "SentinelTableProvisioning", "SentinelTableOperations", "SentinelTableKMSKeyAliases",
            ])
        #expect(policy.statements.last?.document == expected)
    }

    @Test func regionAndAccountCanBeChecked() {
        #expect(ARNScope.problems(region: "us-east-1", accountID: "123456789012") == [])
        #expect(ARNScope.problems(region: nil, accountID: nil) == [])
        #expect(ARNScope.problems(region: "US East", accountID: "1234").map(\.path) == ["region", "account"])
    }

    @Test func kmsKeyReferenceForms() {
        #expect(KMSKeyReference("alias/x") == .aliasName("alias/x"))
        #expect(KMSKeyReference("alias/aws/dynamodb")?.isAWSManagedAlias == true)
        #expect(
            KMSKeyReference("arn:aws:kms:us-east-1:123456789012:alias/x")
                == .aliasARN(partition: "aws", region: "us-east-1", account: "123456789012", alias: "alias/x")
        )
        #expect(
            KMSKeyReference("arn:aws:kms:us-east-1:123456789012:key/mrk-1234567890abcdef1234567890abcdef")
                == .keyARN(
                    partition: "aws", region: "us-east-1", account: "123456789012",
                    keyID: "mrk-1234567890abcdef1234567890abcdef"))
        #expect(
            KMSKeyReference("1234abcd-12ab-34cd-56ef-1234567890ab")
                == .keyID("1234abcd-12ab-34cd-56ef-1234567890ab"))
        #expect(KMSKeyReference("arn:aws:kms:us-east-1:123456789012:key/alias/x") == nil)
    }
}

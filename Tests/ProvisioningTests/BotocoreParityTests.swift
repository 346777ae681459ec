import Foundation
import JSON
import Provisioning
import Schema
import TestSupport
import Testing

/// The request bodies for the settings #18 added are the ones boto3 sends for the same call: botocore
/// validates the parameters against DynamoDB's service model and serialises them, and the two bodies
/// must be the same JSON. No server is involved (python3 with botocore is).
@Suite struct BotocoreParityTests {
    /// The body botocore serialises for `operation` with `parameters` (a Python expression, written as
    /// a boto3 user would).
    static func botocoreBody(_ operation: String, _ parameters: String, extraArguments: [String] = [])
        throws -> JSONValue
    {
        let script = """
            import json, sys
            import botocore.session
            from botocore import serialize, validate
            model = botocore.session.get_session().get_service_model('dynamodb').operation_model(sys.argv[1])
            params = \(parameters)
            validate.validate_parameters(params, model.input_shape)
            print(serialize.create_serializer('json').serialize_to_request(params, model)['body'].decode())
            """
        let result = try ChildProcess.python(script, arguments: [operation] + extraArguments)
        try #require(result.status == 0, "botocore: \(result.errors)")
        return try JSONValue(parsing: result.text)
    }

    /// Objects compared as JSON: member order does not count.
    static func same(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (.object(let x)?, .object(let y)?):
            let xKeys = Set(x.map(\.key))
            return xKeys == Set(y.map(\.key)) && xKeys.allSatisfy { same(x[$0], y[$0]) }
        case (.array(let x)?, .array(let y)?):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default:
            return a == b
        }
    }

    @Test func recoveryPeriod() throws {
        let schema = TableSchema(
            name: "audit", partitionKey: .string("id"), pointInTimeRecovery: true, recoveryPeriodDays: 7)
        let ours = StepRequests.requests(
            for: .updatePointInTimeRecovery(enabled: true, recoveryPeriodDays: 7), schema: schema, arn: "")
        let theirs = try Self.botocoreBody(
            "UpdateContinuousBackups",
            "dict(TableName='audit', PointInTimeRecoverySpecification={'PointInTimeRecoveryEnabled': True, "
                + "'RecoveryPeriodInDays': 7})")
        #expect(ours.map(\.operation) == ["UpdateContinuousBackups"])
        #expect(Self.same(ours.first?.body, theirs), "\(String(describing: ours.first?.body)) vs \(theirs)")
    }

    @Test func onDemandThroughputOnCreate() throws {
        let theirs = try Self.botocoreBody(
            "CreateTable",
            """
            dict(TableName='orders', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
              AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}, {'AttributeName': 'state', 'AttributeType': 'S'}],
              BillingMode='PAY_PER_REQUEST',
              OnDemandThroughput={'MaxReadRequestUnits': 100, 'MaxWriteRequestUnits': 40},
              GlobalSecondaryIndexes=[{'IndexName': 'by-state', 'KeySchema': [{'AttributeName': 'state', 'KeyType': 'HASH'}],
                'Projection': {'ProjectionType': 'ALL'}, 'OnDemandThroughput': {'MaxReadRequestUnits': 50}}])
            """)
        let ours = OnDemandThroughputTests.schema.createTableRequest()
        #expect(Self.same(ours, theirs), "\(ours) vs \(theirs)")
    }

    @Test func onDemandThroughputUpdateAndRemoval() throws {
        let change = SettingsChange(throughput: [
            ThroughputChange(
                field: "on_demand_throughput", from: nil, to: OnDemandThroughput(maxRead: 100).units),
            ThroughputChange(
                field: "on_demand_throughput", index: "by-state", from: OnDemandThroughput(maxRead: 10).units,
                to: nil),
        ])
        let ours = StepRequests.requests(
            for: .updateSettings(change), schema: OnDemandThroughputTests.schema, arn: "")
        let theirs = try Self.botocoreBody(
            "UpdateTable",
            """
            dict(TableName='orders', OnDemandThroughput={'MaxReadRequestUnits': 100, 'MaxWriteRequestUnits': -1},
              GlobalSecondaryIndexUpdates=[{'Update': {'IndexName': 'by-state',
                'OnDemandThroughput': {'MaxReadRequestUnits': -1, 'MaxWriteRequestUnits': -1}}}])
            """)
        #expect(ours.count == 1)
        #expect(Self.same(ours.first?.body, theirs), "\(String(describing: ours.first?.body)) vs \(theirs)")
    }

    @Test func warmThroughputOnCreateAndUpdate() throws {
        let created = try Self.botocoreBody(
            "CreateTable",
            """
            dict(TableName='launch', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
              AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}, {'AttributeName': 'sku', 'AttributeType': 'S'}],
              BillingMode='PAY_PER_REQUEST', WarmThroughput={'ReadUnitsPerSecond': 15000, 'WriteUnitsPerSecond': 5000},
              GlobalSecondaryIndexes=[{'IndexName': 'by-sku', 'KeySchema': [{'AttributeName': 'sku', 'KeyType': 'HASH'}],
                'Projection': {'ProjectionType': 'ALL'}, 'WarmThroughput': {'ReadUnitsPerSecond': 20000}}])
            """)
        let ours = WarmThroughputTests.schema.createTableRequest()
        #expect(Self.same(ours, created), "\(ours) vs \(created)")
        let change = SettingsChange(throughput: [
            ThroughputChange(field: "warm_throughput", from: nil, to: WarmThroughput(readUnits: 15000).units),
            ThroughputChange(
                field: "warm_throughput", index: "by-sku", from: nil,
                to: WarmThroughput(writeUnits: 9000).units),
        ])
        let update = StepRequests.requests(
            for: .updateSettings(change), schema: WarmThroughputTests.schema, arn: "")
        let updated = try Self.botocoreBody(
            "UpdateTable",
            """
            dict(TableName='launch', WarmThroughput={'ReadUnitsPerSecond': 15000},
              GlobalSecondaryIndexUpdates=[{'Update': {'IndexName': 'by-sku', 'WarmThroughput': {'WriteUnitsPerSecond': 9000}}}])
            """)
        #expect(
            Self.same(update.first?.body, updated), "\(String(describing: update.first?.body)) vs \(updated)")
    }

    @Test func resourcePolicyPutDeleteAndCreateTable() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dynamodb:DeleteTable","Resource":"*"}]}"#
        let schema = TableSchema(name: "audit", partitionKey: .string("id"), resourcePolicy: .policy(policy))
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/audit"
        let quotedPolicy = "'" + policy + "'"
        let put = StepRequests.requests(
            for: .putResourcePolicy(policy, replacing: policy, revision: "r1"), schema: schema, arn: arn)
        let putTheirs = try Self.botocoreBody(
            "PutResourcePolicy", "dict(ResourceArn='\(arn)', Policy=\(quotedPolicy), ExpectedRevisionId='r1')"
        )
        #expect(put.map(\.operation) == ["PutResourcePolicy"])
        #expect(
            Self.same(put.first?.body, putTheirs), "\(String(describing: put.first?.body)) vs \(putTheirs)")
        let delete = StepRequests.requests(
            for: .deleteResourcePolicy(policy, revision: "r1"), schema: schema, arn: arn)
        let deleteTheirs = try Self.botocoreBody(
            "DeleteResourcePolicy", "dict(ResourceArn='\(arn)', ExpectedRevisionId='r1')")
        #expect(Self.same(delete.first?.body, deleteTheirs), "\(String(describing: delete.first?.body))")
        let get = try Self.botocoreBody("GetResourcePolicy", "dict(ResourceArn='\(arn)')")
        #expect(get == ["ResourceArn": .string(arn)])
        // `--format create-table`: CreateTable's ResourcePolicy member is the policy text.
        let createTheirs = try Self.botocoreBody(
            "CreateTable",
            "dict(TableName='audit', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}], "
                + "AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], "
                + "BillingMode='PAY_PER_REQUEST', ResourcePolicy=\(quotedPolicy))")
        #expect(Self.same(schema.createTableRequest(), createTheirs), "\(createTheirs)")
    }
}

/// ImportTable's TableCreationParameters, as migrate's S3 engine sends them, are what botocore's model of
/// ImportTable accepts (it refuses members it does not know, such as CreateTable's Tags or
/// StreamSpecification), and they keep what ImportTable can create.
@Suite struct ImportTableParametersTests {
    @Test func theParametersAreWhatImportTableTakes() throws {
        let schema = TableSchema(
            name: "sessions-v2", partitionKey: .string("device"),
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(
                    name: "by_user", partitionKey: .string("user"), readCapacity: 1, writeCapacity: 1)
            ],
            billingMode: .provisioned, readCapacity: 5, writeCapacity: 5, ttlAttribute: "expires",
            encryption: Encryption(type: .kms), deletionProtection: true, stream: .newImage,
            tableClass: .standardInfrequentAccess, tags: ["team": "platform"])
        let ours = schema.importTableCreationParameters()
        let text = JSONWriter(style: .compact).string(from: ours)
        let theirs = try BotocoreParityTests.botocoreBody(
            "ImportTable",
            "dict(S3BucketSource={'S3Bucket': 'b', 'S3KeyPrefix': 'p/AWSDynamoDB/1/data/'}, "
                + "InputFormat='DYNAMODB_JSON', InputCompressionType='GZIP', "
                + "TableCreationParameters=json.loads(sys.argv[2]))",
            extraArguments: [text])
        #expect(BotocoreParityTests.same(theirs["TableCreationParameters"], ours))
        let members = Set(ours.objectValue?.keys ?? [])
        #expect(
            members == [
                "TableName", "KeySchema", "AttributeDefinitions", "BillingMode", "ProvisionedThroughput",
                "GlobalSecondaryIndexes", "SSESpecification",
            ])
        #expect(schema.importTableProblem == nil)
    }

    @Test func localSecondaryIndexesCannotBeImported() {
        let schema = TableSchema(
            name: "t", partitionKey: .string("a"), sortKey: .string("b"),
            localSecondaryIndexes: [LocalSecondaryIndex(name: "by_c", sortKey: .string("c"))])
        #expect(schema.importTableProblem?.contains("local secondary indexes (by_c)") == true)
    }
}

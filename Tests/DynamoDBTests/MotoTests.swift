import DynamoDB
import DynamoDBTestSupport
import Foundation
import JSON
import Testing

@Suite struct MotoTests {
    @Test func tableLifecycleAndSettings() async throws {
        try await LocalDynamoDB.withClient { client in
            let name = LocalDynamoDB.uniqueName("lifecycle")
            var request = LocalDynamoDB.createRequest(name)
            request["AttributeDefinitions"] = [
                ["AttributeName": "id", "AttributeType": "S"],
                ["AttributeName": "status", "AttributeType": "S"],
                ["AttributeName": "created_at", "AttributeType": "S"],
            ]
            request["GlobalSecondaryIndexes"] = [
                [
                    "IndexName": "gsi-status",
                    "KeySchema": [
                        ["AttributeName": "status", "KeyType": "HASH"],
                        ["AttributeName": "created_at", "KeyType": "RANGE"],
                    ],
                    "Projection": ["ProjectionType": "ALL"],
                ]
            ]
            request["SSESpecification"] = ["Enabled": true, "SSEType": "KMS"]
            request["Tags"] = [["Key": "team", "Value": "platform"]]
            let created = try await client.createTable(request)
            #expect(created.tableName == name)

            let table = try await client.describeTable(name)
            #expect(table.tableStatus == "ACTIVE")
            #expect(table.billingMode == "PAY_PER_REQUEST")
            #expect(table.keySchema == [.init(attributeName: "id", keyType: "HASH")])
            #expect(table.attributeDefinitions.count == 3)
            #expect(table.globalSecondaryIndexes.map(\.indexName) == ["gsi-status"])
            #expect(
                table.globalSecondaryIndexes.first?.keySchema.map(\.attributeName) == [
                    "status", "created_at",
                ])
            #expect(table.globalSecondaryIndexes.first?.projection.projectionType == "ALL")
            #expect(table.sseDescription?.sseType == "KMS")
            let arn = try #require(table.tableARN)

            #expect(try await client.describeTimeToLive(name).status == "DISABLED")
            try await client.updateTimeToLive(tableName: name, attributeName: "ttl", enabled: true)
            let ttl = try await client.describeTimeToLive(name)
            #expect(ttl.status == "ENABLED")
            #expect(ttl.attributeName == "ttl")

            #expect(try await client.describeContinuousBackups(name).pointInTimeRecoveryStatus == "DISABLED")
            try await client.updateContinuousBackups(tableName: name, pointInTimeRecoveryEnabled: true)
            #expect(try await client.describeContinuousBackups(name).pointInTimeRecoveryStatus == "ENABLED")

            #expect(try await client.listTagsOfResource(arn) == [Tag(key: "team", value: "platform")])
            try await client.tagResource(arn, tags: [Tag(key: "env", value: "test")])
            try await client.untagResource(arn, tagKeys: ["team"])
            #expect(try await client.listTagsOfResource(arn) == [Tag(key: "env", value: "test")])

            let updated = try await client.updateTable([
                "TableName": .string(name), "DeletionProtectionEnabled": true,
            ])
            #expect(updated.deletionProtectionEnabled)
            _ = try await client.updateTable(["TableName": .string(name), "DeletionProtectionEnabled": false])

            try await client.deleteTable(name)
            await #expect {
                _ = try await client.describeTable(name)
            } throws: { error in
                guard case DynamoDBError.service(let serviceError) = error else { return false }
                return serviceError.code == "ResourceNotFoundException" && serviceError.tableName == name
                    && serviceError.statusCode == 400
            }
        }
    }

    @Test func listTablesFollowsPages() async throws {
        try await LocalDynamoDB.withClient { client in
            let names = (0..<3).map { _ in LocalDynamoDB.uniqueName("pages") }
            for name in names { _ = try await client.createTable(LocalDynamoDB.createRequest(name)) }
            let listed = try await client.listTables(pageSize: 1)
            #expect(Set(names).isSubset(of: Set(listed)))
            #expect(listed.count == Set(listed).count)
            for name in names { try await client.deleteTable(name) }
        }
    }

    @Test func singleItemOperations() async throws {
        try await LocalDynamoDB.withClient { client in
            let name = LocalDynamoDB.uniqueName("items")
            _ = try await client.createTable(LocalDynamoDB.createRequest(name))
            let key: Item = ["id": "a"]
            #expect(try await client.getItem(tableName: name, key: key) == nil)
            try await client.putItem(tableName: name, item: ["id": "a", "status": "new", "count": 1])
            #expect(
                try await client.getItem(tableName: name, key: key, consistentRead: true)?["status"] == "new")

            await #expect {
                try await client.putItem(
                    tableName: name, item: ["id": "a"], conditionExpression: "attribute_not_exists(id)")
            } throws: { error in
                guard case DynamoDBError.service(let serviceError) = error else { return false }
                return serviceError.code == "ConditionalCheckFailedException"
            }

            let updated = try await client.updateItem(
                tableName: name, key: key, updateExpression: "SET #s = :s ADD #c :one",
                expressionAttributeNames: ["#s": "status", "#c": "count"],
                expressionAttributeValues: [":s": "done", ":one": 1], returnValues: "ALL_NEW")
            #expect(updated?["status"] == "done")
            #expect(updated?["count"] == 2)

            let old = try await client.deleteItem(tableName: name, key: key, returnOldItem: true)
            #expect(old?["status"] == "done")
            #expect(try await client.getItem(tableName: name, key: key) == nil)
            try await client.deleteTable(name)
        }
    }

    @Test func queryAndScanPageLazily() async throws {
        try await LocalDynamoDB.withClient { client in
            let name = LocalDynamoDB.uniqueName("query")
            _ = try await client.createTable(LocalDynamoDB.createRequest(name, sortKey: true))
            for index in 0..<7 {
                try await client.putItem(
                    tableName: name, item: ["id": "p", "sk": .number(AttributeNumber(index))])
            }
            try await client.putItem(tableName: name, item: ["id": "other", "sk": 0])

            let query = QueryRequest(
                tableName: name, keyConditionExpression: "id = :p", expressionAttributeValues: [":p": "p"],
                pageSize: 2, scanIndexForward: false)
            var pages = 0
            var keys: [AttributeValue] = []
            for try await page in client.query(query) {
                pages += 1
                keys += page.items.compactMap { $0["sk"] }
            }
            #expect(pages >= 4)
            #expect(keys == (0..<7).reversed().map { .number(AttributeNumber($0)) })

            let scanned = try await client.scan(ScanRequest(tableName: name, pageSize: 3)).allItems()
            #expect(scanned.count == 8)

            var firstPage = client.scan(ScanRequest(tableName: name, pageSize: 3)).makeAsyncIterator()
            let page = try #require(try await firstPage.next())
            #expect(page.items.count == 3)
            #expect(page.lastEvaluatedKey != nil)

            var segmentItems = 0
            for segment in client.parallelScan(ScanRequest(tableName: name, pageSize: 2), totalSegments: 2) {
                segmentItems += try await segment.allItems().count
            }
            #expect(segmentItems == 8)

            var counting = query
            counting.select = "COUNT"
            var counted = 0
            for try await page in client.query(counting) {
                #expect(page.items.isEmpty)
                counted += page.count
            }
            #expect(counted == 7)
            var countingScan = ScanRequest(tableName: name)
            countingScan.select = "COUNT"
            var countingPages = client.scan(countingScan).makeAsyncIterator()
            let scanPage = try #require(try await countingPages.next())
            #expect(scanPage.count == 8)  // moto still sends the items of a COUNT scan; DynamoDB does not
            try await client.deleteTable(name)
        }
    }

    @Test func batchWriteAndGetChunk() async throws {
        try await LocalDynamoDB.withClient { client in
            let name = LocalDynamoDB.uniqueName("batch")
            _ = try await client.createTable(LocalDynamoDB.createRequest(name))
            let items: [Item] = (0..<130).map {
                ["id": .string("item-\($0)"), "n": .number(AttributeNumber($0))]
            }
            try await client.batchWriteItem(tableName: name, puts: items)
            let keys: [Item] = items.map { ["id": $0["id"]!] }
            let fetched = try await client.batchGetItem(tableName: name, keys: keys + [["id": "missing"]])
            #expect(fetched.count == 130)
            #expect(Set(fetched.compactMap { $0["n"] }) == Set(items.compactMap { $0["n"] }))

            try await client.batchWriteItem(tableName: name, deleteKeys: Array(keys.prefix(60)))
            #expect(try await client.scan(ScanRequest(tableName: name)).allItems().count == 70)
            try await client.deleteTable(name)
        }
    }
}

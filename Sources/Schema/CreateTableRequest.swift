import JSON

extension TableSchema {
    /// The body of a DynamoDB CreateTable request for this schema, exactly as the API and
    /// `aws dynamodb create-table --cli-input-json` take it.
    ///
    /// Deterministic: members in a fixed order (`TableName`, `KeySchema`, `AttributeDefinitions`,
    /// `BillingMode`, `ProvisionedThroughput`, each ``ThroughputSetting``'s member (`OnDemandThroughput`, `WarmThroughput`), `GlobalSecondaryIndexes`, `LocalSecondaryIndexes`,
    /// `SSESpecification`, `StreamSpecification`, `TableClass`, the simple table settings' members (``TableSetting/all``), `Tags`, the members of ``OperatedSetting``s CreateTable takes (`ResourcePolicy`)),
    /// attribute definitions and tags sorted by name, indexes in schema order. Optional members appear
    /// only when they say something: no `SSESpecification` for the default key owned by AWS, no
    /// `TableClass` for `STANDARD`, no simple setting at DynamoDB's default.
    ///
    /// TTL and point-in-time recovery are not part of CreateTable (they need UpdateTimeToLive and
    /// UpdateContinuousBackups afterwards); apply sends the resource policy with its own step too
    /// (``withoutOperatedSettings()``). Render a schema that ``validate()`` accepts: an invalid one
    /// renders as it is, and DynamoDB will reject it.
    public func createTableRequest() -> JSONValue {
        var request: JSONObject = [
            "TableName": .string(name),
            "KeySchema": Self.keySchema(partitionKey, sortKey),
            "AttributeDefinitions": .array(
                attributeDefinitions.map {
                    ["AttributeName": .string($0.name), "AttributeType": .string($0.type.rawValue)]
                }
            ),
            "BillingMode": .string(billingMode.rawValue),
        ]
        if let throughput = provisionedThroughput(read: readCapacity, write: writeCapacity) {
            request["ProvisionedThroughput"] = throughput
        }
        Self.addThroughputMembers(throughput, to: &request)
        if !globalSecondaryIndexes.isEmpty {
            request["GlobalSecondaryIndexes"] = .array(
                globalSecondaryIndexes.map(globalSecondaryIndexRequest))
        }
        if !localSecondaryIndexes.isEmpty {
            request["LocalSecondaryIndexes"] = .array(
                localSecondaryIndexes.map { index in
                    [
                        "IndexName": .string(index.name),
                        "KeySchema": Self.keySchema(partitionKey, index.sortKey),
                        "Projection": Self.projection(index.projection),
                    ]
                })
        }
        if let sse = serverSideEncryption {
            request["SSESpecification"] = sse
        }
        if let stream {
            request["StreamSpecification"] = [
                "StreamEnabled": true, "StreamViewType": .string(stream.rawValue),
            ]
        }
        for (member, value) in settings.createTableMembers {
            request[member] = value
        }
        if !tags.isEmpty {
            let keys = tags.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            request["Tags"] = .array(keys.map { ["Key": .string($0), "Value": .string(tags[$0] ?? "")] })
        }
        // The ``OperatedSetting``s CreateTable takes too (the resource policy), when they say something.
        for setting in OperatedSetting.all {
            guard let member = setting.createTableMember, let value = setting.value(in: self),
                value != setting.noneValue
            else { continue }
            request[member] = value
        }
        return .object(request)
    }

    /// The schema without the ``OperatedSetting``s that apply writes with their own steps once the
    /// table is ACTIVE: what apply's CreateTable carries.
    public func withoutOperatedSettings() -> TableSchema {
        var schema = self
        schema.operatedSettings = [:]
        return schema
    }

    private func globalSecondaryIndexRequest(_ index: GlobalSecondaryIndex) -> JSONValue {
        var request: JSONObject = [
            "IndexName": .string(index.name),
            "KeySchema": Self.keySchema(index),
            "Projection": Self.projection(index.projection),
        ]
        if let throughput = provisionedThroughput(read: index.readCapacity, write: index.writeCapacity) {
            request["ProvisionedThroughput"] = throughput
        }
        Self.addThroughputMembers(index.throughput, to: &request)
        return .object(request)
    }

    /// Each ``ThroughputSetting``'s member, with the sides given (none when no side is): CreateTable
    /// leaves a side without a value out (an update says -1 for no on-demand limit).
    static func addThroughputMembers(_ throughput: [String: ThroughputUnits], to request: inout JSONObject) {
        for setting in ThroughputSetting.all {
            request[setting.member] = throughput[setting.field].flatMap(setting.request)
        }
    }

    /// `ProvisionedThroughput` for a `PROVISIONED` table or GSI; DynamoDB rejects it on demand.
    private func provisionedThroughput(read: Int?, write: Int?) -> JSONValue? {
        guard billingMode == .provisioned else { return nil }
        var throughput = JSONObject()
        throughput["ReadCapacityUnits"] = read.map { JSONValue($0) }
        throughput["WriteCapacityUnits"] = write.map { JSONValue($0) }
        return .object(throughput)
    }

    /// `SSESpecification`: none for the key owned by AWS (DynamoDB's default), `SSEType: KMS` for the
    /// AWS-managed key, plus `KMSMasterKeyId` for a customer key.
    private var serverSideEncryption: JSONValue? {
        switch encryption.type {
        case .kms:
            return ["Enabled": true, "SSEType": "KMS"]
        case .customerKey:
            var sse: JSONObject = ["Enabled": true, "SSEType": "KMS"]
            sse["KMSMasterKeyId"] = encryption.givenKey.map(JSONValue.string)
            return .object(sse)
        default:
            return nil
        }
    }

    private static func keySchema(_ partitionKey: KeyAttribute, _ sortKey: KeyAttribute?) -> JSONValue {
        var elements: [JSONValue] = [["AttributeName": .string(partitionKey.name), "KeyType": "HASH"]]
        if let sortKey {
            elements.append(["AttributeName": .string(sortKey.name), "KeyType": "RANGE"])
        }
        return .array(elements)
    }

    /// A GSI's KeySchema: every partition key element in order, then every sort key element in order,
    /// as DynamoDB takes a multi-attribute key ("HASH elements first, then RANGE").
    public static func keySchema(_ index: GlobalSecondaryIndex) -> JSONValue {
        .array(
            index.partitionKeys.map { ["AttributeName": .string($0.name), "KeyType": "HASH"] }
                + index.sortKeys.map { ["AttributeName": .string($0.name), "KeyType": "RANGE"] })
    }

    private static func projection(_ projection: Projection) -> JSONValue {
        var object: JSONObject = ["ProjectionType": .string(projection.type.rawValue)]
        if !projection.nonKeyAttributes.isEmpty {
            object["NonKeyAttributes"] = .array(projection.nonKeyAttributes.map(JSONValue.string))
        }
        return .object(object)
    }
}

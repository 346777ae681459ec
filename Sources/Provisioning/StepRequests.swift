import JSON
import Schema

/// The DynamoDB requests that carry out a plan step: pure, so each body is tested without a server.
public enum StepRequests {
    /// The operations and bodies, in order (a stream view type change is two UpdateTable calls).
    /// `schema` supplies what a step needs besides itself: attribute definitions and capacity for a new
    /// index, and the billing mode. `arn` is the table's ARN, for tags. `liveIndexes` are the global
    /// secondary indexes the table has now, whose key attributes a new index's request defines too.
    public static func requests(
        for step: PlanStep, schema: TableSchema, arn: String, liveIndexes: [GlobalSecondaryIndex] = []
    ) -> [(operation: String, body: JSONValue)] {
        let table = JSONValue.string(schema.name)
        switch step {
        case .createTable(let wanted):
            // Each ``OperatedSetting`` is its own step once the table is ACTIVE (``TableDiff/creationPlan(_:)``).
            return [("CreateTable", wanted.withoutOperatedSettings().createTableRequest())]
        case .deleteIndex(let name, _):
            return [
                (
                    "UpdateTable",
                    [
                        "TableName": table,
                        "GlobalSecondaryIndexUpdates": [["Delete": ["IndexName": .string(name)]]],
                    ]
                )
            ]
        case .updateSetting(let change):
            guard let member = change.setting?.member else { return [] }
            return [("UpdateTable", ["TableName": table, .init(member): change.value])]
        case .updateSettings(let change):
            return settingsRequests(change, table: table)
        case .createIndex(let index, _):
            return [("UpdateTable", createIndexRequest(index, schema: schema, liveIndexes: liveIndexes))]
        case .updateEncryption(_, let to):
            var sse: JSONObject = ["Enabled": .bool(to.type != .default)]
            if to.type != .default {
                sse["SSEType"] = "KMS"
                if to.type == .customerKey, let key = to.kmsKey { sse["KMSMasterKeyId"] = .string(key) }
            }
            return [("UpdateTable", ["TableName": table, "SSESpecification": .object(sse)])]
        case .enableTimeToLive(let attribute, _), .disableTimeToLive(let attribute):
            let enabled: Bool
            if case .enableTimeToLive = step { enabled = true } else { enabled = false }
            return [
                (
                    "UpdateTimeToLive",
                    [
                        "TableName": table,
                        "TimeToLiveSpecification": [
                            "Enabled": .bool(enabled), "AttributeName": .string(attribute),
                        ],
                    ]
                )
            ]
        case .updateOperatedSetting(let change):
            return change.requests(name: schema.name, arn: arn)
        case .tagResource(let tags, _):
            let keys = tags.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return [
                (
                    "TagResource",
                    [
                        "ResourceArn": .string(arn),
                        "Tags": .array(keys.map { ["Key": .string($0), "Value": .string(tags[$0] ?? "")] }),
                    ]
                )
            ]
        case .untagResource(let keys):
            return [
                (
                    "UntagResource",
                    ["ResourceArn": .string(arn), "TagKeys": .array(keys.map(JSONValue.string))]
                )
            ]
        case .createAccountReplica, .deleteAccountReplica, .grantAccountReplica:
            // Sent in the replica's account by apply (``Provisioner/carryOutAccountReplica``).
            return []
        case .createReplica, .updateReplica, .deleteReplica, .createStrongGlobalTable:
            return ReplicaChanges.request(for: step, table: table).map { [("UpdateTable", $0)] } ?? []
        case .updateReplicaSettings(_, let change):
            // Sent to the replica's region by apply, with the replica table's ARN there.
            return ReplicaChanges.regionalRequests(change, table: table, arn: change.arn ?? "")
        }
    }

    /// Each ``ThroughputSetting`` change's member, as UpdateTable takes it.
    private static func addThroughput(_ changes: [ThroughputChange], to request: inout JSONObject) {
        for change in changes {
            guard let setting = change.setting else { continue }
            request[setting.member] = setting.updateRequest(change.to)
        }
    }

    private static func settingsRequests(_ change: SettingsChange, table: JSONValue) -> [(
        operation: String, body: JSONValue
    )] {
        var request: JSONObject = ["TableName": table]
        if let billingMode = change.billingMode { request["BillingMode"] = .string(billingMode.rawValue) }
        if let capacity = change.capacity { request["ProvisionedThroughput"] = throughput(capacity) }
        addThroughput(change.throughput(ofIndex: nil), to: &request)
        // One Update per index, with its capacity or its on-demand limits (a table has one or the other)
        // and its warm throughput.
        let updated = Set(change.indexCapacities.keys).union(change.throughput.compactMap(\.index)).sorted()
        if !updated.isEmpty {
            request["GlobalSecondaryIndexUpdates"] = .array(
                updated.map { name in
                    var update: JSONObject = ["IndexName": .string(name)]
                    update["ProvisionedThroughput"] = change.indexCapacities[name].map(throughput)
                    addThroughput(change.throughput(ofIndex: name), to: &update)
                    return ["Update": .object(update)]
                })
        }
        for setting in change.settings {
            if let member = setting.setting?.member { request[member] = setting.value }
        }
        var requests: [(operation: String, body: JSONValue)] = []
        if let stream = change.stream {
            if stream.from != nil, stream.to != nil {
                // DynamoDB cannot switch view types directly: turn the stream off first, on its own.
                requests.append(
                    ("UpdateTable", ["TableName": table, "StreamSpecification": ["StreamEnabled": false]]))
            }
            if let view = stream.to {
                request["StreamSpecification"] = [
                    "StreamEnabled": true, "StreamViewType": .string(view.rawValue),
                ]
            } else {
                request["StreamSpecification"] = ["StreamEnabled": false]
            }
        }
        if request.count > 1 { requests.append(("UpdateTable", .object(request))) }
        return requests
    }

    /// The GSI as CreateTable would create it, with the definitions of every attribute the table and its
    /// indexes key on once it exists (the table's keys, its local indexes, the indexes it has now and the
    /// new one), as Terraform sends them. DynamoDB merges definitions, but servers that replace them
    /// (moto) would otherwise be left with a table whose definitions lack its own keys.
    private static func createIndexRequest(
        _ index: GlobalSecondaryIndex, schema: TableSchema, liveIndexes: [GlobalSecondaryIndex]
    ) -> JSONValue {
        var single = schema
        single.globalSecondaryIndexes = [index]
        single.localSecondaryIndexes = []
        let rendered = single.createTableRequest()
        var keys = [schema.partitionKey] + (schema.sortKey.map { [$0] } ?? [])
        keys += schema.localSecondaryIndexes.map(\.sortKey)
        for other in liveIndexes where other.name != index.name {
            keys += other.partitionKeys + other.sortKeys
        }
        keys += index.partitionKeys + index.sortKeys
        var seen: Set<String> = []
        let unique = keys.filter { seen.insert($0.name).inserted }
        let sorted = unique.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let definitions = sorted.map { key -> JSONValue in
            ["AttributeName": .string(key.name), "AttributeType": .string(key.type.rawValue)]
        }
        return [
            "TableName": .string(schema.name),
            "AttributeDefinitions": .array(definitions),
            "GlobalSecondaryIndexUpdates": [["Create": rendered["GlobalSecondaryIndexes"]?[0] ?? .null]],
        ]
    }

    private static func throughput(_ capacity: Capacity) -> JSONValue {
        ["ReadCapacityUnits": JSONValue(capacity.read), "WriteCapacityUnits": JSONValue(capacity.write)]
    }
}

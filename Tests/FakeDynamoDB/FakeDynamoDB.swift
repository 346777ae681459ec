import JSON
import Provisioning

/// An in-memory DynamoDB control plane with the behaviour provisioning depends on: tables and indexes
/// that stay CREATING or UPDATING for a number of DescribeTable calls, ResourceInUseException while a
/// change runs, and injectable faults (a lost response, a failing operation). Responses have DynamoDB's
/// shapes, so the code under test parses the same JSON it would get from AWS.
public actor FakeDynamoDB: ControlPlane {
    public struct Index: Sendable {
        public var request: JSONValue
        public var status = "CREATING"
        public var pollsLeft: Int
        public var name: String { request["IndexName"]?.stringValue ?? "" }
    }

    public struct Table: Sendable {
        public var name: String
        public var keySchema: JSONValue
        public var definitions: [String: String]
        public var billing: String
        public var throughput: JSONValue?
        /// `OnDemandThroughput` as last given (DynamoDB reports -1 for a side without a limit).
        public var onDemandThroughput: JSONValue?
        /// `WarmThroughput`: DynamoDB's 12000/4000 for a new on-demand table unless a request raised it.
        public var warmThroughput: JSONValue = ["ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000]
        public var indexes: [Index] = []
        public var localIndexes: JSONValue?
        public var sse: JSONValue?
        public var stream: JSONValue?
        public var tableClass: String?
        public var protection = false
        public var status = "CREATING"
        public var pollsLeft: Int
        public var ttl: (status: String, attribute: String?) = ("DISABLED", nil)
        public var pitr = false
        /// The recovery period while recovery is on: 35 days unless a request gave another.
        public var recoveryPeriodDays = 35
        public var tags: [String: String] = [:]
        /// The resource policy's text and revision, as Put/GetResourcePolicy keep them.
        public var policy: (text: String, revision: String)?
        public var arn: String { "arn:aws:dynamodb:us-east-1:123456789012:table/\(name)" }
    }

    struct TransportFailure: Error, CustomStringConvertible {
        var description: String { "connection reset by peer" }
    }

    public private(set) var tables: [String: Table] = [:]
    /// Every operation received, in order (`UpdateTable`, `CreateTable`...).
    public private(set) var operations: [String] = []
    /// The last resource-policy revision handed out.
    private var policyRevisions = 0
    /// DescribeTable calls a new table or index stays in transition for.
    public var transitionPolls: Int
    /// Operations that are carried out but whose response is lost, once each.
    var loseResponseOf: Set<String> = []
    /// Operations that fail with this error, as many times as given.
    var failures: [String: (code: String, message: String, times: Int)] = [:]
    /// Whether a table's TTL may change only once, as DynamoDB allows once per hour (the tests' hour
    /// never ends): later UpdateTimeToLive calls fail with DynamoDB's ValidationException.
    public var timeToLiveChangesOncePerHour = false
    private var timeToLiveChanged: Set<String> = []

    /// What DescribeLimits reports as the account's per-table quota (DynamoDB's default, 40,000 each).
    public var tableQuota = (read: 40000, write: 40000)
    public func setTableQuota(read: Int, write: Int) { tableQuota = (read, write) }

    public init(transitionPolls: Int = 0) {
        self.transitionPolls = transitionPolls
    }

    public func loseResponse(of operation: String) { loseResponseOf.insert(operation) }
    public func fail(_ operation: String, with code: String, message: String = "injected", times: Int = 1) {
        failures[operation] = (code, message, times)
    }
    public func enforceTimeToLiveHour() { timeToLiveChangesOncePerHour = true }
    public func edit(_ name: String, _ change: (inout Table) -> Void) {
        if var table = tables[name] {
            change(&table)
            tables[name] = table
        }
    }

    public func send(_ operation: String, _ body: JSONValue) async throws -> JSONValue {
        operations.append(operation)
        if let failure = failures[operation] {
            failures[operation] = failure.times > 1 ? (failure.code, failure.message, failure.times - 1) : nil
            throw ControlPlaneError(code: failure.code, message: failure.message)
        }
        let response = try perform(operation, body)
        if loseResponseOf.remove(operation) != nil { throw TransportFailure() }
        return response
    }

    private func perform(_ operation: String, _ body: JSONValue) throws -> JSONValue {
        let name = body["TableName"]?.stringValue ?? tableName(fromARN: body["ResourceArn"]?.stringValue)
        if operation == "CreateTable" { return try create(body) }
        if operation == "DescribeLimits" {
            return [
                "AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                "TableMaxReadCapacityUnits": JSONValue(tableQuota.read),
                "TableMaxWriteCapacityUnits": JSONValue(tableQuota.write),
            ]
        }
        guard var table = tables[name] else {
            throw ControlPlaneError(
                code: "ResourceNotFoundException", message: "Requested resource not found")
        }
        defer { if tables[name] != nil { tables[name] = table } }
        switch operation {
        case "DescribeTable":
            advance(&table)
            return ["Table": describe(table)]
        case "UpdateTable":
            guard table.status == "ACTIVE", table.indexes.allSatisfy({ $0.status == "ACTIVE" }) else {
                throw ControlPlaneError(code: "ResourceInUseException", message: "table is being updated")
            }
            update(&table, body)
            return ["TableDescription": describe(table)]
        case "DeleteTable":
            if table.protection {
                throw ControlPlaneError(
                    code: "ValidationException", message: "deletion protection is enabled")
            }
            tables[name] = nil
            return ["TableDescription": describe(table)]
        case "DescribeTimeToLive":
            var description: JSONObject = ["TimeToLiveStatus": .string(table.ttl.status)]
            if let attribute = table.ttl.attribute { description["AttributeName"] = .string(attribute) }
            return ["TimeToLiveDescription": .object(description)]
        case "UpdateTimeToLive":
            if timeToLiveChangesOncePerHour, !timeToLiveChanged.insert(name).inserted {
                throw ControlPlaneError(
                    code: "ValidationException",
                    message: "Time to live has been modified multiple times within a fixed interval")
            }
            let spec = body["TimeToLiveSpecification"]
            let enabled = spec?["Enabled"]?.boolValue ?? false
            if enabled, table.ttl.status == "ENABLED", let active = table.ttl.attribute,
                active != spec?["AttributeName"]?.stringValue
            {
                // "To update this property, you must first disable TTL and then enable TTL with the new
                // attribute name." (TimeToLiveSpecification.AttributeName)
                throw ControlPlaneError(
                    code: "ValidationException",
                    message:
                        "TimeToLive is active on a different AttributeName: current AttributeName is \(active)"
                )
            }
            table.ttl = (enabled ? "ENABLED" : "DISABLED", spec?["AttributeName"]?.stringValue)
            return ["TimeToLiveSpecification": spec ?? .null]
        case "DescribeContinuousBackups":
            return [
                "ContinuousBackupsDescription": [
                    "ContinuousBackupsStatus": "ENABLED",
                    "PointInTimeRecoveryDescription": table.pitr
                        ? [
                            "PointInTimeRecoveryStatus": "ENABLED",
                            "RecoveryPeriodInDays": JSONValue(table.recoveryPeriodDays),
                        ] : ["PointInTimeRecoveryStatus": "DISABLED"],
                ]
            ]
        case "UpdateContinuousBackups":
            let specification = body["PointInTimeRecoverySpecification"]
            let wasOn = table.pitr
            table.pitr = specification?["PointInTimeRecoveryEnabled"]?.boolValue ?? false
            // A period given is kept; turning recovery on without one starts again from the default.
            if let days = specification?["RecoveryPeriodInDays"]?.intValue {
                table.recoveryPeriodDays = days
            } else if !wasOn {
                table.recoveryPeriodDays = 35
            }
            return [:]
        case "TagResource":
            for tag in body["Tags"]?.arrayValue ?? [] {
                table.tags[tag["Key"]?.stringValue ?? ""] = tag["Value"]?.stringValue ?? ""
            }
            return [:]
        case "UntagResource":
            for key in body["TagKeys"]?.arrayValue ?? [] { table.tags[key.stringValue ?? ""] = nil }
            return [:]
        case "ListTagsOfResource":
            let keys = table.tags.keys.sorted()
            return [
                "Tags": .array(keys.map { ["Key": .string($0), "Value": .string(table.tags[$0] ?? "")] })
            ]
        case "GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy":
            return try resourcePolicy(operation, body, table: &table)
        default:
            throw ControlPlaneError(code: "UnknownOperationException", message: operation)
        }
    }

    /// The resource-policy calls as DynamoDB documents them: a revision that does not match
    /// `ExpectedRevisionId` (or no policy, when one is expected) is a PolicyNotFoundException.
    private func resourcePolicy(_ operation: String, _ body: JSONValue, table: inout Table) throws
        -> JSONValue
    {
        let missing = ControlPlaneError(
            code: "PolicyNotFoundException", message: "Resource-based policy not found")
        if let expected = body["ExpectedRevisionId"]?.stringValue, expected != table.policy?.revision {
            throw missing
        }
        switch operation {
        case "GetResourcePolicy":
            guard let policy = table.policy else { throw missing }
            return ["Policy": .string(policy.text), "RevisionId": .string(policy.revision)]
        case "PutResourcePolicy":
            policyRevisions += 1
            table.policy = (body["Policy"]?.stringValue ?? "", String(policyRevisions))
            return ["RevisionId": .string(String(policyRevisions))]
        default:
            guard let policy = table.policy else { throw missing }
            table.policy = nil
            return ["RevisionId": .string(policy.revision)]
        }
    }

    private func create(_ body: JSONValue) throws -> JSONValue {
        let name = body["TableName"]?.stringValue ?? ""
        if tables[name] != nil {
            throw ControlPlaneError(code: "ResourceInUseException", message: "Table already exists: \(name)")
        }
        var definitions: [String: String] = [:]
        for definition in body["AttributeDefinitions"]?.arrayValue ?? [] {
            definitions[definition["AttributeName"]?.stringValue ?? ""] =
                definition["AttributeType"]?.stringValue
        }
        var table = Table(
            name: name, keySchema: body["KeySchema"] ?? [], definitions: definitions,
            billing: body["BillingMode"]?.stringValue ?? "PROVISIONED",
            throughput: body["ProvisionedThroughput"], onDemandThroughput: body["OnDemandThroughput"],
            localIndexes: body["LocalSecondaryIndexes"], tableClass: body["TableClass"]?.stringValue,
            protection: body["DeletionProtectionEnabled"]?.boolValue ?? false, pollsLeft: transitionPolls)
        table.indexes = (body["GlobalSecondaryIndexes"]?.arrayValue ?? []).map {
            Index(request: $0, status: "CREATING", pollsLeft: transitionPolls)
        }
        if let sse = body["SSESpecification"], sse["Enabled"]?.boolValue == true {
            table.sse = sse
        }
        if let stream = body["StreamSpecification"], stream["StreamEnabled"]?.boolValue == true {
            table.stream = stream
        }
        for tag in body["Tags"]?.arrayValue ?? [] {
            table.tags[tag["Key"]?.stringValue ?? ""] = tag["Value"]?.stringValue ?? ""
        }
        if let warm = body["WarmThroughput"] {
            table.warmThroughput = Self.merged(table.warmThroughput, warm)
        }
        tables[name] = table
        return ["TableDescription": describe(table)]
    }

    private func update(_ table: inout Table, _ body: JSONValue) {
        for definition in body["AttributeDefinitions"]?.arrayValue ?? [] {
            table.definitions[definition["AttributeName"]?.stringValue ?? ""] =
                definition["AttributeType"]?.stringValue
        }
        for update in body["GlobalSecondaryIndexUpdates"]?.arrayValue ?? [] {
            if let create = update["Create"] {
                table.indexes.append(Index(request: create, status: "CREATING", pollsLeft: transitionPolls))
            }
            if let name = update["Delete"]?["IndexName"]?.stringValue,
                let position = table.indexes.firstIndex(where: { $0.name == name })
            {
                table.indexes[position].status = "DELETING"
                table.indexes[position].pollsLeft = transitionPolls
            }
            if let change = update["Update"], let name = change["IndexName"]?.stringValue,
                let position = table.indexes.firstIndex(where: { $0.name == name }),
                case .object(var request) = table.indexes[position].request
            {
                for member in ["ProvisionedThroughput", "OnDemandThroughput"] where change[member] != nil {
                    request[member] = change[member]
                }
                if let warm = change["WarmThroughput"] {
                    request["WarmThroughput"] = Self.merged(request["WarmThroughput"] ?? [:], warm)
                }
                table.indexes[position].request = .object(request)
            }
        }
        if let billing = body["BillingMode"]?.stringValue { table.billing = billing }
        if let throughput = body["ProvisionedThroughput"] { table.throughput = throughput }
        if let limits = body["OnDemandThroughput"] { table.onDemandThroughput = limits }
        if let warm = body["WarmThroughput"] {
            table.warmThroughput = Self.merged(table.warmThroughput, warm)
        }
        if let tableClass = body["TableClass"]?.stringValue { table.tableClass = tableClass }
        if let protection = body["DeletionProtectionEnabled"]?.boolValue { table.protection = protection }
        if let stream = body["StreamSpecification"] {
            table.stream = stream["StreamEnabled"]?.boolValue == true ? stream : nil
        }
        if let sse = body["SSESpecification"] { table.sse = sse["Enabled"]?.boolValue == true ? sse : nil }
        table.status = "UPDATING"
        table.pollsLeft = transitionPolls
        advance(&table, by: 0)
    }

    /// One DescribeTable's worth of progress: transitions count down, then finish; a deleted index goes.
    private func advance(_ table: inout Table, by step: Int = 1) {
        if table.status != "ACTIVE" {
            table.pollsLeft -= step
            if table.pollsLeft < 0 { table.status = "ACTIVE" }
        }
        for position in table.indexes.indices where table.indexes[position].status != "ACTIVE" {
            table.indexes[position].pollsLeft -= step
            if table.indexes[position].status == "CREATING", table.indexes[position].pollsLeft < 0 {
                table.indexes[position].status = "ACTIVE"
            }
        }
        table.indexes.removeAll { $0.status == "DELETING" && $0.pollsLeft < 0 }
    }

    private func describe(_ table: Table) -> JSONValue {
        var description: JSONObject = [
            "TableName": .string(table.name), "TableArn": .string(table.arn),
            "TableStatus": .string(table.status),
            "KeySchema": table.keySchema,
            "AttributeDefinitions": .array(
                table.definitions.keys.sorted().map {
                    ["AttributeName": .string($0), "AttributeType": .string(table.definitions[$0] ?? "S")]
                }),
            "ItemCount": 0, "TableSizeBytes": 0,
        ]
        if table.billing == "PAY_PER_REQUEST" {
            description["BillingModeSummary"] = ["BillingMode": "PAY_PER_REQUEST"]
            description["ProvisionedThroughput"] = ["ReadCapacityUnits": 0, "WriteCapacityUnits": 0]
        } else {
            description["ProvisionedThroughput"] = table.throughput
        }
        description["OnDemandThroughput"] = table.onDemandThroughput
        description["WarmThroughput"] = table.warmThroughput
        if !table.indexes.isEmpty {
            description["GlobalSecondaryIndexes"] = .array(
                table.indexes.map { index in
                    guard case .object(var object) = index.request else { return index.request }
                    object["IndexStatus"] = .string(index.status)
                    object["Backfilling"] = .bool(index.status == "CREATING")
                    return .object(object)
                })
        }
        if let local = table.localIndexes { description["LocalSecondaryIndexes"] = local }
        if let sse = table.sse {
            var sseDescription: JSONObject = ["Status": "ENABLED", "SSEType": "KMS"]
            let key = sse["KMSMasterKeyId"]?.stringValue ?? "aws-managed-0000"
            sseDescription["KMSMasterKeyArn"] = .string(
                key.hasPrefix("arn:") ? key : "arn:aws:kms:us-east-1:123456789012:key/\(key)")
            description["SSEDescription"] = .object(sseDescription)
        }
        if let stream = table.stream { description["StreamSpecification"] = stream }
        if let tableClass = table.tableClass {
            description["TableClassSummary"] = ["TableClass": .string(tableClass)]
        }
        description["DeletionProtectionEnabled"] = .bool(table.protection)
        return .object(description)
    }

    /// A warm throughput update: the sides given replace the old ones, the others stay (as DynamoDB
    /// keeps a side an update leaves out).
    private static func merged(_ old: JSONValue, _ update: JSONValue) -> JSONValue {
        guard case .object(var object) = old else { return update }
        for member in ["ReadUnitsPerSecond", "WriteUnitsPerSecond"] where update[member] != nil {
            object[member] = update[member]
        }
        return .object(object)
    }

    private func tableName(fromARN arn: String?) -> String {
        guard let arn, let slash = arn.lastIndex(of: "/") else { return "" }
        return String(arn[arn.index(after: slash)...])
    }
}

import JSON
import Schema

/// The resource-policy statements a multi-account global table needs, from the developer guide's
/// "Tutorials: Creating multi-account global tables" (the same Sids, so a policy written by hand from
/// the tutorial is recognised and kept in step rather than doubled): on the source table, the
/// replication principal may read, write and replicate settings for every member
/// (`DynamoDBActionsNeededForSteadyStateReplication`, conditioned on `aws:SourceAccount` and
/// `aws:SourceArn`) and each replica's account may join (`AllowTrustedAccountsToJoinThisGlobalTable`,
/// `dynamodb:AssociateTableReplica`); on each replica, the replication statement for the same members
/// ("each replica table must grant the DynamoDB replication service and the other participating account
/// the permissions required to replicate"). Pure.
public enum AccountReplicaGrants {
    public static let replicationSid = "DynamoDBActionsNeededForSteadyStateReplication"
    public static let joinSid = "AllowTrustedAccountsToJoinThisGlobalTable"
    static let principal = "replication.dynamodb.amazonaws.com"
    static let replicationActions = [
        "dynamodb:ReadDataForReplication", "dynamodb:WriteDataForReplication", "dynamodb:ReplicateSettings",
    ]

    /// One member of the global table: its account, region and table ARN.
    public struct Member: Sendable, Equatable {
        public var account: String
        public var region: String
        public var arn: String

        public init(account: String, region: String, table: String) {
            self.account = account
            self.region = region
            self.arn = "arn:aws:dynamodb:\(region):\(account):table/\(table)"
        }
    }

    /// The members: the source (from its ARN) and each replica in another account.
    public static func members(sourceARN: String, table: String, replicas: [Replica]) -> [Member] {
        var members: [Member] = []
        if let region = LiveReplica.region(ofTableARN: sourceARN),
            let account = LiveReplica.account(ofTableARN: sourceARN)
        {
            members.append(Member(account: account, region: region, table: table))
        }
        for replica in replicas {
            if let account = replica.account {
                members.append(Member(account: account, region: replica.region, table: table))
            }
        }
        return members
    }

    /// The replication statement on the table `resource` for `members`.
    static func replication(resource: String, members: [Member]) -> JSONValue {
        [
            "Sid": .string(replicationSid), "Effect": "Allow",
            "Action": .array(replicationActions.map(JSONValue.string)), "Resource": .string(resource),
            "Principal": ["Service": .array([.string(principal)])],
            "Condition": [
                "StringEquals": [
                    "aws:SourceAccount": .array(members.map { .string($0.account) }),
                    "aws:SourceArn": .array(members.map { .string($0.arn) }),
                ]
            ],
        ]
    }

    /// The statements the source table's policy needs (the source is `members[0]`).
    public static func sourceStatements(members: [Member]) -> [JSONValue] {
        guard let source = members.first else { return [] }
        let joining = members.dropFirst().map { JSONValue.string($0.account) }
        return [
            replication(resource: source.arn, members: members),
            [
                "Sid": .string(joinSid), "Effect": "Allow",
                "Action": .array(["dynamodb:AssociateTableReplica"]),
                "Resource": .string(source.arn), "Principal": ["AWS": .array(Array(joining))],
            ],
        ]
    }

    /// `schema` with a policy that holds the source's statements for its replicas in other accounts:
    /// - a schema that sets the policy: its text with them, so that it does not plan to take away what
    ///   its account replicas need;
    /// - a schema that leaves the policy alone: when the replicas in other accounts are the live ones
    ///   (none is being added or removed, whose own steps change the statements) and the policy was
    ///   read, the live policy with the replication statement when it lacks it or it was changed by
    ///   hand, so that plan shows the drift and apply puts it back, keeping everything else in the policy.
    public static func withGrants(_ schema: TableSchema, live: LiveTable) -> TableSchema {
        guard schema.isMultiAccount, !live.arn.isEmpty else { return schema }
        let statements = sourceStatements(
            members: members(sourceARN: live.arn, table: schema.name, replicas: schema.replicas))
        var copy = schema
        switch schema.resourcePolicy {
        case .policy(let text):
            guard let merged = merged(text, with: statements) else { return schema }
            // The same statements in another order (the replicas' first, as apply added them) are the
            // same policy: the live text, so that a schema adopted from the table plans nothing.
            if let live = live.resourcePolicy, sameStatements(merged, live) {
                copy.resourcePolicy = .policy(live)
            } else {
                copy.resourcePolicy = .policy(merged)
            }
        case .unmanaged:
            // The replication statement only: replication needs it for as long as the replicas are there,
            // while the join statement matters when a replica joins, whose own step adds it again (and a
            // replica's own table, seen from its account, has none).
            let replication = Array(statements.prefix(1))
            guard accountReplicas(of: schema) == accountReplicas(of: live),
                let state = live.operatedSettings[OperatedSetting.resourcePolicy.field],
                state.readError == nil,
                let merged = merged(state.value.stringValue, with: replication)
            else { return schema }
            copy.resourcePolicy = .policy(merged)
        case .noPolicy:
            // Refused by validation: an account replica needs the statements.
            return schema
        }
        return copy
    }

    /// A multi-account table whose policy the caller may not read: apply adds and keeps its replicas'
    /// statements there, which it cannot do blind, so the plan is blocked naming the permission (a schema
    /// that sets the policy fails earlier, as any unreadable setting it gives).
    static func unreadablePolicy(_ schema: TableSchema, _ live: LiveTable) -> [BlockedChange] {
        guard schema.isMultiAccount, let cause = live.resourcePolicyReadError else { return [] }
        return [
            BlockedChange(
                field: "resource_policy", live: "not readable (\(cause))",
                wanted: "the statements of the replicas in other accounts in it",
                reason:
                    "apply adds and keeps those statements in the table's policy: dynamodb:GetResourcePolicy "
                    + "is needed on the table (iam grants it for a multi-account table)")
        ]
    }

    /// The replicas in other accounts of a schema, and of a live table: `account/region`, sorted.
    private static func accountReplicas(of schema: TableSchema) -> [String] {
        schema.replicas.compactMap { replica in replica.account.map { "\($0)/\(replica.region)" } }.sorted()
    }

    private static func accountReplicas(of live: LiveTable) -> [String] {
        live.replicas.compactMap { live in live.replica.account.map { "\($0)/\(live.region)" } }.sorted()
    }

    /// Whether two policies say the same with their statements in any order (each compared as IAM
    /// reads it, ``canonical(_:)``).
    static func sameStatements(_ first: String, _ second: String) -> Bool {
        func unordered(_ text: String) -> JSONValue? {
            guard var document = ResourcePolicy.document(text)?.objectValue else { return nil }
            let statements: [JSONValue]
            switch document["Statement"] {
            case .array(let list)?: statements = list
            case .object(let one)?: statements = [.object(one)]
            default: statements = []
            }
            document["Statement"] = .array(
                statements.map(canonical).sorted {
                    JSONWriter(style: .compact).string(from: $0).utf8.lexicographicallyPrecedes(
                        JSONWriter(style: .compact).string(from: $1).utf8)
                })
            return ResourcePolicy.normalised(JSONWriter(style: .compact).string(from: .object(document)))
        }
        guard let first = unordered(first), let second = unordered(second) else { return false }
        return first == second
    }

    /// A statement as IAM reads it: members in name order, and each list of values (`Action`,
    /// `Resource`, a principal's, a condition key's) sorted, a single value being the list of it. So the
    /// statements written from the other account's side (its members listed first), or edited by hand
    /// into the same meaning, compare equal, and two runs never rewrite each other's order.
    static func canonical(_ statement: JSONValue) -> JSONValue {
        guard let object = statement.objectValue else {
            return ResourcePolicy.normalised(JSONWriter().string(from: statement))
        }
        func valueList(_ value: JSONValue) -> JSONValue {
            let values: [JSONValue]
            switch value {
            case .array(let list): values = list
            default: values = [value]
            }
            let texts = Set(values.map { JSONWriter(style: .compact).string(from: $0) })
            return .array(texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(JSONValue.string))
        }
        func lists(_ value: JSONValue) -> JSONValue {
            guard let members = value.objectValue else { return valueList(value) }
            return .object(JSONObject(members.map { ($0.key, lists($0.value)) }))
        }
        var canonical = JSONObject()
        for (key, value) in object {
            switch key {
            case "Action", "NotAction", "Resource", "NotResource":
                canonical[key] = valueList(value)
            case "Principal", "NotPrincipal":
                // `"*"` is a principal of its own, not a list.
                canonical[key] = value.stringValue == "*" ? value : lists(value)
            case "Condition":
                // Operator -> key -> values.
                canonical[key] = .object(
                    JSONObject(
                        (value.objectValue ?? [:]).map { operation in
                            (operation.key, lists(operation.value))
                        }))
            default:
                canonical[key] = value
            }
        }
        return ResourcePolicy.normalised(JSONWriter().string(from: .object(canonical)))
    }

    /// The policy a new replica is created with.
    public static func replicaPolicy(replica: Member, members: [Member]) -> String {
        JSONWriter().string(
            from: [
                "Version": "2012-10-17",
                "Statement": .array([replication(resource: replica.arn, members: members)]),
            ])
    }

    /// `policy` without this type's statements (its two Sids): `.some(nil)` when nothing else is left,
    /// nil when it has none of them.
    public static func withoutGrants(_ policy: String) -> String?? {
        guard var document = ResourcePolicy.document(policy)?.objectValue else { return nil }
        var statements: [JSONValue]
        switch document["Statement"] {
        case .array(let list)?: statements = list
        case .object(let one)?: statements = [.object(one)]
        default: return nil
        }
        let ours = [replicationSid, joinSid]
        let kept = statements.filter { !ours.contains($0["Sid"]?.stringValue ?? "") }
        if kept.count == statements.count { return nil }
        if kept.isEmpty { return .some(nil) }
        document["Statement"] = .array(kept)
        return .some(JSONWriter().string(from: .object(document)))
    }

    /// `policy` (nil: none) with `statements` in it, each replacing a statement of the same Sid; nil
    /// when it has them already (compared by meaning).
    public static func merged(_ policy: String?, with statements: [JSONValue]) -> String? {
        var document = policy.flatMap(ResourcePolicy.document)?.objectValue ?? ["Version": "2012-10-17"]
        var existing: [JSONValue]
        switch document["Statement"] {
        case .array(let list)?: existing = list
        case .object(let one)?: existing = [.object(one)]
        default: existing = []
        }
        let before = existing
        for statement in statements {
            let sid = statement["Sid"]?.stringValue
            if let index = existing.firstIndex(where: { $0["Sid"]?.stringValue == sid }) {
                existing[index] = statement
            } else {
                existing.append(statement)
            }
        }
        if policy != nil, before.map(canonical) == existing.map(canonical) {
            return nil
        }
        document["Statement"] = .array(existing)
        return JSONWriter().string(from: .object(document))
    }
}

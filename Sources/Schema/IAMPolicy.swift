import JSON

/// The IAM policy a principal needs to provision and use tables, as Sentinel's `--generate-iam` writes
/// it, extended with what this tool's provisioner calls.
///
/// Statements, each present only when it has resources:
/// - `SentinelTableProvisioning`: Sentinel's CreateTable, DescribeTable and UpdateTimeToLive, plus the
///   calls convergence makes (DescribeTimeToLive, UpdateTable, Describe/UpdateContinuousBackups,
///   Tag/UntagResource, ListTagsOfResource), on each table ARN.
/// - `SentinelTableResourcePolicies`: Get/Put/DeleteResourcePolicy, on the tables whose schema sets
///   `resource_policy` (a policy, or `false` for none): plan reads their policy, apply puts or deletes
///   it; and on a multi-account global table, whose apply adds its replicas' statements to the policy. A
///   schema without the field leaves the policy alone and needs none of them (status shows such a
///   table's policy as not readable when GetResourcePolicy is refused).
/// - `SentinelTableAdministration`: what this tool's own commands call beyond Sentinel's needs:
///   DeleteTable (`sentinel-tables delete`, `sentinel.delete`), on each table ARN. Left out when
///   administration is not wanted (`--no-admin`): a CI role that only converges tables should not be
///   able to delete them.
/// - `SentinelTableListing`: ListTables (`db.tables()`, the REPL's completion of table names). IAM
///   grants it only on `*` (it acts on no table), so it is its own statement rather than widening
///   DeleteTable to every table; left out with administration.
/// - `SentinelTableOperations`: Sentinel's GetItem, PutItem, UpdateItem, DeleteItem, Query and Scan,
///   plus BatchGetItem, BatchWriteItem, ConditionCheckItem (transactions) and the PartiQL actions
///   (`db.execute`), on each table and `table/NAME/index/*`.
/// - `SentinelGlobalTableReplicas`: for tables with replicas ("DynamoDB global tables security"): in
///   the replicas' regions, CreateTable, CreateTableReplica and the item actions DynamoDB uses to copy
///   the table (Scan, Query, GetItem, PutItem, UpdateItem, DeleteItem, BatchWriteItem), DeleteTable and
///   DeleteTableReplica to remove one, DescribeTable to wait for it; Create/DeleteGlobalTableWitness
///   in a strongly consistent table's witness region. On the table's ARN in each of those regions (the
///   table's own region is already in the statements above).
/// - `SentinelAccountReplicaJoin`: AssociateTableReplica on a multi-account table, which a replica's
///   CreateTable with `GlobalTableSourceArn` needs from the replica account's principal.
/// - `SentinelAccountReplicas`: for a multi-account global table, what apply does in each replica's
///   account through that replica's target: the same replica actions, and Get/Put/DeleteResourcePolicy
///   (a replica's own replication statement), on the replica table's ARN in its account and region.
///   The policy is attached to each replica target's principal as well: a statement on another
///   account's table grants nothing in this one (`SentinelTableQuotas` covers DescribeLimits there).
/// - `SentinelTableQuotas`: DescribeLimits, for tables whose schema gives warm throughput (on the table
///   or a GSI): plan checks it against the account's per-table quota in each region it applies to
///   before any call. IAM grants it only on `*` (it acts on no table).
/// - `SentinelTableStreams`: DescribeStream, GetShardIterator and GetRecords (`watch`,
///   `sentinel.db.watch`), on the streams of the tables whose schema sets `stream`; a table without
///   one has no stream to read.
/// - `SentinelTableKMSKeys`: what DynamoDB needs from a principal for a customer managed key
///   (Decrypt, Encrypt, GenerateDataKey*, DescribeKey, CreateGrant), on the keys given by ARN or id.
/// - `SentinelTableKMSKeyAliases`: the same for keys given by alias. IAM matches a KMS key's own ARN,
///   never an alias ARN, in `Resource` (an alias ARN there grants access to the alias resource, not to
///   the key), so the statement allows `key/*` in the alias's region and account on condition that
///   `kms:ResourceAliases` includes the alias: the form AWS documents for alias-based access.
public struct IAMPolicy: Sendable, Equatable {
    /// The policy language version.
    public static let version = "2012-10-17"

    /// Provisioning actions, Sentinel's three first; then those of each ``OperatedSetting`` every plan
    /// reads (point-in-time recovery's).
    public static let provisioningActions =
        [
            "dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTimeToLive",
            "dynamodb:DescribeTimeToLive", "dynamodb:UpdateTable",
        ] + OperatedSetting.all.filter { $0.permission == .withProvisioning }.flatMap(\.actions) + [
            "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:ListTagsOfResource",
        ]

    /// Resource-policy actions, for tables whose schema manages the policy.
    public static let resourcePolicyActions = OperatedSetting.resourcePolicy.actions

    /// Data actions, Sentinel's six first; then batches, a transaction's condition checks
    /// (`TransactWriteItems` is authorised by its parts), and PartiQL's statements (`db.execute`).
    public static let operationsActions = [
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
        "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
        "dynamodb:PartiQLDelete",
    ]

    /// The tool's administrative actions on tables.
    public static let administrationActions = ["dynamodb:DeleteTable"]

    /// The quota look-up plan makes for warm throughput, which IAM grants only on `*`.
    public static let quotaActions = ["dynamodb:DescribeLimits"]

    /// The tool's administrative actions that IAM grants only on `*`.
    public static let listingActions = ["dynamodb:ListTables"]

    /// What creating, waiting on and deleting a replica asks of the caller in the replica's region,
    /// and what reading and setting its own settings there does (deletion protection with UpdateTable,
    /// point-in-time recovery, tags).
    public static let replicaActions = [
        "dynamodb:CreateTable", "dynamodb:CreateTableReplica", "dynamodb:DescribeTable", "dynamodb:Scan",
        "dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem", "dynamodb:DeleteTable", "dynamodb:DeleteTableReplica",
        "dynamodb:UpdateTable", "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups",
        "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:ListTagsOfResource",
    ]

    /// A strongly consistent table's witness, in the witness region.
    public static let witnessActions = [
        "dynamodb:CreateGlobalTableWitness", "dynamodb:DeleteGlobalTableWitness",
    ]

    /// Stream actions, for tables with a stream (`watch`).
    public static let streamActions = [
        "dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords",
    ]

    /// KMS actions for a table encrypted with a customer managed key.
    public static let kmsActions = [
        "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant",
    ]

    /// The statements, in order.
    public var statements: [IAMStatement]

    public init(statements: [IAMStatement]) {
        self.statements = statements
    }

    /// The policy for one table.
    public init(
        table: TableSchema, region: String? = nil, accountID: String? = nil, administration: Bool = true
    ) {
        self.init(tables: [table], region: region, accountID: accountID, administration: administration)
    }

    /// One policy whose statements cover all `tables` (a table named twice is listed once), with ARNs
    /// in the partition of `region`; a missing region or account is `*`. `administration: false` leaves
    /// out the tool's own DeleteTable and ListTables statements.
    public init(
        tables: [TableSchema], region: String? = nil, accountID: String? = nil, administration: Bool = true
    ) {
        let scope = ARNScope(region: region, accountID: accountID)
        var names: [String] = []
        // The tables of each ``OperatedSetting`` with a statement of its own, by its Sid.
        var ownStatements: [(sid: String, actions: [String], names: [String])] = OperatedSetting.all
            .compactMap {
                guard case .ownStatement(let sid) = $0.permission else { return nil }
                return (sid, $0.actions, [])
            }
        var streamNames: [String] = []
        for table in tables {
            if !names.contains(table.name) { names.append(table.name) }
            if table.stream != nil, !streamNames.contains(table.name) { streamNames.append(table.name) }
            for (offset, setting) in OperatedSetting.all.filter({ $0.permission != .withProvisioning })
                .enumerated()
            {
                if table.reads(setting), !ownStatements[offset].names.contains(table.name) {
                    ownStatements[offset].names.append(table.name)
                }
            }
        }
        var statements: [IAMStatement] = []
        if !names.isEmpty {
            statements.append(
                IAMStatement(
                    sid: "SentinelTableProvisioning", actions: Self.provisioningActions,
                    resources: names.map(scope.tableARN)))
            for statement in ownStatements where !statement.names.isEmpty {
                statements.append(
                    IAMStatement(
                        sid: statement.sid, actions: statement.actions,
                        resources: statement.names.map(scope.tableARN)))
            }
            statements.append(
                IAMStatement(
                    sid: "SentinelTableOperations", actions: Self.operationsActions,
                    resources: names.flatMap { [scope.tableARN($0), scope.tableIndexesARN($0)] }))
            if tables.contains(where: \.hasWarmThroughput) {
                statements.append(
                    IAMStatement(sid: "SentinelTableQuotas", actions: Self.quotaActions, resources: ["*"]))
            }
            if !streamNames.isEmpty {
                statements.append(
                    IAMStatement(
                        sid: "SentinelTableStreams", actions: Self.streamActions,
                        resources: streamNames.map(scope.tableStreamsARN)))
            }
            if administration {
                statements.append(
                    IAMStatement(
                        sid: "SentinelTableAdministration", actions: Self.administrationActions,
                        resources: names.map(scope.tableARN)))
                statements.append(
                    IAMStatement(sid: "SentinelTableListing", actions: Self.listingActions, resources: ["*"]))
            }
        }
        statements.append(
            contentsOf: Self.globalTableStatements(for: tables, scope: scope, accountID: accountID))
        statements.append(contentsOf: Self.kmsStatements(for: tables, scope: scope, accountID: accountID))
        self.statements = statements
    }

    /// The policy document: `{"Version": "2012-10-17", "Statement": [...]}`.
    public var document: JSONValue {
        ["Version": .string(Self.version), "Statement": .array(statements.map(\.document))]
    }

    private static func globalTableStatements(for tables: [TableSchema], scope: ARNScope, accountID: String?)
        -> [IAMStatement]
    {
        var replicaARNs: [String] = []
        var witnessARNs: [String] = []
        for table in tables {
            // A replica in another account is made there by that account's own principal (its target's
            // credentials): `SentinelAccountReplicas`, below.
            for replica in table.replicas where replica.account == nil {
                let arn = ARNScope(region: replica.region, accountID: accountID).tableARN(table.name)
                if !replicaARNs.contains(arn) { replicaARNs.append(arn) }
            }
            if let witness = table.witnessRegion {
                let arn = ARNScope(region: witness, accountID: accountID).tableARN(table.name)
                if !witnessARNs.contains(arn) { witnessARNs.append(arn) }
            }
        }
        var statements: [IAMStatement] = []
        if !replicaARNs.isEmpty || !witnessARNs.isEmpty {
            statements.append(
                IAMStatement(
                    sid: "SentinelGlobalTableReplicas",
                    actions: replicaActions + (witnessARNs.isEmpty ? [] : witnessActions),
                    resources: replicaARNs + witnessARNs))
        }
        // Each replica in another account, in its account: for its target's principal.
        var accountReplicaARNs: [String] = []
        for table in tables {
            for replica in table.replicas {
                guard let account = replica.account else { continue }
                let arn = ARNScope(region: replica.region, accountID: account).tableARN(table.name)
                if !accountReplicaARNs.contains(arn) { accountReplicaARNs.append(arn) }
            }
        }
        if !accountReplicaARNs.isEmpty {
            // The replica's CreateTable with GlobalTableSourceArn joins the table: its principal needs
            // AssociateTableReplica on the table (the table's policy grants it from this side).
            let sources = tables.filter(\.isMultiAccount).map { scope.tableARN($0.name) }
            statements.append(
                IAMStatement(
                    sid: "SentinelAccountReplicaJoin", actions: ["dynamodb:AssociateTableReplica"],
                    resources: sources.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }))
            statements.append(
                IAMStatement(
                    sid: "SentinelAccountReplicas",
                    actions: replicaActions + OperatedSetting.resourcePolicy.actions,
                    resources: accountReplicaARNs))
        }
        return statements
    }

    private static func kmsStatements(for tables: [TableSchema], scope: ARNScope, accountID: String?)
        -> [IAMStatement]
    {
        var keyARNs: [String] = []
        var aliasKeyPatterns: [String] = []
        var aliases: [String] = []
        func add(_ item: String, to list: inout [String]) {
            if !list.contains(item) { list.append(item) }
        }
        for table in tables where table.encryption.type == .customerKey {
            // The table's key and each replica's, a key id or alias in its own region: a KMS key is in one.
            let keys =
                [(table.encryption.givenKey, scope)]
                + table.replicas.map { ($0.kmsKey, ARNScope(region: $0.region, accountID: accountID)) }
            for (key, scope) in keys {
                guard let key, let reference = KMSKeyReference(key) else { continue }
                switch reference {
                case .keyARN:
                    add(key, to: &keyARNs)
                case .keyID(let id):
                    add(scope.kmsKeyARN(keyID: id), to: &keyARNs)
                case .aliasARN(let partition, let region, let account, let alias):
                    add("arn:\(partition):kms:\(region):\(account):key/*", to: &aliasKeyPatterns)
                    add(alias, to: &aliases)
                case .aliasName(let alias):
                    add(scope.kmsKeyARN(keyID: "*"), to: &aliasKeyPatterns)
                    add(alias, to: &aliases)
                }
            }
        }
        var statements: [IAMStatement] = []
        if !keyARNs.isEmpty {
            statements.append(
                IAMStatement(sid: "SentinelTableKMSKeys", actions: kmsActions, resources: keyARNs))
        }
        if !aliases.isEmpty {
            let condition: JSONValue = [
                "ForAnyValue:StringEquals": ["kms:ResourceAliases": .array(aliases.map(JSONValue.string))]
            ]
            statements.append(
                IAMStatement(
                    sid: "SentinelTableKMSKeyAliases", actions: kmsActions, resources: aliasKeyPatterns,
                    condition: condition))
        }
        return statements
    }
}

import JSON
import Schema
import Testing

@testable import Provisioning

/// Replicas in other accounts (a multi-account global table): where the plan puts them, how
/// DescribeTable's `ReplicaArn` is read, and the resource-policy statements apply adds.
@Suite struct AccountReplicaPlanTests {
    static let arn = "arn:aws:dynamodb:us-east-1:111122223333:table/sessions"

    var schema: TableSchema {
        var schema = BuiltInSchema.sessions.schema()
        schema.stream = .newAndOldImages
        schema.replicas = [Replica(region: "us-west-2", account: "444455556666", target: "dr")]
        return schema
    }

    func live(_ schema: TableSchema, replicas: [LiveReplica] = []) -> LiveTable {
        var table = liveTable(matching: schema)
        table.arn = Self.arn
        table.replicas = replicas
        return table
    }

    @Test func anAccountReplicaIsMadeLastAfterTheTablesOwnSteps() {
        var wanted = schema
        wanted.resourcePolicy = .policy(#"{"Version":"2012-10-17","Statement":[]}"#)
        let created = TableDiff.plan(wanted, live: nil)
        #expect(created.steps.last?.kind == "create_account_replica")
        #expect(
            created.steps.last?.summary == "create replica in us-west-2, account 444455556666 (target dr)")
        #expect(created.steps.last?.details.first?.contains(AccountReplicaGrants.replicationSid) == true)
        var unmanaged = schema
        unmanaged.resourcePolicy = .unmanaged
        var old = unmanaged
        old.replicas = []
        #expect(TableDiff.plan(unmanaged, live: live(old)).steps.map(\.kind) == ["create_account_replica"])
    }

    /// The source's statements for the replicas of `schema`, as apply adds them.
    func grants(_ schema: TableSchema) -> [JSONValue] {
        AccountReplicaGrants.sourceStatements(
            members: AccountReplicaGrants.members(
                sourceARN: Self.arn, table: schema.name, replicas: schema.replicas))
    }

    @Test func aLiveAccountReplicaNeedsNothingAndOneNoLongerListedIsDeletedInItsAccount() throws {
        var unmanaged = schema
        unmanaged.resourcePolicy = .unmanaged
        let replica = LiveReplica(replica: Replica(region: "us-west-2", account: "444455556666"))
        var table = live(unmanaged, replicas: [replica])
        table.resourcePolicy = AccountReplicaGrants.merged(nil, with: grants(unmanaged))
        #expect(TableDiff.plan(unmanaged, live: table).steps.isEmpty)
        var without = unmanaged
        without.replicas = []
        let removed = TableDiff.plan(without, live: table)
        #expect(removed.steps == [.deleteAccountReplica(region: "us-west-2", account: "444455556666")])
        #expect(removed.steps[0].warning?.contains("every item") == true)
    }

    /// A schema that leaves the policy alone still keeps the replicas' statements in it: a live policy
    /// that lost them, or whose statements were edited by hand, is planned back with them (and with
    /// everything else it holds); not while replicas come or go (their own steps change the statements),
    /// nor when the policy could not be read.
    @Test func theReplicasStatementsAreKeptInAPolicyTheSchemaLeavesAlone() throws {
        var unmanaged = schema
        unmanaged.resourcePolicy = .unmanaged
        let replica = LiveReplica(replica: Replica(region: "us-west-2", account: "444455556666"))
        let mine =
            #"{"Sid":"Mine","Effect":"Deny","Principal":"*","Action":"dynamodb:DeleteTable","Resource":"*"}"#
        var table = live(unmanaged, replicas: [replica])
        table.resourcePolicy = #"{"Version":"2012-10-17","Statement":[\#(mine)]}"#
        table.resourcePolicyRevision = "r3"
        let lost = TableDiff.plan(unmanaged, live: table)
        #expect(lost.steps.map(\.kind) == ["put_resource_policy"])
        guard case .updateOperatedSetting(let change) = try #require(lost.steps.first) else {
            Issue.record("expected a policy step: \(lost.steps)")
            return
        }
        #expect(change.live.revision == "r3")
        let put = try #require(change.wanted.stringValue)
        #expect(put.contains("Mine"))
        #expect(AccountReplicaGrants.merged(put, with: Array(grants(unmanaged).prefix(1))) == nil)

        // Edited by hand: the replication statement no longer names the replica's account.
        table.resourcePolicy = AccountReplicaGrants.merged(nil, with: grants(unmanaged))?
            .replacingOccurrences(
                of: #"["111122223333","444455556666"]"#, with: #"["111122223333","999999999999"]"#)
        #expect(table.resourcePolicy?.contains("999999999999") == true)
        #expect(TableDiff.plan(unmanaged, live: table).steps.map(\.kind) == ["put_resource_policy"])
        // The join statement matters when a replica joins (its step adds it): one edited or missing on a
        // table whose replicas stay is left as it is.
        table.resourcePolicy = AccountReplicaGrants.merged(nil, with: Array(grants(unmanaged).prefix(1)))
        #expect(TableDiff.plan(unmanaged, live: table).steps.isEmpty)

        // Not read: nothing to compare, and apply could not keep the statements there: blocked, naming
        // the permission.
        table.resourcePolicyReadError = "AccessDeniedException"
        let unreadable = TableDiff.plan(unmanaged, live: table)
        #expect(unreadable.steps.isEmpty)
        #expect(unreadable.blocked.map(\.field) == ["resource_policy"])
        #expect(unreadable.blocked.first?.reason?.contains("dynamodb:GetResourcePolicy") == true)
        table.resourcePolicyReadError = nil
        // A replica being added: its own step adds the statements.
        var more = unmanaged
        more.replicas.append(Replica(region: "eu-west-1", account: "777788889999", target: "eu"))
        #expect(TableDiff.plan(more, live: table).steps.map(\.kind) == ["create_account_replica"])
    }

    /// The replicas' statements compared as IAM reads them: lists in any order, a single value or a
    /// list of it. Written from the other account's side (its own account first), or edited by hand
    /// into the same meaning, they are the same, so two runs never rewrite each other's order.
    @Test func theStatementsAreComparedAsIAMReadsThem() throws {
        let members = AccountReplicaGrants.members(
            sourceARN: Self.arn, table: "sessions",
            replicas: [Replica(region: "us-west-2", account: "444455556666", target: "dr")])
        let statements = AccountReplicaGrants.sourceStatements(members: members)
        let policy = try #require(AccountReplicaGrants.merged(nil, with: statements))
        let reordered = try #require(
            AccountReplicaGrants.merged(nil, with: AccountReplicaGrants.sourceStatements(members: members))?
                .replacingOccurrences(
                    of: #"["111122223333","444455556666"]"#, with: #"["444455556666","111122223333"]"#
                )
                .replacingOccurrences(
                    of: #""Principal":{"AWS":["444455556666"]}"#, with: #""Principal":{"AWS":"444455556666"}"#
                )
                .replacingOccurrences(
                    of:
                        #"["dynamodb:ReadDataForReplication","dynamodb:WriteDataForReplication","dynamodb:ReplicateSettings"]"#,
                    with:
                        #"["dynamodb:ReplicateSettings","dynamodb:ReadDataForReplication","dynamodb:WriteDataForReplication"]"#
                ))
        #expect(reordered != policy)
        #expect(AccountReplicaGrants.merged(reordered, with: statements) == nil, "\(reordered)")
        #expect(AccountReplicaGrants.sameStatements(reordered, policy))
        // A member taken out is not the same.
        let narrowed = reordered.replacingOccurrences(
            of: #"["444455556666","111122223333"]"#, with: #"["111122223333"]"#)
        #expect(narrowed != reordered)
        #expect(AccountReplicaGrants.merged(narrowed, with: statements) != nil)
    }

    @Test func aReplicaInTheTablesOwnAccountIsBlocked() {
        var wanted = schema
        wanted.resourcePolicy = .unmanaged
        wanted.replicas = [Replica(region: "us-west-2", account: "111122223333", target: "main")]
        var old = wanted
        old.replicas = []
        let plan = TableDiff.plan(wanted, live: live(old))
        #expect(plan.blocked.map(\.field) == ["replicas"])
        #expect(plan.blocked.first?.reason?.contains("the table's own account") == true)
    }

    @Test func aSchemaManagedPolicyKeepsTheStatementsTheReplicasNeed() throws {
        var wanted = schema
        let own =
            #"{"Version":"2012-10-17","Statement":[{"Sid":"Mine","Effect":"Deny","Principal":"*","#
            + #""Action":"dynamodb:DeleteTable","Resource":"*"}]}"#
        wanted.resourcePolicy = .policy(own)
        var table = live(
            wanted, replicas: [LiveReplica(replica: Replica(region: "us-west-2", account: "444455556666"))])
        let merged = try #require(
            AccountReplicaGrants.merged(
                own,
                with: AccountReplicaGrants.sourceStatements(
                    members: AccountReplicaGrants.members(
                        sourceARN: Self.arn, table: "sentinel-sessions", replicas: wanted.replicas))))
        table.resourcePolicy = merged
        // The live policy has the schema's statement and the replicas': nothing to change, never taken away.
        #expect(TableDiff.plan(wanted, live: table).steps.map(\.kind) == [])
        let sids = ResourcePolicy.document(merged)?["Statement"]?.arrayValue?.compactMap {
            $0["Sid"]?.stringValue
        }
        #expect(sids == ["Mine", AccountReplicaGrants.replicationSid, AccountReplicaGrants.joinSid])
    }

    /// Adoption leaves out the statements apply keeps for account replicas: the user's own stay the
    /// schema's policy, and a policy of nothing else is left alone; either plans as up to date, and
    /// removing the replica later takes the statements with it rather than keeping them as the user's.
    @Test func anAdoptedSchemaHoldsOnlyTheUsersOwnStatements() throws {
        let own =
            #"{"Version":"2012-10-17","Statement":[{"Sid":"Mine","Effect":"Deny","Principal":"*","#
            + #""Action":"dynamodb:DeleteTable","Resource":"*"}]}"#
        let grants = AccountReplicaGrants.sourceStatements(
            members: AccountReplicaGrants.members(
                sourceARN: Self.arn, table: "sentinel-sessions", replicas: schema.replicas))
        var table = live(
            schema, replicas: [LiveReplica(replica: Replica(region: "us-west-2", account: "444455556666"))])
        table.resourcePolicy = AccountReplicaGrants.merged(own, with: grants)
        var adopted = table.schema
        guard case .policy(let text) = adopted.resourcePolicy else {
            Issue.record("expected the user's policy: \(adopted.resourcePolicy)")
            return
        }
        #expect(ResourcePolicy.document(text)?["Statement"]?.arrayValue?.count == 1, "\(text)")
        adopted.replicas = adopted.replicas.map {
            var replica = $0
            replica.target = "dr"
            return replica
        }
        #expect(TableDiff.plan(adopted, live: table).isUpToDate)

        // The replicas' statements first (apply added them before the user's own was added by hand): the
        // same policy, so the adopted schema still plans nothing.
        let grantsFirst = try #require(AccountReplicaGrants.merged(nil, with: grants))
        let mine =
            #"{"Sid":"Mine","Effect":"Deny","Principal":"*","Action":"dynamodb:DeleteTable","Resource":"*"}"#
        table.resourcePolicy = try #require(
            AccountReplicaGrants.merged(
                grantsFirst, with: [try #require(ResourcePolicy.document(mine))]))
        var readopted = table.schema
        readopted.replicas = adopted.replicas
        #expect(
            TableDiff.plan(readopted, live: table).isUpToDate,
            "\(TableDiff.plan(readopted, live: table).steps)")

        table.resourcePolicy = AccountReplicaGrants.merged(nil, with: grants)
        #expect(table.schema.resourcePolicy == .unmanaged)
    }

    @Test func theStatementsAreTheTutorialsAndReplaceTheirOwnSids() throws {
        let members = AccountReplicaGrants.members(
            sourceARN: Self.arn, table: "sessions",
            replicas: [Replica(region: "us-west-2", account: "444455556666", target: "dr")])
        let statements = AccountReplicaGrants.sourceStatements(members: members)
        let replication = statements[0]
        #expect(replication["Principal"]?["Service"] == ["replication.dynamodb.amazonaws.com"])
        #expect(
            replication["Condition"]?["StringEquals"]?["aws:SourceArn"]
                == [.string(Self.arn), "arn:aws:dynamodb:us-west-2:444455556666:table/sessions"])
        #expect(
            replication["Condition"]?["StringEquals"]?["aws:SourceAccount"] == [
                "111122223333", "444455556666",
            ])
        #expect(statements[1]["Principal"]?["AWS"] == ["444455556666"])
        #expect(statements[1]["Action"] == ["dynamodb:AssociateTableReplica"])
        // Statements of the same Sid are replaced, others kept; a policy that has them already is left.
        let stale =
            #"{"Version":"2012-10-17","Statement":[{"Sid":"AllowTrustedAccountsToJoinThisGlobalTable","#
            + #""Effect":"Allow","Principal":{"AWS":["999999999999"]},"Action":"dynamodb:AssociateTableReplica","#
            + #""Resource":"x"}]}"#
        let merged = try #require(AccountReplicaGrants.merged(stale, with: statements))
        #expect(ResourcePolicy.statementCount(merged) == 2)
        #expect(!merged.contains("999999999999"))
        #expect(AccountReplicaGrants.merged(merged, with: statements) == nil)
        #expect(AccountReplicaGrants.merged(nil, with: statements).map(ResourcePolicy.statementCount) == 2)
        // Taken out again with the last replica in another account; other statements stay.
        #expect(AccountReplicaGrants.withoutGrants(merged) == .some(nil))
        let mine =
            #"{"Sid":"Mine","Effect":"Deny","Principal":"*","Action":"dynamodb:DeleteTable","Resource":"*"}"#
        let shared = try #require(
            AccountReplicaGrants.merged(#"{"Version":"2012-10-17","Statement":[\#(mine)]}"#, with: statements)
        )
        let left = try #require(AccountReplicaGrants.withoutGrants(shared) ?? nil)
        #expect(ResourcePolicy.statementCount(left) == 1)
        #expect(left.contains("Mine"))
        #expect(AccountReplicaGrants.withoutGrants(left) == nil)
    }

    @Test func theReplicaArnNamesAnotherAccount() throws {
        let table = try LiveTable(describeTable: [
            "Table": [
                "TableName": "sessions", "TableArn": .string(Self.arn), "TableStatus": "ACTIVE",
                "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]],
                "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
                "GlobalTableVersion": "2019.11.21", "GlobalTableSettingsReplicationMode": "ENABLED",
                "Replicas": [
                    ["RegionName": "us-east-1", "ReplicaArn": .string(Self.arn), "ReplicaStatus": "ACTIVE"],
                    [
                        "RegionName": "us-west-2", "ReplicaStatus": "ACTIVE",
                        "ReplicaArn": "arn:aws:dynamodb:us-west-2:444455556666:table/sessions",
                        "GlobalTableSettingsReplicationMode": "ENABLED",
                    ],
                ],
            ]
        ])
        #expect(table.replicas.map(\.replica) == [Replica(region: "us-west-2", account: "444455556666")])
        #expect(table.settingsReplication == .enabled)
        #expect(table.unmanaged.isEmpty)
        let adopted = table.schema
        #expect(adopted.replicas.first?.account == "444455556666")
        #expect(adopted.settingsReplication == .enabled)
    }
}

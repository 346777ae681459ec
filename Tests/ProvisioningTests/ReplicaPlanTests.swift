import JSON
import Schema
import Testing

@testable import Provisioning

/// Global tables: what the plan does with replicas and the witness, the UpdateTable bodies it sends,
/// and how a DescribeTable with `Replicas` is read.
@Suite struct ReplicaPlanTests {
    var schema: TableSchema {
        var schema = BuiltInSchema.sessions.schema()
        schema.stream = .newAndOldImages
        return schema
    }

    func live(_ schema: TableSchema, replicas: [LiveReplica] = []) -> LiveTable {
        var table = liveTable(matching: schema)
        table.replicas = replicas
        return table
    }

    @Test func aNewGlobalTableIsCreatedThenEachReplicaInItsOwnStep() {
        var wanted = schema
        wanted.replicas = [
            Replica(region: "us-west-2"), Replica(region: "eu-west-1", tableClass: .standardInfrequentAccess),
        ]
        let plan = TableDiff.plan(wanted, live: nil)
        #expect(plan.steps.map(\.kind) == ["create_table", "create_replica", "create_replica", "enable_ttl"])
        #expect(plan.steps[2].summary == "create replica in eu-west-1 (class STANDARD_INFREQUENT_ACCESS)")
    }

    @Test func replicasAreAddedAfterTheStreamAndRemovedFirst() {
        var old = schema
        old.stream = nil
        var wanted = schema
        wanted.replicas = [Replica(region: "us-west-2")]
        let added = TableDiff.plan(wanted, live: live(old, replicas: []))
        #expect(added.steps.map(\.kind) == ["update_settings", "create_replica"])

        let removed = TableDiff.plan(
            schema, live: live(schema, replicas: [LiveReplica(replica: Replica(region: "us-west-2"))]))
        #expect(removed.steps == [.deleteReplica(region: "us-west-2")])
        #expect(removed.steps[0].symbol == "-")
        #expect(removed.steps[0].warning?.contains("every item in it") == true)
    }

    @Test func onlyWhatTheSchemaGivesIsUpdated() {
        var wanted = schema
        wanted.replicas = [Replica(region: "us-west-2", tableClass: .standardInfrequentAccess, maxRead: 50)]
        let current = LiveReplica(replica: Replica(region: "us-west-2", tableClass: .standard, maxRead: 50))
        let plan = TableDiff.plan(wanted, live: live(wanted, replicas: [current]))
        #expect(
            plan.steps == [
                .updateReplica(
                    Replica(region: "us-west-2", tableClass: .standardInfrequentAccess), from: current.replica
                )
            ])
        var leaveAlone = wanted
        leaveAlone.replicas = [Replica(region: "us-west-2")]
        #expect(TableDiff.plan(leaveAlone, live: live(leaveAlone, replicas: [current])).isUpToDate)
    }

    @Test func aStronglyConsistentTableIsMadeInOneUpdateTable() {
        var wanted = schema
        wanted.stream = nil
        wanted.multiRegionConsistency = .strong
        wanted.replicas = [Replica(region: "us-east-2")]
        wanted.witnessRegion = "us-west-2"
        var table = live(wanted)
        table.itemCount = 0
        let plan = TableDiff.plan(wanted, live: table)
        #expect(plan.steps == [.createStrongGlobalTable(replicas: wanted.replicas, witness: "us-west-2")])
        let requests = StepRequests.requests(for: plan.steps[0], schema: wanted, arn: table.arn)
        #expect(requests.count == 1)
        #expect(requests[0].operation == "UpdateTable")
        #expect(
            requests[0].body == [
                "TableName": .string(wanted.name),
                "ReplicaUpdates": [["Create": ["RegionName": "us-east-2"]]],
                "MultiRegionConsistency": "STRONG",
                "GlobalTableWitnessUpdates": [["Create": ["RegionName": "us-west-2"]]],
            ])
    }

    @Test func strongConsistencyOnATableWithItemsIsBlocked() {
        var wanted = schema
        wanted.multiRegionConsistency = .strong
        wanted.replicas = [Replica(region: "us-east-2"), Replica(region: "us-west-2")]
        var table = live(wanted)
        table.itemCount = 3
        let plan = TableDiff.plan(wanted, live: table)
        #expect(plan.blocked.map(\.field) == ["multi_region_consistency"])
        #expect(plan.blocked[0].reason?.contains("empty table") == true)
    }

    @Test func theConsistencyModeOfAGlobalTableCannotChange() {
        var wanted = schema
        wanted.multiRegionConsistency = .strong
        wanted.replicas = [Replica(region: "us-east-2"), Replica(region: "us-west-2")]
        let table = live(
            wanted,
            replicas: [
                LiveReplica(replica: Replica(region: "us-east-2")),
                LiveReplica(replica: Replica(region: "us-west-2")),
            ])
        let plan = TableDiff.plan(wanted, live: table)
        #expect(plan.blocked.map(\.field) == ["multi_region_consistency"])
        #expect(plan.blocked[0].live == "EVENTUAL")
    }

    /// A strongly consistent table's replicas are not removed one at a time (DynamoDB refuses "Deletion of
    /// only one table replica" of an MRSC table): a schema that lists none is blocked, as one that lists
    /// others, and nothing is planned to delete them.
    @Test func aStronglyConsistentTablesReplicasAreNotDroppedOneByOne() {
        var strong = schema
        strong.multiRegionConsistency = .strong
        strong.replicas = [Replica(region: "us-east-2"), Replica(region: "us-west-2")]
        var table = live(
            strong,
            replicas: [
                LiveReplica(replica: Replica(region: "us-east-2")),
                LiveReplica(replica: Replica(region: "us-west-2")),
            ])
        table.multiRegionConsistency = .strong
        let regional = schema
        let plan = TableDiff.plan(regional, live: table)
        #expect(plan.blocked.map(\.field) == ["replicas"], "\(plan.blocked)")
        #expect(plan.blocked.first?.reason?.contains("change them by hand") == true)
        #expect(TableDiff.plan(strong, live: table).isUpToDate)
    }

    @Test func replicaRequestsCarryOverridesAndOneActionEach() {
        let replica = Replica(
            region: "us-west-2", kmsKey: "alias/k", tableClass: .standardInfrequentAccess, readCapacity: 4,
            indexes: [ReplicaIndex(name: "gsi", readCapacity: 2)])
        let body = StepRequests.requests(for: .createReplica(replica), schema: schema, arn: "")[0].body
        #expect(
            body["ReplicaUpdates"] == [
                [
                    "Create": [
                        "RegionName": "us-west-2", "KMSMasterKeyId": "alias/k",
                        "TableClassOverride": "STANDARD_INFREQUENT_ACCESS",
                        "ProvisionedThroughputOverride": ["ReadCapacityUnits": 4],
                        "GlobalSecondaryIndexes": [
                            ["IndexName": "gsi", "ProvisionedThroughputOverride": ["ReadCapacityUnits": 2]]
                        ],
                    ]
                ]
            ])
        let delete = StepRequests.requests(for: .deleteReplica(region: "us-west-2"), schema: schema, arn: "")
        #expect(delete[0].body["ReplicaUpdates"] == [["Delete": ["RegionName": "us-west-2"]]])
    }

    /// A description as DynamoDB gives it from us-east-1: the replicas, possibly with the described
    /// region among them.
    func described(replicas: JSONValue, extra: JSONObject = [:]) throws -> LiveTable {
        var table: JSONObject = [
            "TableName": "sessions", "TableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/sessions",
            "TableStatus": "ACTIVE", "KeySchema": [["AttributeName": "session_id", "KeyType": "HASH"]],
            "AttributeDefinitions": [["AttributeName": "session_id", "AttributeType": "S"]],
            "BillingModeSummary": ["BillingMode": "PAY_PER_REQUEST"],
            "GlobalTableVersion": "2019.11.21", "Replicas": replicas,
        ]
        for (key, value) in extra { table[key] = value }
        return try LiveTable(describeTable: ["Table": .object(table)])
    }

    @Test func replicasAreReadWithoutTheDescribedRegion() throws {
        let table = try described(replicas: [
            ["RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"],
            [
                "RegionName": "us-west-2", "ReplicaStatus": "CREATING", "ReplicaStatusPercentProgress": "40",
                "ReplicaTableClassSummary": ["TableClass": "STANDARD_INFREQUENT_ACCESS"],
                "OnDemandThroughputOverride": ["MaxReadRequestUnits": 100],
            ],
        ])
        #expect(table.replicas.map(\.region) == ["us-west-2"])
        #expect(table.replicas[0].replica.tableClass == .standardInfrequentAccess)
        #expect(table.replicas[0].replica.maxRead == 100)
        #expect(table.unmanaged.isEmpty)
        #expect(!table.isSettled)
        #expect(Provisioner.pending(table) == "replica us-west-2 CREATING -> ACTIVE")
    }

    @Test func theKnownSettingsModesAreManagedAndAnotherIsNot() throws {
        let sameAccount = try described(
            replicas: [
                ["RegionName": "us-west-2", "GlobalTableSettingsReplicationMode": "ENABLED_WITH_OVERRIDES"]
            ],
            extra: ["GlobalTableSettingsReplicationMode": "ENABLED_WITH_OVERRIDES"])
        #expect(sameAccount.unmanaged.isEmpty)
        // ENABLED and DISABLED are a multi-account table's (and its source's): modelled as settings_replication.
        let source = try described(replicas: [], extra: ["GlobalTableSettingsReplicationMode": "DISABLED"])
        #expect(source.unmanaged.isEmpty)
        #expect(source.settingsReplication == .disabled)
        let other = try described(
            replicas: [], extra: ["GlobalTableSettingsReplicationMode": "SOMETHING_NEW"])
        #expect(other.unmanaged.map(\.path) == ["Table.GlobalTableSettingsReplicationMode"])
    }

    @Test func whatTheModelCannotReadOfAReplicaIsUnmanaged() throws {
        let table = try described(replicas: [["RegionName": "us-west-2", "ReplicaSomethingNew": "x"]])
        #expect(table.unmanaged.map(\.path) == ["Table.Replicas[us-west-2].ReplicaSomethingNew"])
        let legacy = try described(replicas: [], extra: ["GlobalTableVersion": "2017.11.29"])
        #expect(legacy.unmanaged.map(\.path) == ["Table.GlobalTableVersion"])
    }

    @Test func aStrongTableWithItsWitnessIsAdoptedAsItIs() throws {
        let table = try described(
            replicas: [["RegionName": "us-east-2", "ReplicaStatus": "ACTIVE"]],
            extra: [
                "MultiRegionConsistency": "STRONG",
                "GlobalTableWitnesses": [["RegionName": "us-west-2", "WitnessStatus": "ACTIVE"]],
            ])
        #expect(table.unmanaged.isEmpty)
        let adopted = table.schema
        #expect(adopted.multiRegionConsistency == .strong)
        #expect(adopted.replicas == [Replica(region: "us-east-2")])
        #expect(adopted.witnessRegion == "us-west-2")
        #expect(TableDiff.plan(adopted, live: table).isUpToDate)
    }
}

/// The settings DynamoDB keeps per region: compared with what the replica's region reported, planned as
/// one step sent there, and a protected replica is not deleted.
@Suite struct ReplicaRegionalSettingsTests {
    var schema: TableSchema {
        var schema = BuiltInSchema.sessions.schema()
        schema.stream = .newAndOldImages
        schema.tags = ["team": "platform"]
        return schema
    }

    func live(_ schema: TableSchema, _ regional: LiveReplica.RegionalSettings?) -> LiveTable {
        var table = liveTable(matching: schema)
        table.replicas = [LiveReplica(replica: Replica(region: "us-west-2"), regional: regional)]
        return table
    }

    static let arn = "arn:aws:dynamodb:us-west-2:123456789012:table/sentinel-sessions"

    @Test func aNewReplicasOwnSettingsFollowItsCreation() {
        var wanted = schema
        wanted.replicas = [Replica(region: "us-west-2", deletionProtection: true, tags: .propagate)]
        let plan = TableDiff.plan(wanted, live: liveTable(matching: wanted))
        #expect(plan.steps.map(\.kind) == ["create_replica", "update_replica_settings"])
        #expect(plan.steps[0] == .createReplica(Replica(region: "us-west-2")))
        #expect(plan.steps[1].summary == "replica in us-west-2: deletion protection on, tag team: platform")
    }

    @Test func onlyWhatDiffersIsChangedAndTheRequestsCarryTheReplicasARN() {
        var wanted = schema
        wanted.replicas = [
            Replica(
                region: "us-west-2", deletionProtection: true, pointInTimeRecovery: false,
                tags: .given(["a": "1"]))
        ]
        let regional = LiveReplica.RegionalSettings(
            arn: Self.arn, deletionProtection: true, pointInTimeRecovery: true,
            tags: ["b": "2", "aws:x": "y"])
        let plan = TableDiff.plan(wanted, live: live(wanted, regional))
        var change = ReplicaSettingsChange(arn: Self.arn, pointInTimeRecovery: false)
        change.setTags = ["a": "1"]
        change.removeTags = ["b"]
        #expect(plan.steps == [.updateReplicaSettings(region: "us-west-2", change)])
        let requests = StepRequests.requests(for: plan.steps[0], schema: wanted, arn: "")
        #expect(requests.map(\.operation) == ["UpdateContinuousBackups", "TagResource", "UntagResource"])
        #expect(requests[1].body["ResourceArn"] == .string(Self.arn))
    }

    @Test func settingsTheSchemaLeavesOutAreLeftAlone() {
        var wanted = schema
        wanted.replicas = [Replica(region: "us-west-2")]
        let regional = LiveReplica.RegionalSettings(
            arn: Self.arn, deletionProtection: true, pointInTimeRecovery: true, tags: ["b": "2"])
        #expect(TableDiff.plan(wanted, live: live(wanted, regional)).isUpToDate)
    }

    @Test func aProtectedReplicaIsNotDeleted() {
        let regional = LiveReplica.RegionalSettings(
            arn: Self.arn, deletionProtection: true, pointInTimeRecovery: false, tags: [:])
        let plan = TableDiff.plan(schema, live: live(schema, regional))
        #expect(plan.blocked.map(\.field) == ["replicas"])
        #expect(plan.blocked[0].reason?.contains("deletion protection on") == true)
    }

    @Test func theAdoptedSchemaKeepsWhatTheRegionReported() {
        let regional = LiveReplica.RegionalSettings(
            arn: Self.arn, deletionProtection: true, pointInTimeRecovery: false, tags: ["team": "platform"])
        let table = live(schema, regional)
        let adopted = table.schema
        #expect(
            adopted.replicas == [
                Replica(
                    region: "us-west-2", deletionProtection: true, pointInTimeRecovery: false,
                    tags: .propagate)
            ])
        #expect(TableDiff.plan(adopted, live: table).isUpToDate)
    }
}

import Schema
import Testing

@testable import Provisioning

/// The live table a schema would give once fully applied: the baseline each test drifts from.
func liveTable(matching schema: TableSchema) -> LiveTable {
    LiveTable(
        name: schema.name, arn: "arn:aws:dynamodb:us-east-1:123456789012:table/\(schema.name)",
        partitionKey: schema.partitionKey, sortKey: schema.sortKey,
        globalSecondaryIndexes: schema.globalSecondaryIndexes.map { LiveIndex(index: $0) },
        localSecondaryIndexes: schema.localSecondaryIndexes, billingMode: schema.billingMode,
        readCapacity: schema.readCapacity, writeCapacity: schema.writeCapacity,
        onDemandThroughput: schema.onDemandThroughput,
        timeToLive: schema.ttlAttribute.map { LiveTimeToLive(status: "ENABLED", attribute: $0) } ?? .disabled,
        encryption: LiveEncryption(
            type: schema.encryption.type == .default ? .default : .kms,
            keyARN: schema.encryption.type == .default ? nil : "arn:aws:kms:us-east-1:123456789012:key/abc"),
        deletionProtection: schema.deletionProtection, pointInTimeRecovery: schema.pointInTimeRecovery,
        recoveryPeriodDays: schema.pointInTimeRecovery ? schema.recoveryPeriodDays ?? 35 : nil,
        stream: schema.stream, tableClass: schema.tableClass, tags: schema.tags,
        resourcePolicy: schema.resourcePolicy.text,
        resourcePolicyRevision: schema.resourcePolicy.text.map { _ in "r1" }
    )
}

@Suite struct TableDiffTests {
    let sessions = BuiltInSchema.sessions.schema()

    @Test(arguments: BuiltInSchema.allCases)
    func matchingTableNeedsNothing(kind: BuiltInSchema) {
        let schema = kind.schema()
        #expect(TableDiff.plan(schema, live: liveTable(matching: schema)).isUpToDate)
    }

    @Test func missingTableIsCreatedThenTTLAndRecovery() {
        var schema = sessions
        schema.pointInTimeRecovery = true
        let plan = TableDiff.plan(schema, live: nil)
        #expect(!plan.exists)
        #expect(
            plan.steps == [
                .createTable(schema), .enableTimeToLive(attribute: "ttl"),
                .updatePointInTimeRecovery(enabled: true),
            ])
        #expect(plan.steps.map(\.symbol) == ["+", "+", "~"])
    }

    @Test func missingAndExtraIndexesAreCreatedAndDeleted() {
        var live = liveTable(matching: sessions)
        live.globalSecondaryIndexes.removeAll { $0.name == "gsi-status" }
        live.globalSecondaryIndexes.append(
            LiveIndex(
                index: GlobalSecondaryIndex(name: "gsi-old", partitionKey: .string("old"), projection: .all)))
        let plan = TableDiff.plan(sessions, live: live)
        let gsiStatus = sessions.globalSecondaryIndexes[1]
        #expect(
            plan.steps == [
                .deleteIndex(name: "gsi-old", replacing: false), .createIndex(gsiStatus, replacing: false),
            ])
    }

    @Test func anIndexWithOtherKeysOrProjectionIsReplaced() {
        var live = liveTable(matching: sessions)
        live.globalSecondaryIndexes[0].index.projection = .keysOnly
        let plan = TableDiff.plan(sessions, live: live)
        #expect(
            plan.steps == [
                .deleteIndex(name: "gsi-user", replacing: true),
                .createIndex(sessions.globalSecondaryIndexes[0], replacing: true),
            ])
        #expect(plan.steps.map(\.symbol) == ["-/+", "-/+"])
    }

    @Test func keySchemaAndLSIChangesAreBlockedAndTheOtherDifferencesStillShown() {
        var live = liveTable(matching: sessions)
        live.partitionKey = .number("id")
        live.sortKey = .string("at")
        live.localSecondaryIndexes = [LocalSecondaryIndex(name: "lsi", sortKey: .string("x"))]
        live.pointInTimeRecovery = true
        let plan = TableDiff.plan(sessions, live: live)
        #expect(plan.blocked.map(\.field) == ["partition_key", "sort_key", "lsis"])
        #expect(plan.blocked[0].description.contains("id (N)"))
        #expect(plan.steps == [.updatePointInTimeRecovery(enabled: false)])
        #expect(!plan.isUpToDate)
        let text = PlanReport.text([.success(plan)])
        #expect(text.contains("blocked, the table will not be touched"))
        #expect(text.contains("sentinel-tables migrate SCRIPT --table "))
        // From the CLI, a command to run: the script and its arguments as typed, a name to start from.
        let command = PlanReport.text([.success(plan)], script: ["infra/sessions.lua", "prod", "it's"])
        #expect(
            command.contains(
                "sentinel-tables migrate infra/sessions.lua prod 'it'\\''s' --table \(plan.table) --to \(plan.table)-v2"
            ),
            "\(command)")
        #expect(
            text.contains("not applied while the table is blocked:\n  ~   disable point-in-time recovery\n"))
        #expect(text.hasSuffix("Plan: 0 to create, 0 to change, 0 up to date, 1 blocked.\n"))
    }

    @Test func aTagChangeShowsTheOldAndNewValue() {
        var schema = sessions
        schema.tags = ["owner": "bob", "team": "platform"]
        var live = liveTable(matching: sessions)
        live.tags = ["owner": "alice"]
        let plan = TableDiff.plan(schema, live: live)
        #expect(plan.steps == [.tagResource(schema.tags, previous: ["owner": "alice"])])
        #expect(plan.steps[0].summary == "tag owner: alice -> bob, team: platform (new)")
        #expect(
            PlanReport.text([.success(plan)]).contains(
                "  ~   tag owner: alice -> bob, team: platform (new)\n"))
    }

    @Test func droppingALiveIndexCarriesAWarning() {
        var live = liveTable(matching: sessions)
        live.globalSecondaryIndexes.append(
            LiveIndex(index: GlobalSecondaryIndex(name: "gsi-old", partitionKey: .string("old"))))
        live.globalSecondaryIndexes[0].index.projection = .keysOnly
        let plan = TableDiff.plan(sessions, live: live)
        let text = PlanReport.text([.success(plan)])
        #expect(
            text.contains(
                "  -   delete index gsi-old\n  !   warning: index gsi-old is deleted: queries and scans"))
        #expect(
            text.contains(
                "  -/+ delete index gsi-user (to recreate it)\n  !   warning: index gsi-user cannot be queried"
            ))
        let json = PlanReport.json(plan.steps[0])
        #expect(json["warning"]?.stringValue?.contains("gsi-old") == true)
        #expect(plan.steps.last?.warning == nil)
    }

    @Test func aCreatePlanListsEverySettingAReviewerNeeds() {
        var schema = TableSchema(
            name: "audit", partitionKey: .string("id"), sortKey: .number("at"),
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(
                    name: "gsi-actor", partitionKey: .string("actor"), sortKey: .number("at"),
                    projection: .include(["action", "result"]), readCapacity: 2, writeCapacity: 1)
            ],
            billingMode: .provisioned, readCapacity: 5, writeCapacity: 4, ttlAttribute: "expires",
            encryption: .customerKey("alias/audit"), deletionProtection: true, pointInTimeRecovery: true,
            stream: .newAndOldImages, tableClass: .standardInfrequentAccess,
            tags: ["owner": "alice", "team": "platform"])
        let text = PlanReport.text(Provisioner.offlinePlan([schema]))
        let expected = [
            "audit: will be created",
            "  +   create table",
            "        partition key           id (S)",
            "        sort key                at (N)",
            "        index gsi-actor         actor (S), at (N); projection INCLUDE (action, result); capacity 2 read / 1 write",
            "        billing                 PROVISIONED, capacity 5 read / 4 write",
            "        encryption              CUSTOMER_KEY alias/audit",
            "        deletion protection     on",
            "        point-in-time recovery  on",
            "        stream                  NEW_AND_OLD_IMAGES",
            "        table class             STANDARD_INFREQUENT_ACCESS",
            "        TTL                     on expires",
            "        tag owner               alice",
            "        tag team                platform",
            "  +   enable TTL on expires",
            "  ~   enable point-in-time recovery",
            "",
            "Plan: 1 to create, 0 to change, 0 up to date.",
            "",
        ]
        #expect(text == expected.joined(separator: "\n"))
        schema = BuiltInSchema.approvals.schema()
        let builtIn = PlanReport.text(Provisioner.offlinePlan([schema]))
        for line in [
            "index gsi-requester     requester (S), created_at (S); projection ALL",
            "billing                 PAY_PER_REQUEST", "deletion protection     off",
            "point-in-time recovery  off",
            "encryption              KMS (AWS-managed key alias/aws/dynamodb)",
            "stream                  off", "table class             STANDARD",
            "tags                    none",
        ] {
            #expect(builtIn.contains("        " + line + "\n"), "\(line)")
        }
        let json = PlanReport.json(Provisioner.offlinePlan([schema])[0])
        #expect(json["actions"]?[0]?["details"]?[0]?.stringValue?.hasPrefix("partition key") == true)
    }

    @Test func stepsComeInTerraformsSafeOrder() {
        var schema = sessions
        schema.tableClass = .standardInfrequentAccess
        schema.deletionProtection = true
        schema.stream = .newImage
        schema.encryption = .default
        schema.pointInTimeRecovery = true
        schema.tags = ["team": "platform"]
        schema.ttlAttribute = "expires_at"
        schema.globalSecondaryIndexes.append(
            GlobalSecondaryIndex(name: "gsi-device-id", partitionKey: .string("device_id"), projection: .all))
        var live = liveTable(matching: sessions)
        live.globalSecondaryIndexes.append(
            LiveIndex(
                index: GlobalSecondaryIndex(name: "gsi-gone", partitionKey: .string("g"), projection: .all)))
        live.tags = ["old": "x", "aws:cloudformation:stack-name": "s"]
        let kinds = TableDiff.plan(schema, live: live).steps.map(\.kind)
        #expect(
            kinds == [
                "delete_index", "update_table_class", "update_settings", "create_index", "update_encryption",
                "disable_ttl", "enable_ttl", "update_point_in_time_recovery", "tag", "untag",
            ])
        let untag = TableDiff.plan(schema, live: live).steps.last
        #expect(untag == .untagResource(["old"]))
    }

    @Test func switchingToProvisionedSetsCapacityForTheTableAndKeptIndexes() {
        var schema = sessions
        schema.billingMode = .provisioned
        schema.readCapacity = 5
        schema.writeCapacity = 5
        for position in schema.globalSecondaryIndexes.indices {
            schema.globalSecondaryIndexes[position].readCapacity = 2
            schema.globalSecondaryIndexes[position].writeCapacity = 1
        }
        let plan = TableDiff.plan(schema, live: liveTable(matching: sessions))
        guard case .updateSettings(let change) = plan.steps.first else {
            Issue.record("expected a settings step, got \(plan.steps)")
            return
        }
        #expect(change.billingMode == .provisioned)
        #expect(change.capacity == Capacity(read: 5, write: 5))
        #expect(Set(change.indexCapacities.keys) == Set(sessions.globalSecondaryIndexNames))
        // Once provisioned, only a changed capacity is a step.
        var provisioned = liveTable(matching: schema)
        provisioned.globalSecondaryIndexes[2].index.writeCapacity = 9
        let again = TableDiff.plan(schema, live: provisioned)
        #expect(
            again.steps == [
                .updateSettings(SettingsChange(indexCapacities: ["gsi-profile": Capacity(read: 2, write: 1)]))
            ])
    }

    @Test func timeToLiveStates() {
        var live = liveTable(matching: sessions)
        live.timeToLive = LiveTimeToLive(status: "ENABLING", attribute: "ttl")
        #expect(TableDiff.plan(sessions, live: live).isUpToDate)
        live.timeToLive = LiveTimeToLive(status: "DISABLING", attribute: "ttl")
        #expect(TableDiff.plan(sessions, live: live).steps == [.enableTimeToLive(attribute: "ttl")])
        var noTTL = sessions
        noTTL.ttlAttribute = nil
        #expect(
            TableDiff.plan(noTTL, live: liveTable(matching: sessions)).steps == [
                .disableTimeToLive(attribute: "ttl")
            ])
    }

    @Test func encryptionIsComparedAsFarAsTheReportShows() {
        let managed = LiveEncryption(
            type: .kms, keyARN: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        #expect(TableDiff.encryptionChange(.awsManagedKMS, managed) == nil)
        #expect(TableDiff.encryptionChange(.default, managed) == .updateEncryption(from: .kms, to: .default))
        #expect(TableDiff.encryptionChange(.awsManagedKMS, LiveEncryption(type: .default)) != nil)
        #expect(
            TableDiff.encryptionChange(.customerKey("1234abcd-12ab-34cd-56ef-1234567890ab"), managed) == nil)
        #expect(
            TableDiff.encryptionChange(.customerKey("00000000-12ab-34cd-56ef-1234567890ab"), managed) != nil)
        #expect(TableDiff.encryptionChange(.customerKey(managed.keyARN!), managed) == nil)
        #expect(TableDiff.encryptionChange(.customerKey("alias/sentinel"), managed) == nil)
    }

    @Test func streamViewChangesAndDisabling() {
        var schema = sessions
        schema.stream = .newAndOldImages
        var live = liveTable(matching: sessions)
        live.stream = .keysOnly
        #expect(
            TableDiff.plan(schema, live: live).steps
                == [
                    .updateSettings(
                        SettingsChange(stream: StreamChange(from: .keysOnly, to: .newAndOldImages)))
                ])
        #expect(
            TableDiff.plan(sessions, live: live).steps
                == [.updateSettings(SettingsChange(stream: StreamChange(from: .keysOnly, to: nil)))])
    }
}

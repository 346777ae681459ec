import Testing

@testable import Schema

/// Replicas in other accounts (a multi-account global table): each rule at its field path.
@Suite struct AccountReplicaValidationTests {
    var base: TableSchema {
        var schema = TableSchema(name: "sessions", partitionKey: KeyAttribute(name: "id"))
        schema.stream = .newAndOldImages
        return schema
    }

    func problems(_ edit: (inout TableSchema) -> Void) -> [SchemaProblem] {
        var schema = base
        edit(&schema)
        return schema.validate()
    }

    @Test func anAccountReplicaWithItsTargetIsValid() {
        #expect(
            problems {
                $0.replicas = [Replica(region: "us-west-2", account: "444455556666", target: "dr")]
                $0.settingsReplication = .enabled
            } == [])
        #expect(
            problems { $0.replicas = [Replica(region: "us-west-2", account: "444455556666", target: "dr")] }
                == [])
    }

    @Test func theAccountIsTwelveDigitsWithATargetAndOncePerTable() {
        let found = problems {
            $0.replicas = [
                Replica(region: "us-west-2", account: "4444", target: "a"),
                Replica(region: "eu-west-1", account: "444455556666"),
                Replica(region: "eu-west-2", account: "444455556666", target: "c"),
            ]
        }
        #expect(
            found.map(\.path) == ["replicas[1].account", "replicas[2].target", "replicas[3].account"])
        #expect(found[0].message.contains("12-digit"))
        #expect(found[2].message.contains("already at replicas[2]"))
    }

    @Test func aTargetWithoutAnAccountIsRefused() {
        let found = problems { $0.replicas = [Replica(region: "us-west-2", target: "dr")] }
        #expect(found.map(\.path) == ["replicas[1].target"])
    }

    @Test func settingsAreUnifiedSoNoOverrides() {
        let found = problems {
            $0.replicas = [
                Replica(
                    region: "us-west-2", tableClass: .standardInfrequentAccess, maxRead: 5,
                    indexes: [ReplicaIndex(name: "x", maxRead: 3)], deletionProtection: true,
                    account: "444455556666", target: "dr")
            ]
        }
        let paths = found.map(\.path)
        #expect(paths.contains("replicas[1].table_class"))
        #expect(paths.contains("replicas[1].on_demand_throughput"))
        #expect(paths.contains("replicas[1].gsis"))
        #expect(paths.contains("replicas[1].deletion_protection"))
        #expect(
            found.first { $0.path == "replicas[1].on_demand_throughput" }?.message.contains("overrides")
                == true)
    }

    @Test func multiAccountIsEventualOnlyAndNotMixedWithSameAccountReplicas() {
        let strong = problems {
            $0.multiRegionConsistency = .strong
            $0.replicas = [
                Replica(region: "us-west-2", account: "444455556666", target: "a"),
                Replica(region: "us-east-2", account: "777788889999", target: "b"),
            ]
        }
        #expect(strong.map(\.path).contains("multi_region_consistency"))
        let mixed = problems {
            $0.replicas = [
                Replica(region: "us-west-2", account: "444455556666", target: "a"),
                Replica(region: "eu-west-1"),
            ]
        }
        #expect(mixed.map(\.path) == ["replicas"])
    }

    @Test func settingsReplicationIsOnlyForAccountReplicasAndOnlyEnabledThere() {
        #expect(problems { $0.settingsReplication = .enabled }.map(\.path) == ["settings_replication"])
        let disabled = problems {
            $0.settingsReplication = .disabled
            $0.replicas = [Replica(region: "us-west-2", account: "444455556666", target: "dr")]
        }
        #expect(disabled.map(\.path) == ["settings_replication"])
        #expect(disabled[0].message.contains("ENABLED"))
        let unknown = problems {
            $0.settingsReplication = "ON"
            $0.replicas = [Replica(region: "us-west-2", account: "444455556666", target: "dr")]
        }
        #expect(unknown.map(\.path) == ["settings_replication"])
    }
}

/// The IAM policy of a multi-account global table: the table's own account's statements, and one for
/// what apply does in each replica's account, on that replica's table only.
@Suite struct AccountReplicaIAMPolicyTests {
    @Test func aReplicaInAnotherAccountIsGrantedOnItsOwnTableOnly() throws {
        var schema = TableSchema(name: "sessions", partitionKey: KeyAttribute(name: "id"))
        schema.stream = .newAndOldImages
        schema.replicas = [
            Replica(region: "us-west-2", account: "444455556666", target: "dr"),
            Replica(region: "eu-west-1", account: "777788889999", target: "eu"),
        ]
        let policy = IAMPolicy(tables: [schema], region: "us-east-1", accountID: "111122223333")
        let sids = policy.statements.map(\.sid)
        #expect(!sids.contains("SentinelGlobalTableReplicas"), "\(sids)")
        #expect(sids.contains("SentinelTableResourcePolicies"), "\(sids)")
        let replicas = try #require(policy.statements.first { $0.sid == "SentinelAccountReplicas" })
        #expect(
            replicas.resources == [
                "arn:aws:dynamodb:us-west-2:444455556666:table/sessions",
                "arn:aws:dynamodb:eu-west-1:777788889999:table/sessions",
            ])
        for action in [
            "dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:DeleteTable",
            "dynamodb:GetResourcePolicy",
            "dynamodb:PutResourcePolicy",
        ] {
            #expect(replicas.actions.contains(action), "\(action)")
        }
        // The replicas' principals join the table: AssociateTableReplica on it.
        let join = try #require(policy.statements.first { $0.sid == "SentinelAccountReplicaJoin" })
        #expect(join.actions == ["dynamodb:AssociateTableReplica"])
        #expect(join.resources == ["arn:aws:dynamodb:us-east-1:111122223333:table/sessions"])
        // Every other statement stays in the table's own account.
        let others = policy.statements.filter { $0.sid != "SentinelAccountReplicas" }
        let resources = others.reduce(into: [String]()) { $0 += $1.resources }
        #expect(!resources.contains { $0.contains("444455556666") || $0.contains("777788889999") })
    }
}

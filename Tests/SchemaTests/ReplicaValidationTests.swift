import Testing

@testable import Schema

/// Replicas, the consistency mode and the witness: each rule reported at its field path.
@Suite struct ReplicaValidationTests {
    /// A sessions-like table with a stream, as eventually consistent replicas need.
    var base: TableSchema {
        var schema = TableSchema(
            name: "sessions", partitionKey: KeyAttribute(name: "id"),
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(name: "by-user", partitionKeys: [KeyAttribute(name: "user")])
            ])
        schema.stream = .newAndOldImages
        return schema
    }

    func problems(_ edit: (inout TableSchema) -> Void) -> [SchemaProblem] {
        var schema = base
        edit(&schema)
        return schema.validate()
    }

    @Test func plainReplicasAreValid() {
        #expect(
            problems { $0.replicas = [Replica(region: "us-west-2"), Replica(region: "eu-west-1")] } == [])
    }

    @Test func regionIsRequiredWellFormedAndOnce() {
        let found = problems {
            $0.replicas = [
                Replica(region: ""), Replica(region: "not a region"), Replica(region: "us-west-2"),
                Replica(region: "us-west-2"),
            ]
        }
        #expect(found.map(\.path) == ["replicas[1].region", "replicas[2].region", "replicas[4].region"])
        #expect(found[2].message.contains("already at replicas[3].region"))
    }

    @Test func eventuallyConsistentReplicasNeedTheStreamWithBothImages() {
        let found = problems {
            $0.stream = .keysOnly
            $0.replicas = [Replica(region: "us-west-2")]
        }
        #expect(found.map(\.path) == ["stream"])
        #expect(found[0].message.contains("NEW_AND_OLD_IMAGES"))
        #expect(
            problems {
                $0.stream = nil
                $0.replicas = [Replica(region: "us-west-2")]
            }.map(\.path) == ["stream"])
    }

    @Test func readOverridesFollowTheBillingMode() {
        let onDemand = problems {
            $0.replicas = [
                Replica(
                    region: "us-west-2", readCapacity: 5, maxRead: 0,
                    indexes: [
                        ReplicaIndex(name: "by-user", readCapacity: 3),
                        ReplicaIndex(name: "nope", maxRead: 10),
                    ])
            ]
        }
        #expect(
            onDemand.map(\.path) == [
                "replicas[1].read_capacity", "replicas[1].on_demand_throughput.max_read",
                "replicas[1].gsis[\"by-user\"].read_capacity",
                "replicas[1].gsis[\"nope\"]",
            ])
        let provisioned = problems {
            $0.billingMode = .provisioned
            $0.readCapacity = 5
            $0.writeCapacity = 5
            $0.globalSecondaryIndexes[0].readCapacity = 1
            $0.globalSecondaryIndexes[0].writeCapacity = 1
            $0.replicas = [Replica(region: "us-west-2", readCapacity: 0, maxRead: 10)]
        }
        #expect(provisioned.map(\.path) == ["replicas[1].read_capacity", "replicas[1].on_demand_throughput"])
    }

    @Test func aReplicaKeyIsTheCustomerKeyInTheReplicasRegion() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
        let missing = problems {
            $0.encryption = Encryption(type: .customerKey, kmsKey: key)
            $0.replicas = [Replica(region: "us-west-2")]
        }
        #expect(missing.map(\.path) == ["replicas[1].kms_key"])
        let wrongRegion = problems {
            $0.encryption = Encryption(type: .customerKey, kmsKey: key)
            $0.replicas = [Replica(region: "us-west-2", kmsKey: key)]
        }
        #expect(
            wrongRegion.map(\.message) == [
                "KMS key '\(key)' is in us-east-1, not in the replica's region us-west-2"
            ])
        let notCustomer = problems { $0.replicas = [Replica(region: "us-west-2", kmsKey: "alias/x")] }
        #expect(notCustomer.map(\.path) == ["replicas[1].kms_key"])
        #expect(
            problems {
                $0.encryption = Encryption(type: .customerKey, kmsKey: key)
                $0.replicas = [Replica(region: "us-west-2", kmsKey: "alias/replica-key")]
            } == [])
    }

    @Test func aReplicaTableClassIsKnown() {
        #expect(
            problems { $0.replicas = [Replica(region: "us-west-2", tableClass: "CHEAP")] }.map(\.path) == [
                "replicas[1].table_class"
            ])
    }

    @Test func strongConsistencyHasTwoReplicasOrOneAndAWitnessInOneRegionSet() {
        #expect(
            problems {
                $0.multiRegionConsistency = .strong
                $0.replicas = [Replica(region: "us-east-2"), Replica(region: "us-west-2")]
            } == [])
        #expect(
            problems {
                $0.multiRegionConsistency = .strong
                $0.replicas = [Replica(region: "us-east-2")]
                $0.witnessRegion = "us-west-2"
            } == [])
        let tooFew = problems {
            $0.multiRegionConsistency = .strong
            $0.replicas = [Replica(region: "us-east-2")]
        }
        #expect(tooFew.map(\.path) == ["replicas"])
        let acrossSets = problems {
            $0.multiRegionConsistency = .strong
            $0.replicas = [Replica(region: "us-east-2"), Replica(region: "eu-west-1")]
        }
        #expect(acrossSets.map(\.path) == ["replicas"])
        #expect(acrossSets[0].message.contains("one region set"))
    }

    @Test func aStronglyConsistentTableHasNoTTLAndNoLocalIndexes() {
        let found = problems {
            $0.multiRegionConsistency = .strong
            $0.replicas = [Replica(region: "us-east-2"), Replica(region: "us-west-2")]
            $0.sortKey = KeyAttribute(name: "at")
            $0.ttlAttribute = "expires"
            $0.localSecondaryIndexes = [LocalSecondaryIndex(name: "by-x", sortKey: KeyAttribute(name: "x"))]
        }
        #expect(found.map(\.path) == ["ttl", "lsis"])
    }

    @Test func aWitnessIsOnlyForStrongConsistency() {
        let found = problems {
            $0.replicas = [Replica(region: "us-east-2")]
            $0.witnessRegion = "us-west-2"
        }
        #expect(found.map(\.path) == ["witness"])
        #expect(
            problems {
                $0.multiRegionConsistency = .strong
                $0.replicas = [Replica(region: "us-east-2")]
                $0.witnessRegion = "us-east-2"
            }.map(\.path) == ["witness.region"])
    }

    @Test func anUnknownConsistencyIsNamed() {
        #expect(
            problems { $0.multiRegionConsistency = "QUICK" }.map(\.message) == [
                "invalid consistency 'QUICK': must be EVENTUAL or STRONG"
            ])
    }

    @Test func theTablesOwnRegionIsNotAReplicaAndIsInTheStrongSet() {
        var schema = base
        schema.replicas = [Replica(region: "us-east-1"), Replica(region: "us-west-2")]
        #expect(schema.replicaProblems(ownRegion: "us-east-1").map(\.path) == ["replicas[1].region"])
        var strong = base
        strong.multiRegionConsistency = .strong
        strong.replicas = [Replica(region: "us-east-2")]
        strong.witnessRegion = "us-west-2"
        #expect(strong.replicaProblems(ownRegion: "us-east-1") == [])
        #expect(strong.replicaProblems(ownRegion: "eu-west-1").map(\.path) == ["replicas"])
    }

    @Test func replicasStayInTheTablesPartition() {
        var schema = base
        schema.replicas = [
            Replica(region: "cn-north-1"), Replica(region: "us-west-2"), Replica(region: "us-gov-west-1"),
        ]
        let problems = schema.replicaProblems(ownRegion: "us-east-1")
        #expect(problems.map(\.path) == ["replicas[1].region", "replicas[3].region"])
        #expect(problems.first?.message.contains("aws-cn partition") == true, "\(problems)")
        schema.replicas = [Replica(region: "cn-northwest-1")]
        #expect(schema.replicaProblems(ownRegion: "cn-north-1") == [])
    }

    @Test func aGlobalTableDocumentHasItsReplicasAndAOneRegionTableHasNone() {
        #expect(base.schemaDocument()["replicas"] == nil)
        var schema = base
        schema.replicas = [
            Replica(
                region: "us-west-2", tableClass: .standardInfrequentAccess,
                indexes: [ReplicaIndex(name: "by-user", maxRead: 9)])
        ]
        let document = schema.schemaDocument()
        #expect(document["multi_region_consistency"] == "EVENTUAL")
        #expect(document["replicas"]?[0]?["region"] == "us-west-2")
        #expect(document["replicas"]?[0]?["table_class"] == "STANDARD_INFREQUENT_ACCESS")
        #expect(document["replicas"]?[0]?["gsis"]?["by-user"]?["on_demand_throughput"]?["max_read"] == 9)
    }

    @Test func replicaRegionsAndKeysAreInTheIAMPolicy() {
        var schema = base
        schema.encryption = Encryption(type: .customerKey, kmsKey: "alias/table-key")
        schema.replicas = [Replica(region: "us-west-2", kmsKey: "1111aaaa-2222-3333-4444-555555555555")]
        let policy = IAMPolicy(table: schema, region: "us-east-1", accountID: "123456789012")
        let replicas = policy.statements.first { $0.sid == "SentinelGlobalTableReplicas" }
        #expect(replicas?.resources == ["arn:aws:dynamodb:us-west-2:123456789012:table/sessions"])
        #expect(replicas?.actions.contains("dynamodb:CreateTableReplica") == true)
        // The replica's own settings are read and set in its region.
        for action in [
            "UpdateTable", "DescribeContinuousBackups", "UpdateContinuousBackups", "ListTagsOfResource",
        ] {
            #expect(replicas?.actions.contains("dynamodb:" + action) == true, "\(action)")
        }
        #expect(replicas?.actions.contains("dynamodb:CreateGlobalTableWitness") == false)
        let keys = policy.statements.first { $0.sid == "SentinelTableKMSKeys" }
        #expect(
            keys?.resources == ["arn:aws:kms:us-west-2:123456789012:key/1111aaaa-2222-3333-4444-555555555555"]
        )
        #expect(IAMPolicy(table: base).statements.allSatisfy { $0.sid != "SentinelGlobalTableReplicas" })
    }
}

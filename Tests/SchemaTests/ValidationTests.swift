import Schema
import Testing

/// One test per rule: a schema that breaks it (checking the exact path) and one that keeps it.
@Suite struct ValidationTests {
    static let base = TableSchema(name: "audit-log", partitionKey: .string("id"), sortKey: .string("at"))

    /// The problems of the base schema after `edit`.
    func problems(_ edit: (inout TableSchema) -> Void) -> [SchemaProblem] {
        var schema = Self.base
        edit(&schema)
        return schema.validate()
    }

    func paths(_ edit: (inout TableSchema) -> Void) -> [String] {
        problems(edit).map(\.path)
    }

    func gsi(_ name: String, _ partitionKey: String = "pk", sortKey: String? = nil) -> GlobalSecondaryIndex {
        GlobalSecondaryIndex(
            name: name, partitionKey: .string(partitionKey), sortKey: sortKey.map(KeyAttribute.string))
    }

    @Test func baseSchemaIsValid() {
        #expect(Self.base.validate() == [])
        #expect(TableSchema(name: "abc", partitionKey: .binary("k")).validate() == [])
    }

    // MARK: Sentinel's rules

    @Test func tableNameIsRequired() {
        #expect(problems { $0.name = "" } == [SchemaProblem(path: "name", message: "table name is required")])
    }

    @Test func partitionKeyNameIsRequired() {
        #expect(
            problems { $0.partitionKey.name = "" }
                == [SchemaProblem(path: "partition_key.name", message: "key attribute name is required")])
    }

    @Test func partitionKeyTypeIsRequired() {
        #expect(
            problems { $0.partitionKey.type = "" }
                == [
                    SchemaProblem(
                        path: "partition_key.type", message: "key type is required: must be S, N or B")
                ])
    }

    @Test(arguments: ["X", "s", "string", "SS", "BOOL"])
    func keyTypesAreSNOrB(type: String) {
        #expect(
            problems { $0.partitionKey.type = AttributeType(rawValue: type) }
                == [
                    SchemaProblem(
                        path: "partition_key.type", message: "invalid key type '\(type)': must be S, N or B")
                ])
        #expect(paths { $0.sortKey?.type = AttributeType(rawValue: type) } == ["sort_key.type"])
        #expect(
            paths {
                $0.globalSecondaryIndexes = [
                    gsi("first"),
                    GlobalSecondaryIndex(
                        name: "second", partitionKey: .string("a"),
                        sortKey: KeyAttribute(name: "b", type: AttributeType(rawValue: type))),
                ]
            } == ["gsis[2].sort_key.type"])
        for type in ["S", "N", "B"] {
            #expect(paths { $0.sortKey?.type = AttributeType(rawValue: type) } == [])
        }
    }

    @Test func indexNameIsRequired() {
        #expect(
            problems { $0.globalSecondaryIndexes = [gsi("")] }
                == [SchemaProblem(path: "gsis[1].name", message: "GSI index name is required")])
        #expect(
            problems { $0.localSecondaryIndexes = [LocalSecondaryIndex(name: "", sortKey: .string("x"))] }
                == [SchemaProblem(path: "lsis[1].name", message: "LSI index name is required")])
    }

    @Test func indexPartitionKeyIsRequired() {
        #expect(paths { $0.globalSecondaryIndexes = [gsi("by-owner", "")] } == ["gsis[1].partition_key.name"])
        #expect(paths { $0.globalSecondaryIndexes = [gsi("by-owner", "owner")] } == [])
    }

    // MARK: Names

    @Test func tableNameLengthIs3To255() {
        #expect(paths { $0.name = "ab" } == ["name"])
        #expect(paths { $0.name = String(repeating: "t", count: 256) } == ["name"])
        #expect(paths { $0.name = "abc" } == [])
        #expect(paths { $0.name = String(repeating: "t", count: 255) } == [])
        #expect(
            problems { $0.name = "ab" }.first?.message
                == "table name 'ab' is 2 characters long; it must be 3 to 255")
        #expect(
            problems { $0.name = "x" }.first?.message
                == "table name 'x' is 1 character long; it must be 3 to 255")
    }

    @Test func tableNameCharactersAreLimited() {
        #expect(paths { $0.name = "my table" } == ["name"])
        #expect(paths { $0.name = "table/1" } == ["name"])
        #expect(paths { $0.name = "tablé" } == ["name"])
        #expect(paths { $0.name = "Az09_.-" } == [])
        #expect(
            problems { $0.name = "my table" }.first?.message
                == "table name 'my table' contains ' '; only letters A-Z and a-z, digits, '_', '-' and '.' are allowed"
        )
    }

    @Test func indexNamesFollowTheSameRules() {
        #expect(paths { $0.globalSecondaryIndexes = [gsi("ix")] } == ["gsis[1].name"])
        #expect(paths { $0.globalSecondaryIndexes = [gsi("by owner")] } == ["gsis[1].name"])
        #expect(
            paths { $0.localSecondaryIndexes = [LocalSecondaryIndex(name: "l!", sortKey: .string("x"))] }
                == ["lsis[1].name", "lsis[1].name"])
    }

    @Test func indexNamesAreUniqueAcrossGSIsAndLSIs() {
        #expect(
            problems {
                $0.globalSecondaryIndexes = [gsi("by-owner", "owner"), gsi("by-owner", "other")]
            } == [
                SchemaProblem(
                    path: "gsis[2].name", message: "index name 'by-owner' is already used by gsis[1]")
            ])
        #expect(
            paths {
                $0.globalSecondaryIndexes = [gsi("by-owner", "owner")]
                $0.localSecondaryIndexes = [LocalSecondaryIndex(name: "by-owner", sortKey: .string("x"))]
            } == ["lsis[1].name"])
        #expect(
            paths {
                $0.globalSecondaryIndexes = [gsi("by-owner", "owner")]
                $0.localSecondaryIndexes = [LocalSecondaryIndex(name: "by-x", sortKey: .string("x"))]
            } == [])
    }

    // MARK: Keys

    @Test func keyAttributeNamesAreAtMost255Bytes() {
        #expect(paths { $0.partitionKey.name = String(repeating: "k", count: 256) } == ["partition_key.name"])
        #expect(paths { $0.partitionKey.name = String(repeating: "é", count: 128) } == ["partition_key.name"])
        #expect(paths { $0.partitionKey.name = String(repeating: "k", count: 255) } == [])
    }

    @Test func sortKeyDiffersFromPartitionKey() {
        #expect(
            problems { $0.sortKey = .string("id") }
                == [
                    SchemaProblem(
                        path: "sort_key.name",
                        message: "sort key 'id' is also the partition key (partition_key); they must differ")
                ])
        #expect(
            paths { $0.globalSecondaryIndexes = [gsi("by-owner", "owner", sortKey: "owner")] } == [
                "gsis[1].sort_key.name"
            ])
        #expect(
            paths { $0.localSecondaryIndexes = [LocalSecondaryIndex(name: "by-id", sortKey: .string("id"))] }
                == ["lsis[1].sort_key.name"])
        #expect(paths { $0.globalSecondaryIndexes = [gsi("by-owner", "owner", sortKey: "at")] } == [])
    }

    @Test func anAttributeHasOneTypeInEveryKeySchema() {
        #expect(
            problems {
                $0.globalSecondaryIndexes = [
                    gsi("by-time", "kind", sortKey: "at"),
                    GlobalSecondaryIndex(name: "by-id", partitionKey: .number("id")),
                ]
            } == [
                SchemaProblem(
                    path: "gsis[2].partition_key.type",
                    message:
                        "attribute 'id' is N here but S at partition_key; an attribute must have one type in every key schema"
                )
            ])
        #expect(
            paths {
                $0.globalSecondaryIndexes = [
                    GlobalSecondaryIndex(name: "by-n", partitionKey: .string("kind"), sortKey: .number("n"))
                ]
                $0.localSecondaryIndexes = [LocalSecondaryIndex(name: "by-n-local", sortKey: .binary("n"))]
            } == ["lsis[1].sort_key.type"])
        // The same attribute with the same type in several key schemas is fine.
        #expect(
            paths { $0.globalSecondaryIndexes = [gsi("by-at", "kind", sortKey: "at"), gsi("by-id", "id")] }
                == [])
    }

    // MARK: Indexes

    @Test func atMost20GlobalSecondaryIndexes() {
        let indexes = (1...21).map { gsi("index-\($0)", "a\($0)") }
        #expect(paths { $0.globalSecondaryIndexes = Array(indexes.prefix(20)) } == [])
        #expect(
            problems { $0.globalSecondaryIndexes = indexes }
                == [
                    SchemaProblem(
                        path: "gsis", message: "21 global secondary indexes; at most 20 are allowed")
                ])
    }

    @Test func atMost5LocalSecondaryIndexes() {
        let indexes = (1...6).map { LocalSecondaryIndex(name: "local-\($0)", sortKey: .string("s\($0)")) }
        #expect(paths { $0.localSecondaryIndexes = Array(indexes.prefix(5)) } == [])
        #expect(paths { $0.localSecondaryIndexes = indexes } == ["lsis"])
    }

    @Test func localSecondaryIndexesNeedATableSortKey() {
        #expect(
            problems {
                $0.sortKey = nil
                $0.localSecondaryIndexes = [LocalSecondaryIndex(name: "by-x", sortKey: .string("x"))]
            } == [
                SchemaProblem(
                    path: "lsis", message: "local secondary indexes need a table sort key (sort_key)")
            ])
    }

    // MARK: Projections

    @Test func projectionTypesByName() {
        var index = gsi("by-owner", "owner")
        index.projection.type = "EVERYTHING"
        #expect(
            problems { $0.globalSecondaryIndexes = [index] }
                == [
                    SchemaProblem(
                        path: "gsis[1].projection",
                        message: "invalid projection type 'EVERYTHING': must be ALL, KEYS_ONLY or INCLUDE")
                ])
        index.projection.type = ""
        #expect(paths { $0.globalSecondaryIndexes = [index] } == ["gsis[1].projection"])
        for projection in [Projection.all, .keysOnly, .include(["a"])] {
            index.projection = projection
            #expect(paths { $0.globalSecondaryIndexes = [index] } == [])
        }
    }

    @Test func includeNeedsNonKeyAttributes() {
        var index = gsi("by-owner", "owner")
        index.projection = .include([])
        #expect(
            problems { $0.globalSecondaryIndexes = [index] }
                == [
                    SchemaProblem(
                        path: "gsis[1].non_key_attributes",
                        message: "projection INCLUDE needs at least one non-key attribute")
                ])
        #expect(
            paths {
                $0.localSecondaryIndexes = [
                    LocalSecondaryIndex(name: "by-x", sortKey: .string("x"), projection: .include([]))
                ]
            }
                == ["lsis[1].non_key_attributes"])
    }

    @Test func onlyIncludeHasNonKeyAttributes() {
        var index = gsi("by-owner", "owner")
        index.projection = Projection(type: .keysOnly, nonKeyAttributes: ["total"])
        #expect(
            problems { $0.globalSecondaryIndexes = [index] }
                == [
                    SchemaProblem(
                        path: "gsis[1].non_key_attributes",
                        message: "non-key attributes are only allowed with projection INCLUDE, not KEYS_ONLY")
                ])
        index.projection = Projection(type: .all, nonKeyAttributes: ["total"])
        #expect(paths { $0.globalSecondaryIndexes = [index] } == ["gsis[1].non_key_attributes"])
    }

    @Test func nonKeyAttributesAreNotKeys() {
        var index = gsi("by-owner", "owner", sortKey: "when")
        index.projection = .include(["total", "id", "at", "owner", "when"])
        let found = problems { $0.globalSecondaryIndexes = [index] }
        #expect(
            found.map(\.path) == [
                "gsis[1].non_key_attributes[2]", "gsis[1].non_key_attributes[3]",
                "gsis[1].non_key_attributes[4]",
                "gsis[1].non_key_attributes[5]",
            ])
        #expect(found.first?.message == "'id' is a key attribute (partition_key), which every index projects")
        #expect(
            found.last?.message == "'when' is a key attribute (gsis[1].sort_key), which every index projects")
        #expect(
            paths {
                $0.localSecondaryIndexes = [
                    LocalSecondaryIndex(name: "by-x", sortKey: .string("x"), projection: .include(["x"]))
                ]
            } == ["lsis[1].non_key_attributes[1]"])
    }

    @Test func nonKeyAttributesAreNotRepeatedOrEmpty() {
        var index = gsi("by-owner", "owner")
        index.projection = .include(["total", "", "total"])
        #expect(
            problems { $0.globalSecondaryIndexes = [index] }
                == [
                    SchemaProblem(
                        path: "gsis[1].non_key_attributes[2]", message: "attribute name is required"),
                    SchemaProblem(
                        path: "gsis[1].non_key_attributes[3]",
                        message: "'total' is already listed at non_key_attributes[1]"),
                ])
        index.projection = .include([String(repeating: "n", count: 256)])
        #expect(paths { $0.globalSecondaryIndexes = [index] } == ["gsis[1].non_key_attributes[1]"])
    }

    @Test func atMost100NonKeyAttributesAcrossIndexes() {
        func index(_ name: String, _ count: Int) -> GlobalSecondaryIndex {
            var index = gsi(name, "owner")
            index.projection = .include((1...count).map { "\(name)-\($0)" })
            return index
        }
        #expect(paths { $0.globalSecondaryIndexes = [index("first", 60), index("second", 40)] } == [])
        #expect(
            problems {
                $0.globalSecondaryIndexes = [index("first", 60), index("second", 41), index("third", 5)]
            }
                == [
                    SchemaProblem(
                        path: "gsis[2].non_key_attributes",
                        message:
                            "this index brings the non-key attributes of all indexes to 101; at most 100 are allowed"
                    )
                ])
        #expect(
            paths {
                $0.globalSecondaryIndexes = [index("first", 100)]
                $0.localSecondaryIndexes = [
                    LocalSecondaryIndex(name: "by-x", sortKey: .string("x"), projection: .include(["y"]))
                ]
            } == ["lsis[1].non_key_attributes"])
    }

    // MARK: Billing

    @Test func billingModesByName() {
        #expect(
            problems { $0.billingMode = "ON_DEMAND" }
                == [
                    SchemaProblem(
                        path: "billing_mode",
                        message: "invalid billing mode 'ON_DEMAND': must be PAY_PER_REQUEST or PROVISIONED")
                ])
        #expect(paths { $0.billingMode = "" } == ["billing_mode"])
    }

    @Test func provisionedNeedsCapacityOnTableAndEveryIndex() {
        #expect(
            problems {
                $0.billingMode = .provisioned
                $0.globalSecondaryIndexes = [gsi("by-owner", "owner")]
            } == [
                SchemaProblem(
                    path: "gsis[1].read_capacity",
                    message: "capacity is required with billing mode PROVISIONED"),
                SchemaProblem(
                    path: "gsis[1].write_capacity",
                    message: "capacity is required with billing mode PROVISIONED"),
                SchemaProblem(
                    path: "read_capacity", message: "capacity is required with billing mode PROVISIONED"),
                SchemaProblem(
                    path: "write_capacity", message: "capacity is required with billing mode PROVISIONED"),
            ])
        #expect(
            paths {
                $0.billingMode = .provisioned
                $0.readCapacity = 5
                $0.writeCapacity = 5
                $0.globalSecondaryIndexes = [
                    GlobalSecondaryIndex(
                        name: "by-owner", partitionKey: .string("owner"), readCapacity: 1, writeCapacity: 1)
                ]
            } == [])
    }

    @Test func capacityIsAtLeast1() {
        #expect(
            problems {
                $0.billingMode = .provisioned
                $0.readCapacity = 0
                $0.writeCapacity = -3
            } == [
                SchemaProblem(path: "read_capacity", message: "capacity must be at least 1, got 0"),
                SchemaProblem(path: "write_capacity", message: "capacity must be at least 1, got -3"),
            ])
        #expect(
            paths {
                $0.billingMode = .provisioned
                $0.readCapacity = 1
                $0.writeCapacity = 1
                $0.globalSecondaryIndexes = [
                    GlobalSecondaryIndex(
                        name: "by-owner", partitionKey: .string("owner"), readCapacity: 0, writeCapacity: 2)
                ]
            } == ["gsis[1].read_capacity"])
    }

    @Test func payPerRequestAllowsNoCapacity() {
        #expect(
            problems { $0.readCapacity = 5 }
                == [
                    SchemaProblem(
                        path: "read_capacity",
                        message: "capacity is not allowed with billing mode PAY_PER_REQUEST")
                ])
        #expect(
            paths {
                $0.globalSecondaryIndexes = [
                    GlobalSecondaryIndex(name: "by-owner", partitionKey: .string("owner"), writeCapacity: 1)
                ]
            } == ["gsis[1].write_capacity"])
    }

    // MARK: TTL

    @Test func ttlAttributeUsedAsKeyIsANumber() {
        #expect(
            problems { $0.ttlAttribute = "at" }
                == [
                    SchemaProblem(
                        path: "ttl",
                        message:
                            "TTL attribute 'at' is a key of type S at sort_key; a TTL attribute used as a key must be of type N"
                    )
                ])
        #expect(
            paths {
                $0.ttlAttribute = "expires"
                $0.globalSecondaryIndexes = [gsi("by-expiry", "kind", sortKey: "expires")]
            } == ["ttl"])
        #expect(
            paths {
                $0.sortKey = .number("at")
                $0.ttlAttribute = "at"
            } == [])
        #expect(paths { $0.ttlAttribute = "expires" } == [])
    }

    @Test func ttlAttributeNameIsNotEmpty() {
        #expect(paths { $0.ttlAttribute = "" } == ["ttl"])
        #expect(paths { $0.ttlAttribute = String(repeating: "t", count: 256) } == ["ttl"])
    }

    // MARK: Encryption

    @Test func encryptionTypesByName() {
        #expect(
            problems { $0.encryption.type = "SSE" }
                == [
                    SchemaProblem(
                        path: "encryption.type",
                        message: "invalid encryption type 'SSE': must be DEFAULT, KMS or CUSTOMER_KEY")
                ])
        for encryption in [Encryption.default, .awsManagedKMS, .customerKey("alias/mine")] {
            #expect(paths { $0.encryption = encryption } == [])
        }
    }

    @Test(arguments: [
        "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012",
        "arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234567890abcdef1234567890abcdef",
        "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/my-key",
        "arn:aws:kms:eu-west-1:123456789012:alias/team/app_key-1",
        "alias/my-key",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "mrk-1234567890abcdef1234567890abcdef",
    ])
    func customerKeysInAnyOfTheFourForms(key: String) {
        #expect(paths { $0.encryption = .customerKey(key) } == [])
    }

    @Test(arguments: [
        "invalid-arn",
        "arn:aws:kms:us-east-1:123456789012:key/123",
        "arn:aws:kms:us-east-1:12345:key/12345678-1234-1234-1234-123456789012",
        "arn:aws:s3:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012",
        "arn:aws:kms:useast1:123456789012:alias/x",
        "arn:aws:kms:us-east-1:123456789012:secret/x",
        "alias/",
        "alias/has space",
        "12345678-1234-1234-1234-12345678901",
        "12345678123412341234123456789012",
    ])
    func invalidCustomerKeysAreReported(key: String) {
        let found = problems { $0.encryption = .customerKey(key) }
        #expect(found.map(\.path) == ["encryption.kms_key"])
        #expect(found.first?.message.hasPrefix("invalid KMS key '\(key)'") == true)
    }

    @Test func awsManagedAliasIsNotACustomerKey() {
        #expect(paths { $0.encryption = .customerKey("alias/aws/dynamodb") } == ["encryption.kms_key"])
    }

    @Test func customerKeyNeedsAKey() {
        #expect(
            problems { $0.encryption = Encryption(type: .customerKey) }
                == [
                    SchemaProblem(
                        path: "encryption.kms_key",
                        message: "kms_key is required with encryption type CUSTOMER_KEY")
                ])
        #expect(
            paths { $0.encryption = Encryption(type: .customerKey, kmsKey: "") } == ["encryption.kms_key"])
    }

    @Test func onlyCustomerKeyHasAKey() {
        #expect(
            problems { $0.encryption = Encryption(type: .kms, kmsKey: "alias/mine") }
                == [
                    SchemaProblem(
                        path: "encryption.kms_key",
                        message:
                            "kms_key 'alias/mine' is only allowed with encryption type CUSTOMER_KEY, not KMS")
                ])
        #expect(
            paths { $0.encryption = Encryption(type: .default, kmsKey: "alias/mine") } == [
                "encryption.kms_key"
            ])
        // An empty key is no key.
        #expect(paths { $0.encryption = Encryption(type: .kms, kmsKey: "") } == [])
    }

    // MARK: Stream and class

    @Test func streamViewTypesByName() {
        #expect(
            problems { $0.stream = "NEW_IMAGES" }
                == [
                    SchemaProblem(
                        path: "stream",
                        message:
                            "invalid stream view type 'NEW_IMAGES': must be NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or KEYS_ONLY"
                    )
                ])
        for stream in StreamViewType.allKnown {
            #expect(paths { $0.stream = stream } == [])
        }
    }

    @Test func tableClassesByName() {
        #expect(
            problems { $0.tableClass = "INFREQUENT" }
                == [
                    SchemaProblem(
                        path: "table_class",
                        message:
                            "invalid table class 'INFREQUENT': must be STANDARD or STANDARD_INFREQUENT_ACCESS"
                    )
                ])
        #expect(paths { $0.tableClass = .standardInfrequentAccess } == [])
    }

    // MARK: Tags

    @Test func atMost50Tags() {
        let tags = Dictionary(uniqueKeysWithValues: (1...51).map { ("tag\($0)", "v") })
        #expect(paths { $0.tags = tags.filter { $0.key != "tag51" } } == [])
        #expect(
            problems { $0.tags = tags } == [
                SchemaProblem(path: "tags", message: "51 tags; at most 50 are allowed")
            ])
    }

    @Test func tagKeysAre1To128Characters() {
        #expect(
            problems { $0.tags = ["": "v"] }
                == [
                    SchemaProblem(
                        path: #"tags[""]"#, message: "tag key must be 1 to 128 characters long, got 0")
                ])
        let long = String(repeating: "k", count: 129)
        #expect(paths { $0.tags = [long: "v"] } == [#"tags[""# + long + #""]"#])
        #expect(paths { $0.tags = [String(repeating: "é", count: 128): "v"] } == [])
    }

    @Test func tagValuesAreAtMost256Characters() {
        #expect(
            problems { $0.tags = ["team": String(repeating: "v", count: 257)] }
                == [
                    SchemaProblem(
                        path: #"tags["team"]"#,
                        message: "tag value must be at most 256 characters long, got 257")
                ])
        #expect(paths { $0.tags = ["team": String(repeating: "v", count: 256), "empty": ""] } == [])
    }

    @Test func tagKeysMayNotStartWithAWS() {
        #expect(
            problems { $0.tags = ["aws:owner": "me"] }
                == [
                    SchemaProblem(
                        path: #"tags["aws:owner"]"#,
                        message: "tag keys starting with 'aws:' are reserved for AWS")
                ])
        #expect(paths { $0.tags = ["AWS:owner": "me"] } == [#"tags["AWS:owner"]"#])
        #expect(paths { $0.tags = ["owner:aws": "me", "awsome": "yes"] } == [])
    }

    @Test func tagCharactersAreLimited() {
        #expect(paths { $0.tags = ["team#1": "x"] } == [#"tags["team#1"]"#])
        #expect(paths { $0.tags = ["team": "a\"b"] } == [#"tags["team"]"#])
        #expect(paths { $0.tags = ["a\"b": "x"] } == [#"tags["a\"b"]"#])
        #expect(paths { $0.tags = ["Équipe 1_.:/=+-@": "données 2"] } == [])
    }

    // MARK: All together

    @Test func everyProblemIsReportedInFieldOrder() throws {
        var schema = TableSchema(name: "x", partitionKey: KeyAttribute(name: "", type: "Q"))
        schema.globalSecondaryIndexes = [
            GlobalSecondaryIndex(name: "", partitionKey: .string("")),
            GlobalSecondaryIndex(
                name: "by-owner", partitionKey: .string("owner"), sortKey: .string("owner"),
                projection: .include([]), readCapacity: 0),
        ]
        schema.localSecondaryIndexes = [LocalSecondaryIndex(name: "by-owner", sortKey: .number("owner"))]
        schema.billingMode = .provisioned
        schema.ttlAttribute = "owner"
        schema.encryption = Encryption(type: .kms, kmsKey: "alias/x")
        schema.stream = "ALL"
        schema.tableClass = "COLD"
        schema.tags = ["aws:x": "1"]

        let found = schema.validate()
        #expect(
            found.map(\.path) == [
                "name", "partition_key.name", "partition_key.type",
                "gsis[1].name", "gsis[1].partition_key.name", "gsis[1].read_capacity",
                "gsis[1].write_capacity",
                "gsis[2].sort_key.name", "gsis[2].non_key_attributes", "gsis[2].read_capacity",
                "gsis[2].write_capacity",
                "lsis", "lsis[1].name", "lsis[1].sort_key.type",
                "read_capacity", "write_capacity",
                "ttl", "encryption.kms_key", "stream", "table_class", #"tags["aws:x"]"#,
            ])

        let error = try #require(throws: SchemaValidationError.self) { try schema.requireValid() }
        #expect(error.problems == found)
        #expect(error.tableName == "x")
        let lines = error.description.split(separator: "\n").map(String.init)
        #expect(lines.count == found.count)
        #expect(lines.first == "name: table name 'x' is 1 character long; it must be 3 to 255")
        #expect(lines.last == #"tags["aws:x"]: tag keys starting with 'aws:' are reserved for AWS"#)
    }

    @Test func validSchemaPassesRequireValid() throws {
        try Self.base.requireValid()
        for builtIn in BuiltInSchema.allCases {
            try builtIn.schema().requireValid()
        }
    }

    @Test func problemDescriptionIsPathColonMessage() {
        #expect(
            SchemaProblem(path: "gsis[2].sort_key.type", message: "bad").description
                == "gsis[2].sort_key.type: bad")
    }

    @Test func keywordsReportWhetherTheyAreKnown() {
        #expect(AttributeType.string.rawValue == "S")
        #expect(AttributeType.number.rawValue == "N")
        #expect(AttributeType.binary.rawValue == "B")
        #expect(AttributeType(rawValue: "S") == .string)
        #expect(AttributeType(rawValue: "s").isKnown == false)
        #expect(BillingMode.payPerRequest.description == "PAY_PER_REQUEST")
        #expect(EncryptionType.allKnown.map(\.rawValue) == ["DEFAULT", "KMS", "CUSTOMER_KEY"])
        #expect(TableClass.allKnown.map(\.rawValue) == ["STANDARD", "STANDARD_INFREQUENT_ACCESS"])
    }
}

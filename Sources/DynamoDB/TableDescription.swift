import DynamoDBModel
import JSON

/// What DescribeTable (and CreateTable, UpdateTable, DeleteTable) say about a table: the parts the
/// provisioning engine compares against a schema, plus the raw JSON for anything else.
public struct TableDescription: Sendable, Equatable {
    /// One key attribute: `HASH` (partition) or `RANGE` (sort).
    public struct KeyElement: Sendable, Equatable {
        public var attributeName: String
        public var keyType: String

        public init(attributeName: String, keyType: String) {
            self.attributeName = attributeName
            self.keyType = keyType
        }
    }

    /// An attribute's declared type: `S`, `N` or `B`.
    public struct AttributeDefinition: Sendable, Equatable {
        public var attributeName: String
        public var attributeType: String

        public init(attributeName: String, attributeType: String) {
            self.attributeName = attributeName
            self.attributeType = attributeType
        }
    }

    /// Read and write capacity of a provisioned table or index.
    public struct ProvisionedThroughput: Sendable, Equatable {
        public var readCapacityUnits: Int
        public var writeCapacityUnits: Int

        public init(readCapacityUnits: Int, writeCapacityUnits: Int) {
            self.readCapacityUnits = readCapacityUnits
            self.writeCapacityUnits = writeCapacityUnits
        }
    }

    /// Which attributes an index copies: `ALL`, `KEYS_ONLY` or `INCLUDE` with the names.
    public struct Projection: Sendable, Equatable {
        public var projectionType: String
        public var nonKeyAttributes: [String]

        public init(projectionType: String, nonKeyAttributes: [String] = []) {
            self.projectionType = projectionType
            self.nonKeyAttributes = nonKeyAttributes
        }
    }

    /// A global secondary index.
    public struct GlobalSecondaryIndex: Sendable, Equatable {
        public var indexName: String
        /// `CREATING`, `ACTIVE`, `UPDATING` or `DELETING`.
        public var indexStatus: String?
        /// True while a new index is being filled from the table.
        public var backfilling: Bool
        public var keySchema: [KeyElement]
        public var projection: Projection
        public var provisionedThroughput: ProvisionedThroughput?
        public var indexARN: String?
    }

    /// A local secondary index.
    public struct LocalSecondaryIndex: Sendable, Equatable {
        public var indexName: String
        public var keySchema: [KeyElement]
        public var projection: Projection
    }

    /// Server-side encryption as it is.
    public struct SSEDescription: Sendable, Equatable {
        /// `ENABLED`, `ENABLING`, `DISABLED`, `DISABLING`, `UPDATING`.
        public var status: String?
        /// `KMS` when a KMS key is used.
        public var sseType: String?
        public var kmsMasterKeyARN: String?
    }

    /// The table's stream.
    public struct StreamSpecification: Sendable, Equatable {
        public var streamEnabled: Bool
        public var streamViewType: String?
    }

    public var tableName: String
    public var tableARN: String?
    /// `CREATING`, `ACTIVE`, `UPDATING`, `DELETING`, ...
    public var tableStatus: String
    public var keySchema: [KeyElement]
    public var attributeDefinitions: [AttributeDefinition]
    /// `PAY_PER_REQUEST` or `PROVISIONED`; DynamoDB leaves the summary out for tables that were always
    /// provisioned, which this reports as `PROVISIONED`.
    public var billingMode: String
    public var provisionedThroughput: ProvisionedThroughput?
    public var globalSecondaryIndexes: [GlobalSecondaryIndex]
    public var localSecondaryIndexes: [LocalSecondaryIndex]
    public var sseDescription: SSEDescription?
    public var streamSpecification: StreamSpecification?
    public var latestStreamARN: String?
    /// `STANDARD` or `STANDARD_INFREQUENT_ACCESS`; `nil` when DynamoDB does not say (standard).
    public var tableClass: String?
    public var deletionProtectionEnabled: Bool
    public var itemCount: Int?
    public var tableSizeBytes: Int?
    /// The whole description as DynamoDB sent it.
    public var raw: JSONObject

    /// Decodes a `TableDescription` object; errors name the path from `path` down.
    public init(json: JSONObject, path: String = "TableDescription") throws(ValueDecodingError) {
        let reader = JSONReader(json, path: path)
        raw = json
        tableName = try reader.required("TableName").string()
        tableARN = try reader.optionalString("TableArn")
        tableStatus = try reader.optionalString("TableStatus") ?? "UNKNOWN"
        keySchema = try Self.keySchema(reader.optional("KeySchema"))
        attributeDefinitions = try (reader.optional("AttributeDefinitions")?.array() ?? []).map {
            (definition) throws(ValueDecodingError) in
            AttributeDefinition(
                attributeName: try definition.required("AttributeName").string(),
                attributeType: try definition.required("AttributeType").string())
        }
        billingMode =
            try reader.optional("BillingModeSummary")?.optionalString("BillingMode") ?? "PROVISIONED"
        provisionedThroughput = try Self.throughput(reader.optional("ProvisionedThroughput"))
        globalSecondaryIndexes = try (reader.optional("GlobalSecondaryIndexes")?.array() ?? []).map {
            (index) throws(ValueDecodingError) in
            GlobalSecondaryIndex(
                indexName: try index.required("IndexName").string(),
                indexStatus: try index.optionalString("IndexStatus"),
                backfilling: try index.optionalBool("Backfilling") ?? false,
                keySchema: try Self.keySchema(index.optional("KeySchema")),
                projection: try Self.projection(index.optional("Projection")),
                provisionedThroughput: try Self.throughput(index.optional("ProvisionedThroughput")),
                indexARN: try index.optionalString("IndexArn"))
        }
        localSecondaryIndexes = try (reader.optional("LocalSecondaryIndexes")?.array() ?? []).map {
            (index) throws(ValueDecodingError) in
            LocalSecondaryIndex(
                indexName: try index.required("IndexName").string(),
                keySchema: try Self.keySchema(index.optional("KeySchema")),
                projection: try Self.projection(index.optional("Projection")))
        }
        sseDescription = try reader.optional("SSEDescription").map { (sse) throws(ValueDecodingError) in
            SSEDescription(
                status: try sse.optionalString("Status"), sseType: try sse.optionalString("SSEType"),
                kmsMasterKeyARN: try sse.optionalString("KMSMasterKeyArn"))
        }
        streamSpecification = try reader.optional("StreamSpecification").map {
            (stream) throws(ValueDecodingError) in
            StreamSpecification(
                streamEnabled: try stream.optionalBool("StreamEnabled") ?? false,
                streamViewType: try stream.optionalString("StreamViewType"))
        }
        latestStreamARN = try reader.optionalString("LatestStreamArn")
        tableClass = try reader.optional("TableClassSummary")?.optionalString("TableClass")
        deletionProtectionEnabled = try reader.optionalBool("DeletionProtectionEnabled") ?? false
        itemCount = try reader.optionalInt("ItemCount")
        tableSizeBytes = try reader.optionalInt("TableSizeBytes")
    }

    private static func keySchema(_ reader: JSONReader?) throws(ValueDecodingError) -> [KeyElement] {
        try (reader?.array() ?? []).map { (element) throws(ValueDecodingError) in
            KeyElement(
                attributeName: try element.required("AttributeName").string(),
                keyType: try element.required("KeyType").string())
        }
    }

    private static func projection(_ reader: JSONReader?) throws(ValueDecodingError) -> Projection {
        guard let reader else { return Projection(projectionType: "ALL", nonKeyAttributes: []) }
        return Projection(
            projectionType: try reader.optionalString("ProjectionType") ?? "ALL",
            nonKeyAttributes: try (reader.optional("NonKeyAttributes")?.array() ?? []).map {
                (name) throws(ValueDecodingError) in try name.string()
            })
    }

    private static func throughput(_ reader: JSONReader?) throws(ValueDecodingError) -> ProvisionedThroughput?
    {
        guard let reader else { return nil }
        return ProvisionedThroughput(
            readCapacityUnits: try reader.optionalInt("ReadCapacityUnits") ?? 0,
            writeCapacityUnits: try reader.optionalInt("WriteCapacityUnits") ?? 0)
    }
}

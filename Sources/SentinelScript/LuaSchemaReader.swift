import JSON
import Lua
import Schema

/// Reads a schema from the Lua table a script built or edited, collecting every shape problem (unknown
/// fields, values of the wrong type) with its field path instead of stopping at the first.
///
/// Semantic rules (name syntax, index limits, capacity) are not checked here: they belong to
/// `TableSchema/validate()`, which sees the schema this reader produced. A field with the wrong type
/// is left at its default so that validation can still report everything else.
struct LuaSchemaReader {
    /// The fields of a schema table, in the order of the Lua API.
    static let tableFields =
        ([
            "name", "partition_key", "sort_key", "gsis", "lsis", "billing_mode", "read_capacity",
            "write_capacity",
        ] + ThroughputSetting.all.map(\.field) + ["ttl", "encryption"] + TableSetting.all.map(\.field) + [
            "stream", "tags", "replicas", "multi_region_consistency", "witness", "settings_replication",
        ]).placingOperatedSettings()
    static let globalIndexFields =
        [
            "name", "partition_key", "sort_key", "projection", "non_key_attributes", "read_capacity",
            "write_capacity",
        ] + ThroughputSetting.all.map(\.field)
    static let localIndexFields = ["name", "sort_key", "projection", "non_key_attributes"]
    static let keyFields = ["name", "type"]
    static let encryptionFields = ["type", "kms_key"]

    private(set) var problems: [SchemaShapeProblem] = []

    /// Reads a whole table schema; `defaults` supplies what the table leaves out.
    mutating func readTable(_ value: LuaValue, defaults: TableSchema = Self.emptySchema) -> TableSchema {
        var schema = defaults
        guard let fields = fields(of: value, at: "", allowed: Self.tableFields) else { return schema }
        if let name = string(fields["name"], at: "name") { schema.name = name }
        if let key = key(fields["partition_key"], at: "partition_key") { schema.partitionKey = key }
        if fields["sort_key"] != nil { schema.sortKey = key(fields["sort_key"], at: "sort_key") }
        if let gsis = array(fields["gsis"], at: "gsis") {
            schema.globalSecondaryIndexes = gsis.enumerated().map { offset, element in
                readGlobalIndex(element, at: "gsis[\(offset + 1)]")
            }
        }
        if let lsis = array(fields["lsis"], at: "lsis") {
            schema.localSecondaryIndexes = lsis.enumerated().map { offset, element in
                readLocalIndex(element, at: "lsis[\(offset + 1)]")
            }
        }
        if let mode = string(fields["billing_mode"], at: "billing_mode") {
            schema.billingMode = BillingMode(rawValue: mode)
        }
        if fields["read_capacity"] != nil {
            schema.readCapacity = integer(fields["read_capacity"], at: "read_capacity")
        }
        if fields["write_capacity"] != nil {
            schema.writeCapacity = integer(fields["write_capacity"], at: "write_capacity")
        }
        readThroughput(fields, at: "", into: &schema.throughput)
        if fields["ttl"] != nil { schema.ttlAttribute = optionalString(fields["ttl"], at: "ttl") }
        if let encryption = readEncryption(fields["encryption"]) { schema.encryption = encryption }
        for setting in TableSetting.all {
            readSetting(setting, fields[setting.field], into: &schema)
        }
        if fields["stream"] != nil {
            schema.stream = optionalString(fields["stream"], at: "stream").map(StreamViewType.init(rawValue:))
        }
        if let tags = readTags(fields["tags"]) { schema.tags = tags }
        for setting in OperatedSetting.all {
            readOperatedSetting(setting, fields[setting.field], into: &schema)
        }
        if let replicas = array(fields["replicas"], at: "replicas") {
            schema.replicas = replicas.enumerated().map { offset, element in
                readReplica(element, at: "replicas[\(offset + 1)]")
            }
        }
        if let consistency = string(fields["multi_region_consistency"], at: "multi_region_consistency") {
            schema.multiRegionConsistency = MultiRegionConsistency(rawValue: consistency)
        }
        if let witness = fields["witness"], witness != .nil, witness != .boolean(false) {
            if let witnessFields = self.fields(of: witness, at: "witness", allowed: ["region"]) {
                schema.witnessRegion = string(witnessFields["region"], at: "witness.region") ?? ""
            }
        } else if fields["witness"] != nil {
            schema.witnessRegion = nil
        }
        if fields["settings_replication"] != nil {
            schema.settingsReplication = optionalString(
                fields["settings_replication"], at: "settings_replication"
            ).map(SettingsReplicationMode.init(rawValue:))
        }
        return schema
    }

    /// A ``TableSetting``'s field, as its kind says a script writes it; left alone when absent.
    private mutating func readSetting(
        _ setting: TableSetting, _ value: LuaValue?, into schema: inout TableSchema
    ) {
        switch setting.kind {
        case .boolean:
            if let flag = boolean(value, at: setting.field) { setting.set(.bool(flag), in: &schema.settings) }
        case .keyword:
            if let text = string(value, at: setting.field) {
                setting.set(.string(text), in: &schema.settings)
            }
        }
    }

    /// Reads one global secondary index (the argument of `add_gsi` or an element of `gsis`).
    mutating func readGlobalIndex(_ value: LuaValue, at path: String) -> GlobalSecondaryIndex {
        var index = GlobalSecondaryIndex(name: "", partitionKeys: [], projection: .all)
        guard let fields = fields(of: value, at: path, allowed: Self.globalIndexFields) else { return index }
        if let name = string(fields["name"], at: Self.join(path, "name")) { index.name = name }
        if let keys = indexKey(fields["partition_key"], at: Self.join(path, "partition_key")) {
            index.partitionKeys = keys
        }
        if let keys = indexKey(fields["sort_key"], at: Self.join(path, "sort_key")) {
            index.sortKeys = keys
        }
        index.projection = readProjection(fields, at: path)
        if fields["read_capacity"] != nil {
            index.readCapacity = integer(fields["read_capacity"], at: Self.join(path, "read_capacity"))
        }
        if fields["write_capacity"] != nil {
            index.writeCapacity = integer(fields["write_capacity"], at: Self.join(path, "write_capacity"))
        }
        readThroughput(fields, at: path, into: &index.throughput)
        return index
    }

    mutating func readLocalIndex(_ value: LuaValue, at path: String) -> LocalSecondaryIndex {
        var index = LocalSecondaryIndex(name: "", sortKey: KeyAttribute(name: ""))
        guard let fields = fields(of: value, at: path, allowed: Self.localIndexFields) else { return index }
        if let name = string(fields["name"], at: Self.join(path, "name")) { index.name = name }
        if let key = key(fields["sort_key"], at: Self.join(path, "sort_key")) { index.sortKey = key }
        index.projection = readProjection(fields, at: path)
        return index
    }

    /// One replica: `{ region = "us-west-2", account =, target =, table_class =, kms_key =, read_capacity =,
    /// on_demand_throughput = { max_read = }, gsis = { [name] = { read_capacity =, on_demand_throughput = } },
    /// deletion_protection =,
    /// point_in_time_recovery =, tags = "propagate" | { ... } }`.
    mutating func readReplica(_ value: LuaValue, at path: String) -> Replica {
        var replica = Replica(region: "")
        guard
            let fields = fields(
                of: value, at: path, allowed: Replica.fields, misplaced: Replica.tableWideFields)
        else { return replica }
        replica.region = string(fields["region"], at: Self.join(path, "region")) ?? ""
        replica.account = string(fields["account"], at: Self.join(path, "account"))
        replica.target = string(fields["target"], at: Self.join(path, "target"))
        replica.kmsKey = string(fields["kms_key"], at: Self.join(path, "kms_key"))
        replica.tableClass = string(fields["table_class"], at: Self.join(path, "table_class")).map(
            TableClass.init(rawValue:))
        replica.readCapacity = integer(fields["read_capacity"], at: Self.join(path, "read_capacity"))
        replica.maxRead = readReplicaReadLimit(
            fields["on_demand_throughput"], at: Self.join(path, "on_demand_throughput"))
        if let indexes = fields["gsis"], indexes != .nil {
            let indexesPath = Self.join(path, "gsis")
            guard let entries = indexes.mapValue else {
                problems.append(
                    .init(
                        path: indexesPath,
                        kind: .wrongType(expected: "table keyed by GSI name", got: indexes.typeName)))
                return replica
            }
            for (key, override) in entries {
                guard let name = key.stringValue else {
                    problems.append(
                        .init(
                            path: indexesPath,
                            kind: .wrongType(expected: "GSI name as key", got: key.typeName)))
                    continue
                }
                let indexPath = indexesPath + "[\"\(name)\"]"
                guard
                    let overrideFields = self.fields(
                        of: override, at: indexPath, allowed: Replica.indexFields,
                        misplaced: Replica.tableWideFields)
                else { continue }
                replica.indexes.append(
                    ReplicaIndex(
                        name: name,
                        readCapacity: integer(
                            overrideFields["read_capacity"], at: Self.join(indexPath, "read_capacity")),
                        maxRead: readReplicaReadLimit(
                            overrideFields["on_demand_throughput"],
                            at: Self.join(indexPath, "on_demand_throughput"))))
            }
            // A Lua table has no order: by name, so documents and plans are the same each run.
            replica.indexes.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        replica.deletionProtection = boolean(
            fields["deletion_protection"], at: Self.join(path, "deletion_protection"))
        replica.pointInTimeRecovery = boolean(
            fields["point_in_time_recovery"], at: Self.join(path, "point_in_time_recovery"))
        replica.tags = readReplicaTags(fields["tags"], at: Self.join(path, "tags"))
        return replica
    }

    /// A replica's `on_demand_throughput = { max_read = N }`: the read limit (its writes are the table's).
    private mutating func readReplicaReadLimit(_ value: LuaValue?, at path: String) -> Int? {
        guard let value, value != .nil else { return nil }
        guard
            let fields = fields(
                of: value, at: path, allowed: Replica.onDemandFields, misplaced: Replica.tableWideFields)
        else { return nil }
        return integer(fields["max_read"], at: Self.join(path, "max_read"))
    }

    /// A replica's `tags`: `"propagate"` (the table's), or a table of string to string.
    private mutating func readReplicaTags(_ value: LuaValue?, at path: String) -> ReplicaTags? {
        guard let value, value != .nil else { return nil }
        let expected = "\"propagate\" or table"
        if let text = value.stringValue {
            if text == "propagate" { return .propagate }
            problems.append(.init(path: path, kind: .wrongType(expected: expected, got: "'\(text)'")))
            return nil
        }
        guard let entries = value.mapValue else {
            problems.append(.init(path: path, kind: .wrongType(expected: expected, got: value.typeName)))
            return nil
        }
        var tags: [String: String] = [:]
        for (key, tagValue) in entries {
            guard let name = key.stringValue else {
                problems.append(
                    .init(path: path, kind: .wrongType(expected: "string tag key", got: key.typeName)))
                continue
            }
            if let text = string(tagValue, at: Self.fieldPath(path, name)) { tags[name] = text }
        }
        return .given(tags)
    }

    /// A schema with nothing given: validation reports the missing name and partition key.
    static let emptySchema = TableSchema(name: "", partitionKey: KeyAttribute(name: ""))

    // MARK: Parts

    private mutating func readProjection(_ fields: [String: LuaValue], at path: String) -> Projection {
        var projection = Projection.all
        if let type = string(fields["projection"], at: Self.join(path, "projection")) {
            projection.type = ProjectionType(rawValue: type)
        }
        if let attributes = array(fields["non_key_attributes"], at: Self.join(path, "non_key_attributes")) {
            projection.nonKeyAttributes = attributes.enumerated().compactMap { offset, element in
                string(element, at: Self.join(path, "non_key_attributes[\(offset + 1)]"))
            }
        }
        return projection
    }

    /// A GSI key: a single key as ``key(_:at:)`` reads it, or a list of them in order (a
    /// multi-attribute key: `{ "tenant", "region" }`, `{ "a", { name = "b", type = "N" } }`), each
    /// element's problems reported at `partition_key[2]`. nil when absent; the limits are validation's.
    private mutating func indexKey(_ value: LuaValue?, at path: String) -> [KeyAttribute]? {
        guard let value, value != .nil else { return nil }
        guard case .array(let elements) = value else { return key(value, at: path).map { [$0] } }
        return elements.enumerated().map { offset, element in
            key(element, at: "\(path)[\(offset + 1)]", inList: true) ?? KeyAttribute(name: "")
        }
    }

    /// A key: `"id"` (a string attribute) or `{ name = "id", type = "N" }` (type defaults to `S`).
    /// A list is a multi-attribute key, which only a GSI's keys may be (``indexKey(_:at:)``).
    private mutating func key(_ value: LuaValue?, at path: String, inList: Bool = false) -> KeyAttribute? {
        guard let value, value != .nil else { return nil }
        if let name = value.stringValue { return KeyAttribute(name: name) }
        if case .array(let elements) = value, !elements.isEmpty {
            let expected =
                inList
                ? "string or { name =, type = } (a list element is one attribute)"
                : "string or { name =, type = } (lists of attributes are for GSI keys only)"
            problems.append(.init(path: path, kind: .wrongType(expected: expected, got: "list")))
            return nil
        }
        guard value.mapValue != nil else {
            problems.append(
                .init(path: path, kind: .wrongType(expected: "string or table", got: value.typeName)))
            return nil
        }
        guard let fields = fields(of: value, at: path, allowed: Self.keyFields) else { return nil }
        let name = string(fields["name"], at: Self.join(path, "name")) ?? ""
        let type = string(fields["type"], at: Self.join(path, "type")) ?? AttributeType.string.rawValue
        return KeyAttribute(name: name, type: AttributeType(rawValue: type))
    }

    /// `encryption = { type = "CUSTOMER_KEY", kms_key = "alias/x" }`, or just the type as a string.
    private mutating func readEncryption(_ value: LuaValue?) -> Encryption? {
        guard let value, value != .nil else { return nil }
        if let type = value.stringValue { return Encryption(type: EncryptionType(rawValue: type)) }
        guard let fields = fields(of: value, at: "encryption", allowed: Self.encryptionFields) else {
            return nil
        }
        let type = string(fields["type"], at: "encryption.type") ?? EncryptionType.default.rawValue
        let key = fields["kms_key"] == nil ? nil : optionalString(fields["kms_key"], at: "encryption.kms_key")
        return Encryption(type: EncryptionType(rawValue: type), kmsKey: key)
    }

    /// Each ``ThroughputSetting`` a table or index (at `path`) gives, into `throughput`:
    /// `warm_throughput = { read_units = N, write_units = N }`; nil or `false` for none. A field left out
    /// is left as `throughput` has it.
    private mutating func readThroughput(
        _ fields: [String: LuaValue], at path: String, into throughput: inout [String: ThroughputUnits]
    ) {
        for setting in ThroughputSetting.all {
            guard let value = fields[setting.field] else { continue }
            let settingPath = Self.join(path, setting.field)
            guard value != .nil, value != .boolean(false),
                let sides = self.fields(of: value, at: settingPath, allowed: setting.sideFields)
            else {
                throughput[setting.field] = nil
                continue
            }
            var units = ThroughputUnits()
            for side in setting.sideFields where sides[side] != nil {
                units[side] = integer(sides[side], at: Self.join(settingPath, side))
            }
            throughput[setting.field] = units
        }
    }

    /// An ``OperatedSetting``'s field, as its script form says a script writes it; left alone when
    /// absent (nil: the setting's default).
    private mutating func readOperatedSetting(
        _ setting: OperatedSetting, _ value: LuaValue?, into schema: inout TableSchema
    ) {
        guard let value, value != .nil else { return }
        let path = setting.field
        switch setting.scriptForm {
        case .flagOrFields(let flag, let integers):
            // `true`, or a table whose flag defaults to true (a period is only given to a table that
            // keeps backups); the table with only its flag is the flag.
            guard value.mapValue != nil else {
                if let flag = boolean(value, at: path) { schema.operatedSettings[path] = .bool(flag) }
                return
            }
            guard let fields = fields(of: value, at: path, allowed: [flag] + integers) else { return }
            let enabled = boolean(fields[flag], at: path + "." + flag) ?? true
            var object: JSONObject = [.init(flag): .bool(enabled)]
            for name in integers {
                object[name] = integer(fields[name], at: path + "." + name).map { JSONValue($0) }
            }
            schema.operatedSettings[path] = object.count > 1 ? .object(object) : .bool(enabled)
        case .documentOrFalse:
            // Text as given, or a Lua table written as compact JSON (members sorted by name, as a Lua
            // table has no order; an empty table is `{}` unless marked an array); `false` for none. A
            // schema value holds the document as a table (``LuaSchemaWriter``), so a script's text comes
            // here as a table too, and validation sees (and DynamoDB measures) the compact form.
            switch value {
            case .boolean(false):
                schema.operatedSettings[path] = false
            case .string:
                if let text = string(value, at: path) { schema.operatedSettings[path] = .string(text) }
            case let value where value.mapValue != nil:
                guard let document = policyJSON(value, at: path) else { return }
                schema.operatedSettings[path] = .string(JSONWriter(style: .compact).string(from: document))
            default:
                let got = value == .boolean(true) ? "true" : value.typeName
                problems.append(
                    .init(path: path, kind: .wrongType(expected: "JSON string, table or false", got: got)))
            }
        }
    }

    /// A Lua value of a policy table as JSON, reporting what JSON cannot hold by its path.
    private mutating func policyJSON(_ value: LuaValue, at path: String) -> JSONValue? {
        switch value {
        case .boolean(let flag):
            return .bool(flag)
        case .integer(let number):
            return .number(JSONNumber(number))
        case .number(let number):
            guard let json = JSONNumber(number) else {
                problems.append(.init(path: path, kind: .wrongType(expected: "finite number", got: "number")))
                return nil
            }
            return .number(json)
        case .string:
            return string(value, at: path).map(JSONValue.string)
        case .array(let elements):
            var array: [JSONValue] = []
            for (offset, element) in elements.enumerated() {
                guard let json = policyJSON(element, at: "\(path)[\(offset + 1)]") else { return nil }
                array.append(json)
            }
            return .array(array)
        case .map(let entries):
            var members: [(String, JSONValue)] = []
            for (key, member) in entries {
                guard let name = key.stringValue else {
                    problems.append(
                        .init(path: path, kind: .wrongType(expected: "string key", got: key.typeName)))
                    return nil
                }
                guard let json = policyJSON(member, at: Self.fieldPath(path, name)) else { return nil }
                members.append((name, json))
            }
            members.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            return .object(JSONObject(members))
        default:
            problems.append(
                .init(path: path, kind: .wrongType(expected: "JSON value", got: value.typeName)))
            return nil
        }
    }

    private mutating func readTags(_ value: LuaValue?) -> [String: String]? {
        guard let value, value != .nil else { return nil }
        guard let entries = value.mapValue else {
            problems.append(.init(path: "tags", kind: .wrongType(expected: "table", got: value.typeName)))
            return nil
        }
        var tags: [String: String] = [:]
        for (key, tagValue) in entries {
            guard let name = key.stringValue else {
                problems.append(
                    .init(path: "tags", kind: .wrongType(expected: "string tag key", got: key.typeName)))
                continue
            }
            if let text = string(tagValue, at: Self.fieldPath("tags", name)) { tags[name] = text }
        }
        return tags
    }

    // MARK: Lua values

    /// The string-keyed fields of a table, reporting keys not in `allowed` (and non-table values).
    /// The fields of the Lua table `value`, each one of `allowed`; any other is a problem at its path,
    /// explained by `misplaced` when it names it (a field of the table given on a replica), else with the
    /// closest allowed name.
    private mutating func fields(
        of value: LuaValue, at path: String, allowed: [String], misplaced: [String: String] = [:]
    ) -> [String: LuaValue]? {
        guard let entries = value.mapValue else {
            problems.append(
                .init(
                    path: path.isEmpty ? "schema" : path,
                    kind: .wrongType(expected: "table", got: value.typeName)))
            return nil
        }
        var fields: [String: LuaValue] = [:]
        for (key, fieldValue) in entries {
            guard let name = key.stringValue, allowed.contains(name) else {
                let field = key.stringValue ?? "[\(Self.describe(key))]"
                if let reason = key.stringValue.flatMap({ misplaced[$0] }) {
                    problems.append(
                        .init(path: Self.join(path, field), kind: .misplacedField(reason: reason)))
                    continue
                }
                problems.append(
                    .init(
                        path: Self.join(path, field),
                        kind: .unknownField(
                            suggestion: key.stringValue.flatMap {
                                LuaOptions.closestName(to: $0, among: allowed)
                            })))
                continue
            }
            fields[name] = fieldValue
        }
        return fields
    }

    private mutating func string(_ value: LuaValue?, at path: String) -> String? {
        guard let value, value != .nil else { return nil }
        if let text = value.stringValue { return text }
        // A Lua string that is not UTF-8 is a string all the same: say what is wrong with it.
        if case .string = value {
            problems.append(
                .init(path: path, kind: .wrongType(expected: "UTF-8 text", got: "a string that is not UTF-8"))
            )
        } else {
            problems.append(.init(path: path, kind: .wrongType(expected: "string", got: value.typeName)))
        }
        return nil
    }

    /// A string, or nil when the field is nil or `false` (`stream = false` turns a stream off).
    private mutating func optionalString(_ value: LuaValue?, at path: String) -> String? {
        if value == .boolean(false) { return nil }
        return string(value, at: path)
    }

    private mutating func integer(_ value: LuaValue?, at path: String) -> Int? {
        guard let value, value != .nil else { return nil }
        if let whole = try? value.wholeNumber(in: Int.min...Int.max, field: path) { return whole }
        let got = value.numberValue == nil ? value.typeName : "non-integer number"
        problems.append(.init(path: path, kind: .wrongType(expected: "integer", got: got)))
        return nil
    }

    private mutating func boolean(_ value: LuaValue?, at path: String) -> Bool? {
        guard let value, value != .nil else { return nil }
        if let boolean = value.booleanValue { return boolean }
        problems.append(.init(path: path, kind: .wrongType(expected: "boolean", got: value.typeName)))
        return nil
    }

    private mutating func array(_ value: LuaValue?, at path: String) -> [LuaValue]? {
        guard let value, value != .nil else { return nil }
        if let elements = value.arrayValue { return elements }
        let got = value.mapValue == nil ? value.typeName : "table with non-sequence keys"
        problems.append(.init(path: path, kind: .wrongType(expected: "array", got: got)))
        return nil
    }

    /// `gsis[1].name`; a field of the root is just its name.
    static func join(_ path: String, _ field: String) -> String {
        path.isEmpty ? field : path + "." + field
    }

    /// `tags.team`, or `tags["cost center"]` when the key is not a Lua identifier.
    static func fieldPath(_ container: String, _ key: String) -> String {
        let isIdentifier =
            key.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && key.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return isIdentifier ? "\(container).\(key)" : "\(container)[\"\(key)\"]"
    }

    private static func describe(_ key: LuaValue) -> String {
        switch key {
        case .integer(let value): String(value)
        case .number(let value): String(value)
        default: key.typeName
        }
    }
}

extension [String] {
    /// The fields with each ``OperatedSetting``'s inserted after the field it is listed after (and the
    /// ``TableSetting``s that follow that field here).
    fileprivate func placingOperatedSettings() -> [String] {
        var fields = self
        for setting in OperatedSetting.all {
            guard var position = fields.firstIndex(of: setting.listedAfter) else {
                fields.append(setting.field)
                continue
            }
            position += 1
            while position < fields.count, TableSetting.named(fields[position]) != nil { position += 1 }
            fields.insert(setting.field, at: position)
        }
        return fields
    }
}

import JSON

extension SchemaValidator {
    mutating func checkBillingMode() {
        let mode = schema.billingMode
        if mode.rawValue.isEmpty {
            report("billing_mode", "billing mode is required: must be \(BillingMode.knownList)")
        } else if !mode.isKnown {
            report("billing_mode", "invalid billing mode '\(mode)': must be \(BillingMode.knownList)")
        }
    }

    /// `PROVISIONED` needs both capacities, each at least 1; `PAY_PER_REQUEST` allows neither. With an
    /// unknown mode (already reported), only values below 1 are reported.
    mutating func checkCapacity(read: Int?, write: Int?, prefix: String) {
        for (field, value) in [("read_capacity", read), ("write_capacity", write)] {
            let path = prefix + field
            switch (schema.billingMode, value) {
            case (.payPerRequest, _?):
                report(path, "capacity is not allowed with billing mode PAY_PER_REQUEST")
            case (.provisioned, nil):
                report(path, "capacity is required with billing mode PROVISIONED")
            case (_, let units?) where units < 1:
                report(path, "capacity must be at least 1, got \(units)")
            default:
                break
            }
        }
    }

    /// Each ``ThroughputSetting`` the table or index gives (`throughput`, by field): its billing mode,
    /// at least one side given, each at least 1.
    mutating func checkThroughput(_ throughput: [String: ThroughputUnits], prefix: String) {
        for setting in ThroughputSetting.all {
            guard let units = throughput[setting.field] else { continue }
            for problem in setting.problems(units, at: prefix + setting.field, billing: schema.billingMode) {
                report(problem.path, problem.message)
            }
        }
    }

    /// The TTL attribute name: 1-255 bytes, and of type N wherever it is also a key (DynamoDB only
    /// expires items on a number, and a key attribute's type is fixed).
    mutating func checkTTL() {
        guard let ttl = schema.ttlAttribute else { return }
        if ttl.isEmpty {
            report("ttl", "TTL attribute name must not be empty (use nil for no TTL)")
            return
        }
        if ttl.utf8.count > DynamoDBLimits.maxAttributeNameBytes {
            report("ttl", "TTL attribute name is \(ttl.utf8.count) bytes long; at most 255 are allowed")
        }
        // One report is enough: the first key use that is not a number names the conflict.
        if let use = schema.keyUses.first(where: {
            $0.key.name.hasSameBytes(as: ttl) && $0.key.type.isKnown && $0.key.type != .number
        }) {
            report(
                "ttl",
                "TTL attribute '\(ttl)' is a key of type \(use.key.type) at \(use.path); "
                    + "a TTL attribute used as a key must be of type N")
        }
    }

    mutating func checkEncryption() {
        let encryption = schema.encryption
        let type = encryption.type
        guard type.isKnown else {
            report(
                "encryption.type", "invalid encryption type '\(type)': must be \(EncryptionType.knownList)")
            return
        }
        switch (type, encryption.givenKey) {
        case (.customerKey, nil):
            report("encryption.kms_key", "kms_key is required with encryption type CUSTOMER_KEY")
        case (.customerKey, let key?):
            guard let reference = KMSKeyReference(key) else {
                report(
                    "encryption.kms_key",
                    "invalid KMS key '\(key)': expected a key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID), "
                        + "an alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME), an alias name (alias/NAME) "
                        + "or a key id")
                return
            }
            if reference.isAWSManagedAlias {
                report(
                    "encryption.kms_key",
                    "'\(key)' is a key managed by AWS, not a customer key; use encryption type KMS for "
                        + "DynamoDB's AWS-managed key")
            }
        case (_, let key?):
            report(
                "encryption.kms_key",
                "kms_key '\(key)' is only allowed with encryption type CUSTOMER_KEY, not \(type)")
        default:
            break
        }
    }

    /// Each ``OperatedSetting``'s value the schema gives, by the setting's own rules.
    mutating func checkOperatedSettings() {
        for setting in OperatedSetting.all {
            guard let value = setting.value(in: schema) else { continue }
            for problem in setting.problems(with: value) { report(problem.path, problem.message) }
        }
    }

    mutating func checkStream() {
        guard let stream = schema.stream, !stream.isKnown else { return }
        report("stream", "invalid stream view type '\(stream)': must be \(StreamViewType.knownList)")
    }

    /// Each ``TableSetting``'s value, by its kind.
    mutating func checkTableSettings() {
        for setting in TableSetting.all {
            if let problem = setting.problem(with: setting.value(in: schema.settings)) {
                report(setting.field, problem)
            }
        }
    }

    /// At most 50 tags; keys of 1-128 characters not starting with `aws:` (any case: AWS reserves
    /// it); values up to 256 characters; letters, digits, spaces and `_ . : / = + - @` only.
    mutating func checkTags() {
        checkTags(schema.tags, at: "tags")
    }

    /// ``checkTags()`` for the tags at `field` (a replica's too).
    mutating func checkTags(_ tags: [String: String], at field: String) {
        if tags.count > DynamoDBLimits.maxTags {
            report(field, "\(tags.count) tags; at most 50 are allowed")
        }
        let keys = tags.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for key in keys {
            let path = "\(field)[\(Self.luaQuoted(key))]"
            let keyLength = key.unicodeScalars.count
            if !DynamoDBLimits.tagKeyLength.contains(keyLength) {
                report(path, "tag key must be 1 to 128 characters long, got \(keyLength)")
            }
            if key.lowercased().hasPrefix("aws:") {
                report(path, "tag keys starting with 'aws:' are reserved for AWS")
            }
            if let bad = key.unicodeScalars.first(where: { !Self.isTagCharacter($0) }) {
                report(path, "tag key contains \(Self.describe(bad)); \(Self.tagCharacters)")
            }
            let value = tags[key] ?? ""
            let valueLength = value.unicodeScalars.count
            if valueLength > DynamoDBLimits.maxTagValueLength {
                report(path, "tag value must be at most 256 characters long, got \(valueLength)")
            }
            if let bad = value.unicodeScalars.first(where: { !Self.isTagCharacter($0) }) {
                report(path, "tag value contains \(Self.describe(bad)); \(Self.tagCharacters)")
            }
        }
    }

    private static let tagCharacters = "only letters, digits, spaces and _ . : / = + - @ are allowed"

    private static func isTagCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.isWhitespace
            || "_.:/=+-@".unicodeScalars.contains(scalar)
    }

    /// A string as a Lua literal, for paths such as `tags["team"]`.
    static func luaQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}

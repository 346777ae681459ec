import JSON

/// Why DynamoDB cancelled one action of a transaction, in the order of the actions: code `None` for
/// an action that was not the cause; `ConditionalCheckFailed`, `TransactionConflict`,
/// `ItemCollectionSizeLimitExceeded`, `ThrottlingError`, `ValidationError`, ... for those that were.
public struct CancellationReason: Sendable, Equatable {
    public var code: String
    public var message: String?
    /// The item as it was, for a failed condition of an action that asked for it.
    public var item: Item?

    public init(code: String, message: String? = nil, item: Item? = nil) {
        self.code = code
        self.message = message
        self.item = item
    }

    /// Whether this action was no cause of the cancellation.
    public var isNone: Bool { code == "None" }

    /// The `CancellationReasons` of an error body; empty when it has none or they cannot be read.
    package static func list(in body: JSONObject) -> [CancellationReason] {
        guard case .array(let reasons)? = body["CancellationReasons"] else { return [] }
        return reasons.map { reason in
            guard case .object(let members) = reason else { return CancellationReason(code: "None") }
            return CancellationReason(
                code: members["Code"]?.stringValue ?? "None", message: members["Message"]?.stringValue,
                item: members["Item"].flatMap { try? AttributeValue.item(json: $0) })
        }
    }
}

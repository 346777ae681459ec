import DynamoDBModel
import JSON
import Synchronization

/// What a client's item requests cost, statement by statement: the REPL's cost lines
/// (`-- Query on T, index gsi-status: 2 pages, 3.5 RCU`) and `explain`, which records the requests a
/// statement would send without sending them.
///
/// A client whose configuration holds a ledger asks for `ReturnConsumedCapacity: TOTAL` on every item
/// operation and records each request here with what DynamoDB reported consumed. While ``explaining``
/// is on, item operations are not sent at all: each is recorded with its body and answered as an
/// empty result (no items, no attributes), so the statement runs to its end having read and written
/// nothing. Table descriptions still go out (a query's key names come from one).
public final class RequestLedger: Sendable {
    /// One request.
    public struct Entry: Sendable, Equatable {
        public var operation: String
        public var table: String?
        public var index: String?
        /// The request's body, as it was (or would have been) sent.
        public var body: JSONObject
        /// Units DynamoDB reported consumed; nil when explained (not sent) or not reported.
        public var consumed: Double?

        public init(operation: String, table: String?, index: String?, body: JSONObject, consumed: Double?) {
            self.operation = operation
            self.table = table
            self.index = index
            self.body = body
            self.consumed = consumed
        }
    }

    /// The item operations: the ones that take `ReturnConsumedCapacity` and that `explain` holds back.
    public static let itemOperations: Set<String> = [
        "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
        "TransactGetItems", "TransactWriteItems", "ExecuteStatement", "BatchExecuteStatement",
        "ExecuteTransaction",
    ]

    /// The operations that write: their units are WCU.
    static let writing: Set<String> = [
        "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
    ]

    private struct State {
        var entries: [Entry] = []
        var explaining = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Forgets what was recorded: a new statement starts.
    public func reset() {
        state.withLock { $0.entries.removeAll() }
    }

    /// What was recorded since the last ``reset()``.
    public var entries: [Entry] { state.withLock { $0.entries } }

    /// Whether item operations are recorded instead of sent.
    public var explaining: Bool {
        get { state.withLock { $0.explaining } }
        set { state.withLock { $0.explaining = newValue } }
    }

    /// The answer to give instead of sending `operation`, when explaining (and records it then).
    func intercept(_ operation: String, _ body: JSONObject, tableName: String?) -> JSONObject? {
        guard Self.itemOperations.contains(operation) else { return nil }
        return state.withLock { state -> JSONObject? in
            guard state.explaining else { return nil }
            state.entries.append(
                Entry(
                    operation: operation, table: tableName ?? Self.table(of: body),
                    index: body["IndexName"]?.stringValue, body: body, consumed: nil))
            // Empty results of every shape the client decodes: no items, no more pages.
            return ["Items": [], "Count": 0, "ScannedCount": 0, "Responses": [:], "UnprocessedItems": [:]]
        }
    }

    /// Records a request that was sent, with what its answer reports consumed.
    func record(_ operation: String, _ body: JSONObject, tableName: String?, answer: JSONObject) {
        guard Self.itemOperations.contains(operation) else { return }
        let entry = Entry(
            operation: operation, table: tableName ?? Self.table(of: body),
            index: body["IndexName"]?.stringValue, body: body, consumed: CapacityBudget.units(in: answer))
        state.withLock { $0.entries.append(entry) }
    }

    /// The table a batch or transaction names first, for requests sent without a table name.
    static func table(of body: JSONObject) -> String? {
        if let name = body["TableName"]?.stringValue { return name }
        if let items = body["RequestItems"]?.objectValue, let first = items.keys.first { return first }
        return nil
    }

    /// One line per operation, table and index, in the order first seen:
    /// `Query on sessions, index gsi-status: 2 pages, 3.5 RCU`.
    public static func costLines(_ entries: [Entry]) -> [String] {
        var order: [String] = []
        var groups: [String: (entry: Entry, count: Int, units: Double?)] = [:]
        for entry in entries {
            let key = "\(entry.operation)\u{0}\(entry.table ?? "")\u{0}\(entry.index ?? "")"
            if var group = groups[key] {
                group.count += 1
                if let consumed = entry.consumed { group.units = (group.units ?? 0) + consumed }
                groups[key] = group
            } else {
                order.append(key)
                groups[key] = (entry, 1, entry.consumed)
            }
        }
        return order.compactMap { key in
            guard let (entry, count, units) = groups[key] else { return nil }
            var line = entry.operation
            if let table = entry.table { line += " on \(table)" }
            if let index = entry.index { line += ", index \(index)" }
            let paged = entry.operation == "Query" || entry.operation == "Scan"
            line += ": \(count) \(paged ? "page" : "request")\(count == 1 ? "" : "s")"
            if let units {
                line += ", \(decimal(units)) \(writing.contains(entry.operation) ? "WCU" : "RCU")"
            }
            return line
        }
    }

    /// Units with at most one decimal: `3.5`, `2`.
    static func decimal(_ value: Double) -> String {
        guard let tenths = Int(exactly: (value * 10).rounded()), tenths >= 0 else { return "\(value)" }
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}

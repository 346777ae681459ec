import DynamoDB
import Lua

// `db.transact` and `db.transact_get`: several items written, or read, all together.
extension DataFunctions {
    /// The fields of one `db.transact` action beyond its kind and table.
    private static let actionFields: [String: [String]] = [
        "put": ["item"] + WriteCondition.options,
        "update": ["key", "changes"] + UpdateActions.options + WriteCondition.options,
        "delete": ["key"] + WriteCondition.options,
        "check": ["key"] + WriteCondition.options,
    ]
    static let transactOptions = ["token"]
    private static let actionKinds = ["put", "update", "delete", "check"]

    /// `db.transact({ action, ... }, { token = "..." })`: every action or none (TransactWriteItems).
    /// Returns true; when DynamoDB cancels the transaction (a condition failed, a conflicting write,
    /// ...): `false, "transaction cancelled", reasons`, one reason per action in order,
    /// `{ code = "None" }` for the actions that were no cause.
    func transact(_ call: LuaCall) throws -> LuaResults {
        let elements = try transactionList(call, of: "actions")
        let options = try call.options(2, allowed: Self.transactOptions)
        let token = try Self.requestToken(options["token"])
        let actions = try elements.enumerated().map { offset, element in
            try transactAction(element, position: offset + 1, call: call)
        }
        try checkOneActionPerItem(actions.map { ($0.tableName, $0.target) }, call: call)
        let client = try client(for: "sentinel.db.transact")
        let reasons = try BlockingCall.perform(in: call.state) {
            () async throws(DynamoDBError) -> [CancellationReason]? in
            do throws(DynamoDBError) {
                try await client.transactWriteItems(actions, clientRequestToken: token)
                return nil
            } catch {
                guard case .service(let failure) = error, failure.code == "TransactionCanceledException"
                else { throw error }
                return failure.cancellationReasons
            }
        }
        guard let reasons else { return call.returning(true) }
        let writer = writer(call)
        let list = try reasons.map { reason -> LuaValue in
            var entries: [LuaValue: LuaValue] = ["code": .text(reason.code)]
            if let message = reason.message, !message.isEmpty { entries["message"] = .text(message) }
            if let item = reason.item { entries["item"] = try writer.item(item) }
            return .map(entries)
        }
        return try call.returning(values: [.boolean(false), .text("transaction cancelled"), .array(list)])
    }

    /// `db.transact_get { { table, key }, { table = t, key = k }, ... }`: the items read together as
    /// of one moment (TransactGetItems), as a list in the order asked with `n` set to how many were
    /// asked for; a key without an item leaves its position nil.
    func transactGet(_ call: LuaCall) throws -> LuaResults {
        let elements = try transactionList(call, of: "items")
        let reader = LuaAttributeReader(state: call.state)
        let gets = try elements.enumerated().map { offset, element -> TransactGet in
            let path = "items[\(offset + 1)]"
            let table = element["table"] != .nil ? element["table"] : element.mapValue?[.integer(1)] ?? .nil
            let key = element["key"] != .nil ? element["key"] : element.mapValue?[.integer(2)] ?? .nil
            guard let name = table.stringValue, key != .nil else {
                throw ScriptError(
                    "sentinel.db.transact_get: \(path) must be { table, key } or { table = ..., key = ... }")
            }
            return TransactGet(tableName: name, key: try reader.item(key, path: "\(path).key"))
        }
        try RequestMemory.reserve(for: gets.map(\.key), in: call, what: "items")
        let client = try client(for: "sentinel.db.transact_get")
        let found = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await client.transactGetItems(gets)
        }
        let writer = writer(call)
        var entries: [LuaValue: LuaValue] = ["n": .integer(Int64(found.count))]
        for (offset, item) in found.enumerated() {
            if let item { entries[.integer(Int64(offset + 1))] = try writer.item(item) }
        }
        return try call.returning(.map(entries))
    }

    /// One action of `db.transact`: `{ put = TABLE, item = ... }`, `{ update = TABLE, key = ...,
    /// changes = ..., add = ... }`, `{ delete = TABLE, key = ... }` or `{ check = TABLE, key = ...,
    /// condition = ... }`, each with `condition` and `exists` as the single-item writes take them.
    private func transactAction(_ element: LuaValue, position: Int, call: LuaCall) throws
        -> TransactWriteAction
    {
        let path = "actions[\(position)]"
        let kinds = Self.actionKinds.filter { element[$0] != .nil }
        guard element.mapValue != nil, kinds.count == 1, let kind = kinds.first,
            let table = element[kind].stringValue
        else {
            throw ScriptError(
                "sentinel.db.transact: \(path) must name one table as put =, update =, delete = or check =")
        }
        let fields = try LuaOptions.check(
            element, allowed: [kind] + Self.actionFields[kind, default: []],
            in: "sentinel.db.transact \(path)")
        let reader = LuaAttributeReader(state: call.state)
        var builder = ExpressionBuilder()
        let condition: String?
        do {
            condition = try writeCondition(fields, table: table, builder: &builder, call: call)
        } catch {
            throw ScriptError("sentinel.db.transact: \(path): \(error)")
        }
        let operation: TransactWriteAction.Operation
        // What the action sends: its item or key, and the values of its expressions (the changes of
        // an update among them), held with the request body until the call returns.
        var sent: [Item]
        switch kind {
        case "put":
            let item = try reader.item(fields["item"] ?? .nil, path: "\(path).item")
            operation = .put(item: item)
            sent = [item]
        case "update":
            let key = try reader.item(fields["key"] ?? .nil, path: "\(path).key")
            let changes =
                try fields["changes"].flatMap { $0 == .nil ? nil : $0 }.map {
                    try reader.item($0, path: "\(path).changes")
                } ?? [:]
            let actions: UpdateActions
            do {
                actions = try UpdateActions.read(fields, reader: reader)
            } catch {
                throw ScriptError("sentinel.db.transact: \(path): \(error)")
            }
            guard !changes.isEmpty || !actions.isEmpty else {
                throw ScriptError(
                    "sentinel.db.transact: \(path): nothing to change: give changes = { ... } or options "
                        + "such as add = { ... }")
            }
            operation = .update(key: key, expression: actions.expression(changes: changes, builder: &builder))
            sent = [key]
        case "delete":
            let key = try reader.item(fields["key"] ?? .nil, path: "\(path).key")
            operation = .delete(key: key)
            sent = [key]
        default:
            guard condition != nil else {
                throw ScriptError(
                    "sentinel.db.transact: \(path): a check needs condition = { ... } or exists =")
            }
            let key = try reader.item(fields["key"] ?? .nil, path: "\(path).key")
            operation = .conditionCheck(key: key)
            sent = [key]
        }
        sent.append(builder.values)
        try RequestMemory.reserve(for: sent, in: call, what: path)
        return TransactWriteAction(
            tableName: table, operation: operation, conditionExpression: condition,
            expressionAttributeNames: builder.names, expressionAttributeValues: builder.values,
            returnItemOnConditionFailure: condition != nil)
    }

    /// The first argument: a list of 1 to 100 `what` (`actions`, `items`), DynamoDB's limit per transaction.
    private func transactionList(_ call: LuaCall, of what: String) throws -> [LuaValue] {
        guard call.isTable(1), let elements = try call.table(1).arrayValue, !elements.isEmpty else {
            throw call.typeError(1, expected: "non-empty list of \(what)")
        }
        guard elements.count <= DynamoDBClient.transactionLimit else {
            throw call.argumentError(
                1, "\(elements.count) \(what); DynamoDB allows at most \(DynamoDBClient.transactionLimit)")
        }
        return elements
    }

    /// DynamoDB refuses a transaction with two actions on one item; say which before sending.
    private func checkOneActionPerItem(_ targets: [(table: String, item: Item)], call: LuaCall) throws {
        var first: [String: [Item: Int]] = [:]
        for (offset, target) in targets.enumerated() {
            let keyNames = try keys(of: target.table, call: call).table.names
            let key = AttributeValue.canonicalKey(of: target.item, keyNames: keyNames)
            if let earlier = first[target.table]?[key] {
                throw ScriptError(
                    "sentinel.db.transact: actions[\(earlier + 1)] and actions[\(offset + 1)] are on the same "
                        + "item of table '\(target.table)'; DynamoDB allows one action per item in a transaction"
                )
            }
            first[target.table, default: [:]][key] = offset
        }
    }

    /// The `token` option: the caller's idempotency token (1 to 36 characters), or a random one.
    private static func requestToken(_ value: LuaValue?) throws -> String {
        guard let value, value != .nil else { return ClientRequestToken.random() }
        guard let token = value.stringValue, (1...36).contains(token.utf8.count) else {
            throw ScriptError("sentinel.db.transact: option 'token' must be a string of 1 to 36 characters")
        }
        return token
    }
}

import DynamoDB
import JSON
import Lua

/// `sentinel.db`: items in DynamoDB tables as Lua values. Every AWS call runs off the Lua thread
/// through ``BlockingCall`` and stops when the script is interrupted or out of time.
final class DataFunctions {
    let services: SentinelServices
    /// The state's one `sentinel.null`.
    let null: LuaValue
    /// Key attributes by table name, described once per state.
    private var tableKeys: [String: TableKeys] = [:]

    /// The options of `get` and `get_all`.
    static let readOptions = ["consistent"]
    static let searchOptions = ["index", "where", "filter", "limit", "page_size", "descending", "consistent"]
    static let scanOptions =
        ["index", "filter", "limit", "page_size", "consistent", "segments"] + LuaCapacityOptions.names
    /// The options of `put_all`.
    static let putAllOptions = ["max_wcu"]
    static let countOptions = ["index", "where", "filter", "consistent", "segments"]
    /// What `query` and `scan` return when no `limit` is given.
    static let defaultLimit = 100

    init(services: SentinelServices, state: LuaState) throws {
        self.services = services
        DataValueTypes.register(in: state)
        null = try state.userdata(NullValue())
    }

    func register(in state: LuaState) -> [String: LuaValue] {
        let functions: [String: LuaHostFunction] = [
            "tables": tables, "describe": describe, "get": get, "put": put, "delete": delete,
            "update": update, "query": query, "scan": scan, "each": each, "count": count,
            "put_all": putAll, "get_all": getAll, "transact": transact, "transact_get": transactGet,
            "execute": execute, "export": export, "import": importItems, "watch": watch,
        ]
        return functions.reduce(into: [:]) { registered, entry in
            registered[entry.key] = state.function(named: "sentinel.db.\(entry.key)", entry.value)
        }
    }

    // MARK: Tables

    /// `db.tables()`: every table name in the account and region.
    private func tables(_ call: LuaCall) throws -> LuaResults {
        let client = try client(for: "sentinel.db.tables")
        let names = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await client.listTables()
        }
        return try call.returning(.array(names.map(LuaValue.text)))
    }

    /// `db.describe(name)`: DescribeTable's `Table`, with AWS's field names.
    private func describe(_ call: LuaCall) throws -> LuaResults {
        let name = try call.string(1)
        let client = try client(for: "sentinel.db.describe")
        let answer = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await client.send("DescribeTable", ["TableName": .string(name)], tableName: name)
        }
        return try call.returning(LuaJSON.value(of: answer["Table"] ?? .null))
    }

    // MARK: Single items

    /// `db.get(table, key, { consistent = true })`: the item, or nil when there is none.
    private func get(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let key = try item(call, 2, root: "key")
        let options = try call.options(3, allowed: Self.readOptions)
        let consistent = options["consistent"]?.isTruthy == true
        let client = try client(for: "sentinel.db.get")
        let found = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await client.getItem(tableName: table, key: key, consistentRead: consistent)
        }
        return try call.returning(found.map { try writer(call).item($0) } ?? .nil)
    }

    /// `db.put(table, item, { condition = {...}, exists = false })`: writes the item, replacing any
    /// with its key; returns true. When the condition fails: `false, "condition failed", item as it was`.
    private func put(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let item = try item(call, 2, root: "item")
        let options = try call.options(3, allowed: WriteCondition.options)
        var builder = ExpressionBuilder()
        let condition = try writeCondition(options, table: table, builder: &builder, call: call)
        let (names, values) = (builder.names, builder.values)
        let client = try client(for: "sentinel.db.put")
        let outcome = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await WriteOutcome.of { () async throws(DynamoDBError) -> Item? in
                try await client.putItem(
                    tableName: table, item: item, conditionExpression: condition,
                    expressionAttributeNames: names,
                    expressionAttributeValues: values, returnItemOnConditionFailure: condition != nil)
                return nil
            }
        }
        return try returning(outcome, call) { _ in call.returning(true) }
    }

    /// `db.delete(table, key, { condition = {...}, exists = true })`: the deleted item, or nil when
    /// there was none (see docs/lua-api.md for a retried request). When the condition fails:
    /// `false, "condition failed", item as it was`.
    private func delete(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let key = try item(call, 2, root: "key")
        let options = try call.options(3, allowed: WriteCondition.options)
        var builder = ExpressionBuilder()
        let condition = try writeCondition(options, table: table, builder: &builder, call: call)
        let (names, values) = (builder.names, builder.values)
        let client = try client(for: "sentinel.db.delete")
        let outcome = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await WriteOutcome.of { () async throws(DynamoDBError) -> Item? in
                try await client.deleteItem(
                    tableName: table, key: key, conditionExpression: condition,
                    expressionAttributeNames: names,
                    expressionAttributeValues: values, returnOldItem: true,
                    returnItemOnConditionFailure: condition != nil)
            }
        }
        return try returning(outcome, call) { old in
            try call.returning(old.map { try writer(call).item($0) } ?? .nil)
        }
    }

    /// `db.update(table, key, changes, options)`: sets each attribute of `changes`, applies the
    /// options' `set`, `add`, `delete_from`, `append`, `prepend`, `if_not_exists` and `remove` (see
    /// ``UpdateActions``), and returns the item as it is afterwards. With `condition` or `exists`
    /// that fails: `false, "condition failed", item as it was`.
    private func update(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let key = try item(call, 2, root: "key")
        let changes = call.isNil(3) ? [:] : try item(call, 3, root: "changes")
        let options = try call.options(4, allowed: UpdateActions.options + WriteCondition.options)
        let actions = try UpdateActions.read(options, reader: LuaAttributeReader(state: call.state))
        guard !changes.isEmpty || !actions.isEmpty else {
            throw call.argumentError(
                3, "nothing to change: give attributes to set, or options such as { remove = { names } }")
        }
        var builder = ExpressionBuilder()
        let expression = actions.expression(changes: changes, builder: &builder)
        let condition = try writeCondition(options, table: table, builder: &builder, call: call)
        let (names, values) = (builder.names, builder.values)
        let client = try client(for: "sentinel.db.update")
        let outcome = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await WriteOutcome.of { () async throws(DynamoDBError) -> Item? in
                try await client.updateItem(
                    tableName: table, key: key, updateExpression: expression, conditionExpression: condition,
                    expressionAttributeNames: names, expressionAttributeValues: values,
                    returnValues: "ALL_NEW",
                    returnItemOnConditionFailure: condition != nil)
            }
        }
        return try returning(outcome, call) { new in
            try call.returning(new.map { try writer(call).item($0) } ?? .nil)
        }
    }

    /// The `ConditionExpression` of a write's `condition` and `exists` options, on `builder`'s
    /// placeholders; nil when the options give none.
    func writeCondition(
        _ options: [String: LuaValue], table: String, builder: inout ExpressionBuilder, call: LuaCall
    ) throws -> String? {
        guard let condition = try WriteCondition.read(options, reader: LuaAttributeReader(state: call.state))
        else { return nil }
        let partitionKey = condition.exists == nil ? "" : try keys(of: table, call: call).table.partition
        return condition.expression(&builder, partitionKey: partitionKey)
    }

    /// A write's results: `written` for a write that happened; for a failed condition
    /// `false, "condition failed", item` (the item as it was, nil when there was none).
    private func returning(
        _ outcome: WriteOutcome, _ call: LuaCall, written: (Item?) throws -> LuaResults
    ) throws -> LuaResults {
        switch outcome {
        case .written(let item):
            return try written(item)
        case .conditionFailed(let item):
            return try call.returning(values: [
                .boolean(false), .text("condition failed"), item.map { try writer(call).item($0) } ?? .nil,
            ])
        }
    }

    // MARK: Many items

    /// `db.query(table, options)`: up to `limit` (100) items of one partition.
    private func query(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let search = try search(call, 2, allowed: Self.searchOptions)
        let request = try search.queryRequest(table: table, keys: keys(of: table, call: call))
        let client = try client(for: "sentinel.db.query")
        let limit = search.limit ?? Self.defaultLimit
        let budget = services.readBudget
        let items = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await Self.collect(client.query(request).limited(by: budget), limit: limit)
        }
        return try call.returning(.array(items.map { try writer(call).item($0) }))
    }

    /// `db.scan(table, options)`: up to `limit` (100) items of the table or index; with `segments`, a
    /// parallel scan whose segments' items are merged.
    private func scan(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let search = try search(call, 2, allowed: Self.scanOptions)
        let capacity =
            try LuaCapacityOptions.budget(
                call.isNil(2) ? [:] : call.options(2, allowed: Self.scanOptions), read: true, write: false,
                call: call) ?? services.readBudget
        let request = search.scanRequest(table: table)
        let client = try client(for: "sentinel.db.scan")
        let limit = search.limit ?? Self.defaultLimit
        let segments = search.segments ?? 1
        let items = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            if segments == 1 {
                return try await Self.collect(client.scan(request).limited(by: capacity), limit: limit)
            }
            let collectSegment: @Sendable (ItemPages) async throws(DynamoDBError) -> [Item] = {
                (pages) async throws(DynamoDBError) -> [Item] in try await Self.collect(pages, limit: limit)
            }
            // One read budget shared by every segment.
            let parts = try await ParallelScan.eachSegment(
                client.parallelScan(request, totalSegments: segments).map { $0.limited(by: capacity) },
                collectSegment)
            return Array(parts.joined().prefix(limit))
        }
        return try call.returning(.array(items.map { try writer(call).item($0) }))
    }

    /// The items `each` asks for per request unless `page_size` says otherwise: DynamoDB's 1 MB pages
    /// hold thousands of small items, which a loop would hold decoded all at once.
    static let eachPageSize = 2500

    /// `for item in db.each(table, options) do ... end`: every matching item (a Query when `where` is
    /// given, a Scan otherwise), one page at a time as the loop asks for them.
    private func each(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        if Self.isStatement(table) { return try eachOfStatement(call) }
        var search = try search(call, 2, allowed: Self.searchOptions)
        // A loop holds one page at a time: pages of at most `eachPageSize` items keep a long stream's
        // memory near a short one's (a 1 MB page of small items is thousands of them, decoded at once).
        // With a filter, `limit` says nothing about how many items a page must evaluate.
        search.pageSize =
            search.pageSize
            ?? min(
                search.filter.isEmpty ? search.limit ?? Self.eachPageSize : Self.eachPageSize,
                Self.eachPageSize)
        let source: ItemCursor.Source
        if search.keyConditions != nil {
            source = .query(try search.queryRequest(table: table, keys: keys(of: table, call: call)))
        } else {
            guard !search.descending else { throw ScriptError("option 'descending' needs a where (a query)") }
            source = .scan(search.scanRequest(table: table))
        }
        let cursor = ItemCursor(
            client: try client(for: "sentinel.db.each"), source: source, limit: search.limit,
            budget: services.readBudget)
        let null = self.null
        let iterator = call.state.function(named: "sentinel.db.each iterator") { call in
            guard let item = try cursor.next(in: call.state) else { return try call.returning(.nil) }
            return try call.returning(LuaAttributeWriter(state: call.state, null: null).item(item))
        }
        return try call.returning(iterator)
    }

    /// `db.count(table, options)`: how many items match, over every page (Select COUNT).
    private func count(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let search = try search(call, 2, allowed: Self.countOptions)
        let client = try client(for: "sentinel.db.count")
        let total: Int
        if search.keyConditions != nil {
            let request = try search.queryRequest(
                table: table, keys: keys(of: table, call: call), select: "COUNT")
            let budget = services.readBudget
            total = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
                try await Self.count(client.query(request).limited(by: budget))
            }
        } else {
            let request = search.scanRequest(table: table, select: "COUNT")
            let segments = search.segments ?? 1
            let budget = services.readBudget
            total = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
                try await ParallelScan.eachSegment(
                    client.parallelScan(request, totalSegments: segments).map { $0.limited(by: budget) },
                    Self.count
                )
                .reduce(0, +)
            }
        }
        return call.returning(Int64(total))
    }

    /// `db.put_all(table, items, { max_wcu = n })`: writes every item (25 per BatchWriteItem, unprocessed ones
    /// retried); returns how many distinct items were written. Items with the same key (numbers
    /// compared by value) are written once, the last one given winning, as boto3's
    /// `overwrite_by_pkeys`. A failure names every item not written, by its position in `items`.
    private func putAll(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let items = try list(call, 2, root: "items")
        let options = call.isNil(3) ? [:] : try call.options(3, allowed: Self.putAllOptions)
        let capacity = try LuaCapacityOptions.budget(options, read: false, write: true, call: call)
        let keyNames = try keys(of: table, call: call).table.names
        let client = try client(for: "sentinel.db.put_all")
        let written = DynamoDBClient.lastPerKey(Array(items.enumerated()), keyNames: keyNames) { $0.element }
        let left = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) -> [Item] in
            do throws(DynamoDBError) {
                try await client.batchWriteItem(
                    tableName: table, puts: written.map(\.element), overwriteByKeys: keyNames,
                    budget: capacity)
                return []
            } catch {
                guard case .unprocessedItems(_, _, let unprocessed, _) = error else { throw error }
                return unprocessed
            }
        }
        guard left.isEmpty else {
            let leftKeys = Set(left.map { AttributeValue.canonicalKey(of: $0, keyNames: keyNames) })
            let positions = written.filter {
                leftKeys.contains(AttributeValue.canonicalKey(of: $0.element, keyNames: keyNames))
            }.map { "items[\($0.offset + 1)]" }
            throw ScriptError(
                "sentinel.db.put_all on table '\(table)': \(positions.count) of \(written.count) item(s) not "
                    + "written (DynamoDB kept returning them as unprocessed; throughput exceeded?): "
                    + positions.joined(separator: ", "))
        }
        return call.returning(Int64(written.count))
    }

    /// `db.get_all(table, keys, { consistent = true })`: the items with these keys (100 per
    /// BatchGetItem), in the order of the keys, leaving out keys without an item. Keys are matched as
    /// DynamoDB matches them, numbers by value: `{ id = 8.0 }` finds the item DynamoDB returns with
    /// `id = 8`, and `{ id = 1 }` and `{ id = 1.0 }` are one key.
    private func getAll(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let requested = try list(call, 2, root: "keys")
        let options = try call.options(3, allowed: Self.readOptions)
        let consistent = options["consistent"]?.isTruthy == true
        let keyNames = try keys(of: table, call: call).table.names
        let canonical = requested.map { AttributeValue.canonicalKey(of: $0, keyNames: keyNames) }
        var seen: Set<Item> = []
        var unique: [Item] = []
        for (key, canonicalKey) in zip(requested, canonical) where seen.insert(canonicalKey).inserted {
            unique.append(key)
        }
        let client = try client(for: "sentinel.db.get_all")
        let asked = unique
        let found = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await client.batchGetItem(tableName: table, keys: asked, consistentRead: consistent)
        }
        var byKey: [Item: Item] = [:]
        for item in found {
            byKey[AttributeValue.canonicalKey(of: item, keyNames: keyNames)] = item
        }
        let writer = writer(call)
        return try call.returning(
            .array(
                unique.compactMap { byKey[AttributeValue.canonicalKey(of: $0, keyNames: keyNames)] }.map {
                    try writer.item($0)
                }))
    }

    // MARK: PartiQL

    static let statementOptions = ["limit", "page_size", "consistent"]

    /// Table names have no spaces; statements do (`SELECT * FROM t`), so one argument can take either.
    static func isStatement(_ text: String) -> Bool {
        text.contains { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
    }

    /// `db.execute(statement, params, { limit = 100, page_size = n, consistent = true })`: a PartiQL
    /// statement with its `?` parameters (ExecuteStatement); returns the items a SELECT gives, up to
    /// `limit` (100), following `NextToken`, and an empty list for INSERT, UPDATE and DELETE.
    private func execute(_ call: LuaCall) throws -> LuaResults {
        let (request, limit) = try statementRequest(call)
        let client = try client(for: "sentinel.db.execute")
        let items = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await Self.collect(client.executeStatement(request), limit: limit ?? Self.defaultLimit)
        }
        return try call.returning(.array(items.map { try writer(call).item($0) }))
    }

    /// `for item in db.each(statement, params, options) do ... end`: every item of a PartiQL SELECT,
    /// one page at a time.
    private func eachOfStatement(_ call: LuaCall) throws -> LuaResults {
        var (request, limit) = try statementRequest(call)
        request.pageSize = request.pageSize ?? min(limit ?? Self.eachPageSize, Self.eachPageSize)
        let cursor = ItemCursor(
            client: try client(for: "sentinel.db.each"), source: .statement(request), limit: limit)
        let null = self.null
        let iterator = call.state.function(named: "sentinel.db.each iterator") { call in
            guard let item = try cursor.next(in: call.state) else { return try call.returning(.nil) }
            return try call.returning(LuaAttributeWriter(state: call.state, null: null).item(item))
        }
        return try call.returning(iterator)
    }

    /// The statement at 1, its parameters at 2 (a list, or nil) and options at 3.
    private func statementRequest(_ call: LuaCall) throws -> (StatementRequest, limit: Int?) {
        let statement = try call.string(1)
        var parameters: [AttributeValue] = []
        if !call.isNil(2) {
            guard call.isTable(2), let elements = try call.table(2).arrayValue else {
                throw call.typeError(2, expected: "list of parameters")
            }
            let reader = LuaAttributeReader(state: call.state)
            parameters = try elements.enumerated().map { offset, element in
                try reader.attribute(element, path: LuaAttributeReader.element("params", offset + 1))
            }
        }
        let options = try call.options(3, allowed: Self.statementOptions)
        let limit = try ItemSearch.count(options["limit"], option: "limit", of: call.functionName)
        let pageSize = try ItemSearch.count(options["page_size"], option: "page_size", of: call.functionName)
        return (
            StatementRequest(
                statement: statement, parameters: parameters,
                consistentRead: options["consistent"]?.isTruthy == true,
                pageSize: pageSize),
            limit
        )
    }

    // MARK: Paging

    /// Items of successive pages until there are `limit` or no more pages.
    static func collect(_ pages: ItemPages, limit: Int) async throws(DynamoDBError) -> [Item] {
        var items: [Item] = []
        var iterator = pages.makeAsyncIterator()
        while items.count < limit, let page = try await iterator.next() {
            items += page.items
        }
        return Array(items.prefix(limit))
    }

    /// The total `Count` of every page.
    private static func count(_ pages: ItemPages) async throws(DynamoDBError) -> Int {
        var total = 0
        var iterator = pages.makeAsyncIterator()
        while let page = try await iterator.next() {
            total += page.count
        }
        return total
    }

    // MARK: Arguments

    func client(for function: String) throws -> DynamoDBClient {
        guard let makeClient = services.dynamoDB else {
            throw ScriptError("\(function) needs AWS access, which this script was not given")
        }
        do {
            return try makeClient()
        } catch {
            throw ScriptError(String(describing: error))
        }
    }

    func writer(_ call: LuaCall) -> LuaAttributeWriter {
        LuaAttributeWriter(state: call.state, null: null)
    }

    /// The item or key at `position`.
    func item(_ call: LuaCall, _ position: Int, root: String) throws -> Item {
        guard call.isTable(position) else { throw call.typeError(position, expected: "table") }
        let item = try LuaAttributeReader(state: call.state).item(call.table(position), path: root)
        try RequestMemory.reserve(for: [item], in: call, what: root)
        return item
    }

    /// A list of items or keys at `position`.
    func list(_ call: LuaCall, _ position: Int, root: String) throws -> [Item] {
        guard call.isTable(position), let elements = try call.table(position).arrayValue else {
            throw call.typeError(position, expected: "list")
        }
        let reader = LuaAttributeReader(state: call.state)
        let items = try elements.enumerated().map { offset, element in
            try reader.item(element, path: LuaAttributeReader.element(root, offset + 1))
        }
        try RequestMemory.reserve(for: items, in: call, what: root)
        return items
    }

    private func search(_ call: LuaCall, _ position: Int, allowed: [String]) throws -> ItemSearch {
        try ItemSearch.read(
            call.options(position, allowed: allowed), of: call.functionName,
            reader: LuaAttributeReader(state: call.state))
    }

    /// The table's key attributes, described on first use.
    func keys(of table: String, call: LuaCall) throws -> TableKeys {
        if let keys = tableKeys[table] { return keys }
        let client = try client(for: call.functionName)
        let description = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await client.describeTable(table)
        }
        let keys = TableKeys(description)
        tableKeys[table] = keys
        return keys
    }
}

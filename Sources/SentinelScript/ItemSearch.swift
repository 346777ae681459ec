import DynamoDB
import Lua
import Numbers

/// What `sentinel.db.query`, `scan`, `each` and `count` look for, read from their options table, and
/// the Query or Scan request that finds it.
struct ItemSearch {
    var index: String?
    /// The `where` table's conditions by attribute (nil when there is no `where`).
    var keyConditions: [(String, ItemCondition)]?
    var filter: [(String, ItemCondition)] = []
    var descending = false
    var consistent = false
    /// The most items to return (`limit`).
    var limit: Int?
    /// DynamoDB's `Limit`: items evaluated per request (`page_size`).
    var pageSize: Int?
    /// DynamoDB's `Limit` for a request: `page_size`, else `limit` when there is no filter. With a
    /// filter, `Limit` counts items evaluated, not items returned, so `limit = 1` would make one request
    /// per item evaluated: DynamoDB's 1 MB pages are asked for instead, and the items cut to `limit`.
    var requestPageSize: Int? { pageSize ?? (filter.isEmpty ? limit : nil) }
    /// Parallel scan segments.
    var segments: Int?

    /// The most segments a parallel scan may have. DynamoDB allows 1,000,000, but every segment is at
    /// least one request, and ``DynamoDB/ParallelScan/concurrentSegments`` run at once.
    static let maxSegments = 1000

    /// Reads the options that `allowed` lets through (unknown keys were rejected already).
    static func read(_ options: [String: LuaValue], of function: String, reader: LuaAttributeReader) throws
        -> ItemSearch
    {
        var search = ItemSearch()
        if let index = options["index"], index != .nil {
            guard let name = index.stringValue else { throw ScriptError("option 'index' must be a string") }
            search.index = name
        }
        if let conditions = options["where"], conditions != .nil {
            search.keyConditions = try Self.conditions(conditions, option: "where", reader: reader)
        }
        if let conditions = options["filter"], conditions != .nil {
            search.filter = try Self.conditions(conditions, option: "filter", reader: reader)
        }
        search.descending = try flag(options["descending"], option: "descending")
        search.consistent = try flag(options["consistent"], option: "consistent")
        search.limit = try count(options["limit"], option: "limit", of: function)
        search.pageSize = try count(options["page_size"], option: "page_size", of: function)
        search.segments = try segments(options["segments"], of: function)
        return search
    }

    /// The Query for this search on `table`, whose key attributes `keys` gives.
    func queryRequest(table: String, keys: TableKeys, select: String? = nil) throws -> QueryRequest {
        let pair = try keys.keys(of: index)
        let on = index.map { "index '\($0)' of table '\(table)'" } ?? "table '\(table)'"
        let conditions = keyConditions ?? []
        guard let partition = conditions.first(where: { $0.0 == pair.partition }) else {
            throw ScriptError(
                "where must give the partition key '\(pair.partition)' of \(on), as where = { \(pair.partition) = value }"
            )
        }
        guard case .compare("=", _) = partition.1 else {
            throw ScriptError(
                "where.\(pair.partition): the partition key needs a value to equal, not a range")
        }
        var ordered = [partition]
        for (name, condition) in conditions where name != pair.partition {
            guard name == pair.sort else {
                throw ScriptError(
                    "where.\(name): '\(name)' is not a key of \(on) (keys: \(pair.names.joined(separator: ", "))); "
                        + "put conditions on other attributes in filter")
            }
            guard condition.isSortKeyCondition else {
                throw ScriptError(
                    "where.\(name): a sort key condition is =, <, <=, >, >=, between or begins_with")
            }
            ordered.append((name, condition))
        }
        var builder = ExpressionBuilder()
        let keyCondition = builder.conjunction(ordered) ?? ""
        let filterExpression = builder.conjunction(filter)
        var request = QueryRequest(
            tableName: table, indexName: index, keyConditionExpression: keyCondition,
            filterExpression: filterExpression, expressionAttributeNames: builder.names,
            expressionAttributeValues: builder.values, pageSize: requestPageSize,
            consistentRead: consistent, scanIndexForward: !descending)
        request.select = select
        return request
    }

    /// The Scan for this search on `table`.
    func scanRequest(table: String, select: String? = nil) -> ScanRequest {
        var builder = ExpressionBuilder()
        let filterExpression = builder.conjunction(filter)
        var request = ScanRequest(
            tableName: table, indexName: index, filterExpression: filterExpression,
            expressionAttributeNames: builder.names, expressionAttributeValues: builder.values,
            pageSize: requestPageSize, consistentRead: consistent)
        request.select = select
        return request
    }

    // MARK: Options

    static func conditions(_ value: LuaValue, option: String, reader: LuaAttributeReader) throws
        -> [(String, ItemCondition)]
    {
        guard case .map(let entries) = value else {
            if value.arrayValue?.isEmpty == true { return [] }
            throw ScriptError("option '\(option)' must be a table of attribute names to conditions")
        }
        var conditions: [(String, ItemCondition)] = []
        for (key, condition) in entries {
            guard let name = key.stringValue else {
                throw ScriptError(
                    "option '\(option)': attribute names must be strings, found a \(key.typeName) key")
            }
            let path = LuaAttributeReader.member(option, name)
            conditions.append((name, try ItemCondition.read(condition, path: path, reader: reader)))
        }
        return conditions.sorted { $0.0 < $1.0 }
    }

    private static func flag(_ value: LuaValue?, option: String) throws -> Bool {
        guard let value, value != .nil else { return false }
        guard let flag = value.booleanValue else {
            throw ScriptError("option '\(option)' must be true or false")
        }
        return flag
    }

    /// The most items a `limit` or `page_size` may ask for: DynamoDB's `Limit` is a 32-bit integer.
    static let maxCount = Int(Int32.max)

    /// A `limit` or `page_size` of `function`: a whole number from 1 to ``maxCount`` (the number rule).
    static func count(_ value: LuaValue?, option: String, of function: String) throws -> Int? {
        guard let value, value != .nil else { return nil }
        return try value.wholeNumber(in: 1...maxCount, field: "option '\(option)' of \(function)")
    }

    /// The `segments` of a parallel scan (of `scan`, `count` and `export`): 1 to ``maxSegments``.
    static func segments(_ value: LuaValue?, of function: String) throws -> Int? {
        guard let value, value != .nil else { return nil }
        do {
            return try value.wholeNumber(in: 1...maxSegments, field: "option 'segments' of \(function)")
        } catch {
            // Why the bound is so much lower than DynamoDB's: more segments only add requests. Said only
            // of a count past the bound; a fraction, NaN or 0 is wrong for another reason.
            let pastTheBound =
                switch value {
                case .integer(let count): count > Int64(maxSegments)
                case .number(let count): count > Double(maxSegments)
                default: false
                }
            guard pastTheBound else { throw ScriptError("\(error)") }
            throw ScriptError(
                "\(error) (a parallel scan runs at most \(ParallelScan.concurrentSegments) segments at once, "
                    + "so more only add requests)")
        }
    }
}

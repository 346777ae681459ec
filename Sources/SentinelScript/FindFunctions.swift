import DynamoDB
import Lua

/// `sentinel.find`: the questions people ask of Sentinel's own tables, each one Query on the index that
/// reads the fewest items, following every page. Items in a state such as `pending` or `active` are a
/// small working set, so those questions read the `gsi-status` partition and filter by the rest;
/// questions about one requester or server read that partition.
struct FindFunctions {
    /// One question: its index, the partition key (fixed or from an option), the options that filter,
    /// and whether `since`/`until` can be a key condition (the index's sort key is `created_at`).
    struct Finder {
        let name: String
        let defaultTable: String
        let index: String
        let partitionKey: String
        /// The partition key's value when the question fixes it (`status = "pending"`).
        let fixedValue: String?
        /// Options that become equality filters on the attribute of the same name.
        let filters: [String]
        /// The sort key when it is not `created_at`, with the option that sets it and its default.
        let statusSortKey: String?
    }

    static let finders = [
        Finder(
            name: "pending_requests", defaultTable: "sentinel-requests", index: "gsi-status",
            partitionKey: "status", fixedValue: "pending", filters: ["profile"], statusSortKey: nil),
        Finder(
            name: "requests_by", defaultTable: "sentinel-requests", index: "gsi-requester",
            partitionKey: "requester", fixedValue: nil, filters: [], statusSortKey: nil),
        Finder(
            name: "active_breakglass", defaultTable: "sentinel-breakglass", index: "gsi-status",
            partitionKey: "status", fixedValue: "active", filters: ["invoker", "profile"], statusSortKey: nil),
        Finder(
            name: "active_sessions", defaultTable: "sentinel-sessions", index: "gsi-status",
            partitionKey: "status", fixedValue: "active", filters: ["user"], statusSortKey: nil),
        Finder(
            name: "sessions_on", defaultTable: "sentinel-sessions", index: "gsi-server-instance",
            partitionKey: "server_instance_id", fixedValue: nil, filters: [], statusSortKey: "active"),
    ]

    let data: DataFunctions

    func register(in state: LuaState) -> [String: LuaValue] {
        var functions: [String: LuaValue] = [:]
        for finder in Self.finders {
            functions[finder.name] = state.function(named: "sentinel.find.\(finder.name)") { call in
                try find(finder, call)
            }
        }
        return functions
    }

    private func find(_ finder: Finder, _ call: LuaCall) throws -> LuaResults {
        var allowed = ["table", "since", "until"] + finder.filters
        if finder.fixedValue == nil { allowed.append(finder.partitionKey) }
        if finder.statusSortKey != nil { allowed.append("status") }
        let options = try call.options(1, allowed: allowed)
        let reader = LuaAttributeReader(state: call.state)
        let table = try text(options["table"], option: "table") ?? finder.defaultTable

        let partition: AttributeValue
        if let fixed = finder.fixedValue {
            partition = .string(fixed)
        } else if let value = options[finder.partitionKey], value != .nil {
            partition = try reader.attribute(value, path: finder.partitionKey)
        } else {
            throw ScriptError("sentinel.find.\(finder.name) needs the option '\(finder.partitionKey)'")
        }
        var keyConditions: [(String, ItemCondition)] = [(finder.partitionKey, .compare("=", partition))]
        var filters: [(String, ItemCondition)] = []
        for name in finder.filters {
            if let value = options[name], value != .nil {
                filters.append((name, .compare("=", try reader.attribute(value, path: name))))
            }
        }
        if let defaultStatus = finder.statusSortKey {
            let status = try text(options["status"], option: "status") ?? defaultStatus
            keyConditions.append(("status", .compare("=", .string(status))))
        }
        if let range = try createdAt(options, reader: reader) {
            // created_at is the sort key of every index used here except gsi-server-instance.
            if finder.statusSortKey == nil {
                keyConditions.append(("created_at", range))
            } else {
                filters.append(("created_at", range))
            }
        }
        var builder = ExpressionBuilder()
        let keyCondition = builder.conjunction(keyConditions) ?? ""
        let filter = builder.conjunction(filters)
        let request = QueryRequest(
            tableName: table, indexName: finder.index, keyConditionExpression: keyCondition,
            filterExpression: filter, expressionAttributeNames: builder.names,
            expressionAttributeValues: builder.values)
        let client = try data.client(for: "sentinel.find.\(finder.name)")
        let items = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await DataFunctions.collect(client.query(request), limit: Int.max)
        }
        let writer = LuaAttributeWriter(state: call.state, null: data.null)
        return try call.returning(.array(items.map { try writer.item($0) }))
    }

    /// `since` and `until` as one condition on `created_at` (both ends inclusive).
    private func createdAt(_ options: [String: LuaValue], reader: LuaAttributeReader) throws -> ItemCondition?
    {
        let since = try options["since"].flatMap {
            $0 == .nil ? nil : try reader.attribute($0, path: "since")
        }
        let until = try options["until"].flatMap {
            $0 == .nil ? nil : try reader.attribute($0, path: "until")
        }
        switch (since, until) {
        case (let since?, let until?): return .between(since, until)
        case (let since?, nil): return .compare(">=", since)
        case (nil, let until?): return .compare("<=", until)
        case (nil, nil): return nil
        }
    }

    private func text(_ value: LuaValue?, option: String) throws -> String? {
        guard let value, value != .nil else { return nil }
        guard let text = value.stringValue else { throw ScriptError("option '\(option)' must be a string") }
        return text
    }
}

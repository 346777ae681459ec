import DynamoDB
import Lua

/// `sentinel.db.watch`: a table's changes, from its DynamoDB stream, handed to a Lua function one by
/// one on the script's thread. The stream is read off the thread through ``BlockingCall`` (so the
/// script's deadline, instruction limit and Ctrl-C stop it while it waits), and one page of records
/// at most is held at a time.
extension DataFunctions {
    static let watchOptions = ["since", "until_caught_up", "page_size"]

    /// How long a watch waits after a round of reads that found no change.
    static let watchIdleDelay: Duration = .seconds(1)

    /// `db.watch(table, { since = "latest" | "trim_horizon", until_caught_up = true, page_size = n },
    /// function(change) ... end)`: calls the function with each change until it returns `false` (the
    /// watch then returns), raises an error (raised again here), or, with `until_caught_up`, the
    /// stream has no more. Returns how many changes the function was given.
    func watch(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let options = call.isNil(2) ? [:] : try call.options(2, allowed: Self.watchOptions)
        guard call.typeName(3) == "function" else { throw call.typeError(3, expected: "function") }
        let callback = try call.function(3)
        let start: StreamFollower.Start
        switch options["since"] ?? .nil {
        case .nil: start = .latest
        case let value where value.stringValue == "latest": start = .latest
        case let value where value.stringValue == "trim_horizon" || value.stringValue == "trim-horizon":
            start = .trimHorizon
        default:
            throw ScriptError(
                "option 'since' of sentinel.db.watch must be \"latest\" or \"trim_horizon\"")
        }
        let untilCaughtUp = options["until_caught_up"]?.isTruthy == true
        let pageSize = try options["page_size"].flatMap { value -> Int? in
            guard value != .nil else { return nil }
            return try value.wholeNumber(in: 1...1000, field: "option 'page_size' of sentinel.db.watch")
        }
        let client = try client(for: "sentinel.db.watch")
        let state = call.state
        let follower = try BlockingCall.perform(in: state) { () async throws(DynamoDBError) in
            try await StreamFollower.open(client: client, tableName: table, start: start, pageSize: pageSize)
        }
        var given: Int64 = 0
        while true {
            let round = try BlockingCall.perform(in: state) { () async throws(DynamoDBError) in
                try await follower.nextRound()
            }
            for record in round.records {
                let change = try changeValue(record, state: state)
                let results: [LuaValue]
                do {
                    results = try state.call(callback, [change])
                } catch {
                    // A stop (deadline, Ctrl-C) stays a stop, running out of memory stays a memory error;
                    // the function's own error is raised again with its message (not its traceback).
                    try state.stopIfRequested()
                    let message = (error as? LuaError)?.message ?? "\(error)"
                    if (error as? LuaError)?.kind == .memory { throw state.hostMemoryError(message) }
                    throw ScriptError("sentinel.db.watch on table '\(table)': \(message)")
                }
                given += 1
                if results.first == .boolean(false) { return call.returning(given) }
            }
            if round.caughtUp {
                if untilCaughtUp { return call.returning(given) }
                _ = try BlockingCall.run(in: state) { () async -> Bool in
                    (try? await Task.sleep(for: Self.watchIdleDelay)) != nil
                }
                try state.stopIfRequested()
            }
        }
    }

    /// `{ event =, time =, keys =, new =, old =, changed =, sequence =, ttl = }` for one change.
    private func changeValue(_ record: StreamRecord, state: LuaState) throws -> LuaValue {
        let writer = LuaAttributeWriter(state: state, null: null)
        var change: [LuaValue: LuaValue] = [
            "event": .text(record.event.rawValue),
            "keys": try writer.item(record.keys),
            "sequence": .text(record.sequenceNumber),
            "shard": .text(record.shardID),
        ]
        if let time = record.time { change["time"] = .integer(time.secondsSinceEpoch) }
        if let new = record.newImage { change["new"] = try writer.item(new) }
        if let old = record.oldImage { change["old"] = try writer.item(old) }
        if record.newImage != nil || record.oldImage != nil {
            change["changed"] = .array(record.changedAttributes.map(LuaValue.text))
        }
        if record.removedByTTL { change["ttl"] = .boolean(true) }
        return .map(change)
    }
}

import DynamoDB
import FileAccess
import ItemFiles
import Lua

// `db.export` and `db.import`: a table's items to a file of items and back, as the export and import
// commands do.
extension DataFunctions {
    static let exportOptions = ["format", "segments", "consistent"] + LuaCapacityOptions.names
    static let importOptions = ["format", "resume"] + LuaCapacityOptions.names

    /// `db.export(table, path, { format =, segments =, consistent = })`: every item to a new file inside
    /// the working directory (an existing file is an error, never replaced); returns how many.
    func export(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let path = try call.string(2)
        let options = try call.options(3, allowed: Self.exportOptions)
        let format = try Self.fileFormat(options["format"])
        let segments = try ItemSearch.segments(options["segments"], of: call.functionName) ?? 1
        let consistent = options["consistent"]?.isTruthy == true
        let capacity = try LuaCapacityOptions.budget(options, read: true, write: false, call: call)
        let client = try client(for: "sentinel.db.export")
        let files = services.files
        let memory = MemoryBudget.of(call.state)
        let summary = try BlockingCall.perform(in: call.state) { () async throws(DynamoDBError) in
            try await client.exportItems(
                tableName: table, to: path, in: files, format: format, segments: segments,
                consistentRead: consistent, replace: false, memory: memory, capacity: capacity)
        }
        return call.returning(Int64(summary.items))
    }

    /// `db.import(table, paths, { format =, resume = })`: the items of a file, a folder or a list of
    /// them (inside the working directory) written into the table; returns how many this call wrote
    /// and how many an interrupted earlier call had (skipped with `resume = true`).
    func importItems(_ call: LuaCall) throws -> LuaResults {
        let table = try call.string(1)
        let paths: [String]
        if call.isTable(2) {
            guard let list = try call.table(2).arrayValue, !list.isEmpty,
                let names = Optional(list.compactMap(\.stringValue)), names.count == list.count
            else { throw call.typeError(2, expected: "path or non-empty list of paths") }
            paths = names
        } else {
            paths = [try call.string(2)]
        }
        let options = try call.options(3, allowed: Self.importOptions)
        let format = try Self.fileFormat(options["format"])
        let resume = options["resume"]?.isTruthy == true
        let capacity = try LuaCapacityOptions.budget(options, read: false, write: true, call: call)
        let client = try client(for: "sentinel.db.import")
        let files = services.files
        let memory = MemoryBudget.of(call.state)
        let result = try BlockingCall.run(in: call.state) {
            () async -> Result<ImportSummary, ItemImportError> in
            do throws(ItemImportError) {
                return .success(
                    try await client.importItems(
                        tableName: table, from: paths, in: files, format: format, resume: resume,
                        memory: memory, capacity: capacity))
            } catch {
                return .failure(error)
            }
        }
        try call.state.stopIfRequested()
        switch result {
        case .success(let summary):
            return try call.returning(values: [
                .integer(Int64(summary.written)), .integer(Int64(summary.skipped)),
            ])
        case .failure(let error):
            throw call.state.failure(
                "sentinel.db.import: \(error.message(resumeWith: "{ resume = true }"))", cause: error.cause)
        }
    }

    private static func fileFormat(_ value: LuaValue?) throws -> ItemFileFormat {
        guard let value, value != .nil else { return .dynamoDBJSON }
        guard let name = value.stringValue, let format = ItemFileFormat(rawValue: name) else {
            throw ScriptError(
                "option 'format' must be \(ItemFileFormat.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or "))"
            )
        }
        return format
    }
}

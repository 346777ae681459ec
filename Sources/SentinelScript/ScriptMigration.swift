import DynamoDB
import Lua
import Provisioning
import Schema

/// A migration run from a script's Lua thread: Provisioning's ``TableMigration`` on the pool, with a
/// Lua transform served on this thread (``LuaItemTransform``). Shared by `sentinel.migrate` and
/// ``ScriptHost/migrate(from:to:transform:segments:pageSize:checkpointDirectory:resume:verification:progress:)``.
enum ScriptMigration {
    static func run(
        in state: LuaState, null: LuaValue, migration: TableMigration, source: String, schema: TableSchema,
        transform function: LuaValue?, transformName: String, segments: Int, pageSize: Int?,
        checkpointDirectory: String,
        resume: Bool, verification: TableMigration.Verification,
        progress: @escaping @Sendable (_ copied: Int, _ estimated: Int?) -> Void
    ) -> Result<TableMigration.Report, TableMigration.Failure> {
        LuaItemTransform.run(in: state, function: function, name: transformName, null: null) { transform in
            do throws(TableMigration.Failure) {
                return .success(
                    try await migration.run(
                        from: source, to: schema, transform: transform, segments: segments,
                        pageSize: pageSize,
                        checkpointDirectory: checkpointDirectory, resume: resume, verification: verification,
                        progress: progress))
            } catch {
                return .failure(error)
            }
        }
    }
}

extension ScriptHost {
    /// Migrates `source` to a new table made from `schema` (named for the new table), through the
    /// script's global function `transform` when the script defines one (`migrate(item)`: the new
    /// item, or nil to leave the item out). Call it on the thread that runs this host's scripts: the
    /// transform runs there, one item at a time, while the copy runs on the pool. The script's
    /// interruption (``interruptHandle``) stops the copy, which can be resumed.
    @available(
        *, noasync, message: "a migration blocks its thread: use ScriptHost.withHost from async code"
    )
    public func migrate(
        from source: String, to schema: TableSchema, transform: String = "migrate", segments: Int = 4,
        pageSize: Int? = nil,
        checkpointDirectory: String = ".", resume: Bool = false,
        verification: TableMigration.Verification = .sample,
        progress: @escaping @Sendable (_ copied: Int, _ estimated: Int?) -> Void = { _, _ in }
    ) throws -> Result<TableMigration.Report, TableMigration.Failure> {
        let function = try lua.global(transform)
        let migration = TableMigration(provisioner: try tables.provisioner(), client: try tables.client())
        return ScriptMigration.run(
            in: lua, null: null, migration: migration, source: source, schema: schema,
            transform: { if case .function = function { function } else { nil } }(),
            transformName: "\(transform)(item)",
            segments: segments, pageSize: pageSize, checkpointDirectory: checkpointDirectory, resume: resume,
            verification: verification, progress: progress)
    }
}

import DynamoDB
import FileAccess
import ItemFiles
import Lua
import Provisioning
import Schema

/// A migration run from a script's Lua thread: Provisioning's ``TableMigration`` on the pool, with a
/// Lua transform served on this thread (``LuaItemTransform``). Shared by `sentinel.migrate` and
/// ``ScriptHost/migrate(from:to:transform:segments:pageSize:checkpointDirectory:files:resume:verification:capacity:progress:)``.
enum ScriptMigration {
    static func run(
        in state: LuaState, null: LuaValue, migration: TableMigration, source: String, schema: TableSchema,
        transform function: LuaValue?, transformName: String, segments: Int, pageSize: Int?,
        checkpointDirectory: String, files: FileRoot,
        resume: Bool, verification: TableMigration.Verification, capacity: CapacityBudget? = nil,
        progress: @escaping @Sendable (_ copied: Int, _ estimated: Int?) -> Void
    ) throws -> Result<TableMigration.Report, TableMigration.Failure> {
        // The copy's pages count against the script's memory limit, with what its transform takes.
        let memory = MemoryBudget.of(state)
        return try LuaItemTransform.run(in: state, function: function, name: transformName, null: null) {
            transform in
            do throws(TableMigration.Failure) {
                return .success(
                    try await migration.run(
                        from: source, to: schema, transform: transform, segments: segments,
                        pageSize: pageSize,
                        checkpointDirectory: checkpointDirectory, files: files, resume: resume,
                        verification: verification, memory: memory, capacity: capacity,
                        progress: progress))
            } catch {
                return .failure(error)
            }
        }
    }
}

extension ScriptMigration {
    /// Provisioning's S3 engine run from a script's Lua thread. It copies items as they are, so a
    /// transform is refused (`transformName` is how the caller's user names it).
    static func runThroughS3(
        in state: LuaState, migration: TableMigration, source: String, schema: TableSchema,
        location: S3Location, hasTransform: Bool, transformName: String, segments: Int,
        verification: TableMigration.Verification,
        progress: @escaping @Sendable (_ imported: Int, _ expected: Int?) -> Void
    ) throws -> Result<TableMigration.Report, TableMigration.Failure> {
        if hasTransform {
            return .failure(
                .notImportable(
                    "ImportTable copies items as they are and cannot pass them through \(transformName); "
                        + "leave out the S3 location to reshape items while copying through this machine"))
        }
        return try BlockingCall.run(in: state) {
            do throws(TableMigration.Failure) {
                return .success(
                    try await migration.runThroughS3(
                        from: source, to: schema, via: location, verification: verification,
                        segments: segments,
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
    /// interruption (``interruptHandle``) stops the copy, which can be resumed. `checkpointDirectory` is
    /// the caller's choice, reached through `files` (any path, by default: the command line's user
    /// names it); the script's own `sentinel.migrate` reaches only the host's file capability.
    @available(
        *, noasync, message: "a migration blocks its thread: use ScriptHost.withHost from async code"
    )
    public func migrate(
        from source: String, to schema: TableSchema, transform: String = "migrate", segments: Int = 4,
        pageSize: Int? = nil,
        checkpointDirectory: String = ".", files: FileRoot = .unrestricted, resume: Bool = false,
        verification: TableMigration.Verification = .sample, capacity: CapacityBudget? = nil,
        progress: @escaping @Sendable (_ copied: Int, _ estimated: Int?) -> Void = { _, _ in }
    ) throws -> Result<TableMigration.Report, TableMigration.Failure> {
        let function = try lua.global(transform)
        let migration = TableMigration(provisioner: try tables.provisioner(), client: try tables.client())
        return try ScriptMigration.run(
            in: lua, null: null, migration: migration, source: source, schema: schema,
            transform: { if case .function = function { function } else { nil } }(),
            transformName: "\(transform)(item)",
            segments: segments, pageSize: pageSize, checkpointDirectory: checkpointDirectory, files: files,
            resume: resume,
            verification: verification, capacity: capacity, progress: progress)
    }

    /// Migrates `source` to a new table made from `schema` through DynamoDB's export to S3 and
    /// ImportTable (``TableMigration/runThroughS3(from:to:via:verification:segments:progress:)``).
    /// Items are copied as they are: a script that defines the global function `transform` is refused.
    /// Call it on the thread that runs this host's scripts; the script's interruption stops the wait
    /// (DynamoDB's job goes on, which the failure says).
    @available(
        *, noasync, message: "a migration blocks its thread: use ScriptHost.withHost from async code"
    )
    public func migrateThroughS3(
        from source: String, to schema: TableSchema, via location: S3Location, transform: String = "migrate",
        segments: Int = 4, verification: TableMigration.Verification = .sample,
        progress: @escaping @Sendable (_ imported: Int, _ expected: Int?) -> Void = { _, _ in }
    ) throws -> Result<TableMigration.Report, TableMigration.Failure> {
        let function = try lua.global(transform)
        let migration = TableMigration(provisioner: try tables.provisioner(), client: try tables.client())
        return try ScriptMigration.runThroughS3(
            in: lua, migration: migration, source: source, schema: schema, location: location,
            hasTransform: { if case .function = function { true } else { false } }(),
            transformName: "\(transform)(item)", segments: segments, verification: verification,
            progress: progress)
    }
}

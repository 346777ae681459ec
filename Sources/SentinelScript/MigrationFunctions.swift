import DynamoDB
import FileAccess
import Lua
import Provisioning
import Schema

/// `sentinel.migrate { from = NAME, to = schema, transform = f }`: the `migrate` command for scripts,
/// so that one script can move several tables. Returns the counts.
struct MigrationFunctions {
    let data: DataFunctions
    let services: SentinelServices

    static let options =
        ["from", "to", "transform", "via", "segments", "resume", "verify", "checkpoint_dir"]
        + LuaCapacityOptions.names

    func register(in state: LuaState) -> LuaValue {
        state.function(named: "sentinel.migrate", migrate)
    }

    private func migrate(_ call: LuaCall) throws -> LuaResults {
        guard call.isTable(1) else { throw call.typeError(1, expected: "table") }
        let options = try call.options(1, allowed: Self.options)
        guard let source = options["from"]?.stringValue else {
            throw call.argumentError(1, "field 'from' (the table to migrate) must be a table name")
        }
        guard let to = options["to"], case .map = to else {
            throw call.argumentError(1, "field 'to' must be the new table's schema")
        }
        let schema: TableSchema
        do {
            guard let first = try ScriptSchemas.read([to]).first else {
                throw call.argumentError(1, "field 'to' must be the new table's schema")
            }
            schema = first
        } catch let error as ScriptSchemas.ReadError {
            throw call.argumentError(1, "field 'to': \(error.message)")
        }
        let transform = options["transform"].flatMap { value -> LuaValue? in value == .nil ? nil : value }
        if let transform, case .function = transform {
        } else if transform != nil {
            throw call.argumentError(1, "field 'transform' must be a function")
        }
        var location: S3Location?
        if let via = options["via"], via != .nil {
            guard let text = via.stringValue else {
                throw call.argumentError(1, "field 'via' must be an s3://BUCKET/PREFIX location")
            }
            do throws(S3LocationError) {
                location = try S3Location(parsing: text)
            } catch {
                throw call.argumentError(1, "field 'via': \(error)")
            }
            for local in ["resume", "checkpoint_dir"] + LuaCapacityOptions.names
            where options[local].map({ $0 != .nil }) == true {
                throw call.argumentError(
                    1,
                    "field '\(local)' is for the copy through this machine, not for 'via' (DynamoDB's export "
                        + "and import, which cannot be resumed and use no table capacity)")
            }
        }
        let capacity = try LuaCapacityOptions.budget(options, read: true, write: true, call: call)
        var segments = 4
        if let value = options["segments"], value != .nil {
            segments = try value.wholeNumber(in: 1...ItemSearch.maxSegments, field: call.option("segments"))
        }
        let verification: TableMigration.Verification
        switch options["verify"]?.stringValue {
        case nil: verification = .sample
        case let name?:
            guard let chosen = TableMigration.Verification(rawValue: name) else {
                throw call.argumentError(1, "field 'verify' must be 'sample' or 'all', not '\(name)'")
            }
            verification = chosen
        }
        var checkpointDirectory = "."
        if let given = options["checkpoint_dir"], given != .nil {
            guard let text = given.stringValue else {
                throw call.argumentError(
                    1, "field 'checkpoint_dir' must be a folder inside the working directory")
            }
            checkpointDirectory = text
        }
        if location == nil {
            // Named before any table is made: a folder the capability refuses stops nothing half-done.
            // (Only a courtesy: every checkpoint file is opened beneath the capability all the same.)
            do throws(FileAccessError) {
                try services.files.requireDirectory(checkpointDirectory)
            } catch {
                throw call.argumentError(1, "field 'checkpoint_dir': \(error)")
            }
        }
        guard let makeControlPlane = services.controlPlane else {
            throw ScriptError("sentinel.migrate needs AWS access, which this script was not given")
        }
        try services.requireWriteAccess(for: "sentinel.migrate")
        let migration = TableMigration(
            provisioner: Provisioner(
                controlPlane: try makeControlPlane(), waitPolicy: services.waitPolicy, events: services.events
            ),
            client: try data.client(for: "sentinel.migrate"))
        let result =
            if let location {
                try ScriptMigration.runThroughS3(
                    in: call.state, migration: migration, source: source, schema: schema, location: location,
                    hasTransform: transform != nil, transformName: "transform", segments: segments,
                    verification: verification, progress: { _, _ in })
            } else {
                try ScriptMigration.run(
                    in: call.state, null: data.null, migration: migration, source: source, schema: schema,
                    transform: transform, transformName: "transform", segments: segments, pageSize: nil,
                    checkpointDirectory: checkpointDirectory, files: services.files,
                    resume: options["resume"]?.isTruthy == true, verification: verification,
                    capacity: capacity, progress: { _, _ in })
            }
        try call.state.stopIfRequested()
        switch result {
        case .success(let report):
            return try call.returning(Self.value(of: report))
        case .failure(.copy(let error)):
            throw call.state.failure(
                "sentinel.migrate: \(error.message(resumeWith: "resume = true"))", cause: error.cause)
        case .failure(let error):
            throw ScriptError("sentinel.migrate: \(error)")
        }
    }

    static func value(of report: TableMigration.Report) -> LuaValue {
        [
            "from": .text(report.source), "to": .text(report.target),
            "scanned": .integer(Int64(report.copy.scanned)), "copied": .integer(Int64(report.copy.copied)),
            "left_out": .integer(Int64(report.copy.leftOut)),
            "target_items": .integer(Int64(report.verification.targetItems)),
            "checked": .integer(Int64(report.verification.checked)),
            "verified": .boolean(report.verification.isComplete),
            "export_arn": report.s3.map { .text($0.exportArn) } ?? .nil,
            "import_arn": report.s3.map { .text($0.importArn) } ?? .nil,
            "import_errors": report.s3.map { .integer(Int64($0.importErrors)) } ?? .nil,
        ]
    }
}

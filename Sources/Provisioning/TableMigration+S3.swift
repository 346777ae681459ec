import DynamoDB
import Foundation
import ItemFiles
import JSON
import Numbers
import Schema

/// What DynamoDB's own engine did for a migration through S3.
public struct S3Transfer: Sendable, Equatable {
    public var location: S3Location
    public var exportArn: String
    /// Items the export wrote (its `ItemCount`).
    public var exportedItems: Int
    public var importArn: String
    /// Items the import wrote (`ImportedItemCount`) and the lines it could not (`ErrorCount`).
    public var importedItems: Int
    public var importErrors: Int
}

extension TableMigration {
    /// DynamoDB's engine, for tables beyond one machine: `ExportTableToPointInTime` of `source` to
    /// `location` in DynamoDB JSON, then `ImportTable` of the export's data files creating `schema`
    /// (already named for the new table; keys, GSIs, billing and SSE, which is what ImportTable takes),
    /// then apply for the settings ImportTable cannot take, then the same read-back as the local engine.
    /// Neither table's capacity is consumed by the copy; the old table is only read. Items are copied
    /// as they are: ImportTable cannot reshape them.
    public func runThroughS3(
        from source: String, to schema: TableSchema, via location: S3Location,
        verification: Verification = .sample, segments: Int = 4,
        progress: @escaping @Sendable (_ imported: Int, _ expected: Int?) -> Void = { _, _ in }
    ) async throws(Failure) -> Report {
        if let problem = schema.importTableProblem { throw .notImportable(problem) }
        do throws(ProvisioningError) {
            try Provisioner.requireValid(schema)
        } catch {
            throw .create(error)
        }
        try await requireNewTable(schema.name)
        let export = try await exportToS3(source, location)
        let imported = try await importFromS3(export, location, schema, progress: progress)
        do throws(Failure) {
            _ = try await apply(schema)
        } catch {
            throw .leftBehind(error, table: schema.name, deletionProtection: schema.deletionProtection)
        }
        let transfer = S3Transfer(
            location: location, exportArn: export.arn, exportedItems: export.items, importArn: imported.arn,
            importedItems: imported.items, importErrors: imported.errors)
        let every = Self.readBackInterval(verification, items: export.items)
        do throws(DynamoDBError) {
            let verified = try await client.verifyCopy(
                from: source, to: schema.name, expected: imported.items, every: every, segments: segments)
            return Report(
                source: source, target: schema.name, created: .created,
                copy: CopySummary(
                    scanned: export.items, copied: imported.items, leftOut: 0, resumedSegments: 0),
                verification: verified, s3: transfer)
        } catch {
            throw .leftBehind(
                .verify(error), table: schema.name, deletionProtection: schema.deletionProtection)
        }
    }

    /// A finished export: its ARN, item count and where its data files are.
    struct FinishedExport {
        var arn: String
        var items: Int
        var dataPrefix: String
        var bucketOwner: String?
    }

    /// Exports `source` and waits for the export to finish.
    private func exportToS3(_ source: String, _ location: S3Location) async throws(Failure) -> FinishedExport
    {
        let described: JSONValue?
        let backups: JSONValue
        do throws(ProvisioningError) {
            described = try await provisioner.describe(source)
            backups = try await provisioner.send(
                "DescribeContinuousBackups", ["TableName": .string(source)], table: source)
        } catch {
            throw .create(error)
        }
        guard let tableArn = described?["Table"]?["TableArn"]?.stringValue else {
            throw .sourceMissing(source)
        }
        let recovery =
            backups["ContinuousBackupsDescription"]?["PointInTimeRecoveryDescription"]?[
                "PointInTimeRecoveryStatus"]?.stringValue
        // ExportTableToPointInTime: "Exports table data to an S3 bucket. The table must have point in
        // time recovery enabled".
        if recovery != "ENABLED" { throw .pointInTimeRecoveryOff(source) }
        var request: JSONObject = [
            "TableArn": .string(tableArn), "S3Bucket": .string(location.bucket),
            "ExportFormat": "DYNAMODB_JSON",
            // "Providing a ClientToken makes the call to ExportTableToPointInTimeInput idempotent": a
            // request the client sends again after a lost answer starts no second export.
            "ClientToken": .string(UUID().uuidString),
        ]
        if !location.prefix.isEmpty { request["S3Prefix"] = .string(location.prefix) }
        let started = try await call(
            "ExportTableToPointInTime", .object(request), table: source, step: "export")
        guard let arn = started["ExportDescription"]?["ExportArn"]?.stringValue else {
            throw .export("ExportTableToPointInTime answered without an ExportArn")
        }
        let finished = try await waitFor(
            "DescribeExport", ["ExportArn": .string(arn)], member: "ExportDescription",
            status: "ExportStatus",
            table: source, what: "export to \(location)", inFlight: "the export \(arn) goes on in DynamoDB")
        let description = finished["ExportDescription"]
        guard description?["ExportStatus"]?.stringValue == "COMPLETED" else {
            throw .export(Self.failure(of: description, arn: arn))
        }
        // DescribeExport's ExportManifest is `PREFIX/AWSDynamoDB/ID/manifest-summary.json`; the data
        // files are in `data/` beside it, and only they are items (the manifests are not).
        guard let manifest = description?["ExportManifest"]?.stringValue,
            let slash = manifest.lastIndex(of: "/")
        else {
            throw .export(
                "DescribeExport of \(arn) names no ExportManifest, so its data files cannot be found")
        }
        return FinishedExport(
            arn: arn, items: Self.count(description?["ItemCount"]),
            dataPrefix: String(manifest[...slash]) + "data/",
            bucketOwner: description?["S3BucketOwner"]?.stringValue)
    }

    /// Imports the export's data files into a new table made from `schema` and waits for it.
    private func importFromS3(
        _ export: FinishedExport, _ location: S3Location, _ schema: TableSchema,
        progress: @escaping @Sendable (Int, Int?) -> Void
    ) async throws(Failure) -> (arn: String, items: Int, errors: Int) {
        var source: JSONObject = [
            "S3Bucket": .string(location.bucket), "S3KeyPrefix": .string(export.dataPrefix),
        ]
        source["S3BucketOwner"] = export.bucketOwner.map(JSONValue.string)
        let request: JSONObject = [
            "ClientToken": .string(UUID().uuidString),
            "S3BucketSource": .object(source),
            "InputFormat": "DYNAMODB_JSON",
            // An export in DynamoDB JSON is written gzip-compressed.
            "InputCompressionType": "GZIP",
            "TableCreationParameters": schema.importTableCreationParameters(),
        ]
        let started = try await call("ImportTable", .object(request), table: schema.name, step: "import")
        guard let arn = started["ImportTableDescription"]?["ImportArn"]?.stringValue else {
            throw .importFailed("ImportTable answered without an ImportArn")
        }
        let finished = try await waitFor(
            "DescribeImport", ["ImportArn": .string(arn)], member: "ImportTableDescription",
            status: "ImportStatus", table: schema.name, what: "import from \(location)",
            inFlight: "the import \(arn) goes on in DynamoDB and creates \(schema.name)"
        ) { description in
            progress(Self.count(description["ProcessedItemCount"]), export.items)
        }
        let description = finished["ImportTableDescription"]
        guard description?["ImportStatus"]?.stringValue == "COMPLETED" else {
            throw .importFailed(Self.failure(of: description, arn: arn))
        }
        let items = Self.count(description?["ImportedItemCount"])
        progress(items, export.items)
        return (arn, items, Self.count(description?["ErrorCount"]))
    }

    /// Sends a request of the S3 engine; a failure is that step's.
    private func call(_ operation: String, _ body: JSONValue, table: String, step: String)
        async throws(Failure) -> JSONValue
    {
        do throws(ProvisioningError) {
            return try await provisioner.send(operation, body, table: table)
        } catch .request(_, let operation, let cause) {
            let message = "\(operation) failed: \(cause)"
            throw step == "export" ? .export(message) : .importFailed(message)
        } catch {
            throw .create(error)
        }
    }

    /// Polls `operation` until its `status` is no longer IN_PROGRESS (DynamoDB's export and import
    /// take minutes to hours), within the wait policy's limit. An interruption leaves DynamoDB's job
    /// running, which the error says.
    private func waitFor(
        _ operation: String, _ body: JSONObject, member: String, status: String, table: String, what: String,
        inFlight: String, seen: (JSONValue) -> Void = { _ in }
    ) async throws(Failure) -> JSONValue {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        do throws(ProvisioningError) {
            while true {
                let answer = try await provisioner.send(operation, .object(body), table: table)
                let state = answer[member]?[status]?.stringValue ?? ""
                if let description = answer[member] { seen(description) }
                if state != "IN_PROGRESS" { return answer }
                try await provisioner.pause(
                    table, attempt: &attempt, since: start, clock: clock, waitingFor: "\(what) \(state)")
            }
        } catch .cancelled {
            throw .interrupted(inFlight)
        } catch .waitTimedOut(_, let waitingFor, let seconds) {
            throw .interrupted(
                "gave up after \(WholeNumber.clamped(seconds)) s waiting for \(waitingFor); \(inFlight)")
        } catch {
            throw .create(error)
        }
    }

    private static func count(_ value: JSONValue?) -> Int {
        value?.intValue ?? 0
    }

    private static func failure(of description: JSONValue?, arn: String) -> String {
        let status = description?["ExportStatus"]?.stringValue ?? description?["ImportStatus"]?.stringValue
        let code = description?["FailureCode"]?.stringValue
        let message = description?["FailureMessage"]?.stringValue
        return "\(arn) ended \(status ?? "without a status")"
            + (code.map { ": \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
    }
}

import DynamoDB
import FileAccess
import ItemFiles
import Schema

/// Moving a table's items to a new table with another key schema: the new table is created as apply
/// creates it (every setting of the schema, waited for until ACTIVE), every item is copied (through a
/// transform when one is given), and the copy is read back. The old table is only read.
public struct TableMigration: Sendable {
    /// How much of the copy is read back.
    public enum Verification: String, Sendable {
        /// About a thousand items spread over the table, and the item counts.
        case sample
        /// Every item, and the item counts.
        case all
    }

    /// What went wrong, with the step it went wrong in.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The new table exists already and this is not a resumed migration.
        case targetExists(String)
        /// Creating the new table failed.
        case create(ProvisioningError)
        /// The copy stopped; its error says how far it got and how to resume.
        case copy(ItemCopyError)
        /// Reading the copy back failed (the copy itself finished).
        case verify(DynamoDBError)
        /// The table to migrate does not exist.
        case sourceMissing(String)
        /// Through S3: the engine cannot make this migration (local secondary indexes, a transform).
        case notImportable(String)
        /// Through S3: the source's point-in-time recovery is off, which its export needs.
        case pointInTimeRecoveryOff(String)
        /// Through S3: the export failed or could not be read.
        case export(String)
        /// Through S3: the import failed or could not be read.
        case importFailed(String)
        /// Through S3: interrupted, or the wait ran out, while DynamoDB's job goes on (which this says).
        case interrupted(String)
        /// Through S3: a step after the import created the new table failed (the settings apply sets,
        /// the read-back). The table is left as the import made it; `deletionProtection` says whether
        /// the schema turns deletion protection on, which stops a plain delete.
        indirect case leftBehind(Failure, table: String, deletionProtection: Bool)

        public var description: String {
            switch self {
            case .targetExists(let name):
                "table \(name) exists already: migrate creates it. Choose another name, delete it, or resume "
                    + "an interrupted migration"
            case .create(let error): "\(error)"
            case .copy(let error): "\(error)"
            case .verify(let error): "reading the copy back failed: \(error)"
            case .sourceMissing(let name): "table \(name) does not exist"
            case .notImportable(let reason): "cannot migrate through S3: \(reason)"
            case .pointInTimeRecoveryOff(let name):
                "exporting \(name) to S3 needs point-in-time recovery on it, which is off: set "
                    + "point_in_time_recovery = true in its schema and apply, or aws dynamodb "
                    + "update-continuous-backups --table-name \(name) --point-in-time-recovery-specification "
                    + "PointInTimeRecoveryEnabled=true (it is billed by the table's size)"
            case .export(let cause): "export to S3 failed: \(cause)"
            case .importFailed(let cause): "import from S3 failed: \(cause)"
            case .interrupted(let what): "interrupted: \(what)"
            case .leftBehind(let cause, let table, let deletionProtection):
                // Not removed: the import's items may be what the user needs to see what went wrong, and
                // a table is not deleted unasked. migrate needs a new table to run again, so say how.
                "\(cause); \(table), which the import created, is left as it is: remove it with "
                    + "`sentinel-tables delete \(table)`"
                    + (deletionProtection
                        ? " (after `aws dynamodb update-table --table-name \(table) --no-deletion-protection-enabled`)"
                        : "")
                    + " before migrating again"
            }
        }
    }

    /// What a migration did.
    public struct Report: Sendable, Equatable {
        public var source: String
        public var target: String
        /// What apply did to the new table (CREATED, or EXISTS for a resumed migration).
        public var created: ApplyResult.Status
        public var copy: CopySummary
        public var verification: CopyVerification
        /// What DynamoDB's export and import did, for a migration through S3 (nil for the local engine).
        public var s3: S3Transfer? = nil
    }

    /// Items read back with ``Verification/sample``, at most (about).
    public static let sampleSize = 1000

    public let provisioner: Provisioner
    public let client: DynamoDBClient

    public init(provisioner: Provisioner, client: DynamoDBClient) {
        self.provisioner = provisioner
        self.client = client
    }

    /// Creates `schema` (already named for the new table), copies every item of `source` into it and
    /// reads the copy back. `pageSize` bounds the items per Scan page (positions are saved after each
    /// page). `resume` goes on with an interrupted migration (the new table may exist;
    /// each segment goes on from its saved position in `checkpointDirectory`, reached through `files`).
    /// The copy's pages are held from `memory` (``DynamoDBClient/copyItems(from:to:segments:pageSize:transform:checkpointDirectory:in:resume:memory:capacity:progress:)``). With `capacity`, the copy's reads and
    /// writes keep to its budget (``CapacityBudget``); reading the copy back does too.
    public func run(
        from source: String, to schema: TableSchema, transform: ItemTransform? = nil, segments: Int = 4,
        pageSize: Int? = nil,
        checkpointDirectory: String = ".", files: FileRoot = .unrestricted, resume: Bool = false,
        verification: Verification = .sample, memory: MemoryBudget = .unlimited,
        capacity: CapacityBudget? = nil,
        progress: @escaping @Sendable (_ copied: Int, _ estimated: Int?) -> Void = { _, _ in }
    ) async throws(Failure) -> Report {
        // Before anything else: a copy into its own source would otherwise be refused only after the
        // checks of the new table (and, for a source that does not exist, its creation).
        guard source != schema.name else {
            throw .copy(
                ItemCopyError(
                    cause: .input("the source and the target are the same table"), copied: 0,
                    checkpointDirectory: nil))
        }
        if !resume {
            try await requireNewTable(schema.name)
            // Saved before the new table is created: a migration stopped while it is (creation can take
            // minutes) leaves a table that a new run would refuse, and --resume then starts the copy.
            do throws(DynamoDBError) {
                try DynamoDBClient.saveCopyStart(
                    from: source, to: schema.name, segments: segments,
                    checkpointDirectory: checkpointDirectory, in: files)
            } catch {
                throw .copy(ItemCopyError(cause: error, copied: 0, checkpointDirectory: nil))
            }
        }
        let created: ApplyResult
        do throws(Failure) {
            created = try await apply(schema)
        } catch .create(.cancelled) {
            throw .copy(
                ItemCopyError(
                    cause: .input("interrupted while \(schema.name) was being created"), copied: 0,
                    checkpointDirectory: checkpointDirectory))
        }
        let copy: CopySummary
        do throws(ItemCopyError) {
            // Always from the saved positions: those of this run's start, or of the run it resumes.
            copy = try await client.copyItems(
                from: source, to: schema.name, segments: segments, pageSize: pageSize, transform: transform,
                checkpointDirectory: checkpointDirectory, in: files, resume: true, memory: memory,
                capacity: capacity, progress: progress)
        } catch {
            throw .copy(error)
        }
        let every = Self.readBackInterval(verification, items: copy.scanned)
        do throws(DynamoDBError) {
            let verified = try await client.verifyCopy(
                from: source, to: schema.name, expected: copy.copied, transform: transform, every: every,
                segments: segments, pageSize: pageSize, capacity: capacity)
            return Report(
                source: source, target: schema.name, created: created.status, copy: copy,
                verification: verified)
        } catch {
            throw .verify(error)
        }
    }

    /// Fails unless `name` is free: migrate creates the new table.
    func requireNewTable(_ name: String) async throws(Failure) {
        let existing: LiveTable?
        do throws(ProvisioningError) {
            existing = try await provisioner.read(name, settings: .neverRefused)
        } catch {
            throw .create(error)
        }
        if existing != nil { throw .targetExists(name) }
    }

    /// Converges the new table to `schema` as apply does; its failure is ``Failure/create(_:)``.
    func apply(_ schema: TableSchema) async throws(Failure) -> ApplyResult {
        guard let result = await provisioner.apply([schema]).first else {
            throw .create(.unexpectedResponse(operation: "apply", detail: "no result for \(schema.name)"))
        }
        if let error = result.error { throw .create(error) }
        return result
    }

    /// Every how many items the read-back checks one: all of them, or about ``sampleSize``.
    static func readBackInterval(_ verification: Verification, items: Int) -> Int {
        verification == .all ? 1 : max(1, items / sampleSize)
    }
}

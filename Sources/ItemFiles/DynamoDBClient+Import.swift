import DynamoDB
import DynamoDBModel
import FileAccess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    /// Items this run wrote.
    public var written: Int
    /// Items an earlier, interrupted run had written (skipped with `resume`).
    public var skipped: Int
    /// Items in the files.
    public var total: Int
    /// The files read, directories expanded.
    public var files: [String]
    /// Entries of the directories named that were not read: symbolic links, hidden entries,
    /// directories and anything else that is not a regular file (as `directory/name`).
    public var leftOut: [String] = []
    /// Regular files of the directories named that were not read because their names are not those
    /// of item files (see `DynamoDBClient.isItemFileName(_:)`), as `directory/name`.
    public var notItemFiles: [String] = []
    /// Items an earlier run had written according to a checkpoint that was not resumed (the import
    /// started again from the first item); nil when there was none.
    public var ignoredCheckpoint: Int?
}

/// An import that stopped part-way: how far it got and how to go on.
public struct ItemImportError: Error, Sendable, CustomStringConvertible {
    /// What stopped it.
    public var cause: DynamoDBError
    /// Items written for certain (by this run and any it resumed), counted from the first.
    public var written: Int
    /// Items in the files; nil when the files were not all read (the input was refused before any
    /// write).
    public var total: Int?
    /// Where the position was saved for `resume`; nil when nothing was written.
    public var checkpointPath: String?

    public var description: String { message(resumeWith: "resume") }

    /// What stopped an import, and how far it got; a caller's own failure before the import started
    /// (its capacity budget's table could not be read) is `written: 0` with no checkpoint.
    public init(cause: DynamoDBError, written: Int, total: Int?, checkpointPath: String?) {
        self.cause = cause
        self.written = written
        self.total = total
        self.checkpointPath = checkpointPath
    }

    /// The cause, and how far the import got, telling to go on with `resumeWith` (`--resume` on the
    /// command line, `{ resume = true }` in Lua).
    public func message(resumeWith option: String) -> String {
        let cause = "\(self.cause)"
        // A refusal that says so already is not followed by "nothing was written" again.
        if checkpointPath == nil, cause.hasSuffix("nothing was written") { return cause }
        return "\(cause)\n\(position(resumeWith: option))"
    }

    /// How far the import got and how to go on; "nothing was written" when it stopped before writing.
    public func position(resumeWith option: String) -> String {
        guard let total, let checkpointPath else { return "nothing was written" }
        return "import stopped after \(written) of \(total) items; the rest were not written. Run it again "
            + "with \(option) to go on from item \(written + 1) (position saved in \(checkpointPath))"
    }
}

// Import: every item of files of items into a table, in constant memory, resumable.
extension DynamoDBClient {
    /// Items per BatchWriteItem, and how often the position is saved (in items) while all goes well.
    static let importCheckpointInterval = 2_500

    /// Writes every item of the files at `paths` into `tableName`. A directory stands for its item
    /// files (``isItemFileName(_:)``) in name order (for one of DynamoDB's export folders, its `data`
    /// folder): regular files only, never a symbolic link or a hidden entry (those are listed in
    /// ``ImportSummary/leftOut``, other names in ``ImportSummary/notItemFiles``). Files may be gzip-compressed. Every file, folder and the checkpoint
    /// is reached through `root` (beneath its directory when it is restricted).
    ///
    /// The files are read twice: first every line is checked (JSON, the format, the table's key
    /// attributes and their types), so that a bad line is reported by file and line before anything is
    /// written; then items are written 25 per BatchWriteItem in file order (later items with the same
    /// key win). Memory holds one line and one batch. When writing stops (an error, or cancellation)
    /// the position is saved next to the first file and ``ItemImportError`` says how far it got;
    /// `resume` goes on from there, refusing files that changed since. The line being read and the batch
    /// being sent are held from `memory` (the caller's budget): what it cannot hold stops the import
    /// with its error, as any other failure does. With `capacity`, every batch waits for its write
    /// budget.
    public func importItems(
        tableName: String, from paths: [String], in root: FileRoot = .unrestricted,
        format: ItemFileFormat = .dynamoDBJSON, resume: Bool = false, memory: MemoryBudget = .unlimited,
        capacity: CapacityBudget? = nil,
        progress: @escaping @Sendable (_ written: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws(ItemImportError) -> ImportSummary {
        func refused(_ error: DynamoDBError) -> ItemImportError {
            ItemImportError(cause: error, written: 0, total: nil, checkpointPath: nil)
        }
        let files: [String]
        let leftOut: [String]
        let notItemFiles: [String]
        let keyNames: [String: String]
        let checkpointPath = ImportCheckpoint.path(table: tableName, inputs: paths)
        let identities: [ImportCheckpoint.FileIdentity]
        let total: Int
        var skip = 0
        var ignored: Int?
        do throws(DynamoDBError) {
            (files, leftOut, notItemFiles) = try Self.importFiles(paths, in: root)
            let description = try await describeTable(tableName)
            keyNames = Dictionary(
                uniqueKeysWithValues: description.keySchema.map { key in
                    (
                        key.attributeName,
                        description.attributeDefinitions.first { $0.attributeName == key.attributeName }?
                            .attributeType ?? "S"
                    )
                })
            identities = try files.map { (file) throws(DynamoDBError) in
                do throws(FileAccessError) {
                    return try ImportCheckpoint.FileIdentity(path: file, in: root)
                } catch {
                    throw .file(error)
                }
            }
            total = try Self.checkItems(files, in: root, format: format, keys: keyNames, memory: memory)
            if let saved = try ImportCheckpoint.read(at: checkpointPath, in: root) {
                if resume {
                    guard saved.table == tableName else {
                        throw .input(
                            "the import saved in \(checkpointPath) was into table '\(saved.table)', not "
                                + "'\(tableName)'; import without resume to start again")
                    }
                    if let changed = saved.firstChangedFile(among: identities) {
                        throw .input(
                            "cannot resume the import saved in \(checkpointPath): \(changed); "
                                + "import without resume to start again")
                    }
                    skip = min(saved.items, total)
                } else {
                    ignored = saved.items
                }
            } else if resume {
                throw .input(
                    "nothing to resume: no saved position at \(checkpointPath); import without resume")
            }
        } catch {
            throw refused(error)
        }

        var done = skip
        var lastSaved = skip
        func save() -> String? {
            guard done > 0 else { return nil }
            try? ImportCheckpoint(table: tableName, files: identities, items: done).write(
                to: checkpointPath, in: root)
            lastSaved = done
            return checkpointPath
        }
        var batch: [Item] = []
        // The batch's items and the request body they become, about each item's size again.
        let batchHeld = memory.hold()
        let keys = Array(keyNames.keys).sorted()
        do throws(DynamoDBError) {
            var position = 0
            for file in files {
                let reader = try ItemFileReader(path: file, in: root, memory: memory)
                while let line = try reader.nextLine() {
                    position += 1
                    guard position > skip else { continue }
                    let item = try Self.item(line, reader: reader, format: format)
                    if memory.isLimited {
                        try batchHeld.set(
                            batchHeld.bytes + ItemSize.heldInMemory([item]),
                            for: "writing a batch to \(tableName)")
                    }
                    batch.append(item)
                    if batch.count == Self.batchWriteLimit {
                        try await batchWriteItem(
                            tableName: tableName, puts: batch, overwriteByKeys: keys, budget: capacity)
                        done += batch.count
                        batch.removeAll(keepingCapacity: true)
                        batchHeld.release()
                        progress(done, total)
                        if done - lastSaved >= Self.importCheckpointInterval { _ = save() }
                    }
                }
            }
            if !batch.isEmpty {
                try await batchWriteItem(
                    tableName: tableName, puts: batch, overwriteByKeys: keys, budget: capacity)
                done += batch.count
                progress(done, total)
            }
        } catch {
            throw ItemImportError(cause: error, written: done, total: total, checkpointPath: save())
        }
        try? root.remove(checkpointPath)
        return ImportSummary(
            written: done - skip, skipped: skip, total: total, files: files, leftOut: leftOut,
            notItemFiles: notItemFiles, ignoredCheckpoint: ignored)
    }

    /// The endings, in any case, of the names of the files a directory to import stands for: what
    /// `export` writes (`-o x.jsonl.gz` is gzip-compressed JSON lines), DynamoDB's export files
    /// (`.json.gz`), and the other names JSON lines go by. The content decides the rest: zlib reads a
    /// file that is not gzip as it is.
    public static let itemFileEndings = [".json", ".jsonl", ".ndjson", ".gz"]

    /// Whether a file of a directory to import is read: its name ends in one of ``itemFileEndings``,
    /// whatever the case (`ITEMS.JSON`, `part-0.jsonl.gz`).
    public static func isItemFileName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return itemFileEndings.contains { lowered.hasSuffix($0) && lowered.count > $0.count }
    }

    /// The files `paths` stand for: files as they are, directories by their regular item files; the
    /// entries of those directories that were left out (not regular files, or hidden); and their
    /// regular files whose names are not those of item files.
    static func importFiles(_ paths: [String], in root: FileRoot) throws(DynamoDBError)
        -> (files: [String], leftOut: [String], notItemFiles: [String])
    {
        var files: [String] = []
        var leftOut: [String] = []
        var notItemFiles: [String] = []
        do throws(FileAccessError) {
            for path in paths {
                guard let status = try root.status(of: path) else {
                    throw FileAccessError(path: path, reason: .system(ENOENT, action: "read"))
                }
                // A symbolic link named as the input itself is followed only by the unrestricted root
                // (the command line's user named it); a restricted root refuses it when it opens it.
                let isDirectory =
                    status.st_mode & S_IFMT == S_IFDIR
                    || (status.st_mode & S_IFMT == S_IFLNK && !root.isRestricted && Self.isDirectory(path))
                guard isDirectory else {
                    files.append(path)
                    continue
                }
                var directory = path
                while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
                var listing = try root.list(directory)
                // One of DynamoDB's export folders (AWSDynamoDB/ExportId): its items are in data/.
                if listing.files.contains("manifest-files.json"), listing.leftOut.contains("data"),
                    let data = try root.status(of: "\(directory)/data"), data.st_mode & S_IFMT == S_IFDIR
                {
                    directory += "/data"
                    listing = try root.list(directory)
                }
                let names = listing.files.filter(Self.isItemFileName)
                guard !names.isEmpty else {
                    let endings = Self.itemFileEndings.dropLast().joined(separator: ", ")
                    throw FileAccessError(
                        path: directory,
                        reason: .wrongKind(
                            "a folder with no \(endings) or \(Self.itemFileEndings.last ?? "") files"))
                }
                files += names.map { "\(directory)/\($0)" }
                leftOut += listing.leftOut.map { "\(directory)/\($0)" }
                notItemFiles += listing.files.filter { !Self.isItemFileName($0) }.map { "\(directory)/\($0)" }
            }
        } catch {
            throw .file(error)
        }
        return (files, leftOut, notItemFiles)
    }

    /// Whether `path` leads to a directory, symbolic links followed (the unrestricted root's inputs).
    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Reads every line once, checking it before anything is written; returns how many items there are.
    static func checkItems(
        _ files: [String], in root: FileRoot, format: ItemFileFormat, keys: [String: String],
        memory: MemoryBudget = .unlimited
    )
        throws(DynamoDBError)
        -> Int
    {
        var count = 0
        // In name order, so the first key attribute named in an error does not vary from run to run.
        let keys = keys.sorted { $0.key < $1.key }
        // The item being checked and what it was parsed from, about its size twice.
        let itemHeld = memory.hold()
        for file in files {
            let reader = try ItemFileReader(path: file, in: root, memory: memory)
            while let line = try reader.nextLine() {
                let item = try item(line, reader: reader, format: format)
                if memory.isLimited {
                    try itemHeld.set(
                        ItemSize.heldInMemory([item]), for: "checking \(file):\(reader.lineNumber)")
                }
                if let mismatch = KeyAttributeMismatch.first(in: item, keys: keys) {
                    throw .input(
                        "\(file):\(reader.lineNumber): "
                            + (mismatch.found.map {
                                "key attribute '\(mismatch.name)' must be of type \(mismatch.expected), not \($0)"
                            } ?? "the item has no key attribute '\(mismatch.name)'")
                            + "; nothing was written")
                }
                // Every value as DynamoDB will check it, so that a refusal comes before the first write.
                if let problem = ItemRules.problem(in: item, keyNames: keys.map(\.key)) {
                    throw .input("\(file):\(reader.lineNumber): \(problem); nothing was written")
                }
                count += 1
                if count % 1000 == 0, Task.isCancelled {
                    throw .input("interrupted while checking the files; nothing was written")
                }
            }
        }
        return count
    }

    private static func item(_ line: [UInt8], reader: ItemFileReader, format: ItemFileFormat)
        throws(DynamoDBError)
        -> Item
    {
        do throws(ValueDecodingError) {
            return try format.item(fromLine: line)
        } catch {
            throw .input("\(reader.path):\(reader.lineNumber): \(error)")
        }
    }
}

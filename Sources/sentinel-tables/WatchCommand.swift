import ArgumentParser
import DynamoDB
import Schema

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow a table's changes as they happen (its DynamoDB stream).",
        discussion: """
            Prints one line per change: the time, INSERT, MODIFY or REMOVE, the item's key and what \
            changed (with --json, one JSON object per line). Shards are read in order, a parent shard \
            to its end before its children, so each item's changes show in the order they were made. \
            Sentinel's own tables get a preset: their telling attributes (invoker, profile, status...) \
            on every line, and new break-glass events highlighted. The table needs a stream; a table \
            without one is told how to enable one. Ctrl-C stops, with exit status 0; status 1 when the \
            stream cannot be read.
            """
    )

    @Argument(help: "The table to watch.", completion: .custom(TableNameCompletion.candidates))
    var table: String

    @Option(help: "Where to start: latest (changes from now on) or trim-horizon (the last 24 hours too).")
    var since: StreamFollower.Start = .latest

    @Option(
        help: ArgumentHelp(
            "Show only matching changes (repeatable, all must hold).",
            discussion: "NAME=VALUE, NAME!=VALUE, event=INSERT|MODIFY|REMOVE, changed=NAME.",
            valueName: "expr"))
    var filter: [String] = []

    @Flag(help: "One JSON object per change: time, event, keys, new, old, changed, sequence.")
    var json = false

    @Option(
        help:
            "The preset of a Sentinel table: auto (by its indexes or name), approvals, breakglass, sessions, none."
    )
    var preset: String = "auto"

    @Flag(help: "Stop once every change the stream holds has been shown (with --since trim-horizon: a dump).")
    var untilCaughtUp = false

    @OptionGroup var aws: AWSOptions

    func validate() throws {
        guard preset == "auto" || preset == "none" || BuiltInSchema(rawValue: preset) != nil else {
            throw ValidationError(
                "--preset must be auto, approvals, breakglass, sessions or none, not '\(preset)'")
        }
        do {
            _ = try StreamRecordFilter(filter)
        } catch {
            throw ValidationError("--filter: \(error)")
        }
    }

    /// How long to wait after a round that found no changes: DynamoDB advises at most a few
    /// GetRecords per second per shard.
    static let idleDelay: Duration = .seconds(1)

    func run() throws {
        let connection = aws.connection(readOnlyFor: "watch")
        defer { connection.shutdownAndWait() }
        let client = try AWSFailure.client(connection)
        let recordFilter = try StreamRecordFilter(filter)
        let (table, since, json, presetName, untilCaughtUp) = (table, since, json, preset, untilCaughtUp)
        let colour = StandardOutput.isTerminal && (getenv("NO_COLOR").map { $0.pointee == 0 } ?? true)
        let outcome = AsyncWork.wait(notice: nil) { () async -> Result<Int, DynamoDBError> in
            var shown = 0
            do throws(DynamoDBError) {
                let description = try await client.describeTable(table)
                let preset: WatchPreset? =
                    switch presetName {
                    case "none": nil
                    case "auto":
                        WatchPreset.detect(
                            tableName: table, indexNames: description.globalSecondaryIndexes.map(\.indexName))
                    default: BuiltInSchema(rawValue: presetName).map(WatchPreset.of)
                    }
                let follower = try await StreamFollower.open(client: client, tableName: table, start: since)
                StandardError.write(
                    Self.startLine(table: table, viewType: follower.viewType, since: since, preset: preset))
                let line = ChangeLine(preset: preset, colour: colour)
                while !Task.isCancelled {
                    let round = try await follower.nextRound()
                    for record in round.records where recordFilter.matches(record) {
                        guard StandardOutput.write((json ? line.json(record) : line.readable(record)) + "\n")
                        else {
                            return .success(shown)  // the reader of a pipe went away
                        }
                        shown += 1
                    }
                    if round.caughtUp {
                        if untilCaughtUp { return .success(shown) }
                        do {
                            try await Task.sleep(for: Self.idleDelay)
                        } catch {
                            break
                        }
                    }
                }
                return .success(shown)
            } catch {
                // Ctrl-C cancels the request under way: that is the end of watching, not a failure.
                if Task.isCancelled { return .success(shown) }
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let shown):
            if Interrupts.wasInterrupted || !untilCaughtUp {
                StandardError.write("\nwatch stopped: \(shown) change\(shown == 1 ? "" : "s") shown\n")
            } else {
                StandardError.write("\(table): caught up, \(shown) change\(shown == 1 ? "" : "s") shown\n")
            }
        case .failure(let error):
            StandardError.write("sentinel-tables: \(error)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }

    /// What is being watched, and what the stream's view type cannot show.
    static func startLine(table: String, viewType: String?, since: StreamFollower.Start, preset: WatchPreset?)
        -> String
    {
        var line = "watching \(table) (stream view \(viewType ?? "unknown"), from \(since.rawValue)"
        if let preset { line += ", preset \(preset.kind.rawValue)" }
        line += "); Ctrl-C to stop\n"
        switch viewType {
        case "KEYS_ONLY":
            line +=
                "note: the stream records keys only (KEYS_ONLY): changes show no attributes; "
                + "NEW_AND_OLD_IMAGES shows what changed\n"
        case "NEW_IMAGE", "OLD_IMAGE":
            line +=
                "note: the stream records one image (\(viewType ?? "")): a MODIFY shows the item, not "
                + "what changed; NEW_AND_OLD_IMAGES shows both\n"
        default: break
        }
        return line
    }
}

extension StreamFollower.Start: ExpressibleByArgument {}

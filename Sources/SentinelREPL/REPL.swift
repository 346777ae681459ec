import DynamoDB
import Lua

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The interactive Lua prompt, as lua.c does it: each line is tried as `return <line>` and its values
/// printed, `=expr` works, an unfinished statement continues on a `>>` prompt, errors are printed and
/// the session goes on, Ctrl-D ends it, Ctrl-C stops a running statement or drops the typed line.
///
/// Without a terminal on standard input there are no prompts and no line editing: statements are read
/// and run in order, values printed the same way, and the exit status says whether any failed.
public final class REPL {
    private let state: LuaState
    private let compiler: StatementCompiler
    private let runner: LuaValue
    private let completion: CompletionCandidates
    /// Records each statement's item requests and what they cost, for the line after its rows; nil
    /// without one (no cost lines, no `explain`).
    private let ledger: RequestLedger?

    static let prompt = "> "
    static let continuationPrompt = ">> "

    /// What a person at a terminal sees first: what the prompt is and how to get help (lua.c prints
    /// its version line for the same reason).
    static let banner = """
        sentinel-tables repl: a Lua 5.4 prompt with `sentinel` loaded and `db` = sentinel.db.
        help() lists the API, help "db.query" shows one function. Ctrl-C stops a statement, Ctrl-D leaves.

        """

    /// Prepares `state` (which should already hold the `sentinel` module): binds `db` to `sentinel.db`,
    /// and adds `help` and the printer. With `ledger` (the one in the state's AWS options,
    /// ``DynamoDBConfiguration/Options/requestLedger``), each statement that sent item requests is
    /// followed by what they cost (`-- Query on t, index gsi-status: 2 pages, 3.5 RCU`), and
    /// `explain` shows the requests a statement would send without sending them.
    public init(state: LuaState, ledger: RequestLedger? = nil) throws {
        self.state = state
        self.ledger = ledger
        compiler = StatementCompiler(state: state)
        try state.run("db = sentinel and sentinel.db", name: "=[repl]")
        try HelpFunction.install(into: state, documentation: HelpFunction.sentinelDocumentation)
        let printer =
            try state.call(
                state.load(bytes: Array(ValuePrinter.source.utf8), chunkName: ValuePrinter.chunkName)
            ).first ?? .nil
        // Runs a statement and formats its values without them leaving Lua (a cycle could not cross
        // the bridge, and userdata print through their own metatables).
        let runnerSource = """
            local format = ...
            local pack, unpack = table.pack, table.unpack
            return function(chunk, width)
              local results = pack(chunk())
              return format(width, results.n, unpack(results, 1, results.n))
            end
            """
        let runnerChunk = try state.load(bytes: Array(runnerSource.utf8), chunkName: "=[repl runner]")
        runner = try state.call(runnerChunk, [printer]).first ?? .nil
        if let ledger { try ExplainFunction.install(into: state, ledger: ledger) }
        completion = try CompletionCandidates(state: state)
    }

    /// Reads and runs statements from standard input until its end. Returns the exit status: with a
    /// terminal always 0; without one, 1 when any statement failed. `historyPath` is asked for only
    /// with a terminal (so a pipe creates no state directory).
    public func run(historyPath: @autoclosure () -> String? = HistoryFile.prepared()) -> Int32 {
        if isatty(0) != 0 {
            ConsoleOutput.write(Self.banner)
            var source = TerminalLineSource(historyPath: historyPath(), completion: completion)
            _ = run(reading: &source, prompts: true)
            return 0
        }
        var source = StreamLineSource()
        return run(reading: &source, prompts: false) ? 1 : 0
    }

    /// The read-eval-print loop; returns whether any statement failed.
    func run(reading source: inout some LineSource, prompts: Bool) -> Bool {
        var failed = false
        var pending: [UInt8] = []
        while true {
            let prompt = prompts ? (pending.isEmpty ? Self.prompt : Self.continuationPrompt) : ""
            switch source.nextLine(prompt: prompt) {
            case .interrupted:
                pending = []
            case .end:
                // The prompt's line is ended first, so what follows starts a line of its own.
                if prompts { ConsoleOutput.write("\n") }
                if !pending.isEmpty {
                    // The input ended inside a statement: say so as Lua would.
                    if case .failed(let error) = compiler.compileAsStatement(pending, atEnd: true) {
                        report(error)
                    }
                    failed = true
                    // At a `>>` prompt, Ctrl-D gives up the unfinished statement, not the session
                    // (lua.c reports the error and prompts again); a second Ctrl-D at `>` leaves.
                    if prompts {
                        source.remember(pending)
                        pending = []
                        continue
                    }
                }
                return failed
            case .line(let line):
                if pending.isEmpty && line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
                {
                    continue
                }
                pending += pending.isEmpty ? line : [UInt8(ascii: "\n")] + line
                switch compiler.compile(pending) {
                case .incomplete:
                    continue
                case .failed(let error):
                    source.remember(pending)
                    report(error)
                    failed = true
                case .chunk(let chunk):
                    source.remember(pending)
                    if !execute(chunk) { failed = true }
                }
                pending = []
            }
        }
    }

    /// Runs one compiled statement with Ctrl-C routed to it, and prints its values or its error.
    private func execute(_ chunk: LuaValue) -> Bool {
        ledger?.reset()
        defer { reportCosts() }
        do {
            let output = try state.routingInterrupts {
                try state.call(runner, [chunk, .integer(Int64(TerminalWidth.current()))])
            }
            if case .string(let text) = output.first, !text.bytes.isEmpty {
                ConsoleOutput.write(text.bytes + [UInt8(ascii: "\n")])
            }
            return true
        } catch let error as LuaError {
            report(error)
            return false
        } catch {
            report(LuaError(.runtime, String(describing: error)))
            return false
        }
    }

    /// The cost lines of the statement just run, after its rows; nothing when it sent no item request.
    private func reportCosts() {
        guard let ledger else { return }
        let lines = RequestLedger.costLines(ledger.entries)
        ledger.reset()
        guard !lines.isEmpty else { return }
        ConsoleOutput.write(lines.map { "-- " + $0 }.joined(separator: "\n") + "\n")
    }

    private func report(_ error: LuaError) {
        let message = error.kind == .interrupted ? "interrupted" : error.message
        ConsoleOutput.write(message + "\n", to: 2)
    }
}

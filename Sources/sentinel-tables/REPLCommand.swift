import ArgumentParser
import DynamoDB
import Lua
import SentinelREPL
import SentinelScript

struct REPLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Explore tables at a Lua prompt with `sentinel` loaded and `db` bound to sentinel.db.",
        discussion: """
            An expression prints its values; an unfinished statement continues on a >> prompt; help() \
            lists the API. Ctrl-C stops a running statement, Ctrl-D leaves. History is kept in \
            $XDG_STATE_HOME/sentinel-tables/history (default ~/.local/state). Without a terminal, \
            statements are read from standard input and run in order; the exit status is 1 if any \
            failed. AWS is reached only when a function that needs it is called.
            """
    )

    @OptionGroup var scriptOptions: ScriptOptions
    @OptionGroup var aws: AWSOptions

    @Flag(help: "Only read: every request that would change a table or an item is refused before it is sent.")
    var readOnly = false

    @Option(
        name: .customLong("max-rcu"), parsing: .unconditional,
        help: "Scans and queries read at most this many read capacity units per second (1 to 10000000).",
        transform: OptionRange.wholeNumber("--max-rcu", in: 1...CapacityOptions.maximumUnits))
    var maxRCU: Int?

    func run() throws {
        var options = readOnly ? aws.readOnlyOptions(for: "the REPL with --read-only") : aws.options
        // Each statement's item requests and their cost, shown after its rows; `explain` holds them back.
        let ledger = RequestLedger()
        options.requestLedger = ledger
        let host = try scriptOptions.host(
            aws: options, events: ProgressLog().handle,
            readBudget: maxRCU.map { CapacityBudget(readUnits: Double($0), writeUnits: nil) })
        defer { host.shutdownAndWait() }
        let status = try REPL(state: host.lua, ledger: ledger).run()
        if status != 0 { throw ExitCode(status) }
    }
}

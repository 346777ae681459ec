import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The command-line tool: thin commands over the libraries.
@main
struct SentinelTables: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentinel-tables",
        abstract: "Provision and explore Sentinel's DynamoDB tables with Lua scripts.",
        version: VersionReport.text,
        subcommands: [
            RunCommand.self, PlanCommand.self, ApplyCommand.self, StatusCommand.self, DeleteCommand.self,
            SchemaCommand.self, IAMCommand.self, REPLCommand.self, WhoamiCommand.self, ExportCommand.self,
            ImportCommand.self, MigrateCommand.self, WatchCommand.self, TruncateCommand.self,
            VersionCommand.self,
        ]
    )

    /// Like ParsableCommand.main, but usage errors exit with 2 (the convention of Unix tools and of
    /// this tool's documentation) rather than ArgumentParser's 64.
    static func main() {
        if let plain = PlainRun(CommandLine.arguments) {
            do {
                try plain.run()
                return
            } catch {
                exit(withError: error)
            }
        }
        // No command at all is a usage error, as a missing operand is for any Unix tool: the usage on
        // stderr and status 2, so that a script that lost its arguments does not pass (`--help` is 0).
        if CommandLine.arguments.count <= 1 {
            StandardError.write("Error: give a command\n" + helpMessage() + "\n")
            Glibc.exit(ExitStatus.usage)
        }
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName }
        if let message = UnknownCommand.message(for: CommandLine.arguments, commands: commands) {
            StandardError.write(message + "\n")
            Glibc.exit(ExitStatus.usage)
        }
        var parsed: (any ParsableCommand.Type)?
        do {
            var command = try parseAsRoot(
                SchemaCommand.allowingBareFromTable(Array(CommandLine.arguments.dropFirst())))
            parsed = type(of: command)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                StandardError.write(usageMessage(for: error, in: parsed) + "\n")
                Glibc.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

extension SentinelTables {
    /// A usage error in the words ArgumentParser uses, with the usage of the command it concerns: one
    /// found by a command's `run()` (a script that cannot be read) would otherwise show the top-level
    /// usage, since ArgumentParser no longer knows which command was parsed.
    static func usageMessage(for error: any Error, in command: (any ParsableCommand.Type)?) -> String {
        guard let command, command != SentinelTables.self, let validation = error as? ValidationError,
            let name = command.configuration.commandName
        else { return fullMessage(for: error) }
        return "Error: \(validation.message)\nUsage: \(usageString(for: command))\n"
            + "  See 'sentinel-tables \(name) --help' for more information."
    }
}

/// The tool's exit statuses.
enum ExitStatus {
    static let scriptError: Int32 = 1
    static let usage: Int32 = 2
    /// apply: every table converged but some change DynamoDB allows only later (a TTL change an hour
    /// after the last one); apply again after the time the report shows.
    static let pending: Int32 = 3
    static let interrupted: Int32 = 130
}

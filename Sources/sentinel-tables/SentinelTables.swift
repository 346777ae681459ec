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
        subcommands: [
            RunCommand.self, PlanCommand.self, ApplyCommand.self, StatusCommand.self, DeleteCommand.self,
            SchemaCommand.self, IAMCommand.self, REPLCommand.self, WhoamiCommand.self,
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
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName }
        if let message = UnknownCommand.message(for: CommandLine.arguments, commands: commands) {
            StandardError.write(message + "\n")
            Glibc.exit(ExitStatus.usage)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                StandardError.write(fullMessage(for: error) + "\n")
                Glibc.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
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

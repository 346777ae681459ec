import ArgumentParser

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version and commit, the Lua release linked and the Swift version (as --version)."
    )

    func run() {
        print(VersionReport.text)
    }
}

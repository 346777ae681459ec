import Foundation
import Testing

/// `sentinel-tables version` and `--version`: the tool's version and commit, the Lua release linked
/// and the Swift version, the same both ways (docs/cli.md).
@Suite struct VersionCommandTests {
    @Test func bothSpellingsPrintTheSameThreeLines() throws {
        let command = try CommandRunner.run(["version"])
        let flag = try CommandRunner.run(["--version"])
        #expect(command.status == 0, "\(command.stderr)")
        #expect(flag.status == 0, "\(flag.stderr)")
        #expect(command.stdout == flag.stdout)
        let lines = command.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(command.stdout)")
        // A test build is a plain `swift build`: scripts/install stamps the commit (scripts/test-install
        // checks an installed binary's).
        #expect(lines[0].hasPrefix("sentinel-tables 0."), "\(lines[0])")
        #expect(
            lines[0].hasSuffix("(unknown commit: not built by scripts/install)")
                || lines[0].contains("(commit "))
        #expect(lines[2].hasPrefix("Swift 6."), "\(lines[2])")
    }

    /// The Lua line is the linked library's own words, as `lua5.4 -v` (the same Debian library) says them.
    @Test func theLuaLineIsTheLinkedLibrarysRelease() throws {
        let lua = try CommandRunner.run(["lua5.4", "-v"], executable: "/usr/bin/env")
        let release = lua.stdout.split(separator: " ").prefix(2).joined(separator: " ")
        #expect(release.hasPrefix("Lua 5.4."), "\(lua.stdout)")
        let lines = try CommandRunner.run(["version"]).stdout.split(separator: "\n")
        #expect(lines.count > 1 && lines[1] == release)
    }

    @Test func versionIsACommandTheToolKnows() throws {
        let help = try CommandRunner.run(["--help"])
        #expect(help.stdout.contains("  version "), "\(help.stdout)")
        #expect(help.stdout.contains("--version"), "\(help.stdout)")
        let misspelt = try CommandRunner.run(["verison"])
        #expect(misspelt.status == 2)
        #expect(misspelt.stderr.contains("did you mean 'version'?"), "\(misspelt.stderr)")
    }
}

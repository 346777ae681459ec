import ArgumentParser

/// The arguments after SCRIPT in `run`: the script's own, except that one of `run`'s options there is
/// refused. `plan` and `apply` take their options anywhere, so `run s.lua dev --endpoint-url URL`
/// looks right, yet it would hand `--endpoint-url` to the script and send the script's requests to
/// AWS. An option meant for the script goes after `--`, which the script does not see.
enum ScriptArguments {
    /// `run`'s options that take a value (`--timeout 5` or `--timeout=5`).
    static let optionsWithValues = [
        "--memory-limit", "--timeout", "--lua-path", "--region", "--profile", "--endpoint-url",
        "--aws-timeout", "--allowed-account",
    ]
    /// `run`'s flags. `--help` is left to scripts, which may have their own.
    static let flags = ["--verbose"]

    /// The arguments the script sees: those given, without the first `--`.
    static func forScript(_ arguments: [String]) -> [String] {
        guard let separator = arguments.firstIndex(of: "--") else { return arguments }
        var arguments = arguments
        arguments.remove(at: separator)
        return arguments
    }

    /// The first of `run`'s options among `arguments` before any `--`.
    static func misplacedOption(in arguments: [String]) -> String? {
        arguments.prefix { $0 != "--" }.first { isOption($0) }.map(optionName)
    }

    /// Refuses `run`'s options after the script, with the two command lines the user may have meant.
    static func check(_ arguments: [String], script: String) throws {
        guard let option = misplacedOption(in: arguments) else { return }
        var moved: [String] = []
        var kept: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" {
                kept += arguments[index...]
                break
            }
            if isOption(argument) {
                moved.append(argument)
                if optionsWithValues.contains(argument), index + 1 < arguments.endIndex {
                    index += 1
                    moved.append(arguments[index])
                }
            } else {
                kept.append(argument)
            }
            index += 1
        }
        let before = (["sentinel-tables", "run"] + moved + [script] + kept).map(quoted)
        let forScript = (["sentinel-tables", "run", script] + ["--"] + arguments).map(quoted)
        throw ValidationError(
            """
            '\(option)' after the script would be the script's argument, not an option of run.
              Options of run go before the script:   \(before.joined(separator: " "))
              To pass it to the script, put -- first: \(forScript.joined(separator: " "))
            """)
    }

    private static func isOption(_ argument: String) -> Bool {
        let name = optionName(argument)
        return flags.contains(name) ? name == argument : optionsWithValues.contains(name)
    }

    /// `--timeout` of `--timeout=5`.
    private static func optionName(_ argument: String) -> String {
        String(argument.prefix { $0 != "=" })
    }

    private static func quoted(_ word: String) -> String {
        let plain =
            !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+".contains($0) }
        return plain
            ? word
            : "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''")
                + "'"
    }
}

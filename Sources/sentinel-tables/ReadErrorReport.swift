import SentinelScript

/// How a script's unusable return value is reported: schema problems one per line, in the documented
/// `table 'NAME': path: message` shape that validation problems also have; anything else (a script
/// that returned nothing) after the script's name.
enum ReadErrorReport {
    static func text(_ error: ScriptSchemas.ReadError, script: String) -> String {
        if !error.problems.isEmpty { return error.problems.map { $0 + "\n" }.joined() }
        return "\(script): \(error.message)\n"
    }
}

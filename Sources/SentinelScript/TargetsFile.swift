import DynamoDB
import Lua

/// A targets file: Lua, run in the scripts' sandbox, that returns named targets.
///
/// ```lua
/// return {
///   dev = { profile = "sentinel-dev", region = "eu-west-1", account = "111111111111", args = { "dev" } },
///   prod = { profile = "sentinel-prod", region = "eu-west-1", account = "222222222222", args = { "prod" },
///            protect = true },
/// }
/// ```
public enum TargetsFile {
    /// The fields a target may have.
    public static let fields = [
        "profile", "region", "account", "endpoint_url", "sts_endpoint_url", "args", "protect",
    ]

    /// What the file returned that is not a set of valid targets: every problem, each as
    /// `targets.lua: prod.account: must be a 12-digit AWS account id, got '2222'`.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let problems: [String]
        public var description: String { problems.joined(separator: "\n") }
    }

    /// The limits a targets file runs under unless the caller names others, the command-line tool's:
    /// a file that loops or grows stops with a clear error instead of hanging its caller.
    public static let defaultLimits = LuaLimits(memoryBytes: 64 << 20, time: .seconds(30))

    /// Runs the file in a sandboxed host with no AWS access and reads the targets it returns, sorted
    /// by name. A Lua error is thrown as the `LuaError` (with `file:line:`); targets that cannot be
    /// read as a ``ReadError``. `watchdog` is `ScriptHostConfiguration/watchdog`.
    @available(*, noasync, message: "running the file blocks its thread")
    public static func load(
        file path: String, limits: LuaLimits = defaultLimits, watchdog: Duration? = nil
    ) throws -> [Target] {
        let host = try ScriptHost(ScriptHostConfiguration(aws: nil, limits: limits, watchdog: watchdog))
        let returned = try host.run(file: path).values
        return try read(returned.first ?? .nil, file: path)
    }

    /// ``load(file:limits:watchdog:)`` from async code: the file runs on a host thread of its own.
    public static func load(
        file path: String, limits: LuaLimits = defaultLimits, watchdog: Duration? = nil
    ) async throws -> [Target] {
        let configuration = ScriptHostConfiguration(aws: nil, limits: limits, watchdog: watchdog)
        let returned = try await ScriptHost.withHost(configuration) {
            host in
            try host.run(file: path).values.first ?? .nil
        }
        return try read(returned, file: path)
    }

    /// The targets in `value`, what a targets file returned; `file` names it in problems.
    public static func read(_ value: LuaValue, file: String) throws(ReadError) -> [Target] {
        guard case .map(let entries) = value, !entries.isEmpty else {
            let got: String
            if case .array(let elements) = value, !elements.isEmpty {
                got = "a list (name each target: { dev = { ... } })"
            } else if value.mapValue != nil {
                got = "an empty table"
            } else {
                got = "a \(value.typeName)"
            }
            throw ReadError(problems: [
                "\(file): must return a table of named targets ({ dev = { profile = ..., region = ... } }), "
                    + "got \(got)"
            ])
        }
        var targets: [Target] = []
        var problems: [String] = []
        for (key, settings) in entries {
            guard let name = key.stringValue else {
                problems.append(
                    "\(file): [\(describe(key))]: a target is named by a string key (dev = { ... })")
                continue
            }
            guard isValidName(name) else {
                problems.append(
                    "\(file): \(name): a target name is letters, digits, '-', '_' and '.' (at most 64), "
                        + "starting with a letter or digit")
                continue
            }
            var reader = TargetReader(file: file, name: name)
            if let target = reader.read(settings) { targets.append(target) }
            problems += reader.problems
        }
        if !problems.isEmpty { throw ReadError(problems: problems.sorted()) }
        return targets.sorted { $0.name < $1.name }
    }

    /// Names that read well on a command line and in a report column.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 64, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: ".")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z"))
                .contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func describe(_ key: LuaValue) -> String {
        switch key {
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .boolean(let value): String(value)
        default: key.typeName
        }
    }
}

/// Reads one target's settings, collecting every problem with its field path.
private struct TargetReader {
    let file: String
    let name: String
    var problems: [String] = []

    mutating func read(_ settings: LuaValue) -> Target? {
        guard let entries = settings.mapValue else {
            problem(
                nil,
                "must be a table of settings ({ profile = ..., region = ... }), got a \(settings.typeName)")
            return nil
        }
        var target = Target(name: name)
        for (key, value) in entries {
            guard let field = key.stringValue else {
                problem("[\(TargetsFile.describe(key))]", "settings are named by string keys")
                continue
            }
            switch field {
            case "profile": target.profile = text(value, field)
            case "region": target.region = region(value)
            case "account": target.account = account(value)
            case "endpoint_url": target.endpointURL = endpoint(value, "endpoint_url")
            case "sts_endpoint_url": target.stsEndpointURL = endpoint(value, "sts_endpoint_url")
            case "args": target.arguments = arguments(value)
            case "protect":
                if let flag = value.booleanValue {
                    target.isProtected = flag
                } else {
                    expected("a boolean", field, value)
                }
            default:
                let suggestion = LuaOptions.closestName(to: field, among: TargetsFile.fields)
                problem(field, "unknown field" + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""))
            }
        }
        return target
    }

    private mutating func problem(_ field: String?, _ message: String) {
        problems.append("\(file): \(name)\(field.map { "." + $0 } ?? ""): \(message)")
    }

    private mutating func expected(_ what: String, _ field: String, _ value: LuaValue) {
        problem(field, "must be \(what), got a \(value.typeName)")
    }

    private mutating func text(_ value: LuaValue, _ field: String) -> String? {
        guard let text = value.stringValue else {
            expected("a string", field, value)
            return nil
        }
        guard !text.isEmpty else {
            problem(field, "must not be empty")
            return nil
        }
        return text
    }

    private mutating func region(_ value: LuaValue) -> String? {
        guard let region = text(value, "region") else { return nil }
        let allowed = region.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                || (UInt8(ascii: "0")...UInt8(ascii: "9"))
                    .contains($0)
                || $0 == UInt8(ascii: "-")
        }
        guard allowed, region.utf8.count <= 32 else {
            problem("region", "must be an AWS region such as eu-west-1, got '\(region.prefix(40))'")
            return nil
        }
        return region
    }

    private mutating func account(_ value: LuaValue) -> String? {
        if let number = value.integerValue {
            problem("account", "must be a string, got a number (quote it: account = \"\(number)\")")
            return nil
        }
        guard let account = text(value, "account") else { return nil }
        let isAccountID =
            account.utf8.count == 12
            && account.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard isAccountID else {
            problem("account", "must be a 12-digit AWS account id, got '\(account.prefix(40))'")
            return nil
        }
        return account
    }

    private mutating func endpoint(_ value: LuaValue, _ field: String) -> String? {
        guard let url = text(value, field) else { return nil }
        guard Endpoint(url: url) != nil else {
            problem(
                field,
                "is not an http(s) URL: '\(url.prefix(80))' (for example http://127.0.0.1:8000)")
            return nil
        }
        return url
    }

    private mutating func arguments(_ value: LuaValue) -> [String] {
        guard let elements = value.arrayValue else {
            expected("a list of strings", "args", value)
            return []
        }
        var arguments: [String] = []
        for (offset, element) in elements.enumerated() {
            if let text = element.stringValue {
                arguments.append(text)
            } else {
                expected("a string", "args[\(offset + 1)]", element)
            }
        }
        return arguments
    }
}

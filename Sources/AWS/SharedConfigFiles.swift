import DynamoDBModel

/// The AWS shared `config` and `credentials` files, read the way the AWS CLI reads them.
///
/// Paths come from `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and
/// `~/.aws/credentials`. In `config` a profile is `[profile name]` (the default profile may also be
/// `[default]`); in `credentials` it is `[name]`. A missing file is an empty file; a malformed one is an
/// error naming the file and line.
public struct SharedConfigFiles: Sendable {
    /// The settings of one profile, from both files.
    public struct Profile: Sendable, Equatable {
        /// The profile's name.
        public var name: String
        /// Its settings in the credentials file.
        public var credentialsSettings: [String: String]
        /// Its settings in the config file.
        public var configSettings: [String: String]

        /// A setting, the credentials file winning over the config file (as in the AWS CLI).
        public subscript(key: String) -> String? {
            credentialsSettings[key] ?? configSettings[key]
        }

        /// Every setting of both files, the credentials file's winning.
        public var settings: [String: String] {
            configSettings.merging(credentialsSettings) { _, credentials in credentials }
        }
    }

    /// The config file's path.
    public var configPath: String
    /// The credentials file's path.
    public var credentialsPath: String
    /// The parsed config file (empty when missing).
    public var config: INIFile
    /// The parsed credentials file (empty when missing).
    public var credentials: INIFile

    /// Reads both files from the paths the environment gives.
    public init(environment: [String: String], fileSystem: some FileSystem) throws(DynamoDBError) {
        let home = environment["HOME"] ?? "~"
        func expand(_ path: String) -> String {
            path.hasPrefix("~/") ? home + path.dropFirst() : path
        }
        configPath = expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config")
        credentialsPath = expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
        config = try Self.read(configPath, fileSystem)
        credentials = try Self.read(credentialsPath, fileSystem)
    }

    /// No files: every profile missing.
    public static let empty = SharedConfigFiles(
        configPath: "~/.aws/config", credentialsPath: "~/.aws/credentials", config: INIFile(),
        credentials: INIFile())

    private init(configPath: String, credentialsPath: String, config: INIFile, credentials: INIFile) {
        self.configPath = configPath
        self.credentialsPath = credentialsPath
        self.config = config
        self.credentials = credentials
    }

    private static func read(_ path: String, _ fileSystem: some FileSystem) throws(DynamoDBError) -> INIFile {
        guard let bytes = try fileSystem.contents(atPath: path) else { return INIFile() }
        do {
            return try INIFile(parsing: String(decoding: bytes, as: UTF8.self), fileName: path)
        } catch {
            throw .configuration(error.description)
        }
    }

    /// The profile `name`, or `nil` when neither file has it or the name is not one the SDKs accept
    /// (``isValidName(_:)``). In `config` a profile is `[profile NAME]`, and `[default]` counts only when
    /// there is no `[profile default]`; in `credentials` it is `[NAME]`.
    public func profile(_ name: String) -> Profile? {
        guard Self.isValidName(name) else { return nil }
        var configSettings = config.sections["profile \(name)"]
        if configSettings == nil, name == "default" {
            configSettings = config.sections["default"]
        }
        let credentialsSettings = credentials.sections[name]
        guard configSettings != nil || credentialsSettings != nil else { return nil }
        return Profile(
            name: name, credentialsSettings: credentialsSettings ?? [:], configSettings: configSettings ?? [:]
        )
    }

    /// The names of the profiles the two files define, in the order they first appear (config first).
    public var profileNames: [String] {
        var names: [String] = []
        for section in config.sectionNames {
            let name: String
            if section == "default" {
                name = section
            } else if section.hasPrefix("profile ") {
                name = String(section.dropFirst("profile ".count))
            } else {
                continue
            }
            if Self.isValidName(name), !names.contains(name) { names.append(name) }
        }
        for name in credentials.sectionNames where Self.isValidName(name) && !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// The settings of the config file's `[sso-session NAME]` section, `nil` when there is none (or the
    /// name is not valid).
    public func ssoSession(_ name: String) -> [String: String]? {
        guard Self.isValidName(name) else { return nil }
        return config.sections["sso-session \(name)"]
    }

    /// The names of the config file's `[sso-session NAME]` sections.
    public var ssoSessionNames: [String] {
        config.sectionNames.compactMap { section in
            guard section.hasPrefix("sso-session ") else { return nil }
            let name = String(section.dropFirst("sso-session ".count))
            return Self.isValidName(name) ? name : nil
        }
    }

    /// Whether `name` is a profile or session name the SDKs read: letters, digits and `-/.%@_:+`.
    /// Sections with other names (a space, `!`) are left out, as the SDKs leave them out.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                        || ("0"..."9").contains(scalar)
                        || "-/.%@_:+".unicodeScalars.contains(scalar))
            }
    }

    /// `profile 'name' in <credentials path> and <config path>`, for messages.
    public func describe(profile name: String) -> String {
        "profile '\(name)' in \(credentialsPath) and \(configPath)"
    }
}

import DynamoDBModel
import JSON

/// A profile's `credential_process`: runs the command as the aws CLI does, split into words as a shell
/// would split it but without a shell (``ShellWords``), and reads the JSON it prints (`Version` 1, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken` and `Expiration`).
///
/// A command that fails is an error with its exit status and standard error, never its standard
/// output, which holds secrets. Caching until shortly before `Expiration` is the chain's job.
public struct ProcessCredentialProvider: CredentialProvider {
    private let command: String
    private let profileName: String
    private let environment: [String: String]

    public init(command: String, profileName: String, environment: [String: String]) {
        self.command = command
        self.profileName = profileName
        self.environment = environment
    }

    public var source: String { "credential_process of profile '\(profileName)'" }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        let words: [String]
        do {
            words = try ShellWords.split(command)
        } catch {
            throw .credentialSource(
                source: source, reason: "the command cannot be split into words: \(error)")
        }
        let output = try await ChildProcess.run(words, environment: environment)
        guard output.status == 0 else {
            var message = String(decoding: output.standardError, as: UTF8.self)
            while let last = message.last, last.isWhitespace { message.removeLast() }
            if message.count > 500 { message = String(message.prefix(500)) + "..." }
            let reason = "the command exited with status \(output.status)"
            throw .credentialSource(
                source: source, reason: message.isEmpty ? reason : "\(reason): \(message)")
        }
        do {
            return try Self.decode(output.standardOutput)
        } catch {
            throw .credentialSource(source: source, reason: "unexpected output: \(error)")
        }
    }

    /// Reads the process's JSON; errors name the field, never a value.
    static func decode(_ bytes: [UInt8]) throws(ValueDecodingError) -> AWSCredentials {
        let document: JSONValue
        do {
            document = try JSONParser().parse(bytes: bytes)
        } catch {
            throw ValueDecodingError(path: "", message: "not JSON (invalid at byte \(error.offset))")
        }
        let reader = JSONReader(document)
        let version = try reader.required("Version").int()
        guard version == 1 else {
            throw ValueDecodingError(path: "Version", message: "unsupported version \(version), expected 1")
        }
        var expiration: UTCTimestamp?
        if let text = try reader.optionalString("Expiration") {
            guard let parsed = UTCTimestamp(iso8601: text) else {
                throw ValueDecodingError(path: "Expiration", message: "not an ISO 8601 date")
            }
            expiration = parsed
        }
        return AWSCredentials(
            accessKeyID: try reader.required("AccessKeyId").string(),
            secretAccessKey: try reader.required("SecretAccessKey").string(),
            sessionToken: try reader.optionalString("SessionToken"), expiration: expiration,
            accountID: try reader.optionalString("AccountId"))
    }
}

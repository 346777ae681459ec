import AsyncHTTPClient
import DynamoDBModel
import NIOCore

/// EC2 instance role credentials from the instance metadata service: PUT a session token (IMDSv2),
/// GET the role name, GET the role's credentials, each GET carrying the token.
///
/// As the SDKs do, it falls back to IMDSv1 (the GETs without a token) only when the token PUT is
/// answered 403, 404 or 405 (a service, or a proxy in front of it, that does not offer IMDSv2), and
/// not even then when `AWS_EC2_METADATA_V1_DISABLED=true` or the profile's
/// `ec2_metadata_v1_disabled = true`: then it fails, saying so.
///
/// Every request has a short time limit (1 second by default) and an unreachable service means "not
/// on EC2" (`nil`), so the chain's last link never hangs the tool elsewhere. `AWS_EC2_METADATA_DISABLED
/// =true` turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it (and lets tests point it at a
/// local server).
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    private let environment: [String: String]
    /// The profile's `ec2_metadata_v1_disabled`, read when the environment does not set it.
    private let profileDisablesV1: Bool
    private let httpClient: HTTPClient
    private let timeout: TimeAmount

    public init(
        environment: [String: String], profile: SharedConfigFiles.Profile? = nil,
        httpClient: HTTPClient = MetadataRequest.client, timeout: TimeAmount = .seconds(1)
    ) {
        self.environment = environment
        profileDisablesV1 = profile?["ec2_metadata_v1_disabled"]?.lowercased() == "true"
        self.httpClient = httpClient
        self.timeout = timeout
    }

    private var endpoint: String {
        var base =
            environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "http://169.254.169.254"
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// Whether `AWS_EC2_METADATA_DISABLED=true` switches this source off.
    private var isDisabled: Bool { environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" }

    /// Whether the fallback to IMDSv1 is forbidden: the environment's setting, else the profile's.
    private var isV1Disabled: Bool {
        if let value = environment["AWS_EC2_METADATA_V1_DISABLED"], !value.isEmpty {
            return value.lowercased() == "true"
        }
        return profileDisablesV1
    }

    /// The statuses of the token PUT after which IMDSv1 is tried: the service (or a proxy before it)
    /// does not know the PUT, refuses it, or does not allow the method.
    static let v1FallbackStatuses: Set<Int> = [403, 404, 405]

    /// Says it was not asked when it is switched off, so "no credentials found; looked in ..." does not
    /// claim a source it skipped.
    public var source: String {
        isDisabled
            ? "EC2 instance metadata (not asked: AWS_EC2_METADATA_DISABLED=true)"
            : "EC2 instance metadata (IMDSv2 at \(endpoint))"
    }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        if isDisabled { return nil }
        let tokenResponse: MetadataRequest.Response
        do {
            tokenResponse = try await MetadataRequest(
                method: .put, url: "\(endpoint)/latest/api/token",
                headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: timeout
            ).send(using: httpClient)
        } catch {
            return nil  // no instance metadata service: not on EC2
        }
        let headers: [(String, String)]
        if tokenResponse.status == 200 {
            headers = [("X-aws-ec2-metadata-token", tokenResponse.text)]
        } else if Self.v1FallbackStatuses.contains(tokenResponse.status) {
            guard !isV1Disabled else {
                throw .credentialSource(
                    source: source,
                    reason:
                        "the session token request (IMDSv2) was answered HTTP \(tokenResponse.status), and "
                        + "AWS_EC2_METADATA_V1_DISABLED (or ec2_metadata_v1_disabled) forbids falling back to IMDSv1"
                )
            }
            headers = []  // IMDSv1
        } else {
            return nil
        }
        let rolesURL = "\(endpoint)/latest/meta-data/iam/security-credentials/"
        do {
            let roles = try await MetadataRequest(url: rolesURL, headers: headers, timeout: timeout)
                .send(using: httpClient)
            guard roles.status == 200,
                let role = roles.text.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty
            else { return nil }  // an instance without a role
            let response = try await MetadataRequest(url: rolesURL + role, headers: headers, timeout: timeout)
                .send(using: httpClient)
            guard response.status == 200 else {
                throw DynamoDBError.credentialSource(source: source, reason: "HTTP \(response.status)")
            }
            return try ContainerCredentialProvider.decodeTemporaryCredentials(response.body)
        } catch let error as DynamoDBError {
            throw error
        } catch {
            throw .credentialSource(source: source, reason: "\(error)")
        }
    }
}

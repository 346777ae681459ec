import AsyncHTTPClient
import DynamoDBModel
import NIOCore

/// EC2 instance role credentials through IMDSv2: PUT a session token, GET the role name, GET the
/// role's credentials.
///
/// Every request has a short time limit (1 second by default) and an unreachable service means "not
/// on EC2" (`nil`), so the chain's last link never hangs the tool elsewhere. `AWS_EC2_METADATA_DISABLED
/// =true` turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it (and lets tests point it at a
/// local server).
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    private let environment: [String: String]
    private let httpClient: HTTPClient
    private let timeout: TimeAmount

    public init(
        environment: [String: String], httpClient: HTTPClient = MetadataRequest.client,
        timeout: TimeAmount = .seconds(1)
    ) {
        self.environment = environment
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

    /// Says it was not asked when it is switched off, so "no credentials found; looked in ..." does not
    /// claim a source it skipped.
    public var source: String {
        isDisabled
            ? "EC2 instance metadata (not asked: AWS_EC2_METADATA_DISABLED=true)"
            : "EC2 instance metadata (IMDSv2 at \(endpoint))"
    }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        if isDisabled { return nil }
        let token: String
        do {
            let response = try await MetadataRequest(
                method: .put, url: "\(endpoint)/latest/api/token",
                headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: timeout
            ).send(using: httpClient)
            guard response.status == 200 else { return nil }
            token = response.text
        } catch {
            return nil  // no instance metadata service: not on EC2
        }
        let rolesURL = "\(endpoint)/latest/meta-data/iam/security-credentials/"
        let headers = [("X-aws-ec2-metadata-token", token)]
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

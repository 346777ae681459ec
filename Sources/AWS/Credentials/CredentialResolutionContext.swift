import AsyncHTTPClient
import DynamoDBModel

/// Asks the person at the terminal for the code an MFA device shows now: given the device's serial
/// number or ARN and the profile that needs it; `nil` when there is no one to ask.
public typealias MFACodePrompt =
    @Sendable (_ serial: String, _ profile: String) async throws(DynamoDBError) -> String?

/// What the credential providers that are built from the shared files need beyond the files: where
/// STS and IAM Identity Center are, how to reach them, and how to ask for an MFA code.
public struct CredentialResolutionContext: Sendable {
    /// The shared `config` and `credentials` files.
    public var files: SharedConfigFiles
    /// The environment variables.
    public var environment: [String: String]
    /// Where token files and the SSO cache are read.
    public var fileSystem: any FileSystem
    /// Endpoints of STS and IAM Identity Center, in the region requests are signed for.
    public var endpoints: ServiceEndpointResolver
    /// Asks for MFA codes; `nil` where no one can answer (an embedding program without a terminal).
    public var mfaCodePrompt: MFACodePrompt?
    /// The proxies and CA bundle STS and IAM Identity Center are reached with.
    public var network: NetworkSettings
    /// The client STS and IAM Identity Center are called with when one is given (tests); otherwise
    /// each endpoint's is chosen by ``network``.
    public var httpClient: HTTPClient?

    public init(
        files: SharedConfigFiles, environment: [String: String],
        fileSystem: any FileSystem = LocalFileSystem(),
        endpoints: ServiceEndpointResolver, mfaCodePrompt: MFACodePrompt? = nil,
        network: NetworkSettings = .direct, httpClient: HTTPClient? = nil
    ) {
        self.network = network
        self.files = files
        self.environment = environment
        self.fileSystem = fileSystem
        self.endpoints = endpoints
        self.mfaCodePrompt = mfaCodePrompt
        self.httpClient = httpClient
    }

    /// An STS client at STS's endpoint for the region.
    func stsClient() throws(DynamoDBError) -> STSClient {
        STSClient(
            endpoint: try endpoints.endpoint(for: .sts), region: endpoints.region, network: network,
            httpClient: httpClient)
    }
}

import AWS
import DynamoDBModel

/// Who the client's credentials belong to, asked of STS once per client and remembered: the answer
/// behind `whoami`, the header of plan, apply and delete, and the allowed-account guard.
actor CallerIdentityLookup {
    private let configuration: DynamoDBConfiguration
    private var answer: Task<Result<STSClient.CallerIdentity?, DynamoDBError>, Never>?

    init(configuration: DynamoDBConfiguration) {
        self.configuration = configuration
    }

    /// The account and ARN, or `nil` when there is no STS endpoint to ask.
    func identity() async throws(DynamoDBError) -> STSClient.CallerIdentity? {
        let task: Task<Result<STSClient.CallerIdentity?, DynamoDBError>, Never>
        if let answer {
            task = answer
        } else {
            let configuration = configuration
            task = Task { () -> Result<STSClient.CallerIdentity?, DynamoDBError> in
                guard let endpoint = configuration.stsEndpoint else { return .success(nil) }
                do throws(DynamoDBError) {
                    let credentials = try await configuration.resolvedCredentials()
                    let sts = STSClient(
                        endpoint: endpoint, region: configuration.region, network: configuration.network)
                    return .success(try await sts.callerIdentity(with: credentials))
                } catch {
                    return .failure(error)
                }
            }
            answer = task
        }
        let result = await task.value
        if case .failure = result { answer = nil }  // a failure is asked again next time
        return try result.get()
    }
}

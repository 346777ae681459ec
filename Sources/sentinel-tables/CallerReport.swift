import ArgumentParser
import DynamoDB
import JSON

/// Who is about to act, and where: the account and caller ARN (STS `GetCallerIdentity`), the source
/// of the credentials, the region and the DynamoDB endpoint. `whoami` prints it; plan, apply and
/// delete print it as one line before their first request.
struct CallerReport: Sendable {
    var identity: STSClient.CallerIdentity?
    var credentialsSource: String
    var region: String
    var endpoint: String
    var stsEndpoint: String?
    /// Why STS could not say who the credentials belong to, when a header went on without it.
    var stsProblem: String?
    /// How requests travel and are retried (proxies without their credentials, CA bundle, retry
    /// mode), for `whoami --verbose`.
    var connectionRows: [(name: String, value: String)] = []

    /// Resolves the credentials and asks STS (once per client); without an STS endpoint (a local
    /// server) the account is left unknown rather than asked of AWS. With `toleratingSTS`, an STS that
    /// cannot be reached or refuses (a network with DynamoDB's endpoint but not STS's) leaves the
    /// account unknown too, saying why, unless allowed accounts must be checked.
    static func gather(_ client: DynamoDBClient, toleratingSTS: Bool = false) async throws(DynamoDBError)
        -> CallerReport
    {
        let configuration = client.configuration
        let (identity, stsProblem) = try await client.resolvedCallerIdentity(toleratingSTS: toleratingSTS)
        // The account's endpoint when the credentials name an account (account_id_endpoint_mode).
        let endpoint = try configuration.endpoint(for: try await configuration.resolvedCredentials())
        return CallerReport(
            identity: identity, credentialsSource: await configuration.credentialsSourceDescription(),
            region: configuration.region, endpoint: endpoint.description,
            stsEndpoint: configuration.stsEndpoint?.description, stsProblem: stsProblem,
            connectionRows: configuration.network.descriptionLines + [
                ("retries", configuration.retryPolicy.summary)
            ])
    }

    /// Runs ``gather(_:)`` from a command; a failure is said once (status 1), Ctrl-C is status 130.
    static func gatherForCommand(
        _ client: DynamoDBClient, command: String, toleratingSTS: Bool = false
    ) throws -> CallerReport {
        let outcome = AsyncWork.wait { () -> Result<CallerReport, DynamoDBError> in
            do throws(DynamoDBError) {
                let report = try await gather(client, toleratingSTS: toleratingSTS)
                try await client.checkAllowedAccount()
                return .success(report)
            } catch {
                return .failure(error)
            }
        }
        if Interrupts.wasInterrupted {
            StandardError.write("\(command) interrupted: nothing was changed\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        switch outcome {
        case .success(let report):
            return report
        case .failure(let error):
            StandardError.write("sentinel-tables: \(error)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }

    /// The one-line header: `account 123456789012 (ARN), region R, endpoint URL, credentials from S`.
    var headerLine: String {
        let unknown =
            stsProblem.map { "account unknown (\($0))" }
            ?? "account not checked (no STS endpoint for \(endpoint); set AWS_ENDPOINT_URL_STS to ask one)"
        let who = identity.map { "account \($0.account) (\($0.arn))" } ?? unknown
        return "\(who), region \(region), endpoint \(endpoint), credentials from \(credentialsSource)"
    }

    /// `whoami`'s lines; with `verbose`, how requests travel and are retried too.
    func text(verbose: Bool = false) -> String {
        var rows: [(name: String, value: String)] = [
            ("account", identity?.account ?? "unknown: no STS endpoint to ask (set AWS_ENDPOINT_URL_STS)"),
            ("arn", identity?.arn ?? "unknown"),
            ("credentials", credentialsSource),
            ("region", region),
            ("endpoint", endpoint),
            ("sts", stsEndpoint ?? "none"),
        ]
        if verbose { rows += connectionRows }
        return rows.map { name, value in name.padding(to: 12) + value }.joined(separator: "\n") + "\n"
    }

    /// `whoami --json`; with `verbose`, a `connection` object of ``connectionRows`` too.
    func json(verbose: Bool = false) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        var fields: [(String, JSONValue)] = [
            ("account", optional(identity?.account)), ("arn", optional(identity?.arn)),
            ("userId", optional(identity?.userID)), ("credentials", .string(credentialsSource)),
            ("region", .string(region)), ("endpoint", .string(endpoint)),
            ("stsEndpoint", optional(stsEndpoint)),
        ]
        if verbose {
            fields.append(
                ("connection", .object(JSONObject(connectionRows.map { ($0.name, .string($0.value)) }))))
        }
        return .object(JSONObject(fields))
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

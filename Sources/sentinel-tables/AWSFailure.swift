import ArgumentParser
import DynamoDB
import Provisioning
import SentinelScript

/// AWS failures that are the command's rather than a table's, each said once with exit status 1: a
/// client that cannot be made (no region, a profile that does not exist, a bad endpoint), with the
/// client's message, which says where it looked; and an endpoint that cannot be reached or is not
/// DynamoDB, which every table meets in the same way.
enum AWSFailure {
    static func client(_ connection: AWSConnection) throws -> DynamoDBClient {
        try reported { () throws(DynamoDBError) in try connection.client() }
    }

    static func client(_ tables: TableOperations) throws -> DynamoDBClient {
        try reported { () throws(DynamoDBError) in try tables.client() }
    }

    static func provisioner(_ tables: TableOperations) throws -> Provisioner {
        try reported { () throws(DynamoDBError) in try tables.provisioner() }
    }

    /// Says who is about to act, and where (``CallerReport/headerLine``), before a command's first
    /// request; stops there when the credentials cannot be found or belong to an account not allowed.
    static func announceCaller(_ client: DynamoDBClient, command: String) throws {
        guard client.configuration.announce != nil else {
            let report = try CallerReport.gatherForCommand(client, command: command, toleratingSTS: true)
            StandardError.write("\(report.headerLine)\n")
            return
        }
        // The client says it once, before its first request: already, if the script sent one.
        let outcome = AsyncWork.wait { () -> DynamoDBError? in
            do throws(DynamoDBError) {
                try await client.announce()
                return nil
            } catch {
                return error
            }
        }
        if Interrupts.wasInterrupted {
            StandardError.write("\(command) interrupted: nothing was changed\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        if let outcome {
            StandardError.write("sentinel-tables: \(outcome)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }

    /// When every table failed because AWS could not be reached (connection refused, unknown host,
    /// TLS, timeout, an answer that is not DynamoDB's), or every table failed the same request in the
    /// same words (no credentials, a profile that cannot be used), says so once and exits with 1, rather
    /// than repeating it for each table.
    static func stopIfEveryTableFailedAlike(_ errors: [ProvisioningError?]) throws {
        let failures = errors.map { error -> TransportFailure? in
            guard case .unreachable(_, let failure)? = error else { return nil }
            return failure
        }
        if !failures.isEmpty, failures.allSatisfy({ $0 != nil }) {
            var said: Set<String> = []
            for summary in failures.compactMap({ $0?.summary }) where said.insert(summary).inserted {
                StandardError.write("sentinel-tables: \(summary)\n")
            }
            throw ExitCode(ExitStatus.scriptError)
        }
        let requests = errors.map { error -> String? in
            guard case .request(_, let operation, let cause)? = error else { return nil }
            return ProvisioningError.requestFailure(operation: operation, table: nil, cause: cause)
        }
        if errors.count > 1, requests.allSatisfy({ $0 != nil }), let first = requests.first ?? nil,
            requests.allSatisfy({ $0 == first })
        {
            StandardError.write("sentinel-tables: \(first)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }

    /// ``stopIfEveryTableFailedAlike(_:)`` for plans.
    static func stopIfEveryTableFailedAlike<Success>(_ results: [Result<Success, ProvisioningError>]) throws {
        try stopIfEveryTableFailedAlike(
            results.map { result in
                if case .failure(let error) = result { return error }
                return nil
            })
    }

    private static func reported<T>(_ make: () throws(DynamoDBError) -> T) throws -> T {
        do {
            return try make()
        } catch {
            StandardError.write("sentinel-tables: \(error)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }
}

import ArgumentParser
import DynamoDB
import Provisioning
import SentinelScript

/// A client that cannot be made (no region, a profile that does not exist, a bad endpoint) is reported
/// with the client's message, which says where it looked, and exit status 1.
enum AWSFailure {
    static func client(_ connection: AWSConnection) throws -> DynamoDBClient {
        do {
            return try connection.client()
        } catch {
            StandardError.write("sentinel-tables: \(error)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }

    static func provisioner(_ tables: TableOperations) throws -> Provisioner {
        do {
            return try tables.provisioner()
        } catch {
            StandardError.write("sentinel-tables: \(error)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }
}

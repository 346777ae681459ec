import ArgumentParser
import DynamoDB
import Provisioning
import SentinelScript

/// A client that cannot be made (no region, a profile that does not exist, a bad endpoint) is reported
/// with the client's message, which says where it looked, and exit status 1.
enum AWSFailure {
    static func client(_ connection: AWSConnection) throws -> DynamoDBClient {
        try reported { () throws(DynamoDBError) in try connection.client() }
    }

    static func provisioner(_ tables: TableOperations) throws -> Provisioner {
        try reported { () throws(DynamoDBError) in try tables.provisioner() }
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

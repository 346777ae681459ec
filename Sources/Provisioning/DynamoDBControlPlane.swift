import DynamoDB
import JSON

/// The control plane of a real (or local) DynamoDB, through our client: retries, signing and
/// credentials are the client's business; errors DynamoDB returned become ``ControlPlaneError`` by code.
public struct DynamoDBControlPlane: ControlPlane {
    public let client: DynamoDBClient

    public init(client: DynamoDBClient) {
        self.client = client
    }

    public var region: String? { client.configuration.region }

    public func writeRefusal(_ operation: String, table: String) -> String? {
        do {
            try client.configuration.access.permit(
                operation, body: ["TableName": .string(table)], tableName: table)
            return nil
        } catch {
            return error.description
        }
    }

    public func send(_ operation: String, _ body: JSONValue) async throws -> JSONValue {
        try await send(operation, body, inRegion: nil)
    }

    public func send(_ operation: String, _ body: JSONValue, region: String) async throws -> JSONValue {
        try await send(operation, body, inRegion: region)
    }

    private func send(_ operation: String, _ body: JSONValue, inRegion region: String?) async throws
        -> JSONValue
    {
        do {
            let answer = try await client.send(
                operation, body.objectValue ?? JSONObject(), tableName: body["TableName"]?.stringValue,
                region: region)
            return .object(answer)
        } catch {
            switch error {
            case .service(let failure):
                throw ControlPlaneError(code: failure.code, message: failure.description)
            case .transport(let failure) where failure.kind == .cancelled:
                // The provisioner stops a table's work on cancellation, and reports it as interrupted.
                throw CancellationError()
            default:
                throw error
            }
        }
    }
}

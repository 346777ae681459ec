import JSON

/// The one seam between provisioning and DynamoDB: send an operation's JSON body, get its JSON
/// response. The DynamoDB client implements it (``DynamoDBControlPlane``); tests use fakes and scripted
/// servers. Keeping the seam this small keeps every request body in pure, tested code here.
public protocol ControlPlane: Sendable {
    /// Sends `operation` (`DescribeTable`, `UpdateTable`...) with `body`; throws ``ControlPlaneError``
    /// for an error DynamoDB returned, or any other error for a failure to reach it.
    func send(_ operation: String, _ body: JSONValue) async throws -> JSONValue

    /// The region requests go to, when known: a global table's replicas are in the others.
    var region: String? { get }

    /// Sends `operation` to the same account's DynamoDB in another region (a replica's), signed for it.
    func send(_ operation: String, _ body: JSONValue, region: String) async throws -> JSONValue

    /// Why this control plane would refuse to send `operation` on `table` (it was made read-only), or nil:
    /// asked before a step of several requests, so that none of them is sent when one would be refused.
    func writeRefusal(_ operation: String, table: String) -> String?
}

extension ControlPlane {
    public var region: String? { nil }

    public func writeRefusal(_ operation: String, table: String) -> String? { nil }

    /// A control plane that knows one region cannot look at a replica: it says so rather than asking
    /// its own region (where the replica's table is not) and taking the answer for the replica's.
    public func send(_ operation: String, _ body: JSONValue, region: String) async throws -> JSONValue {
        throw ControlPlaneError(
            code: "RegionUnavailable",
            message: "this connection reaches one region only; it cannot send \(operation) to \(region)")
    }
}

/// An error DynamoDB returned, by its code (`ResourceNotFoundException`, `ResourceInUseException`...).
public struct ControlPlaneError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The code and message, the code once: the client's messages name it already.
    public var description: String {
        if message.isEmpty { return code }
        return message.contains(code) ? message : "\(code): \(message)"
    }

    public var isNotFound: Bool { code == "ResourceNotFoundException" }
    /// Another change (or another creator) holds the table: wait, then look again.
    public var isInUse: Bool { code == "ResourceInUseException" }
}

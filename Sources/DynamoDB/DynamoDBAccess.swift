import DynamoDBModel
import JSON

/// What a client may do, fixed when it is made: a command that only reads gets a client that cannot
/// write, so no function it calls (a script's `pcall(sentinel.delete, ...)` during `plan`) can.
public enum DynamoDBAccess: Sendable, Equatable {
    /// Every operation.
    case readWrite
    /// Only operations that change nothing (``DynamoDBOperation/onlyReads(_:body:)``); `holder` names
    /// who holds the client in the refusal ("plan", "the REPL with --read-only").
    case readOnly(holder: String)

    /// Throws `DynamoDBError.writeRefused(operation:tableName:holder:)` when this access does not
    /// allow sending `operation` with `body`: before it is signed, so nothing reaches DynamoDB.
    public func permit(_ operation: String, body: JSONObject, tableName: String?) throws(DynamoDBError) {
        guard case .readOnly(let holder) = self, !DynamoDBOperation.onlyReads(operation, body: body) else {
            return
        }
        throw .writeRefused(operation: operation, tableName: tableName, holder: holder)
    }
}

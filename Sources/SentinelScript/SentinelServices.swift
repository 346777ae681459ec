import DynamoDB
import FileAccess
import Provisioning

/// What the `sentinel` module may reach beyond pure schemas: AWS, for provisioning and data, and files.
public struct SentinelServices: Sendable {
    /// Gives the control plane the provisioning functions use, when they are first called (so a script
    /// that never calls AWS never resolves credentials); nil where no AWS access is configured.
    public var controlPlane: (@Sendable () throws -> any ControlPlane)?
    /// Gives the client `sentinel.db` uses, when first called; nil where no AWS access is configured.
    public var dynamoDB: (@Sendable () throws -> DynamoDBClient)?
    public var waitPolicy: WaitPolicy
    /// Progress of apply and delete (the CLI prints it on stderr).
    public var events: ProvisioningEventHandler
    /// The one file capability of the script's functions: every file `db.export`, `db.import` and
    /// `sentinel.migrate` read, create, rename, list or remove is reached through it, beneath its
    /// directory (the threat model in docs/architecture.md). No script-facing function takes a path any
    /// other way.
    public let files: FileRoot

    /// `files` nil: a restricted root on the working directory, opened now (nothing is reachable if it
    /// cannot be opened).
    public init(
        controlPlane: (@Sendable () throws -> any ControlPlane)? = nil,
        dynamoDB: (@Sendable () throws -> DynamoDBClient)? = nil, waitPolicy: WaitPolicy = WaitPolicy(),
        events: @escaping ProvisioningEventHandler = { _ in }, files: FileRoot? = nil
    ) {
        self.files = files ?? ((try? FileRoot(directory: ".")) ?? .nowhere)
        self.controlPlane = controlPlane
        self.dynamoDB = dynamoDB
        self.waitPolicy = waitPolicy
        self.events = events
    }
}

extension SentinelServices {
    /// Services that reach AWS through `connection`: provisioning and data share its one client.
    public init(
        connection: AWSConnection, waitPolicy: WaitPolicy = WaitPolicy(),
        events: @escaping ProvisioningEventHandler = { _ in }, files: FileRoot? = nil
    ) {
        self.init(
            controlPlane: { DynamoDBControlPlane(client: try connection.client()) },
            dynamoDB: { try connection.client() }, waitPolicy: waitPolicy, events: events, files: files)
    }
}

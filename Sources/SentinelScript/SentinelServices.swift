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
    /// What the AWS client may do (``DynamoDBAccess``): `sentinel.apply` and `sentinel.migrate` refuse
    /// at once when it only reads (``requireWriteAccess(for:)``).
    public var access: DynamoDBAccess
    /// The read budget of every Scan and Query `sentinel.db` sends without a `max_rcu` of its own
    /// (``ScriptHostConfiguration/readBudget``); nil for none.
    public var readBudget: CapacityBudget?
    /// Where `sentinel.plan` and `sentinel.apply` make replicas in other accounts (the run's targets,
    /// ``TargetReplicaConnections``); nil blocks them.
    public var accountReplicas: (any AccountReplicaConnections)?

    /// `files` nil: a restricted root on the working directory, opened now (nothing is reachable if it
    /// cannot be opened).
    public init(
        controlPlane: (@Sendable () throws -> any ControlPlane)? = nil,
        dynamoDB: (@Sendable () throws -> DynamoDBClient)? = nil, waitPolicy: WaitPolicy = WaitPolicy(),
        events: @escaping ProvisioningEventHandler = { _ in }, files: FileRoot? = nil,
        access: DynamoDBAccess = .readWrite
    ) {
        self.files = files ?? ((try? FileRoot(directory: ".")) ?? .nowhere)
        self.access = access
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
            dynamoDB: { try connection.client() }, waitPolicy: waitPolicy, events: events, files: files,
            access: connection.options.access)
    }

    /// Refuses `function`, which creates or changes tables, when the client only reads (`plan`'s
    /// script, `repl --read-only`). The client would refuse the first write all the same, but only after
    /// the progress log had printed that step (`+ create table`) as if it were being carried out.
    func requireWriteAccess(for function: String) throws {
        guard case .readOnly(let holder) = access else { return }
        throw ScriptError(
            "\(holder) cannot write: \(function) was refused before anything was sent; nothing was changed "
                + "(\(holder) only reads; sentinel.plan shows what apply would do)")
    }
}

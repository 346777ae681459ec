import DynamoDB
import JSON
import Schema

/// Plans, applies, reports and deletes tables through a ``ControlPlane``.
///
/// Every table is handled concurrently with the others, and one table's failure does not stop the
/// rest. Apply converges: it reads the live table, plans, carries out the steps (waiting between them
/// until the table and its indexes are ACTIVE), then reads and plans again, so a step whose response was
/// lost, a concurrent creator or an interrupted earlier run all end in the same place. Nothing here
/// deletes a table's data except ``delete(_:)``, which must be asked for by name.
public struct Provisioner: Sendable {
    public let controlPlane: any ControlPlane
    public var waitPolicy: WaitPolicy
    public var events: ProvisioningEventHandler
    /// How many read-plan-apply rounds apply makes before it reports what still differs.
    public var maximumRounds = 3
    /// Asked before apply deletes a replica (and every item in it), with the table and the region;
    /// only `true` lets it go on. Nil (the default) refuses every replica deletion: a caller that wants
    /// them says so.
    public var confirmReplicaDeletion: (@Sendable (_ table: String, _ region: String) async -> Bool)?
    /// Control planes in other accounts, for replicas with `account` (a multi-account global table);
    /// nil blocks every such replica, naming the missing targets.
    public var accountReplicas: (any AccountReplicaConnections)?

    public init(
        controlPlane: any ControlPlane, waitPolicy: WaitPolicy = WaitPolicy(),
        events: @escaping ProvisioningEventHandler = { _ in }
    ) {
        self.controlPlane = controlPlane
        self.waitPolicy = waitPolicy
        self.events = events
    }

    /// The plan for each schema against its live table, in order. An invalid schema or a failure to
    /// read the table is that table's error.
    public func plan(_ schemas: [TableSchema]) async -> [Result<TablePlan, ProvisioningError>] {
        let duplicates = DuplicateTableNames.problems(schemas)
        return await concurrently(Array(schemas.enumerated())) { offset, schema in
            do throws(ProvisioningError) {
                try Self.requireValid(schema, duplicate: duplicates[offset], region: controlPlane.region)
                let live = try await read(schema.name, settings: .givenBy(schema))
                return .success(try await checkedPlan(schema, live: live))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The plan without looking at AWS: every table as if it did not exist.
    public static func offlinePlan(_ schemas: [TableSchema]) -> [Result<TablePlan, ProvisioningError>] {
        let duplicates = DuplicateTableNames.problems(schemas)
        return schemas.enumerated().map { offset, schema in
            do throws(ProvisioningError) {
                try requireValid(schema, duplicate: duplicates[offset])
                return .success(TableDiff.creationPlan(schema))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Which ``OperatedSetting``s ``read(_:settings:)`` asks for.
    public enum SettingReads: Sendable {
        /// Every one (`status`).
        case all
        /// Those `schema` reads (``TableSchema/reads(_:)``), and those every read asks for: plan and
        /// apply of a schema that leaves a setting a caller may not read (the resource policy) alone
        /// neither need it nor make a refused call that a CloudTrail alarm would see.
        case givenBy(TableSchema)
        /// Only those a caller who may converge the table may always read.
        case neverRefused

        func includes(_ setting: OperatedSetting) -> Bool {
            switch self {
            case .all: true
            case .givenBy(let schema): !setting.read.mayBeRefused || schema.reads(setting)
            case .neverRefused: !setting.read.mayBeRefused
            }
        }
    }

    /// The live table with its TTL, tags and the ``OperatedSetting``s `settings` asks for, or nil when
    /// there is no such table. A setting the caller may not read is noted (its state's `readError`), not
    /// an error: only a schema that gives it needs it (``requireReadableSettings(_:_:)``).
    public func read(_ name: String, settings: SettingReads = .all) async throws(ProvisioningError)
        -> LiveTable?
    {
        guard let described = try await describe(name) else { return nil }
        let timeToLive = try await send("DescribeTimeToLive", ["TableName": .string(name)], table: name)
        let arn = described["Table"]?["TableArn"]?.stringValue ?? ""
        let tags = arn.isEmpty ? [:] : try await listTags(arn: arn, table: name)
        var table = try LiveTable(describeTable: described, timeToLive: timeToLive, tags: tags)
        for setting in OperatedSetting.all where settings.includes(setting) {
            if setting.read.address == .tableARN, arn.isEmpty { continue }
            table.operatedSettings[setting.field] = try await read(setting, name: name, arn: arn)
        }
        // A replica in another account is read there, not in this account's region (``accountReplicas``).
        for (offset, replica) in table.replicas.enumerated()
        where replica.status == "ACTIVE" && replica.replica.account == nil {
            table.replicas[offset].regional = try await regionalSettings(of: name, in: replica.region)
        }
        return table
    }

    /// The plan for `schema` against `live` with what only AWS can tell added: the settings it gives must
    /// be readable, the preconditions (``preconditions(_:schema:)``) block what cannot be done, and the
    /// replicas in other accounts whose own statements drifted are repaired (plan and apply alike).
    func checkedPlan(_ schema: TableSchema, live: LiveTable?) async throws(ProvisioningError) -> TablePlan {
        try Self.requireReadableSettings(schema, live)
        var plan = TableDiff.plan(schema, live: live)
        plan.blocked += try await preconditions(plan, schema: schema)
        let repairs = try await accountReplicaRepairs(plan, schema, live: live)
        plan.steps += repairs.steps
        plan.blocked += repairs.blocked
        return plan
    }

    /// Throws when `schema` gives an ``OperatedSetting`` the caller may not read on the live table.
    static func requireReadableSettings(_ schema: TableSchema, _ live: LiveTable?) throws(ProvisioningError) {
        for setting in OperatedSetting.all where setting.value(in: schema) != nil {
            if let cause = live?.operatedSettings[setting.field]?.readError {
                throw .settingNotReadable(table: schema.name, field: setting.field, cause: cause)
            }
        }
    }

    /// The live state of each table, in order; a missing table is `nil`.
    public func status(_ names: [String]) async -> [Result<LiveTable?, ProvisioningError>] {
        await concurrently(names) { name in
            do throws(ProvisioningError) {
                return .success(try await read(name))
            } catch {
                return .failure(error)
            }
        }
    }

    // MARK: Calls

    /// The DescribeTable response, or nil when the table does not exist.
    func describe(_ name: String) async throws(ProvisioningError) -> JSONValue? {
        do {
            return try await controlPlane.send("DescribeTable", ["TableName": .string(name)])
        } catch let error as ControlPlaneError where error.isNotFound {
            return nil
        } catch is CancellationError {
            throw .cancelled(table: name)
        } catch DynamoDBError.transport(let failure) {
            throw .unreachable(table: name, failure: failure)
        } catch {
            throw .request(table: name, operation: "DescribeTable", cause: String(describing: error))
        }
    }

    func send(_ operation: String, _ body: JSONValue, table: String) async throws(ProvisioningError)
        -> JSONValue
    {
        do {
            return try await controlPlane.send(operation, body)
        } catch is CancellationError {
            throw .cancelled(table: table)
        } catch DynamoDBError.transport(let failure) {
            throw .unreachable(table: table, failure: failure)
        } catch {
            throw .request(table: table, operation: operation, cause: String(describing: error))
        }
    }

    /// `setting`'s live state on the table `name` (ARN `arn`): its ``OperatedSetting/Read/noneCode``
    /// answer is none, and a refusal of a setting that ``OperatedSetting/Read/mayBeRefused``
    /// (AccessDeniedException) is an unknown state, not an error.
    func read(_ setting: OperatedSetting, name: String, arn: String) async throws(ProvisioningError)
        -> OperatedSettingState
    {
        let operation = setting.read.operation
        do {
            return setting.liveState(
                try await controlPlane.send(operation, setting.readRequest(name: name, arn: arn)))
        } catch let error as ControlPlaneError where error.code == setting.read.noneCode {
            return setting.liveState(nil)
        } catch let error as ControlPlaneError
            where setting.read.mayBeRefused && DynamoDBRules.isAccessDenied(error)
        {
            return setting.unreadable(error.description)
        } catch is CancellationError {
            throw .cancelled(table: name)
        } catch DynamoDBError.transport(let failure) {
            throw .unreachable(table: name, failure: failure)
        } catch {
            throw .request(table: name, operation: operation, cause: String(describing: error))
        }
    }

    /// What a replica's own region reports of the settings DynamoDB keeps per region.
    func regionalSettings(of name: String, in region: String) async throws(ProvisioningError)
        -> LiveReplica.RegionalSettings
    {
        let table = JSONValue.string(name)
        let described = try await send("DescribeTable", ["TableName": table], table: name, region: region)
        let arn = described["Table"]?["TableArn"]?.stringValue ?? ""
        let backups = try await send(
            "DescribeContinuousBackups", ["TableName": table], table: name, region: region)
        var tags: [String: String] = [:]
        if !arn.isEmpty { tags = try await listTags(arn: arn, table: name, region: region) }
        return LiveReplica.RegionalSettings(
            arn: arn,
            deletionProtection: described["Table"]?["DeletionProtectionEnabled"]?.boolValue ?? false,
            pointInTimeRecovery: backups["ContinuousBackupsDescription"]?["PointInTimeRecoveryDescription"]?[
                "PointInTimeRecoveryStatus"]?.stringValue == "ENABLED",
            tags: tags)
    }

    /// ``send(_:_:table:)`` to another region of the same account (a replica's).
    func send(_ operation: String, _ body: JSONValue, table: String, region: String)
        async throws(ProvisioningError)
        -> JSONValue
    {
        do {
            return try await controlPlane.send(operation, body, region: region)
        } catch is CancellationError {
            throw .cancelled(table: table)
        } catch DynamoDBError.transport(let failure) {
            throw .unreachable(table: table, failure: failure)
        } catch {
            throw .request(
                table: table, operation: "\(operation) in \(region)", cause: String(describing: error))
        }
    }

    private func listTags(arn: String, table: String, region: String? = nil) async throws(ProvisioningError)
        -> [String: String]
    {
        var tags: [String: String] = [:]
        var token: String?
        repeat {
            var body: JSONObject = ["ResourceArn": .string(arn)]
            if let token { body["NextToken"] = .string(token) }
            let page: JSONValue
            if let region {
                page = try await send("ListTagsOfResource", .object(body), table: table, region: region)
            } else {
                page = try await send("ListTagsOfResource", .object(body), table: table)
            }
            for tag in page["Tags"]?.arrayValue ?? [] {
                if let key = tag["Key"]?.stringValue { tags[key] = tag["Value"]?.stringValue ?? "" }
            }
            token = page["NextToken"]?.stringValue
        } while token != nil
        return tags
    }

    /// Throws the schema's problems, with `duplicate` (``DuplicateTableNames``) when another schema of
    /// the same run names its table.
    static func requireValid(_ schema: TableSchema, duplicate: String? = nil, region: String? = nil)
        throws(ProvisioningError)
    {
        let regional = region.map { schema.replicaProblems(ownRegion: $0) } ?? []
        let problems = (duplicate.map { [$0] } ?? []) + (schema.validate() + regional).map(\.description)
        if !problems.isEmpty {
            throw .invalidSchema(table: schema.name, problems: problems)
        }
    }

    /// `body` for each element, all at once, results in the elements' order.
    func concurrently<Element: Sendable, Output: Sendable>(
        _ elements: [Element], _ body: @escaping @Sendable (Element) async -> Output
    ) async -> [Output] {
        await withTaskGroup(of: (Int, Output).self) { group in
            for (offset, element) in elements.enumerated() {
                group.addTask { (offset, await body(element)) }
            }
            var outputs: [(Int, Output)] = []
            for await output in group { outputs.append(output) }
            return outputs.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

import JSON
import Lua
import Provisioning
import Schema

/// `sentinel.plan`, `apply`, `status`, `wait` and `delete`: the provisioning engine for imperative
/// scripts. Results have the fields of the CLI's `--json` output.
struct ProvisioningFunctions {
    let services: SentinelServices

    static let planOptions = ["offline"]
    static let applyOptions = ["wait_timeout", "delete_replicas"]
    static let waitOptions = ["timeout"]
    static let deleteOptions = ["confirm"]

    func register(in state: LuaState) -> [String: LuaValue] {
        [
            "plan": state.function(named: "sentinel.plan", plan),
            "apply": state.function(named: "sentinel.apply", apply),
            "status": state.function(named: "sentinel.status", status),
            "wait": state.function(named: "sentinel.wait", wait),
            "delete": state.function(named: "sentinel.delete", delete),
        ]
    }

    /// The members of `sentinel.schema` that read AWS: `from_table`.
    func registerSchemaFunctions(in state: LuaState) -> [String: LuaValue] {
        ["from_table": state.function(named: "sentinel.schema.from_table", fromTable)]
    }

    /// `sentinel.schema.from_table(name)`: the schema of the live table, as a schema value a script may
    /// edit and return; its plan against the table is empty. A missing table is an error. In a run with
    /// targets, each replica in another account names the one target for its account.
    private func fromTable(_ call: LuaCall) throws -> LuaResults {
        let name = try call.string(1)
        let provisioner = try provisioner(for: "sentinel.schema.from_table")
        let result = try BlockingCall.run(in: call.state) { () -> Result<LiveTable?, ProvisioningError> in
            do throws(ProvisioningError) {
                return .success(try await provisioner.read(name))
            } catch {
                return .failure(error)
            }
        }
        try call.state.stopIfRequested()
        switch result {
        case .success(let live?):
            // In a run with targets, a replica in another account gets the one target for its account.
            let schema = services.accountReplicas?.naming(live.schema) ?? live.schema
            return try call.returning(
                LuaSchemaWriter.value(of: schema), metatable: SentinelModule.schemaMetatable)
        case .success(nil):
            throw ScriptError("sentinel.schema.from_table: table '\(name)' does not exist")
        case .failure(let error):
            throw ScriptError(error.description)
        }
    }

    /// `sentinel.plan(schemas, { offline = true })`: one plan per table.
    private func plan(_ call: LuaCall) throws -> LuaResults {
        let schemas = try Self.schemas(call, at: 1)
        let options = try call.options(2, allowed: Self.planOptions)
        let plans: [Result<TablePlan, ProvisioningError>]
        if options["offline"]?.isTruthy == true {
            plans = Provisioner.offlinePlan(schemas)
        } else {
            let provisioner = try provisioner(for: "sentinel.plan")
            plans = try BlockingCall.run(in: call.state) { await provisioner.plan(schemas) }
        }
        return try call.returning(.array(plans.map { LuaJSON.value(of: PlanReport.json($0)) }))
    }

    /// `sentinel.apply(schemas, { wait_timeout = seconds, delete_replicas = { "eu-west-1" } })`: converges
    /// every table; one result each. A replica is deleted (with its items) only when its region is in
    /// `delete_replicas`: a script names what it deletes, as a user types it at apply's question.
    private func apply(_ call: LuaCall) throws -> LuaResults {
        let schemas = try Self.schemas(call, at: 1)
        let options = try call.options(2, allowed: Self.applyOptions)
        try services.requireWriteAccess(for: "sentinel.apply")
        var provisioner = try provisioner(for: "sentinel.apply")
        if let timeout = try Self.seconds(options["wait_timeout"], option: call.option("wait_timeout")) {
            provisioner.waitPolicy.timeout = timeout
        }
        if let regions = options["delete_replicas"], regions != .nil {
            guard let names = regions.arrayValue?.compactMap(\.stringValue),
                names.count == regions.arrayValue?.count
            else {
                throw call.argumentError(2, "delete_replicas must be a list of region names")
            }
            let confirmed = Set(names)
            provisioner.confirmReplicaDeletion = { _, region in confirmed.contains(region) }
        }
        let results = try BlockingCall.run(in: call.state) { [provisioner] in await provisioner.apply(schemas)
        }
        try call.state.stopIfRequested()
        return try call.returning(.array(results.map { LuaJSON.value(of: ApplyReport.json($0)) }))
    }

    /// `sentinel.status(name)` gives one table's state; `sentinel.status { names }` a list.
    private func status(_ call: LuaCall) throws -> LuaResults {
        let (names, single) = try Self.names(call, at: 1)
        let provisioner = try provisioner(for: "sentinel.status")
        let results = try BlockingCall.run(in: call.state) { await provisioner.status(names) }
        try call.state.stopIfRequested()
        var values: [LuaValue] = []
        for (name, result) in zip(names, results) {
            switch result {
            case .success(let live): values.append(LuaJSON.value(of: StatusReport.json(name: name, live)))
            case .failure(let error): throw ScriptError(error.description)
            }
        }
        return try call.returning(single ? values[0] : .array(values))
    }

    /// `sentinel.wait(name, { timeout = seconds })`: until the table and its indexes are ACTIVE.
    private func wait(_ call: LuaCall) throws -> LuaResults {
        let name = try call.string(1)
        let options = try call.options(2, allowed: Self.waitOptions)
        var provisioner = try provisioner(for: "sentinel.wait")
        if let timeout = try Self.seconds(options["timeout"], option: call.option("timeout")) {
            provisioner.waitPolicy.timeout = timeout
        }
        let result = try BlockingCall.run(in: call.state) {
            [provisioner] () -> Result<LiveTable?, ProvisioningError> in
            do throws(ProvisioningError) {
                try await provisioner.waitUntilSettled(name)
                return .success(try await provisioner.read(name))
            } catch {
                return .failure(error)
            }
        }
        try call.state.stopIfRequested()
        switch result {
        case .success(let live):
            return try call.returning(LuaJSON.value(of: StatusReport.json(name: name, live)))
        case .failure(let error): throw ScriptError(error.description)
        }
    }

    /// `sentinel.delete(name, { confirm = true })`: deletes the table and its data, only when asked so.
    private func delete(_ call: LuaCall) throws -> LuaResults {
        let name = try call.string(1)
        let options = try call.options(2, allowed: Self.deleteOptions)
        guard options["confirm"] == .boolean(true) else {
            throw ScriptError(
                "sentinel.delete deletes table '\(name)' and all its items: call it with { confirm = true }")
        }
        let provisioner = try provisioner(for: "sentinel.delete")
        let result = try BlockingCall.run(in: call.state) { () -> ProvisioningError? in
            do throws(ProvisioningError) {
                try await provisioner.delete(name)
                return nil
            } catch {
                return error
            }
        }
        try call.state.stopIfRequested()
        if let result { throw ScriptError(result.description) }
        return call.returning(true)
    }

    // MARK: Arguments

    private func provisioner(for function: String) throws -> Provisioner {
        guard let makeControlPlane = services.controlPlane else {
            throw ScriptError("\(function) needs AWS access, which this script was not given")
        }
        var provisioner = Provisioner(
            controlPlane: try makeControlPlane(), waitPolicy: services.waitPolicy, events: services.events)
        provisioner.accountReplicas = services.accountReplicas
        return provisioner
    }

    /// One schema or a list of them.
    static func schemas(_ call: LuaCall, at position: Int) throws -> [TableSchema] {
        guard call.isTable(position) else {
            throw call.typeError(position, expected: "schema or list of schemas")
        }
        do {
            return try ScriptSchemas.read([try call.table(position)])
        } catch let error as ScriptSchemas.ReadError {
            throw call.argumentError(position, error.message)
        }
    }

    /// A table name, or a list of them (the flag says which).
    private static func names(_ call: LuaCall, at position: Int) throws -> ([String], Bool) {
        if !call.isTable(position) { return ([try call.string(position)], true) }
        let elements = try call.table(position).arrayValue ?? []
        let names = elements.compactMap(\.stringValue)
        guard !names.isEmpty, names.count == elements.count else {
            throw call.argumentError(position, "table name or list of table names expected")
        }
        return (names, false)
    }

    /// A wait of at most a year (the number rule's longest): longer than any table takes.
    private static func seconds(_ value: LuaValue?, option field: String) throws -> Duration? {
        guard let value, value != .nil else { return nil }
        return try value.seconds(field: field)
    }

}

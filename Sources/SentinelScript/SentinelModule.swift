import Lua
import Schema

/// The `sentinel` Lua module: the built-in Sentinel schemas and `sentinel.schema.from_table`,
/// `sentinel.table`, `sentinel.validate` and the schema methods. ``install(into:services:)`` sets the `sentinel` global and makes `require "sentinel"`
/// return the same table.
public enum SentinelModule {
    /// Installs the module into `state`; `services` gives the functions that reach AWS their access;
    /// `target` and `targets` are what `sentinel.target` and `sentinel.targets()` give. Returns the
    /// state's `sentinel.null`, for Swift code that hands items to the script.
    @discardableResult
    public static func install(
        into state: LuaState, services: SentinelServices = SentinelServices(), target: Target? = nil,
        targets: [Target] = []
    ) throws -> LuaValue {
        var builtIns: [LuaValue: LuaValue] = [:]
        for kind in BuiltInSchema.allCases {
            builtIns[.text(kind.rawValue)] = state.function(named: "sentinel.schema.\(kind.rawValue)") {
                call in
                try builtin(kind, call)
            }
        }
        for (name, function) in ProvisioningFunctions(services: services).registerSchemaFunctions(in: state) {
            builtIns[.text(name)] = function
        }
        var functions: [LuaValue: LuaValue] = [
            "schema": .map(builtIns),
            "table": state.function(named: "sentinel.table", table),
            "validate": state.function(named: "sentinel.validate", validate),
        ]
        for (name, function) in ProvisioningFunctions(services: services).register(in: state) {
            functions[.text(name)] = function
        }
        for (name, value) in LuaTargets(current: target, all: targets).register(in: state) {
            functions[.text(name)] = value
        }
        let data = try DataFunctions(services: services, state: state)
        functions["db"] = namespace(data.register(in: state))
        functions["find"] = namespace(FindFunctions(data: data).register(in: state))
        functions["migrate"] = MigrationFunctions(data: data, services: services).register(in: state)
        for (name, value) in DataValueConstructors(null: data.null).register(in: state) {
            functions[.text(name)] = value
        }
        let host: LuaValue = [
            "set_schema_metatable": state.function(named: "set_schema_metatable") { call in
                try call.registerMetatable(1, name: schemaMetatable)
                return call.returning()
            },
            "gsi": state.function(named: "add_gsi", returningErrors(globalIndex)),
            "functions": .map(functions),
        ]
        let prelude = try state.load(
            bytes: Array(SentinelPrelude.source.utf8), chunkName: SentinelPrelude.chunkName)
        try state.call(prelude, [host])
        return data.null
    }

    /// The registry name of the metatable that gives schema tables their methods.
    static let schemaMetatable = "sentinel.schema"

    /// `sentinel.schema.<kind>(options)`: the built-in schema with `options` laid over it.
    private static func builtin(_ kind: BuiltInSchema, _ call: LuaCall) throws -> LuaResults {
        let function = "sentinel.schema.\(kind.rawValue)"
        let options = try optionsTable(call, at: 1, function: function)
        var reader = LuaSchemaReader()
        let schema = reader.readTable(options, defaults: kind.schema())
        return try result(schema: schema, problems: reader.problems, function: function, call: call)
    }

    /// `sentinel.table(options)`: any table, from DynamoDB's defaults.
    private static func table(_ call: LuaCall) throws -> LuaResults {
        guard !call.isNil(1) else { throw call.typeError(1, expected: "table") }
        let options = try optionsTable(call, at: 1, function: "sentinel.table")
        var reader = LuaSchemaReader()
        let schema = reader.readTable(options)
        return try result(schema: schema, problems: reader.problems, function: "sentinel.table", call: call)
    }

    /// `s:add_gsi(spec)`: the index as a normalised table, after checking its fields and its name.
    private static func globalIndex(_ call: LuaCall) throws -> LuaResults {
        guard call.isTable(2) else {
            throw ScriptError("bad argument #1 to 'add_gsi' (table expected, got \(call.typeName(2)))")
        }
        let spec = try call.table(2)
        var reader = LuaSchemaReader()
        let index = reader.readGlobalIndex(spec, at: "")
        if !reader.problems.isEmpty {
            throw ScriptError(reader.problems.map { $0.message(in: "add_gsi") }.joined(separator: "\n"))
        }
        let existing = try call.value(1)["gsis"].arrayValue ?? []
        if existing.contains(where: { $0["name"].stringValue == index.name }) {
            let table = try call.value(1)["name"].stringValue ?? "?"
            throw ScriptError("a GSI named '\(index.name)' already exists in schema '\(table)'")
        }
        var document = TableSchema(
            name: "", partitionKey: KeyAttribute(name: ""), globalSecondaryIndexes: [index]
        )
        .schemaDocument()
        document = document["gsis"]?[0] ?? .null
        return try call.returning(LuaJSON.value(of: document))
    }

    /// `sentinel.validate(s)`: `true`, or `nil` and every problem, one `path: message` per line.
    private static func validate(_ call: LuaCall) throws -> LuaResults {
        guard call.isTable(1) else {
            throw call.typeError(1, expected: "table")
        }
        var reader = LuaSchemaReader()
        let schema = reader.readTable(try call.table(1))
        let problems = SchemaCheck.problems(of: schema, shapeProblems: reader.problems)
        if problems.isEmpty { return call.returning(true) }
        return try call.returning(values: [.nil, .text(problems.map(\.description).joined(separator: "\n"))])
    }

    // MARK: Shared

    /// A table of functions such as `sentinel.db`.
    private static func namespace(_ members: [String: LuaValue]) -> LuaValue {
        .map(Dictionary(uniqueKeysWithValues: members.map { (LuaValue.text($0.key), $0.value) }))
    }

    /// The options table at `position`; nil or absent gives an empty one.
    private static func optionsTable(_ call: LuaCall, at position: Int, function: String) throws -> LuaValue {
        if call.isNil(position) { return .map([:]) }
        guard call.isTable(position) else { throw call.typeError(position, expected: "table") }
        return try call.table(position)
    }

    private static func result(
        schema: TableSchema, problems: [SchemaShapeProblem], function: String, call: LuaCall
    ) throws -> LuaResults {
        if !problems.isEmpty {
            let message = problems.map { $0.message(in: function) }.joined(separator: "\n")
            // An unknown or misplaced field of a constructor written over several lines: name the field's line.
            if problems[0].isAboutTheFieldName,
                let field = problems[0].path.split(separator: ".").last.map(String.init),
                let location = call.sourceLocation(ofField: field)
            {
                throw LuaError(.runtime, "\(location): \(message)")
            }
            throw ScriptError(message)
        }
        return try call.returning(LuaSchemaWriter.value(of: schema), metatable: schemaMetatable)
    }

    /// Wraps a host function so that its errors come back as `nil, message` for the prelude to raise
    /// at the script's line.
    private static func returningErrors(_ body: @escaping (LuaCall) throws -> LuaResults) -> LuaHostFunction {
        { call in
            do {
                return try body(call)
            } catch let error as LuaError {
                return try call.returning(values: [.nil, .text(error.message)])
            } catch {
                return try call.returning(values: [.nil, .text(String(describing: error))])
            }
        }
    }
}

import FakeDynamoDB
import Lua
import Provisioning
import Schema
import Testing

@testable import SentinelScript

/// The number rule from a script's side: every option of every `sentinel.*` and `sentinel.db.*`
/// function that takes an options table, and every field of a schema, is given NaN, the infinities,
/// the integer limits, 2^63, -1, 0, 1e300 and 0.5, directly and from a coroutine. Each call returns or
/// raises a Lua error with a message; a numeric option refuses what it cannot take with a message that
/// names it. The options come from the code's own lists (`MigrationFunctions.options`, ...), so a new
/// option is fuzzed without being added here, and `everyFunctionWithOptionsIsFuzzed` fails when a new
/// function is neither fuzzed nor listed as taking no options.
@Suite struct NumericOptionFuzzTests {
    /// A function that takes an options table: how to call it with `OPTIONS` (a Lua expression) in
    /// place, the options its code allows, and options that must be there for the others to be read.
    struct Case: Sendable {
        let function: String
        let call: String
        let options: [String]
        var baseline = ""
    }

    static let schema = #"sentinel.table { name = "fuzz", partition_key = "id" }"#

    static let cases: [Case] =
        [
            Case(
                function: "sentinel.migrate", call: "sentinel.migrate(OPTIONS)",
                options: MigrationFunctions.options,
                baseline: #"from = "src", to = sentinel.table { name = "dst", partition_key = "id" }"#),
            Case(
                function: "sentinel.plan", call: "sentinel.plan({ \(schema) }, OPTIONS)",
                options: ProvisioningFunctions.planOptions),
            Case(
                function: "sentinel.apply", call: "sentinel.apply({ \(schema) }, OPTIONS)",
                options: ProvisioningFunctions.applyOptions),
            Case(
                function: "sentinel.wait", call: #"sentinel.wait("fuzz", OPTIONS)"#,
                options: ProvisioningFunctions.waitOptions),
            Case(
                function: "sentinel.delete", call: #"sentinel.delete("absent", OPTIONS)"#,
                options: ProvisioningFunctions.deleteOptions),
            Case(
                function: "sentinel.db.get", call: #"sentinel.db.get("t", { id = "a" }, OPTIONS)"#,
                options: DataFunctions.readOptions),
            Case(
                function: "sentinel.db.get_all",
                call: #"sentinel.db.get_all("t", { { id = "a" } }, OPTIONS)"#,
                options: DataFunctions.readOptions),
            Case(
                function: "sentinel.db.put", call: #"sentinel.db.put("t", { id = "a" }, OPTIONS)"#,
                options: WriteCondition.options),
            Case(
                function: "sentinel.db.delete", call: #"sentinel.db.delete("t", { id = "a" }, OPTIONS)"#,
                options: WriteCondition.options),
            Case(
                function: "sentinel.db.update",
                call: #"sentinel.db.update("t", { id = "a" }, { n = 1 }, OPTIONS)"#,
                options: UpdateActions.options + WriteCondition.options),
            Case(
                function: "sentinel.db.query", call: #"sentinel.db.query("t", OPTIONS)"#,
                options: DataFunctions.searchOptions,
                baseline: #"where = { id = "a" }"#),
            Case(
                function: "sentinel.db.each", call: #"sentinel.db.each("t", OPTIONS)"#,
                options: DataFunctions.searchOptions,
                baseline: #"where = { id = "a" }"#),
            Case(
                function: "sentinel.db.scan", call: #"sentinel.db.scan("t", OPTIONS)"#,
                options: DataFunctions.scanOptions),
            Case(
                function: "sentinel.db.count", call: #"sentinel.db.count("t", OPTIONS)"#,
                options: DataFunctions.countOptions),
            Case(
                function: "sentinel.db.execute",
                call: #"sentinel.db.execute("SELECT * FROM t", nil, OPTIONS)"#,
                options: DataFunctions.statementOptions),
            Case(
                function: "sentinel.db.each (statement)",
                call: #"sentinel.db.each("SELECT * FROM t", nil, OPTIONS)"#,
                options: DataFunctions.statementOptions),
            Case(
                function: "sentinel.db.transact",
                call: #"sentinel.db.transact({ { put = "t", item = { id = "a" } } }, OPTIONS)"#,
                options: DataFunctions.transactOptions),
            Case(
                function: "sentinel.db.export",
                call: #"sentinel.db.export("t", "fuzz-export.json", OPTIONS)"#,
                options: DataFunctions.exportOptions),
            Case(
                function: "sentinel.db.import",
                call: #"sentinel.db.import("t", "fuzz-import.json", OPTIONS)"#,
                options: DataFunctions.importOptions),
            Case(
                function: "sentinel.db.put_all",
                call: #"sentinel.db.put_all("t", { { id = "a" } }, OPTIONS)"#,
                options: DataFunctions.putAllOptions),
            Case(
                function: "sentinel.db.watch",
                call: #"sentinel.db.watch("t", OPTIONS, function() return false end)"#,
                options: DataFunctions.watchOptions),
            // Schemas: every field of a table, of an index and of the nested tables with numbers.
            Case(
                function: "sentinel.table", call: "sentinel.table(OPTIONS)",
                options: LuaSchemaReader.tableFields,
                baseline: #"name = "t", partition_key = "id""#),
            Case(
                function: "add_gsi",
                call: #"sentinel.table { name = "t", partition_key = "id" }:add_gsi(OPTIONS)"#,
                options: LuaSchemaReader.globalIndexFields, baseline: #"name = "g", partition_key = "k""#),
        ]
        // Every side of every throughput setting (`warm_throughput = { read_units = OPTION }`).
        + ThroughputSetting.all.map { setting in
            Case(
                function: setting.field,
                call: #"sentinel.table { name = "t", partition_key = "id", "# + setting.field
                    + " = OPTIONS }",
                options: setting.sideFields)
        }
        // Every field of every operated setting given as a table (`point_in_time_recovery = { ... }`).
        + OperatedSetting.all.compactMap { setting in
            guard case .flagOrFields(let flag, let integers) = setting.scriptForm else { return nil }
            return Case(
                function: setting.field,
                call: #"sentinel.table { name = "t", partition_key = "id", "# + setting.field
                    + " = OPTIONS }",
                options: [flag] + integers, baseline: "\(flag) = true")
        }

    /// The options that take numbers: for these, a value no number option can take must be refused
    /// with a message naming the option (others may take any value, `consistent = 0/0` is just truthy).
    static let numericOptions: Set<String> = [
        "segments", "limit", "page_size", "wait_timeout", "timeout", "read_capacity", "write_capacity",
        "max_read", "max_write", "read_units", "write_units", "recovery_period_days", "max_rcu", "max_wcu",
    ]

    /// The values of the issue, as Lua expressions.
    static let values = [
        "0/0", "math.huge", "-math.huge", "math.maxinteger", "math.mininteger", "2^63", "-1", "0", "1e300",
        "0.5",
    ]
    /// The values that no numeric option accepts.
    static let refusedByEveryNumericOption: Set<String> = [
        "0/0", "math.huge", "-math.huge", "2^63", "1e300",
    ]

    /// Functions of `sentinel` and `sentinel.db` that take no options table, so need no case.
    static let withoutOptions: Set<String> = [
        "sentinel.validate", "sentinel.status", "sentinel.schema.from_table", "sentinel.targets",
        "sentinel.db.tables", "sentinel.db.describe", "sentinel.db.transact_get",
        "sentinel.db.null", "sentinel.db.set", "sentinel.db.binary", "sentinel.db.number", "sentinel.binary",
        "sentinel.list", "sentinel.number", "sentinel.map", "sentinel.set",
    ]

    func state() throws -> LuaState {
        let state = try LuaState()
        let services = SentinelServices(
            controlPlane: { FakeDynamoDB() },
            waitPolicy: WaitPolicy(
                firstDelay: .milliseconds(1), maximumDelay: .milliseconds(5), timeout: .seconds(1)))
        try SentinelModule.install(into: state, services: services)
        return state
    }

    /// The Lua that runs one case: every option with every value, by pcall and from a coroutine; returns
    /// a list of lines describing what went wrong (none when all is well).
    static func driver(_ testCase: Case) -> String {
        var lines = [
            "local problems = {}",
            "local numeric = {}",
        ]
        for option in numericOptions.sorted() { lines.append("numeric[\"\(option)\"] = true") }
        lines.append("local refused = {}")
        for value in refusedByEveryNumericOption.sorted() { lines.append("refused[\"\(value)\"] = true") }
        lines.append(
            #"""
            local function check(option, shown, how, ok, message)
              if not ok and type(message) ~= "string" then
                problems[#problems + 1] = how .. " " .. option .. " = " .. shown .. ": error is not a string"
                return
              end
              if not ok and (message:find("must be", 1, true) or message:find("expected", 1, true))
                and not message:find(option, 1, true) then
                problems[#problems + 1] = how .. " " .. option .. " = " .. shown .. ": " .. message
              end
              if numeric[option] and refused[shown] and (ok or not message:find(option, 1, true)) then
                problems[#problems + 1] = how .. " " .. option .. " = " .. shown .. " was not refused naming it: "
                  .. tostring(message)
              end
            end
            """#)
        for option in testCase.options {
            for value in values {
                let options =
                    "{ \(testCase.baseline)\(testCase.baseline.isEmpty ? "" : ", ")[\"\(option)\"] = \(value) }"
                let call = testCase.call.replacingOccurrences(of: "OPTIONS", with: options)
                let shown = value.replacingOccurrences(of: "\"", with: "\\\"")
                lines.append(
                    """
                    do
                      local ok, message = pcall(function() return \(call) end)
                      check("\(option)", "\(shown)", "direct", ok, message)
                      local cok, cmessage = coroutine.wrap(function()
                        return pcall(function() return \(call) end)
                      end)()
                      check("\(option)", "\(shown)", "coroutine", cok, cmessage)
                    end
                    """)
            }
        }
        lines.append("return problems")
        return lines.joined(separator: "\n")
    }

    @Test(arguments: cases.indices)
    func everyNumberInEveryOptionReturnsOrRaisesNamingIt(_ index: Int) async throws {
        let testCase = Self.cases[index]
        let problems = try await onScriptThread { [self] () throws -> [String] in
            let results = try state().run(Self.driver(testCase), name: "fuzz.lua")
            return results.first?.arrayValue?.compactMap(\.stringValue) ?? ["no result"]
        }
        #expect(problems.isEmpty, "\(testCase.function):\n\(problems.joined(separator: "\n"))")
    }

    /// The issue's reproduction: `sentinel.migrate { segments = 0/0 }` used to end the process with
    /// SIGILL; now it is an error pcall catches, with the option's name.
    @Test func migrateWithNaNSegmentsIsAnError() async throws {
        let message = try await onScriptThread { [self] () throws -> String in
            let results = try state().run(
                #"""
                local ok, message = pcall(sentinel.migrate, {
                  from = "a", to = sentinel.table { name = "b", partition_key = "id" }, segments = 0/0 })
                local cok, cmessage = coroutine.wrap(function()
                  return pcall(sentinel.migrate, {
                    from = "a", to = sentinel.table { name = "b", partition_key = "id" }, segments = math.huge })
                end)()
                assert(not ok and not cok)
                return message .. "\n" .. cmessage
                """#, name: "m.lua")
            return results.first?.stringValue ?? ""
        }
        #expect(
            message
                == "option 'segments' of sentinel.migrate must be a whole number from 1 to 1000, got nan\n"
                + "option 'segments' of sentinel.migrate must be a whole number from 1 to 1000, got inf"
        )
    }

    @Test func everyFunctionWithOptionsIsFuzzed() async throws {
        let names = try await onScriptThread { [self] () throws -> [String] in
            let results = try state().run(
                """
                local names = {}
                for _, namespace in ipairs { { "sentinel", sentinel }, { "sentinel.db", sentinel.db } } do
                  for key, value in pairs(namespace[2]) do
                    if type(value) == "function" then names[#names + 1] = namespace[1] .. "." .. key end
                  end
                end
                return names
                """, name: "names.lua")
            return results.first?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        let fuzzed = Set(Self.cases.map(\.function))
        let missing = names.filter { !fuzzed.contains($0) && !Self.withoutOptions.contains($0) }
        #expect(names.count > 20)
        #expect(missing.isEmpty, "neither fuzzed nor listed as taking no options: \(missing.sorted())")
    }
}

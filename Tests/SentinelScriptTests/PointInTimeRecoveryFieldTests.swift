import Lua
import Schema
import SentinelScript
import Testing

/// `point_in_time_recovery` in scripts: the boolean form stays, the table form adds the recovery
/// period, and mistakes are named by field path.
@Suite struct PointInTimeRecoveryFieldTests {
    func schema(_ field: String) throws -> TableSchema? {
        let state = try sentinelState()
        let value = try state.run(
            "return sentinel.table { name = 'audit', partition_key = 'id', point_in_time_recovery = \(field) }",
            name: "p.lua")
        return try ScriptSchemas.read(value).first
    }

    @Test func bothFormsRead() throws {
        #expect(try schema("true")?.pointInTimeRecovery == true)
        #expect(try schema("true")?.recoveryPeriodDays == nil)
        let period = try #require(try schema("{ enabled = true, recovery_period_days = 7 }"))
        #expect(period.pointInTimeRecovery && period.recoveryPeriodDays == 7)
        // `enabled` defaults to true in the table form.
        #expect(try schema("{ recovery_period_days = 3 }")?.pointInTimeRecovery == true)
        #expect(try schema("{ enabled = false }")?.pointInTimeRecovery == false)
    }

    @Test func theValueAScriptSeesRoundTrips() throws {
        let state = try sentinelState()
        let value = try state.run(
            """
            local s = sentinel.schema.sessions { point_in_time_recovery = { recovery_period_days = 9 } }
            assert(s.point_in_time_recovery.enabled == true and s.point_in_time_recovery.recovery_period_days == 9)
            s.point_in_time_recovery.recovery_period_days = 10
            return s
            """, name: "r.lua")
        let read = try #require(try ScriptSchemas.read(value).first)
        #expect(read.recoveryPeriodDays == 10 && read.pointInTimeRecovery)
    }

    @Test func mistakesAreNamedByPath() throws {
        let state = try sentinelState()
        let unknown = luaError {
            try state.run(
                "sentinel.table { name = 'a', partition_key = 'id', point_in_time_recovery = { days = 3 } }",
                name: "u.lua")
        }
        #expect(
            unknown?.message == "u.lua:1: unknown option 'days' in sentinel.table point_in_time_recovery",
            "\(String(describing: unknown))")
        let wrongType = luaError {
            try state.run(
                "sentinel.table { name = 'a', partition_key = 'id', point_in_time_recovery = { recovery_period_days = 'x' } }",
                name: "w.lua")
        }
        #expect(
            wrongType?.message.contains("point_in_time_recovery.recovery_period_days") == true,
            "\(String(describing: wrongType))")
        let values = try state.run(
            "return sentinel.validate(sentinel.table { name = 'abc', partition_key = 'id', "
                + "point_in_time_recovery = { recovery_period_days = 40 } })", name: "v.lua")
        #expect(
            values == [
                .nil,
                .text(
                    "point_in_time_recovery.recovery_period_days: recovery period must be 1 to 35 days, got 40"
                ),
            ],
            "\(values)")
    }
}

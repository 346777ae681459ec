import Lua
import Schema
import SentinelScript
import Testing

/// `on_demand_throughput` on a table and on a GSI in scripts, with mistakes named by field path.
@Suite struct OnDemandThroughputFieldTests {
    @Test func tableAndIndexLimitsRead() throws {
        let state = try sentinelState()
        let value = try state.run(
            """
            local s = sentinel.table { name = 'orders', partition_key = 'id', on_demand_throughput = { max_read = 100 } }
            s:add_gsi { name = 'by-state', partition_key = 'state', on_demand_throughput = { max_read = 5, max_write = 6 } }
            s.on_demand_throughput.max_write = 40
            return s
            """, name: "o.lua")
        let schema = try #require(try ScriptSchemas.read(value).first)
        #expect(schema.onDemandThroughput == OnDemandThroughput(maxRead: 100, maxWrite: 40))
        #expect(
            schema.globalSecondaryIndexes.first?.onDemandThroughput
                == OnDemandThroughput(maxRead: 5, maxWrite: 6))
        #expect(schema.validate().isEmpty)
    }

    @Test func mistakesAreNamedByPath() throws {
        let state = try sentinelState()
        let unknown = luaError {
            try state.run(
                "sentinel.table { name = 'a', partition_key = 'id', gsis = { { name = 'g1x', partition_key = 'g', "
                    + "on_demand_throughput = { max_reads = 1 } } } }", name: "u.lua")
        }
        #expect(
            unknown?.message
                == "u.lua:1: unknown option 'max_reads' in sentinel.table gsis[1].on_demand_throughput "
                + "(did you mean 'max_read'?)",
            "\(String(describing: unknown))")
        let values = try state.run(
            "return sentinel.validate(sentinel.table { name = 'abc', partition_key = 'id', billing_mode = 'PROVISIONED', "
                + "read_capacity = 1, write_capacity = 1, on_demand_throughput = { max_read = 1 } })",
            name: "v.lua")
        #expect(
            values == [
                .nil,
                .text(
                    "on_demand_throughput: on-demand throughput is only allowed with billing mode PAY_PER_REQUEST"
                ),
            ], "\(values)")
    }
}

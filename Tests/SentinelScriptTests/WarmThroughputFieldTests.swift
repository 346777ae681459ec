import Lua
import Schema
import SentinelScript
import Testing

/// `warm_throughput` on a table and on a GSI in scripts, with mistakes named by field path.
@Suite struct WarmThroughputFieldTests {
    @Test func tableAndIndexValuesRead() throws {
        let state = try sentinelState()
        let value = try state.run(
            """
            local s = sentinel.schema.sessions { warm_throughput = { read_units = 15000 } }
            s.gsis[1].warm_throughput = { write_units = 6000 }
            return s
            """, name: "w.lua")
        let schema = try #require(try ScriptSchemas.read(value).first)
        #expect(schema.warmThroughput == WarmThroughput(readUnits: 15000))
        #expect(schema.globalSecondaryIndexes.first?.warmThroughput == WarmThroughput(writeUnits: 6000))
        #expect(schema.validate().isEmpty)
    }

    @Test func mistakesAreNamedByPath() throws {
        let state = try sentinelState()
        let values = try state.run(
            """
            local s = sentinel.schema.sessions()
            s.gsis[2].warm_throughput = { read_units = 0 }
            s.warm_throughput = { reads = 1 }
            return sentinel.validate(s)
            """, name: "v.lua")
        let problems = values.dropFirst().first?.stringValue ?? ""
        #expect(problems.contains("warm_throughput.reads: unknown field"), "\(problems)")
        #expect(
            problems.contains("gsis[2].warm_throughput.read_units: must be at least 1, got 0"), "\(problems)")
    }
}

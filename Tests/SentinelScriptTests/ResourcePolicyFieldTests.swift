import JSON
import Lua
import Schema
import SentinelScript
import Testing

/// `resource_policy` in scripts: JSON text as given, or a Lua table written as JSON; the value a
/// script sees is the policy as a table; mistakes are named by field path.
@Suite struct ResourcePolicyFieldTests {
    func schema(_ field: String) throws -> TableSchema? {
        let state = try sentinelState()
        let value = try state.run(
            "return sentinel.table { name = 'audit', partition_key = 'id', resource_policy = \(field) }",
            name: "p.lua")
        return try ScriptSchemas.read(value).first
    }

    @Test func textAndATableAreBothWrittenAsCompactJSON() throws {
        // The schema value holds the policy as a table, so text comes back compact, members in order.
        let text = #"{ "Version": "2012-10-17", "Statement": [ ] }"#
        #expect(try schema("[[\(text)]]")?.resourcePolicy.text == #"{"Statement":[],"Version":"2012-10-17"}"#)
        let table = try schema(
            """
            { Version = "2012-10-17", Statement = { { Effect = "Allow", Principal = { AWS = "arn:aws:iam::1:root" },
              Action = { "dynamodb:GetItem", "dynamodb:Query" }, Resource = "*", Condition = { NumericLessThan = { ["aws:x"] = 3 } } } } }
            """)
        #expect(
            table?.resourcePolicy.text
                == #"{"Statement":[{"Action":["dynamodb:GetItem","dynamodb:Query"],"Condition":{"NumericLessThan":{"aws:x":3}},"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Resource":"*"}],"Version":"2012-10-17"}"#
        )
        #expect(try schema("nil")?.resourcePolicy == .unmanaged)
    }

    /// No field leaves the policy alone; `false` asks for none, and the schema value keeps `false`
    /// (so a copy, `--format lua` and `from_table`'s edits say the same).
    @Test func falseAsksForNoPolicyAndNoFieldLeavesItAlone() throws {
        #expect(try schema("false")?.resourcePolicy == .noPolicy)
        let state = try sentinelState()
        let values = try state.run(
            """
            local plain = sentinel.table { name = 'audit', partition_key = 'id' }
            local closed = sentinel.table { name = 'audit', partition_key = 'id', resource_policy = false }
            return plain.resource_policy, closed.resource_policy, closed:copy()
            """, name: "f.lua")
        #expect(Array(values.prefix(2)) == [.nil, .boolean(false)], "\(values)")
        #expect(try ScriptSchemas.read([values[2]]).first?.resourcePolicy == .noPolicy)
        #expect(try ScriptSchemas.read([values[2]]).first?.schemaDocument()["resource_policy"] == false)
    }

    @Test func theValueAScriptSeesRoundTrips() throws {
        let state = try sentinelState()
        let value = try state.run(
            """
            local s = sentinel.table { name = 'audit', partition_key = 'id',
              resource_policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem"}]}' }
            assert(s.resource_policy.Statement[1].Effect == "Allow")
            s.resource_policy.Statement[1].Effect = "Deny"
            return s
            """, name: "r.lua")
        let read = try #require(try ScriptSchemas.read(value).first)
        #expect(
            ResourcePolicy.same(
                read.resourcePolicy.text,
                #"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "dynamodb:GetItem"}]}"#
            ))
    }

    @Test func mistakesAreNamedByPath() throws {
        let state = try sentinelState()
        let wrongType = luaError {
            try state.run(
                "sentinel.table { name = 'a', partition_key = 'id', resource_policy = { Statement = { print } } }",
                name: "w.lua")
        }
        #expect(
            wrongType?.message.contains("resource_policy.Statement[1]") == true,
            "\(String(describing: wrongType))")
        let number = luaError {
            try state.run(
                "sentinel.table { name = 'a', partition_key = 'id', resource_policy = 5 }", name: "n.lua")
        }
        #expect(number?.message.contains("resource_policy") == true, "\(String(describing: number))")
        let yes = luaError {
            try state.run(
                "sentinel.table { name = 'a', partition_key = 'id', resource_policy = true }", name: "y.lua")
        }
        #expect(
            yes?.message.contains(
                "'resource_policy' in sentinel.table (JSON string, table or false expected, got true)")
                == true,
            "\(String(describing: yes))")
        let values = try state.run(
            "return sentinel.validate(sentinel.table { name = 'abc', partition_key = 'id', "
                + "resource_policy = { Version = '2012-10-17' } })", name: "v.lua")
        #expect(
            values == [.nil, .text("resource_policy.Statement: a policy needs a Statement")], "\(values)")
        let text = try state.run(
            "return sentinel.validate(sentinel.table { name = 'abc', partition_key = 'id', "
                + "resource_policy = '{oops' })", name: "t.lua")
        #expect(text == [.nil, .text("resource_policy: policy is not valid JSON")], "\(text)")
    }
}

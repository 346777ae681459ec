import FakeDynamoDB
import Lua
import Provisioning
import Schema
import SentinelScript
import Testing

/// The provisioning functions from Lua, against the in-memory control plane.
@Suite struct ProvisioningFunctionTests {
    func state(_ fake: FakeDynamoDB) throws -> LuaState {
        let state = try LuaState()
        let services = SentinelServices(
            controlPlane: { fake },
            waitPolicy: WaitPolicy(firstDelay: .milliseconds(1), maximumDelay: .milliseconds(5)))
        try SentinelModule.install(into: state, services: services)
        return state
    }

    @Test func planApplyStatusAndDeleteFromAScript() async throws {
        let fake = FakeDynamoDB(transitionPolls: 2)
        let results = try await onScriptThread { [self] in
            try state(fake).run(
                """
                local s = sentinel.schema.sessions { name = "lua-sessions" }
                local plan = sentinel.plan(s)
                assert(#plan == 1 and plan[1].exists == false, "new table")
                assert(plan[1].actions[1].action == "create_table" and plan[1].actions[1].symbol == "+")
                local applied = sentinel.apply { s }
                assert(applied[1].status == "CREATED", applied[1].error)
                assert(applied[1].arn:find("table/lua%-sessions$"))
                assert(sentinel.apply({ s })[1].status == "EXISTS")
                local st = sentinel.status "lua-sessions"
                assert(st.status == "ACTIVE" and #st.gsis == 4 and st.ttl.attribute == "ttl")
                local many = sentinel.status { "lua-sessions", "nope" }
                assert(many[2].status == "NOT_FOUND" and many[2].exists == false)
                assert(sentinel.wait("lua-sessions").status == "ACTIVE")
                assert(sentinel.delete("lua-sessions", { confirm = true }))
                return sentinel.status("lua-sessions").status
                """, name: "ops.lua")
        }
        #expect(results == [.text("NOT_FOUND")])
    }

    @Test func offlinePlanNeedsNoAWS() throws {
        let state = try LuaState()
        try SentinelModule.install(into: state)
        let results = try state.run(
            "return #sentinel.plan({ sentinel.schema.approvals() }, { offline = true })[1].actions",
            name: "p.lua")
        #expect(results == [.integer(2)])
        let error = luaError {
            try state.run("sentinel.apply { sentinel.schema.approvals() }", name: "a.lua")
        }
        #expect(
            error?.message == "a.lua:1: sentinel.apply needs AWS access, which this script was not given")
    }

    @Test func mistakesNameTheLine() throws {
        let state = try state(FakeDynamoDB())
        let confirm = luaError { try state.run("\nsentinel.delete('t')", name: "d.lua") }
        #expect(confirm?.message.hasPrefix("d.lua:2: sentinel.delete deletes table 't'") == true)
        let typo = luaError {
            try state.run(
                "sentinel.apply({ sentinel.schema.approvals() }, { wait_timout = 1 })", name: "o.lua")
        }
        #expect(
            typo?.message
                == "o.lua:1: unknown option 'wait_timout' in sentinel.apply (did you mean 'wait_timeout'?)")
        let notSchemas = luaError { try state.run("sentinel.plan(42)", name: "n.lua") }
        #expect(
            notSchemas?.message
                == "n.lua:1: bad argument #1 to 'sentinel.plan' (schema or list of schemas expected, got number)"
        )
    }

    @Test(arguments: [
        "sentinel.wait('t', { timeout = 1e16 })", "sentinel.wait('t', { timeout = -1 })",
        "sentinel.wait('t', { timeout = 0/0 })", "sentinel.wait('t', { timeout = math.huge })",
        "sentinel.apply({ sentinel.schema.approvals() }, { wait_timeout = 1e16 })",
        "sentinel.apply({ sentinel.schema.approvals() }, { wait_timeout = 0 })",
    ])
    func outOfRangeSecondsAreErrorsNamingTheOption(call: String) throws {
        // 1e16 seconds used to trap converting to milliseconds.
        let state = try state(FakeDynamoDB())
        let error = luaError { try state.run(call, name: "w.lua") }
        let option =
            call.contains("wait_timeout") ? "wait_timeout of sentinel.apply" : "timeout of sentinel.wait"
        let quoted = option.replacingOccurrences(of: " of", with: "' of")
        #expect(
            error?.message.hasPrefix(
                "w.lua:1: option '\(quoted) must be a number of seconds greater than 0 and at most 31536000, got "
            )
                == true, "\(error?.message ?? "no error")"
        )
    }

    @Test func aFailedTableIsAResultNotAnError() async throws {
        let fake = FakeDynamoDB()
        let results = try await onScriptThread { [self] in
            try state(fake).run(
                """
                local bad = sentinel.table { name = "x", partition_key = "id", billing_mode = "PROVISIONED" }
                local r = sentinel.apply { bad, sentinel.schema.breakglass() }
                return r[1].status, r[1].error, r[2].status
                """, name: "f.lua")
        }
        #expect(results.first == .text("FAILED"))
        #expect(results.dropFirst().first?.stringValue?.contains("read_capacity") == true)
        #expect(results.last == .text("CREATED"))
    }

    /// DynamoDB's rules reach scripts the same way inside a coroutine as outside: a TTL rename is
    /// PENDING with the time the rest can run, and two schemas naming one table are refused.
    @Test func rulesGiveTheSameResultsInACoroutine() async throws {
        let fake = FakeDynamoDB()
        await fake.enforceTimeToLiveHour()
        let results = try await onScriptThread { [self] in
            try state(fake).run(
                """
                local function rename(name)
                  assert(sentinel.apply({ sentinel.table { name = name, partition_key = "id", ttl = "a" } })[1]
                    .status == "CREATED")
                  local r = sentinel.apply({ sentinel.table { name = name, partition_key = "id", ttl = "b" } })[1]
                  local t = sentinel.table { name = name .. "-dup", partition_key = "id" }
                  local dup = sentinel.apply { t, t }
                  return r.status .. " " .. r.pending.step.summary .. " " .. tostring(r.pending.not_before ~= nil)
                    .. " " .. dup[1].status .. " " .. tostring(dup[2].error:find("#1 and #2", 1, true) ~= nil)
                end
                local outside = rename("outside")
                local inside = coroutine.wrap(function() return rename("inside") end)()
                return outside, inside
                """, name: "rules.lua")
        }
        // The fake's hour never ends: even the first phase (disable) must wait.
        let expected = LuaValue.text("PENDING disable TTL on a true FAILED true")
        #expect(results == [expected, expected])
    }
}

import DynamoDB
import Foundation
import Lua
import Provisioning
import SentinelScript
import Testing

/// Every `sentinel` function and method gives the same results inside a coroutine (wrapped, created
/// with `coroutine.create`, nested three deep, yielding between calls) as outside, against the local
/// DynamoDB server. A producer coroutine around `db.each` is the natural way users hit this.
@Suite struct CoroutineParityTests {
    @Test func everyFunctionGivesTheSameResultsInACoroutine() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("parity")
            // db.export and db.import reach only files inside the working directory.
            let files = "parity-files-\(table)"
            try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: files) }
            let results = try await onScriptThread {
                let state = try LuaState()
                try SentinelModule.install(
                    into: state,
                    services: SentinelServices(
                        controlPlane: { DynamoDBControlPlane(client: client) }, dynamoDB: { client },
                        waitPolicy: WaitPolicy(firstDelay: .milliseconds(1), maximumDelay: .milliseconds(20))),
                    target: Self.targets[0], targets: Self.targets)
                return try state.run(
                    Self.driver, name: "parity.lua", arguments: [.text(table), .text(files)])
            }
            let missing = results.first?.arrayValue?.compactMap(\.stringValue) ?? ["no result"]
            let mismatches = results.dropFirst().first?.arrayValue?.compactMap(\.stringValue) ?? ["no result"]
            #expect(missing.isEmpty, "functions without a case: \(missing.joined(separator: ", "))")
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
            #expect((results.last?.integerValue ?? 0) >= 49)
        }
    }

    /// What `sentinel.target` and `sentinel.targets()` give.
    static let targets = [
        Target(name: "dev", region: "eu-west-1", account: "111111111111", arguments: ["dev"]),
        Target(name: "prod", profile: "sentinel-prod", arguments: ["prod"], isProtected: true),
    ]

    /// Each case calls functions with fixed arguments and describes the results as a string (errors
    /// included, caught inside the case so that coroutine.wrap adds no position). The table and its
    /// items are set up first, so every case is repeatable.
    static let driver = #"""
        local name, files = ...
        local db, find = sentinel.db, sentinel.find
        local exports = 0
        local migrations = 0

        -- A description of any value, with table keys sorted, so two runs can be compared.
        local function describe(v, depth)
          depth = depth or 0
          local t = type(v)
          if t == "table" and depth < 8 then
            local keys = {}
            for k in pairs(v) do keys[#keys + 1] = k end
            table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
            local parts = {}
            for _, k in ipairs(keys) do
              parts[#parts + 1] = tostring(k) .. "=" .. describe(v[k], depth + 1)
            end
            return (getmetatable(v) and (getmetatable(v).__name or "mt") or "") .. "{" .. table.concat(parts, ",") .. "}"
          elseif t == "function" or t == "thread" then
            return t
          end
          return t .. ":" .. tostring(v)
        end

        local function outcome(f)
          local results = table.pack(pcall(f))
          local parts = {}
          for i = 1, results.n do parts[i] = describe(results[i]) end
          -- AWS's request ids differ from call to call.
          return (table.concat(parts, " | "):gsub("request id [^,)]+", "request id ..."))
        end

        local schema = sentinel.table {
          name = name, partition_key = "id", sort_key = "created_at", ttl = "ttl",
          gsis = { { name = "gsi-status", partition_key = "status", sort_key = "created_at" },
            { name = "gsi-tenant", partition_key = { "tenant", "region" }, sort_key = "created_at" } },
        }
        local other = sentinel.table { name = name .. "-other", partition_key = "id" }
        local watched = sentinel.table { name = name .. "-w", partition_key = "id", stream = "NEW_AND_OLD_IMAGES" }
        assert(sentinel.apply({ schema, watched })[1].error == nil)
        db.put(name .. "-w", { id = "w", n = 1 })
        db.update(name .. "-w", { id = "w" }, { n = 2 })
        db.put_all(name, {
          { id = "a", created_at = "2024-01-01", status = "active", n = 1 },
          { id = "a", created_at = "2024-01-02", status = "done", n = 2 },
          { id = "b", created_at = "2024-01-03", status = "active", n = 3 },
        })

        local cases = {
          { "sentinel.schema.approvals", function() return sentinel.schema.approvals { name = "x" } end },
          { "sentinel.schema.breakglass", function() return sentinel.schema.breakglass() end },
          { "sentinel.schema.sessions", function() return sentinel.schema.sessions { name = "s" } end },
          { "sentinel.schema.from_table", function()
            local s = sentinel.schema.from_table(name)
            return s, #sentinel.plan(s)[1].actions end },
          { "sentinel.schema.from_table (missing)", function() return sentinel.schema.from_table(name .. "-none") end },
          { "sentinel.table", function() return sentinel.table { name = "t", partition_key = { name = "k", type = "N" } } end },
          { "sentinel.table (bad)", function() return sentinel.table { nmae = "t" } end },
          { "sentinel.table (resource_policy = false)", function()
            local s = sentinel.table { name = "t", partition_key = "k", resource_policy = false }
            return s, sentinel.plan({ s }, { offline = true }) end },
          { "sentinel.table (resource_policy = true)", function()
            return sentinel.table { name = "t", partition_key = "k", resource_policy = true } end },
          { "sentinel.validate", function() return sentinel.validate(sentinel.schema.sessions()) end },
          { "sentinel.validate (bad)", function()
            local s = sentinel.schema.sessions() s.billing_mode = "PROVISIONED" return sentinel.validate(s) end },
          { "schema.add_gsi", function()
            return sentinel.schema.sessions():add_gsi { name = "gsi-device-id", partition_key = "device_id", sort_key = "created_at" } end },
          { "schema.add_gsi (multi-attribute keys)", function()
            return sentinel.table { name = "t", partition_key = "k" }:add_gsi {
              name = "gsi-tr", partition_key = { "tenant", { name = "region", type = "S" } }, sort_key = { "a", "b" } } end },
          { "sentinel.validate (multi-attribute keys, bad)", function()
            return sentinel.validate(sentinel.table { name = "t", partition_key = "k",
              gsis = { { name = "gsi-tr", partition_key = { "a", "b", "c", "d", "e" }, sort_key = { "a" } } } }) end },
          { "sentinel.plan (multi-attribute key narrowed)", function()
            local s = sentinel.schema.from_table(name)
            s.gsis[2].partition_key = "region"
            return sentinel.plan { s } end },
          { "schema.remove_gsi", function() return sentinel.schema.sessions():remove_gsi("gsi-user") end },
          { "schema.copy", function() return sentinel.schema.approvals():copy() end },
          { "schema.validate", function() return sentinel.schema.breakglass():validate() end },
          { "sentinel.plan", function() return sentinel.plan { schema } end },
          { "sentinel.plan (offline)", function() return sentinel.plan({ schema }, { offline = true }) end },
          { "sentinel.apply", function() return sentinel.apply { schema } end },
          { "sentinel.status", function() return sentinel.status(name) end },
          { "sentinel.wait", function() return sentinel.wait(name, { timeout = 30 }) end },
          { "sentinel.delete", function()
            assert(sentinel.apply({ other })[1].error == nil)
            return sentinel.delete(name .. "-other", { confirm = true }) end },
          { "sentinel.delete (unconfirmed)", function() return sentinel.delete(name) end },
          { "sentinel.db.tables", function()
            for _, t in ipairs(db.tables()) do if t == name then return true end end return false end },
          { "sentinel.db.describe", function() local d = db.describe(name) return d.TableName, d.KeySchema end },
          { "sentinel.db.get", function() return db.get(name, { id = "a", created_at = "2024-01-01" }) end },
          { "sentinel.db.put", function() return db.put(name, { id = "c", created_at = "2024-02-01", status = "x" }) end },
          { "sentinel.db.delete", function()
            db.put(name, { id = "d", created_at = "2024-03-01" })
            return db.delete(name, { id = "d", created_at = "2024-03-01" }) end },
          { "sentinel.db.update", function()
            return db.update(name, { id = "a", created_at = "2024-01-01" }, { n = 1, note = "kept" }, { remove = { "gone" } }) end },
          { "sentinel.db.put (exists = false)", function()
            return db.put(name, { id = "a", created_at = "2024-01-02", status = "overwritten" }, { exists = false }) end },
          { "sentinel.db.update (condition)", function()
            return db.update(name, { id = "b", created_at = "2024-01-03" }, { n = 0 }, { condition = { status = "never" } }) end },
          { "sentinel.db.delete (condition)", function()
            return db.delete(name, { id = "b", created_at = "2024-01-03" }, { condition = { n = { ">", 99 } }, exists = true }) end },
          { "sentinel.db.query", function() return db.query(name, { where = { id = "a" } }) end },
          { "sentinel.db.update (actions)", function()
            local key = { id = "b", created_at = "2024-01-03" }
            local item = db.update(name, key, nil, {
              add = { tags = sentinel.set { "x" } }, append = { log = { 1 } }, prepend = { { { "pre" }, { 0 } } },
              if_not_exists = { first = "f" }, set = { { { "m" }, { k = 1 } } } })
            db.update(name, key, nil, { remove = { "log", "pre", { "m", "k" } }, delete_from = { tags = sentinel.set { "x" } } })
            return item end },
          { "sentinel.db.scan", function() return #db.scan(name, { limit = 1000 }) end },
          { "sentinel.db.each", function()
            local ids = {}
            for item in db.each(name, { index = "gsi-status", where = { status = "active" } }) do ids[#ids + 1] = item.id end
            table.sort(ids)
            return table.concat(ids, ",") end },
          { "sentinel.db.count", function() return db.count(name, { where = { id = "a" } }) end },
          { "sentinel.db.put_all", function()
            return db.put_all(name, { { id = "e", created_at = "1" }, { id = "e", created_at = "2" } }) end },
          { "sentinel.db.put_all (budget)", function()
            return db.put_all(name, { { id = "f", created_at = "1" } }, { max_wcu = 1000 }) end },
          { "sentinel.db.scan (budget)", function()
            return #db.scan(name, { limit = 1000, segments = 2, max_rcu = 1000 }) end },
          { "sentinel.db.get_all", function()
            return db.get_all(name, { { id = "a", created_at = "2024-01-02" }, { id = "zz", created_at = "0" } }) end },
          { "sentinel.db.transact", function()
            return db.transact {
              { put = name, item = { id = "t", created_at = "1", n = 1 } },
              { check = name, key = { id = "a", created_at = "2024-01-01" }, exists = true },
            } end },
          { "sentinel.db.transact (cancelled)", function()
            local ok, why, reasons = db.transact {
              { update = name, key = { id = "t", created_at = "1" }, add = { n = 1 } },
              { check = name, key = { id = "a", created_at = "2024-01-01" }, condition = { status = "never" } },
            }
            return ok, why, reasons[1].code, reasons[2].code, reasons[2].item.id end },
          { "sentinel.db.transact_get", function()
            local got = db.transact_get { { name, { id = "t", created_at = "1" } }, { table = name, key = { id = "zz", created_at = "0" } } }
            return got.n, got[1].n, got[2] end },
          { "sentinel.db.execute", function()
            return db.execute("SELECT * FROM \"" .. name .. "\" WHERE id = ?", { "t" }) end },
          { "sentinel.db.each (PartiQL)", function()
            local ids = {}
            for item in db.each("SELECT * FROM \"" .. name .. "\" WHERE id = ?", { "a" }) do ids[#ids + 1] = item.created_at end
            table.sort(ids)
            return table.concat(ids, ",") end },
          { "sentinel.db.watch", function()
            local events = {}
            local given = db.watch(name .. "-w", { since = "trim_horizon", until_caught_up = true }, function(c)
              events[#events + 1] = c.event .. ":" .. table.concat(c.changed, ",")
            end)
            local first
            local stopped = db.watch(name .. "-w", { since = "trim_horizon" }, function(c) first = c.new.n return false end)
            return given, table.concat(events, " "), stopped, first end },
          { "sentinel.db.watch (error)", function()
            return db.watch(name .. "-w", { since = "trim_horizon" }, function(c) error("no " .. c.event) end) end },
          { "sentinel.db.watch (no stream)", function() return db.watch(name, nil, function() end) end },
          { "sentinel.db.export", function()
            exports = exports + 1
            return db.export(name, files .. "/items-" .. exports .. ".json") end },
          { "sentinel.db.import", function() return db.import(name, files .. "/items-1.json") end },
          { "sentinel.migrate", function()
            migrations = migrations + 1
            local to = sentinel.table {
              name = name .. "-m" .. migrations, partition_key = "status", sort_key = "key",
            }
            local report = sentinel.migrate {
              from = name, to = to, checkpoint_dir = files, verify = "all",
              transform = function(item)
                if item.id == "b" then return nil end
                item.key = item.id .. "#" .. item.created_at
                return item
              end,
            }
            return report.scanned, report.copied, report.left_out, report.checked, report.verified end },
          { "sentinel.migrate (bad)", function()
            migrations = migrations + 1
            return sentinel.migrate {
              from = name, to = sentinel.table { name = name .. "-m" .. migrations, partition_key = "status" },
              checkpoint_dir = files, transform = function(item) error("no " .. item.id) end,
            } end },
          { "sentinel.db.get (bad)", function() return db.get(name, { nope = 1 }) end },
          { "sentinel.find.pending_requests", function() return find.pending_requests { table = name } end },
          { "sentinel.find.requests_by", function() return find.requests_by { table = name, requester = "u" } end },
          { "sentinel.find.active_breakglass", function() return find.active_breakglass { table = name } end },
          { "sentinel.find.active_sessions", function() return find.active_sessions { table = name } end },
          { "sentinel.find.sessions_on", function() return find.sessions_on { table = name, server_instance_id = "i" } end },
          { "sentinel.set", function() local s = sentinel.set { "b", "a" } return s, #s, s:values(), tostring(s) end },
          { "sentinel.set (bad)", function() return sentinel.set {} end },
          { "sentinel.binary", function() local b = sentinel.binary "\0\1" return b, #b, b:bytes(), tostring(b) end },
          { "sentinel.number", function()
            local n = sentinel.number "12345678901234567890.5"
            return tostring(n), n:float(), n == sentinel.number "12345678901234567890.5", n < sentinel.number "2e19" end },
          { "sentinel.set.values", function() return sentinel.set { 1, 2 }:values() end },
          { "sentinel.binary.bytes", function() return sentinel.binary("xyz"):bytes() end },
          { "sentinel.number.float", function() return sentinel.number("0.1"):float() end },
          { "sentinel.list", function() return sentinel.list {} end },
          { "sentinel.map", function() return sentinel.map {} end },
          { "sentinel.set.__eq and __len", function() return sentinel.set { "x" } == sentinel.set { "x" } end },
          { "sentinel.binary.__eq and __len", function() return sentinel.binary "a" == sentinel.binary "a" end },
          { "sentinel.number.__le", function() return sentinel.number "1" <= 2, sentinel.null == sentinel.null end },
          { "sentinel.targets", function() return sentinel.targets(), sentinel.target end },
          { "many calls", function()
            local n = 0
            for i = 1, 2000 do n = n + #sentinel.set { tostring(i) } end
            return n end },
        }

        -- Every function reachable from `sentinel` and from the values' metatables needs a case.
        local covered = {}
        for _, case in ipairs(cases) do covered[case[1]:match("^[^ ]+")] = true end
        local missing = {}
        local function collect(v, path, seen)
          if seen[v] then return end
          seen[v] = true
          for k, m in pairs(v) do
            local p = path .. "." .. k
            if type(m) == "function" and not k:match("^__") then
              if not covered[p:gsub("%.__index", "")] then missing[#missing + 1] = p end
            elseif type(m) == "table" then
              collect(m, p, seen)
            end
          end
        end
        collect(sentinel, "sentinel", {})
        collect(getmetatable(sentinel.schema.sessions()), "schema", {})
        for _, v in ipairs { sentinel.set { "a" }, sentinel.binary "x", sentinel.number "1.5" } do
          collect(getmetatable(v), getmetatable(v).__name, {})
        end
        table.sort(missing)

        local shapes = {
          wrapped = function(f) return coroutine.wrap(function() return outcome(f) end)() end,
          created = function(f)
            local ok, r = coroutine.resume(coroutine.create(function() return outcome(f) end))
            assert(ok, r)
            return r
          end,
          nested = function(f)
            return coroutine.wrap(function()
              return coroutine.wrap(function() return coroutine.wrap(function() return outcome(f) end)() end)()
            end)()
          end,
          yielding = function(f)
            local co = coroutine.wrap(function()
              coroutine.yield(outcome(f))
              return outcome(f)
            end)
            local first = co()
            return first == co() and first or "differs between resumes"
          end,
        }
        local shapeNames = { "wrapped", "created", "nested", "yielding" }

        local mismatches = {}
        for _, case in ipairs(cases) do
          local expected = outcome(case[2])
          for _, shapeName in ipairs(shapeNames) do
            local got = shapes[shapeName](case[2])
            if got ~= expected then
              mismatches[#mismatches + 1] = ("%s (%s): %s ~= %s"):format(case[1], shapeName, got, expected)
            end
          end
        end
        sentinel.delete(name, { confirm = true })
        sentinel.delete(name .. "-w", { confirm = true })
        return missing, mismatches, #cases
        """#
}

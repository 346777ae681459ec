import Foundation
import Lua
import SentinelScript
import Testing

/// Random Lua values (wrong types, huge strings, deep nesting, cycles, NaN, metatables whose metamethods
/// raise, coroutines, other functions' results) passed to every function of the `sentinel` table and
/// every method of the values they return, called directly or from coroutines. Each call must return or raise an error with a message; a
/// crash, a trap or a hang fails the run (a hang by the time limit). The state has no AWS access, so
/// the functions that would call AWS check their arguments and then refuse quickly: nothing reaches the
/// network. Lua's generator is seeded, so a failing seed replays exactly.
@Suite struct SentinelFuzzTests {
    static let seeds: [Int64] = [1, 2, 3, 4]
    /// The calls each seed makes in `scripts/test`.
    static let defaultCallsPerSeed = 30_000
    /// `SENTINEL_TABLES_FUZZ_CALLS_PER_SEED` when set: `scripts/sanitize` makes fewer calls, since under
    /// AddressSanitizer each is several times slower and it looks for memory errors, which a smaller
    /// run of the same generator still reaches.
    static let callsPerSeed: Int = {
        let given = ProcessInfo.processInfo.environment["SENTINEL_TABLES_FUZZ_CALLS_PER_SEED"].flatMap {
            Int($0)
        }
        return given.map { max(1, $0) } ?? defaultCallsPerSeed
    }()

    @Test(arguments: seeds)
    func everyFunctionReturnsOrRaisesWithAMessage(seed: Int64) async throws {
        let (calls, failures) = try await onScriptThread { () throws -> (Int64, [String]) in
            // The time limit turns a hang into a failure; the memory cap keeps a runaway case bounded.
            let state = try LuaState(
                LuaConfiguration(limits: LuaLimits(memoryBytes: 1 << 30, time: .seconds(600))))
            try SentinelModule.install(into: state)
            let results = try state.run(
                Self.driver, name: "fuzz.lua",
                arguments: [.integer(seed), .integer(Int64(Self.callsPerSeed))])
            let failures = results.dropFirst().first?.arrayValue?.compactMap(\.stringValue) ?? ["no result"]
            return (results.first?.integerValue ?? 0, failures)
        }
        #expect(calls == Int64(Self.callsPerSeed))
        #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "\n"))")
    }

    @Test func theSeedsTogetherMakeAtLeastAHundredThousandCalls() {
        #expect(Self.seeds.count * Self.defaultCallsPerSeed >= 100_000)
    }

    /// The fuzzer, in Lua so that a case costs one call rather than a trip through Swift per value.
    static let driver = #"""
        local seed, calls = ...
        math.randomseed(seed)
        local random = math.random

        -- Every function reachable from `sentinel`, by its path.
        local targets = {}
        local function collect(value, path, seen)
          if seen[value] then return end
          seen[value] = true
          for key, member in pairs(value) do
            local name = path .. "." .. tostring(key)
            if type(member) == "function" then
              targets[#targets + 1] = { name = name, fn = member }
            elseif type(member) == "table" then
              collect(member, name, seen)
            end
          end
        end
        collect(sentinel, "sentinel", {})
        table.sort(targets, function(a, b) return a.name < b.name end)

        local function raiser(name)
          return function() error("fuzz: " .. name .. " raised", 0) end
        end
        local hostile = {}
        for _, event in ipairs({ "__index", "__newindex", "__len", "__pairs", "__tostring", "__eq", "__lt",
                                 "__le", "__concat", "__call", "__close", "__name" }) do
          local meta = { [event] = event == "__name" and 42 or raiser(event) }
          hostile[#hostile + 1] = meta
        end
        local every = {}
        for _, meta in ipairs(hostile) do for k, v in pairs(meta) do every[k] = v end end
        hostile[#hostile + 1] = every

        local huge = string.rep("x", 1 << 20)
        local words = { "id", "S", "N", "B", "name", "type", "partition_key", "sort_key", "gsis", "lsis",
          "projection", "ALL", "KEYS_ONLY", "INCLUDE", "non_key_attributes", "billing_mode", "PROVISIONED",
          "PAY_PER_REQUEST", "read_capacity", "write_capacity", "ttl", "encryption", "KMS", "DEFAULT",
          "CUSTOMER_KEY", "kms_key", "deletion_protection", "point_in_time_recovery", "stream",
          "NEW_IMAGE", "table_class", "STANDARD", "tags", "offline", "where", "filter", "index", "limit",
          "page_size", "segments", "consistent", "descending", "remove", "condition", "add", "delete_from", "append", "prepend", "if_not_exists", "set", "between", "begins_with", "exists",
          "contains", "=", "<", "<=", ">", ">=", "<>", "wait_timeout", "since", "until", "table", "status",
          "", "\0", "\xff\xfe", "é", "a.b", "#n0", ":v0", "sentinel-sessions", "alias/key" }
        local pool = { sentinel.null, sentinel.schema.sessions(), sentinel.set { "a", "b" },
          sentinel.binary "\0\1", sentinel.number "12345678901234567890.5", sentinel.list {},
          sentinel.map {} }

        local value
        local function table_of(depth)
          local t = {}
          for _ = 1, random(0, 6) do
            if random(2) == 1 then
              t[#t + 1] = value(depth + 1)
            else
              local key = random(8) == 1 and value(depth + 1) or words[random(#words)]
              if key ~= nil and key == key then t[key] = value(depth + 1) end
            end
          end
          return t
        end

        function value(depth)
          local kind = random(depth > 4 and 15 or 22)
          if kind == 1 then return nil
          elseif kind == 2 then return random(2) == 1
          elseif kind == 3 then
            local numbers = { 0, -1, 1, 3, 40, math.maxinteger, math.mininteger, 0 / 0, 1 / 0, -1 / 0, -0.0,
              0.5, 1e308, 5e-324, 2 ^ 53, 1e38 }
            return numbers[random(#numbers)]
          elseif kind <= 6 then return words[random(#words)]
          elseif kind == 7 then
            local n = random(0, 40)
            local bytes = {}
            for i = 1, n do bytes[i] = string.char(random(0, 255)) end
            return table.concat(bytes)
          elseif kind == 8 then return random(50) == 1 and huge or string.rep(words[random(#words)], random(1, 300))
          elseif kind == 9 then return pool[random(#pool)]
          elseif kind == 10 then return targets[random(#targets)].fn
          elseif kind == 11 then return coroutine.create(function() end)
          elseif kind == 12 then
            local t = table_of(depth)
            t.self = t
            t[#t + 1] = t
            return t
          elseif kind == 13 then
            -- Nesting deeper than any converter should follow; or, shallower, one table shared at
            -- every level, which doubles what a copy holds with each level.
            local shared = random(2) == 1
            local t = {}
            local inner = t
            for _ = 1, shared and random(1, 12) or random(1, 300) do
              local child = { name = "n" }
              inner.gsis = { child }
              if shared then inner.partition_key = child end
              inner = child
            end
            return t
          elseif kind == 14 then return setmetatable(table_of(depth), hostile[random(#hostile)])
          else return table_of(depth)
          end
        end

        -- A schema-shaped table with random changes, to get past the first checks.
        local function schema_like()
          local s = sentinel.schema.sessions { name = "t" .. random(1000) }
          for _ = 1, random(1, 3) do
            local field = words[random(#words)]
            local ok = pcall(function() s[field] = value(2) end)
            if not ok then break end
          end
          if random(3) == 1 then pcall(function() s.gsis[random(4)] = value(2) end) end
          return s
        end

        local failures = {}
        local function argument(position)
          local roll = random(10)
          if roll == 1 then return schema_like() end
          if roll == 2 and position > 1 then return { offline = true } end
          return value(0)
        end

        for case = 1, calls do
          local name, fn, args, n
          local pooled = pool[random(#pool)]
          local meta = getmetatable(pooled)
          local methods = type(meta) == "table" and type(meta.__index) == "table" and meta.__index or nil
          if methods and random(4) == 1 then
            local names = {}
            for k, v in next, methods do if type(v) == "function" then names[#names + 1] = k end end
            table.sort(names)
            if #names > 0 then
              local method = names[random(#names)]
              name, fn = "method " .. method, methods[method]
              n = random(0, 3)
              args = { random(3) == 1 and value(0) or pooled }
              for i = 2, n + 1 do args[i] = argument(i) end
              n = n + 1
            end
          end
          if fn == nil then
            local target = targets[random(#targets)]
            name, fn = target.name, target.fn
            n = random(0, 4)
            args = {}
            for i = 1, n do args[i] = argument(i) end
          end
          -- A third of the calls are made from a coroutine (wrapped, created, or nested), whose
          -- stack is not the main thread's.
          local shape = random(6)
          local function call() return fn(table.unpack(args, 1, n)) end
          local results
          if shape == 1 then
            results = table.pack(pcall(coroutine.wrap(call)))
          elseif shape == 2 then
            results = table.pack(coroutine.resume(coroutine.create(call)))
          elseif shape == 3 then
            results = table.pack(pcall(coroutine.wrap(function()
              return coroutine.wrap(function() return coroutine.wrap(call)() end)()
            end)))
          else
            results = table.pack(pcall(fn, table.unpack(args, 1, n)))
          end
          if results[1] then
            for i = 2, results.n do
              local result = results[i]
              if type(result) == "table" or type(result) == "userdata" or type(result) == "function" then
                if #pool < 200 then pool[#pool + 1] = result else pool[random(8, #pool)] = result end
              end
            end
          else
            local message = results[2]
            local raisedByFuzzer = type(message) == "string" and message:find("fuzz: ", 1, true) ~= nil
            if not raisedByFuzzer and (type(message) ~= "string" or #message == 0) then
              if #failures < 20 then
                failures[#failures + 1] = ("case %d: %s raised a %s without a message"):format(
                  case, name, type(message))
              end
            end
          end
          if case % 1000 == 0 then collectgarbage() end
        end
        return calls, failures
        """#
}

import DynamoDB
import Foundation
import JSON
import Lua
import Provisioning
import SentinelScript
import Synchronization
import Testing

/// Targets files (read in the scripts' sandbox, every problem named by its field path), what a target
/// makes of the AWS options, `sentinel.target`, and a fleet running one script on several targets,
/// each in a host of its own. No server: plans are offline.
@Suite struct TargetsTests {
    /// Writes `text` to a file of its own and loads it as a targets file; the file's path is given
    /// to `body` with the outcome.
    static func load(_ text: String) throws -> (path: String, outcome: Result<[Target], any Error>) {
        let directory = NSTemporaryDirectory() + "targets-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/targets.lua"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, Result { try TargetsFile.load(file: path) })
    }

    @Test func aTargetsFileRunsUnderTheCLIsLimitsByDefault() throws {
        #expect(TargetsFile.defaultLimits == LuaLimits(memoryBytes: 64 << 20, time: .seconds(30)))
        // A file that grows without end fails at the default memory cap instead of taking the machine's.
        let (_, outcome) = try Self.load(
            "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(64) .. i end return {}")
        #expect {
            try outcome.get()
        } throws: { error in
            (error as? LuaError)?.kind == .memory
                && (error as? LuaError)?.message.contains("memory limit of 64 MB exceeded") == true
        }
    }

    @Test func aTargetsFileGivesNamedTargetsSortedByName() throws {
        let (_, outcome) = try Self.load(
            """
            local region = "eu-west-1"
            return {
              prod = { profile = "sentinel-prod", region = region, account = "222222222222", args = { "prod" },
                       protect = true },
              dev = { profile = "sentinel-dev", region = region, account = "111111111111", args = { "dev", "x" } },
              ["local"] = { endpoint_url = "http://127.0.0.1:8000", args = {} },
            }
            """)
        let targets = try outcome.get()
        #expect(
            targets == [
                Target(
                    name: "dev", profile: "sentinel-dev", region: "eu-west-1", account: "111111111111",
                    arguments: ["dev", "x"]),
                Target(name: "local", endpointURL: "http://127.0.0.1:8000"),
                Target(
                    name: "prod", profile: "sentinel-prod", region: "eu-west-1", account: "222222222222",
                    arguments: ["prod"], isProtected: true),
            ])
    }

    @Test func everyProblemIsNamedByFileAndFieldPath() throws {
        let (path, outcome) = try Self.load(
            """
            return {
              prod = { profile = "", regoin = "eu-west-1", account = 222222222222, args = { "prod", 2 },
                       protect = "yes", endpoint_url = "ftp://x" },
              dev = { account = "1111", region = "EU West" },
              stage = "eu-west-1",
              ["bad name"] = {},
            }
            """)
        #expect(throws: TargetsFile.ReadError.self) { try outcome.get() }
        let error = try #require(outcome.failure as? TargetsFile.ReadError)
        #expect(
            error.problems == [
                "\(path): bad name: a target name is letters, digits, '-', '_' and '.' (at most 64), starting "
                    + "with a letter or digit",
                "\(path): dev.account: must be a 12-digit AWS account id, got '1111'",
                "\(path): dev.region: must be an AWS region such as eu-west-1, got 'EU West'",
                "\(path): prod.account: must be a string, got a number (quote it: account = \"222222222222\")",
                "\(path): prod.args[2]: must be a string, got a number",
                "\(path): prod.endpoint_url: is not an http(s) URL: 'ftp://x' (for example http://127.0.0.1:8000)",
                "\(path): prod.profile: must not be empty",
                "\(path): prod.protect: must be a boolean, got a string",
                "\(path): prod.regoin: unknown field (did you mean 'region'?)",
                "\(path): stage: must be a table of settings ({ profile = ..., region = ... }), got a string",
            ])
    }

    @Test func aFileThatReturnsNoTargetsSaysWhatItMustReturn() throws {
        for (text, got) in [
            ("return { { profile = 'a' } }", "a list (name each target: { dev = { ... } })"),
            ("return {}", "an empty table"), ("return 'dev'", "a string"), ("local x = 1", "a nil"),
        ] {
            let (path, outcome) = try Self.load(text)
            let error = try #require(outcome.failure as? TargetsFile.ReadError, "\(text)")
            #expect(
                error.problems == [
                    "\(path): must return a table of named targets ({ dev = { profile = ..., region = ... } }), "
                        + "got \(got)"
                ])
        }
    }

    @Test func theFileRunsInTheScriptsSandboxAndItsErrorsNameTheLine() throws {
        let (_, sandboxed) = try Self.load(
            """
            local secret = os.getenv("AWS_SECRET_ACCESS_KEY")
            return { dev = { profile = (io.open or os.execute or secret) and "leak" or "sandboxed" } }
            """)
        #expect(try sandboxed.get().first?.profile == "sandboxed")
        let (path, failing) = try Self.load("local t = {}\nreturn t.dev.profile\n")
        let error = try #require(failing.failure as? LuaError)
        #expect(error.message.hasPrefix("\(path):2: attempt to index a nil value"), "\(error.message)")
    }

    @Test func aTargetsSettingsWinOverTheCommandsAndItsAccountBecomesTheGuard() {
        let base = DynamoDBConfiguration.Options(
            region: "us-east-1", profile: "default", endpoint: nil,
            credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"))
        let target = Target(
            name: "dev", profile: "sentinel-dev", region: "eu-west-1", endpointURL: "http://127.0.0.1:8000",
            account: "111111111111")
        let options = target.awsOptions(over: base)
        #expect(options.profile == "sentinel-dev")
        #expect(options.credentials == nil)
        #expect(options.region == "eu-west-1")
        #expect(options.endpoint == "http://127.0.0.1:8000")
        #expect(options.allowedAccounts == ["111111111111"])
        #expect(Target(name: "x").awsOptions(over: base).region == "us-east-1")
        #expect(target.accountConflict(with: base) == nil)

        var guarded = base
        guarded.allowedAccounts = ["333333333333"]
        #expect(target.awsOptions(over: guarded).allowedAccounts == ["333333333333"])
        #expect(
            target.accountConflict(with: guarded)
                == "the target's account 111111111111 is not among the allowed accounts 333333333333; "
                + "nothing was sent to DynamoDB")
    }

    static let script = """
        counter = (counter or 0) + 1   -- a global: each target's host starts without it
        local names = {}
        for _, t in ipairs(sentinel.targets()) do names[#names + 1] = t.name end
        if sentinel.target.name == "broken" then error("no tables for " .. arg[1]) end
        local s = sentinel.table { name = "t-" .. arg[1] .. "-" .. counter, partition_key = "id" }
        s.tags.targets = table.concat(names, " ")
        s.deletion_protection = sentinel.target.protect
        return s
        """

    @Test func aFleetRunsTheScriptOnEachTargetInAHostOfItsOwn() async throws {
        let directory = NSTemporaryDirectory() + "fleet-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = directory + "/tables.lua"
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        let targets = [
            Target(name: "dev", arguments: ["dev"]), Target(name: "broken", arguments: ["x"]),
            Target(name: "prod", arguments: ["prod"], isProtected: true),
        ]
        let fleet = Fleet(targets: targets, configuration: ScriptHostConfiguration(aws: nil), parallel: 2)
        let runs = await fleet.plan(script: script, offline: true)
        await fleet.shutdown()
        #expect(runs.map(\.target.name) == ["dev", "broken", "prod"])
        let dev = try #require(runs[0].value?.schemas.first)
        #expect(dev.name == "t-dev-1")
        #expect(dev.tags["targets"] == "dev broken prod")
        #expect(dev.deletionProtection == false)
        let prod = try #require(runs[2].value?.schemas.first)
        #expect(prod.name == "t-prod-1")
        #expect(prod.deletionProtection == true)
        #expect(runs[1].failure?.kind == .script)
        #expect(runs[1].failure?.message.hasPrefix("\(script):4: no tables for x") == true)

        let text = FleetReport.planText(runs)
        #expect(
            text.contains("=== target dev: account unknown, region not set ===\nt-dev-1: will be created\n"))
        #expect(
            text.contains("=== target broken: account unknown, region not set ===\n! FAILED: \(script):4:"))
        #expect(
            text.hasSuffix(
                """
                TARGET  ACCOUNT  REGION   PLAN
                dev     ?        not set  1 to create, 0 to change, 0 up to date
                broken  ?        not set  FAILED: \(script):4: no tables for x
                prod    ?        not set  1 to create, 0 to change, 0 up to date

                """))
        let json = FleetReport.planJSON(runs)
        #expect(json["targets"]?[0]?["target"] == .string("dev"))
        #expect(json["targets"]?[0]?["tables"]?[0]?["table"] == .string("t-dev-1"))
        #expect(json["targets"]?[1]?["error"] != nil)
        #expect(json["targets"]?[1]?["tables"] == .array([]))
    }

    @Test func aFleetRunsAtMostParallelTargetsAtOnceAndKeepsTheirOrder() async {
        let targets = (1...7).map { Target(name: "t\($0)") }
        let fleet = Fleet(targets: targets, configuration: ScriptHostConfiguration(aws: nil), parallel: 3)
        let running = Mutex<(now: Int, most: Int)>((0, 0))
        let names = await fleet.onEachMember { member -> String in
            running.withLock {
                $0.now += 1
                $0.most = max($0.most, $0.now)
            }
            // Long enough for the others to start, were they allowed to.
            try? await Task.sleep(for: .milliseconds(20))
            running.withLock { $0.now -= 1 }
            return member.target.name
        }
        #expect(names == targets.map(\.name))
        // At most: how many did overlap is the scheduler's business.
        #expect((1...3).contains(running.withLock { $0.most }))
    }

    @Test func withoutTargetsAScriptSeesNone() throws {
        let host = try ScriptHost(ScriptHostConfiguration(aws: nil))
        let result = try host.run("return sentinel.target, #sentinel.targets()")
        #expect(result.values == [.nil, .integer(0)])
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

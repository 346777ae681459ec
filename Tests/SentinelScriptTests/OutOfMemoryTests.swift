import FakeDynamoDB
import Foundation
import Lua
import Provisioning
import SentinelScript
import Testing

/// Every example run under memory caps from generous down to tiny, in the manner of SQLite's
/// out-of-memory tests: each run either succeeds or ends with a clean memory error, never a crash, a
/// trap or an error that hides the cause. Provisioning goes to the in-memory control plane, so the
/// examples that apply tables do the whole job offline.
@Suite struct OutOfMemoryTests {
    /// 64 MB halving down to 16 KB.
    static let caps = (0...12).map { 64 * 1_048_576 >> $0 }

    static var examples: [String] {
        let directory = Self.examplesDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted()
    }

    static var examplesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples").path
    }

    enum Outcome: Equatable {
        case succeeded
        case outOfMemory
        /// Anything else: the message, which fails the test.
        case other(String)
    }

    /// Runs `example` with a cap of `bytes` from module installation to the script's last value.
    static func run(_ example: String, cap bytes: Int) async throws -> Outcome {
        let fake = FakeDynamoDB()
        let path = Self.examplesDirectory + "/" + example
        return try await onScriptThread { () -> Outcome in
            do {
                let state = try LuaState(LuaConfiguration(limits: LuaLimits(memoryBytes: bytes)))
                let services = SentinelServices(
                    controlPlane: { fake },
                    waitPolicy: WaitPolicy(firstDelay: .milliseconds(1), maximumDelay: .milliseconds(5)))
                try SentinelModule.install(into: state, services: services)
                let returned = try state.run(file: path, arguments: ["oom"])
                if example == "targets.lua" {
                    // A targets file returns targets, which read back.
                    guard !(try TargetsFile.read(returned.first ?? .nil, file: path)).isEmpty else {
                        return .other("no targets")
                    }
                } else if example != "hello.lua" && example != "run-bootstrap.lua" {
                    // The declarative examples return schemas that read back.
                    let schemas = try ScriptSchemas.read(returned)
                    guard !schemas.isEmpty else { return .other("no schemas") }
                }
                return .succeeded
            } catch let error as LuaError {
                if error.kind == .memory { return .outOfMemory }
                // A memory error that a host function turned into its own error (as add_gsi returns
                // `nil, message` for the prelude to raise) still says what happened.
                if error.message.contains("not enough memory") || error.message.contains("memory limit") {
                    return .outOfMemory
                }
                return .other("\(error.kind): \(error.message)")
            } catch {
                return .other(String(describing: error))
            }
        }
    }

    @Test(arguments: examples)
    func everyCapEndsInSuccessOrACleanMemoryError(example: String) async throws {
        var outcomes: [Int: Outcome] = [:]
        for cap in Self.caps {
            let outcome = try await Self.run(example, cap: cap)
            outcomes[cap] = outcome
            if case .other(let message) = outcome {
                Issue.record("\(example) with \(cap) bytes: \(message)")
            }
        }
        #expect(outcomes[Self.caps[0]] == .succeeded, "\(example) needs more than 64 MB")
        #expect(outcomes[Self.caps.last!] == .outOfMemory, "\(example) ran in 16 KB: is the cap applied?")
    }

    @Test func theRunBootstrapExampleReallyProvisionsUnderAGenerousCap() async throws {
        let fake = FakeDynamoDB()
        let path = Self.examplesDirectory + "/run-bootstrap.lua"
        try await onScriptThread {
            let state = try LuaState(LuaConfiguration(limits: LuaLimits(memoryBytes: 64 * 1_048_576)))
            try SentinelModule.install(into: state, services: SentinelServices(controlPlane: { fake }))
            try state.run(file: path, arguments: ["oom"])
        }
        #expect(await fake.tables.keys.sorted().allSatisfy { $0.hasSuffix("-oom") })
        #expect(await fake.tables.count == 3)
    }
}

import DynamoDB
import Foundation
import SentinelScript
import Testing

/// Issue 34: `Fleet.shutdown()` and cancellation reach every host a fleet made. Two targets whose
/// requests go to a black hole (accepted, never answered), stopped while their scripts wait on it or
/// while their plans of the live tables do.
@Suite struct FleetStopTests {
    /// Fixed fake keys: nothing checks them, and no request is ever answered.
    static let configuration = ScriptHostConfiguration(
        aws: DynamoDBConfiguration.Options(
            region: "us-east-1",
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")))

    /// Where each target waits on AWS: in its script (`sentinel.db`, through the host the fleet made
    /// for it), or in the plan of the tables the script returned.
    static let scripts = [
        "sentinel.db.tables()\nreturn sentinel.table { name = 'audit', partition_key = 'id' }",
        "return sentinel.table { name = 'audit', partition_key = 'id' }",
    ]

    /// `source` as a script file in a directory of its own.
    static func scriptFile(_ source: String) throws -> String {
        let directory = NSTemporaryDirectory() + "fleet-stop-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/tables.lua"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func fleet(on hole: BlackHole) -> Fleet {
        Fleet(
            targets: [
                Target(name: "dev", endpointURL: hole.url), Target(name: "prod", endpointURL: hole.url),
            ],
            configuration: configuration)
    }

    @Test(arguments: scripts) func shutdownEndsAPlanUnderWayAndEveryLaterOne(source: String) async throws {
        let hole = try BlackHole()
        defer { hole.close() }
        let script = try Self.scriptFile(source)
        let fleet = Self.fleet(on: hole)
        let plan = Task { await fleet.plan(script: script) }
        // Both targets' requests are under way, each waiting for an answer that never comes.
        try #require(await HangGuard.result { await hole.waitForConnections(2) } != nil)
        await fleet.shutdown()

        let runs = try #require(await HangGuard.result { await plan.value })
        #expect(runs.map(\.target.name) == ["dev", "prod"])
        #expect(runs.map(\.failure) == [FleetMember.shutDownFailure, FleetMember.shutDownFailure])
        #expect(FleetMember.shutDownFailure.kind == .interrupted)

        // Nothing more reaches AWS: a plan asked afterwards fails the same way on every target.
        let connections = hole.connections
        let again = try #require(await HangGuard.result { await fleet.plan(script: script) })
        #expect(again.map(\.failure) == [FleetMember.shutDownFailure, FleetMember.shutDownFailure])
        #expect(hole.connections == connections)
    }

    @Test(arguments: scripts) func cancellingThePlanEndsEveryTargetAsInterrupted(source: String) async throws
    {
        let hole = try BlackHole()
        defer { hole.close() }
        let script = try Self.scriptFile(source)
        let fleet = Self.fleet(on: hole)
        let plan = Task { await fleet.plan(script: script) }
        try #require(await HangGuard.result { await hole.waitForConnections(2) } != nil)
        plan.cancel()

        // A fleet operation never throws: each target it had not finished is an interruption.
        let runs = try #require(await HangGuard.result { await plan.value })
        #expect(runs.map(\.target.name) == ["dev", "prod"])
        for run in runs {
            #expect(
                run.failure?.kind == .interrupted, "\(run.target.name): \(String(describing: run.failure))")
            #expect(run.failure != FleetMember.shutDownFailure)
        }
        await fleet.shutdown()
    }
}

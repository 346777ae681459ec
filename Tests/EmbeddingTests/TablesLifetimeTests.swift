import DynamoDB
import Provisioning
import SentinelScript
import Testing

/// Issue 34: `host.tables` keeps the connection it needs for as long as it is used. Dropping the
/// host neither stops a call under way nor refuses a later one; shutting the host down ends both
/// with one clear error.
@Suite struct TablesLifetimeTests {
    static let shutDown = "the AWS connection was already shut down"

    /// Fixed fake keys, which the local server does not check.
    static func configuration(endpoint: String) -> ScriptHostConfiguration {
        ScriptHostConfiguration(
            aws: DynamoDBConfiguration.Options(
                region: "us-east-1", endpoint: endpoint,
                credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")))
    }

    typealias Status = [Result<LiveTable?, ProvisioningError>]

    /// What a status call failed with, thrown or for its one table; nil when it succeeded.
    static func failure(_ result: Result<Status, any Error>) -> String? {
        switch result {
        case .failure(let error): return "\(error)"
        case .success(let tables):
            guard case .failure(let error)? = tables.first else { return nil }
            return "\(error)"
        }
    }

    static func status(_ tables: TableOperations) async -> Result<Status, any Error> {
        do {
            return .success(try await tables.status(["embedding-no-such-table"]))
        } catch {
            return .failure(error)
        }
    }

    @Test func tablesGoOnWorkingAfterTheHostIsDropped() async throws {
        let proxy = try HeldProxy(endpoint: try LocalServer.endpoint())
        defer { proxy.close() }
        var host: ScriptHost? = try ScriptHost(Self.configuration(endpoint: proxy.url))
        let tables = try #require(host?.tables)
        let call = Task { await Self.status(tables) }
        // The call is under way (held at the proxy) when the host goes.
        try #require(await HangGuard.result { await proxy.waitForRequests(1) } != nil)
        host = nil
        proxy.release()

        let underWay = try #require(await HangGuard.result { await call.value })
        #expect(Self.failure(underWay) == nil)
        guard case .success(let live) = underWay, case .success(let table)? = live.first else {
            Issue.record("the call under way failed: \(underWay)")
            return
        }
        #expect(table == nil)  // no such table: answered, not interrupted
        let later = await Self.status(tables)
        #expect(Self.failure(later) == nil)
    }

    @Test func afterShutdownACallUnderWayAndALaterOneGetOneClearError() async throws {
        let hole = try BlackHole()
        defer { hole.close() }
        let host = try ScriptHost(Self.configuration(endpoint: hole.url))
        let tables = host.tables
        let call = Task { await Self.status(tables) }
        try #require(await HangGuard.result { await hole.waitForConnections(1) } != nil)
        await host.shutdown()

        let underWay = try #require(await HangGuard.result { await call.value })
        let connections = hole.connections
        let later = await Self.status(tables)
        for failure in [Self.failure(underWay), Self.failure(later)] {
            #expect(failure?.contains(Self.shutDown) == true, "\(String(describing: failure))")
        }
        #expect(hole.connections == connections)  // nothing more was sent
    }

    /// A client first made through `tables`, then left by the host and every copy, is closed: in a
    /// debug build AsyncHTTPClient traps when its client goes unclosed, so getting past the drop, and
    /// a later host working, is the check.
    @Test func aClientMadeThroughTablesIsClosedWhenItsLastHolderGoes() async throws {
        let proxy = try HeldProxy(endpoint: try LocalServer.endpoint())
        defer { proxy.close() }
        proxy.release()
        do {
            let host = try ScriptHost(Self.configuration(endpoint: proxy.url))
            let client = try host.tables.client()
            #expect(client.configuration.region == "us-east-1")
        }  // the host, its tables and the client all go here
        let next = try ScriptHost(Self.configuration(endpoint: proxy.url))
        #expect(Self.failure(await Self.status(next.tables)) == nil)
        await next.shutdown()
    }
}

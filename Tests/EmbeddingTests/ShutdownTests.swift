import DynamoDB
import SentinelScript
import Testing

/// Issue 34: `shutdown()` and `shutdownAndWait()` leave a host in the same state, connected or not:
/// nothing reaches AWS through it afterwards, and a call says so once, clearly.
@Suite struct ShutdownTests {
    /// AWS options that would work if asked (a closed loopback port: nothing is ever sent there).
    static let configuration = ScriptHostConfiguration(
        aws: DynamoDBConfiguration.Options(
            region: "us-east-1", endpoint: "http://127.0.0.1:9",
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")))

    static func refusesAfterShutdown(_ host: ScriptHost) {
        do {
            _ = try host.tables.client()
            Issue.record("a client was made after shutdown")
        } catch {
            #expect("\(error)".contains("already shut down"), "\(error)")
        }
    }

    @Test func shutdownAndWaitOnAHostThatNeverConnectedLeavesItShutDown() throws {
        let host = try ScriptHost(Self.configuration)
        host.shutdownAndWait()
        Self.refusesAfterShutdown(host)
    }

    @Test func shutdownOnAHostThatNeverConnectedLeavesItShutDown() async throws {
        let host = try ScriptHost(Self.configuration)
        await host.shutdown()
        Self.refusesAfterShutdown(host)
    }

    @Test func aScriptAfterShutdownGetsTheSameError() throws {
        let host = try ScriptHost(Self.configuration)
        host.shutdownAndWait()
        let error = #expect(throws: (any Error).self) { try host.run("return sentinel.db.tables()") }
        #expect("\(String(describing: error))".contains("already shut down"), "\(String(describing: error))")
    }
}

import FakeDynamoDB
import JSON
import Provisioning
import Schema
import Synchronization
import Testing

/// Issue 29: an apply interrupted while a step's request is out (sent, answer not seen) reports that
/// step as "may have run", not "not done": the request may well have changed the table.
@Suite struct InterruptedStepTests {
    /// Forwards to the fake; `operation`'s request is carried out and then its answer is held until
    /// the caller gives up, as a lost or slow answer would be.
    final class HoldingAnswers: ControlPlane {
        let fake: FakeDynamoDB
        let operation: String
        let held = Atomic<Bool>(false)

        init(fake: FakeDynamoDB, operation: String) {
            self.fake = fake
            self.operation = operation
        }

        func send(_ operation: String, _ body: JSONValue) async throws -> JSONValue {
            let answer = try await fake.send(operation, body)
            if operation == self.operation {
                held.store(true, ordering: .releasing)
                try await Task.sleep(for: .seconds(3600))  // cancelled by the test
            }
            return answer
        }
    }

    @Test func aStepWhoseAnswerWasNotSeenMayHaveRun() async throws {
        let fake = FakeDynamoDB()
        let plane = HoldingAnswers(fake: fake, operation: "CreateTable")
        let provisioner = Provisioner(
            controlPlane: plane,
            waitPolicy: WaitPolicy(firstDelay: .milliseconds(1), maximumDelay: .milliseconds(5)))
        let task = Task { await provisioner.apply([BuiltInSchema.sessions.schema()]) }
        while !plane.held.load(ordering: .acquiring) { await Task.yield() }
        task.cancel()
        let result = try #require(await task.value.first)
        #expect(result.error == .cancelled(table: "sentinel-sessions"))
        #expect(result.mayHaveRun.map(\.summary) == ["create table"], "\(result.mayHaveRun)")
        #expect(!result.notDone.contains { $0.summary == "create table" })
        #expect(result.steps.isEmpty)
        let text = ApplyReport.text([result])
        #expect(text.contains("may have run: + create table (sent, its answer not seen"), "\(text)")
        #expect(!text.contains("not done: + create table"), "\(text)")
        // The next plan agrees: the table is there.
        let plan = try #require(await provisioner.plan([BuiltInSchema.sessions.schema()]).first).get()
        #expect(plan.exists)
    }

    @Test func aStepNotYetSentIsNotDone() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1_000_000)
        let provisioner = Provisioner(
            controlPlane: fake,
            waitPolicy: WaitPolicy(firstDelay: .milliseconds(20), maximumDelay: .seconds(5)))
        var schema = BuiltInSchema.sessions.schema()
        schema.pointInTimeRecovery = true
        // Interrupted while the new table is CREATING: create is done, the rest not sent.
        let task = Task { await provisioner.apply([schema]) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = try #require(await task.value.first)
        #expect(result.mayHaveRun.isEmpty, "\(result.mayHaveRun)")
    }

    /// The other account of a multi-account replica, answering with `plane` in any region.
    struct OneAccount: AccountReplicaConnections {
        let plane: any ControlPlane
        func controlPlane(account: String, target: String?, region: String)
            throws(AccountReplicaConnectionError) -> any ControlPlane
        { plane }
    }

    /// A replica made in another account whose CreateTable was sent there but not answered may have run,
    /// as a step of the table's own account does (the source's policy was already changed for it).
    @Test func anAccountReplicaWhoseCreationWasNotAnsweredMayHaveRun() async throws {
        let source = FakeDynamoDB()
        let fast = WaitPolicy(firstDelay: .milliseconds(1), maximumDelay: .milliseconds(5))
        var provisioner = Provisioner(controlPlane: source, waitPolicy: fast)
        var schema = BuiltInSchema.sessions.schema()
        schema.stream = .newAndOldImages
        #expect(await provisioner.apply([schema]).first?.status == .created)
        let other = HoldingAnswers(fake: FakeDynamoDB(), operation: "CreateTable")
        provisioner.accountReplicas = OneAccount(plane: other)
        schema.settingsReplication = .enabled
        schema.replicas = [Replica(region: "us-west-2", account: "444455556666", target: "dr")]
        let task = Task { [provisioner, schema] in await provisioner.apply([schema]) }
        while !other.held.load(ordering: .acquiring) { await Task.yield() }
        task.cancel()
        let result = try #require(await task.value.first)
        #expect(result.error == .cancelled(table: "sentinel-sessions"))
        #expect(
            result.mayHaveRun.map(\.summary).contains { $0.hasPrefix("create replica in us-west-2") },
            "\(result.mayHaveRun)")
        #expect(!result.notDone.contains { $0.summary.hasPrefix("create replica in us-west-2") })
    }

}

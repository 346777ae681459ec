import FakeDynamoDB
import JSON
import Provisioning
import Schema
import Testing

/// `resource_policy`: validated by path, compared as JSON, planned last, requested with the revision
/// read, applied (against the in-memory control plane here, including a revision that no longer
/// matches, which moto cannot be made to show on demand; against moto in ResourcePolicyCommandTests).
@Suite struct ResourcePolicyTests {
    static let policy = #"""
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
         "Action": "dynamodb:GetItem", "Resource": "*"}]}
        """#
    /// The same policy, members in another order and no whitespace.
    static let reordered =
        #"{"Statement":[{"Resource":"*","Action":"dynamodb:GetItem","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Effect":"Allow"}],"Version":"2012-10-17"}"#

    static var schema: TableSchema {
        TableSchema(name: "audit", partitionKey: .string("id"), resourcePolicy: .policy(policy))
    }

    func problems(_ policy: String) -> [SchemaProblem] {
        var schema = Self.schema
        schema.resourcePolicy = .policy(policy)
        return schema.validate()
    }

    @Test func validationNamesWhatIsWrongByPath() {
        #expect(problems(Self.policy).isEmpty)
        #expect(
            problems("{not json") == [
                SchemaProblem(path: "resource_policy", message: "policy is not valid JSON")
            ])
        #expect(problems("[]").map(\.message) == ["policy must be a JSON object with a Statement"])
        #expect(
            problems(#"{"Version": "2012-10-17"}"#)
                == [SchemaProblem(path: "resource_policy.Statement", message: "a policy needs a Statement")])
        #expect(problems(#"{"Statement": []}"#).map(\.path) == ["resource_policy.Statement"])
        #expect(
            problems(#"{"Statement": [{}, 3]}"#) == [
                SchemaProblem(
                    path: "resource_policy.Statement[1]",
                    message: "a statement needs an Effect (Allow or Deny)"),
                SchemaProblem(
                    path: "resource_policy.Statement[2]", message: "each statement must be a JSON object"),
            ])
        #expect(problems(#"{"Statement": {}}"#).map(\.path) == ["resource_policy.Statement"])
        #expect(problems(#"{"Statement": {"Effect": "Deny"}}"#).isEmpty)
        // 20 KB with whitespace counted, as DynamoDB counts it.
        let padding = String(repeating: " ", count: ResourcePolicy.maxBytes)
        #expect(
            problems(#"{"Statement": {"Effect": "Deny"}"# + padding + "}")
                == [
                    SchemaProblem(
                        path: "resource_policy",
                        message:
                            "policy is \(ResourcePolicy.maxBytes + 33) bytes; DynamoDB allows at most 20480 (20 KB)"
                    )
                ])
    }

    @Test func comparedAsJSONNotText() {
        var live = liveTable(matching: Self.schema)
        live.resourcePolicy = Self.reordered
        #expect(TableDiff.plan(Self.schema, live: live).isUpToDate)
        #expect(ResourcePolicy.same(Self.policy, Self.reordered))
        #expect(
            !ResourcePolicy.same(
                Self.policy, Self.reordered.replacingOccurrences(of: "GetItem", with: "Query")))
    }

    @Test func aNewTableGetsItsPolicyLastAndNotInCreateTable() {
        let plan = TableDiff.plan(Self.schema, live: nil)
        #expect(plan.steps.last == .putResourcePolicy(Self.policy))
        #expect(plan.steps.last?.summary == "attach resource policy (1 statement)")
        #expect(plan.steps.last?.symbol == "+")
        let create = StepRequests.requests(for: plan.steps[0], schema: Self.schema, arn: "")
        #expect(create.first?.body["ResourcePolicy"] == nil)
        // `--format create-table` shows CreateTable's member.
        #expect(Self.schema.createTableRequest()["ResourcePolicy"] == .string(Self.policy))
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/audit"
        let put = StepRequests.requests(for: .putResourcePolicy(Self.policy), schema: Self.schema, arn: arn)
        #expect(put.map(\.operation) == ["PutResourcePolicy"])
        #expect(put.first?.body == ["ResourceArn": .string(arn), "Policy": .string(Self.policy)])
    }

    @Test func aChangeSendsTheRevisionReadAndARemovalDeletesIt() {
        var live = liveTable(matching: Self.schema)
        live.tags = ["team": "x"]
        let livePolicy = Self.reordered.replacingOccurrences(of: "GetItem", with: "Query")
        live.resourcePolicy = livePolicy
        live.resourcePolicyRevision = "r7"
        let plan = TableDiff.plan(Self.schema, live: live)
        // After the tags: the policy is always the last step.
        #expect(plan.steps.map(\.kind) == ["untag", "put_resource_policy"])
        #expect(plan.steps.last == .putResourcePolicy(Self.policy, replacing: livePolicy, revision: "r7"))
        #expect(plan.steps.last?.summary == "replace resource policy (1 statement)")
        #expect(
            StepRequests.requests(
                for: .putResourcePolicy(Self.policy, replacing: livePolicy, revision: "r7"),
                schema: Self.schema,
                arn: "a"
            )
            .first?.body == ["ResourceArn": "a", "Policy": .string(Self.policy), "ExpectedRevisionId": "r7"])
        var none = Self.schema
        none.resourcePolicy = .noPolicy
        #expect(
            TableDiff.plan(none, live: live).steps.last == .deleteResourcePolicy(livePolicy, revision: "r7"))
        #expect(TableDiff.plan(none, live: live).steps.last?.summary == "delete resource policy")
        // Without the field, the live policy is left alone: no step, whatever it is.
        var unmanaged = Self.schema
        unmanaged.resourcePolicy = .unmanaged
        #expect(!TableDiff.plan(unmanaged, live: live).steps.contains { $0.operatedSetting != nil })
        let delete = StepRequests.requests(
            for: .deleteResourcePolicy(livePolicy, revision: "r7"), schema: none, arn: "a")
        #expect(delete.map(\.operation) == ["DeleteResourcePolicy"])
        #expect(delete.first?.body == ["ResourceArn": "a", "ExpectedRevisionId": "r7"])
    }

    @Test func readBackShownAndAdopted() throws {
        let response = try JSONValue(
            parsing:
                #"{"Table": {"TableName": "t", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}"#)
        var live = try LiveTable(describeTable: response)
        #expect(!StatusReport.text(name: "t", live).contains("policy"))
        #expect(StatusReport.json(name: "t", live)["resource_policy"] == nil)
        live.resourcePolicy = Self.policy
        #expect(StatusReport.text(name: "t", live).contains("  policy      resource policy: 1 statement\n"))
        #expect(StatusReport.json(name: "t", live)["resource_policy"]?["Version"] == "2012-10-17")
        #expect(live.schema.resourcePolicy == .policy(Self.policy))
        #expect(live.schema.schemaDocument()["resource_policy"]?["Statement"]?[0]?["Effect"] == "Allow")
        // No policy: the adopted schema leaves the field out, so it never deletes one added later.
        live.resourcePolicy = nil
        #expect(live.schema.resourcePolicy == .unmanaged)
        #expect(live.schema.schemaDocument()["resource_policy"] == nil)
    }

    @Test func applyAttachesReplacesAndDeletes() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1)
        let provisioner = Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits)
        var schema = Self.schema
        #expect(await provisioner.apply([schema]).first?.status == .created)
        #expect(await fake.tables["audit"]?.policy?.text == Self.policy)
        schema.resourcePolicy = .policy(Self.reordered)
        #expect(await provisioner.apply([schema]).first?.status == .exists)
        let query = Self.policy.replacingOccurrences(of: "GetItem", with: "Query")
        schema.resourcePolicy = .policy(query)
        let replaced = try #require(await provisioner.apply([schema]).first)
        #expect(replaced.status == .updated)
        #expect(replaced.steps == [.putResourcePolicy(query, replacing: Self.policy, revision: "1")])
        #expect(await fake.tables["audit"]?.policy?.text.contains("dynamodb:Query") == true)
        schema.resourcePolicy = .unmanaged
        #expect(await provisioner.apply([schema]).first?.status == .exists)
        #expect(await fake.tables["audit"]?.policy?.text == query)
        schema.resourcePolicy = .noPolicy
        #expect(await provisioner.apply([schema]).first?.status == .updated)
        #expect(await fake.tables["audit"]?.policy == nil)
        #expect(try await provisioner.plan([schema]).first?.get().isUpToDate == true)
    }

    /// PolicyNotFoundException for a revision that no longer matches (a concurrent change, or
    /// GetResourcePolicy's eventual consistency) makes apply read and plan again, not fail.
    @Test func aStaleRevisionIsReadAgain() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1)
        let provisioner = Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits)
        var schema = Self.schema
        #expect(await provisioner.apply([schema]).first?.status == .created)
        schema.resourcePolicy = .policy(Self.policy.replacingOccurrences(of: "GetItem", with: "Query"))
        await fake.fail("PutResourcePolicy", with: "PolicyNotFoundException")
        let result = try #require(await provisioner.apply([schema]).first)
        #expect(result.status == .updated, "\(String(describing: result.error))")
        #expect(await fake.tables["audit"]?.policy?.text.contains("dynamodb:Query") == true)
    }

    /// A caller without dynamodb:GetResourcePolicy (the in-memory control plane answers
    /// AccessDeniedException, as IAM does; CLI tests meet the same through the delay proxy's `--deny`):
    /// plan, apply and status go on while the schema leaves the policy alone, and the policy is shown
    /// as not readable; a schema that sets the policy (even to none) fails naming table and permission.
    @Test func aRefusedGetResourcePolicyMattersOnlyWhenTheSchemaSetsThePolicy() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1)
        let provisioner = Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits)
        var schema = Self.schema
        schema.resourcePolicy = .unmanaged
        #expect(await provisioner.apply([schema]).first?.status == .created)
        await fake.fail(
            "GetResourcePolicy", with: "AccessDeniedException", message: "not authorized", times: 100)
        schema.deletionProtection = true
        let applied = try #require(await provisioner.apply([schema]).first)
        #expect(applied.status == .updated, "\(String(describing: applied.error))")
        #expect(try await provisioner.plan([schema]).first?.get().isUpToDate == true)
        let live = try #require(try await provisioner.status(["audit"]).first?.get())
        #expect(live.resourcePolicyReadError == "AccessDeniedException: not authorized")
        #expect(StatusReport.text(name: "audit", live).contains("resource policy: not readable"))
        #expect(StatusReport.json(name: "audit", live)["resource_policy_readable"] == false)
        #expect(StatusReport.json(name: "audit", live)["resource_policy"] == nil)
        // Adopting it leaves the field out (the policy is unknown, not absent).
        #expect(live.schema.resourcePolicy == .unmanaged)

        for setting in [ResourcePolicySetting.noPolicy, .policy(Self.policy)] {
            schema.resourcePolicy = setting
            let expected = ProvisioningError.settingNotReadable(
                table: "audit", field: "resource_policy", cause: "AccessDeniedException: not authorized")
            let planned = await provisioner.plan([schema]).first
            #expect(throws: expected) { try planned?.get() }
            let result = try #require(await provisioner.apply([schema]).first)
            #expect(result.status == .failed)
            #expect(result.error == expected)
            #expect(expected.description.contains("table 'audit': GetResourcePolicy was refused"))
            #expect(expected.description.contains("dynamodb:GetResourcePolicy permission"))
        }
        #expect(await fake.tables["audit"]?.policy == nil)
    }
}

import FakeDynamoDB
import JSON
import Provisioning
import Schema
import Testing

/// Warm throughput above the account's per-table quota in a region blocks the plan before any call
/// ("You can pre-warm your tables up to the table or index quota for your account in that Region"): the
/// quota is DescribeLimits', asked only when the plan sets warm throughput. The replicas' regions are
/// asked too, through the delay proxy (GlobalTableCommandTests); the fake answers one region.
@Suite struct WarmThroughputQuotaTests {
    static var schema: TableSchema { WarmThroughputTests.schema }

    static func provisioner(quota: (read: Int, write: Int)) async -> (Provisioner, FakeDynamoDB) {
        let fake = FakeDynamoDB()
        await fake.setTableQuota(read: quota.read, write: quota.write)
        return (Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits), fake)
    }

    @Test func aValueAboveTheQuotaBlocksTheCreationNamingTheFieldAndQuota() async throws {
        let (provisioner, fake) = await Self.provisioner(quota: (read: 18000, write: 40000))
        let plan = try #require(try await provisioner.plan([Self.schema]).first?.get())
        #expect(plan.blocked.map(\.field) == ["gsis[1].warm_throughput.read_units"])
        #expect(plan.blocked.first?.live == "a quota of 18000 in the table's region")
        #expect(plan.blocked.first?.wanted == "20000")
        #expect(plan.blocked.first?.reason?.contains("TableMaxReadCapacityUnits") == true)

        let result = try #require(await provisioner.apply([Self.schema]).first)
        #expect(result.status == .failed)
        #expect(await !fake.operations.contains("CreateTable"))
    }

    @Test func aValueWithinTheQuotaIsCreatedAndAQuotaIsAskedOnlyWhenWarmThroughputIsSet() async throws {
        let (provisioner, fake) = await Self.provisioner(quota: (read: 20000, write: 5000))
        #expect(await provisioner.apply([Self.schema]).first?.status == .created)
        #expect(await fake.operations.contains("DescribeLimits"))

        // Up to date: nothing sets warm throughput, so no quota is asked.
        let asked = await fake.operations.filter { $0 == "DescribeLimits" }.count
        #expect(try await provisioner.plan([Self.schema]).first?.get().isUpToDate == true)
        var unsaid = Self.schema
        unsaid.name = "plain"
        unsaid.warmThroughput = nil
        unsaid.globalSecondaryIndexes[0].warmThroughput = nil
        #expect(await provisioner.apply([unsaid]).first?.status == .created)
        #expect(await fake.operations.filter { $0 == "DescribeLimits" }.count == asked)
    }

    @Test func aRaiseIsCheckedToo() async throws {
        let (provisioner, fake) = await Self.provisioner(quota: (read: 40000, write: 40000))
        #expect(await provisioner.apply([Self.schema]).first?.status == .created)
        await fake.setTableQuota(read: 40000, write: 6000)
        var raised = Self.schema
        raised.warmThroughput = WarmThroughput(readUnits: 15000, writeUnits: 7000)
        let plan = try #require(try await provisioner.plan([raised]).first?.get())
        #expect(plan.blocked.map(\.field) == ["warm_throughput.write_units"])
        #expect(await provisioner.apply([raised]).first?.status == .failed)
        #expect(await !fake.operations.contains("UpdateTable"))
    }

    /// A GSI added (or recreated) with warm throughput is checked as the table's is: blocked before any
    /// call, so a replaced index is not deleted and then refused.
    @Test func aNewIndexIsCheckedBeforeAnyCall() async throws {
        let (provisioner, fake) = await Self.provisioner(quota: (read: 40000, write: 40000))
        var schema = Self.schema
        schema.globalSecondaryIndexes[0].warmThroughput = nil
        #expect(await provisioner.apply([schema]).first?.status == .created)
        await fake.setTableQuota(read: 30000, write: 40000)
        var added = schema
        added.globalSecondaryIndexes.append(
            GlobalSecondaryIndex(
                name: "by-hot", partitionKey: .string("hot"), warmThroughput: WarmThroughput(readUnits: 35000)
            ))
        let plan = try #require(try await provisioner.plan([added]).first?.get())
        #expect(plan.blocked.map(\.field) == ["gsis[2].warm_throughput.read_units"], "\(plan.blocked)")
        #expect(await provisioner.apply([added]).first?.status == .failed)
        #expect(await !fake.operations.contains("UpdateTable"))
    }

    @Test func aRefusedQuotaLookUpBlocksRatherThanSkippingTheCheck() async throws {
        let (provisioner, fake) = await Self.provisioner(quota: (read: 40000, write: 40000))
        await fake.fail("DescribeLimits", with: "AccessDeniedException", message: "not authorized")
        let plan = try #require(try await provisioner.plan([Self.schema]).first?.get())
        #expect(plan.blocked.map(\.field) == ["warm_throughput"])
        #expect(plan.blocked.first?.reason?.contains("dynamodb:DescribeLimits") == true)
    }

    @Test func iamGrantsTheQuotaLookUpOnlyToSchemasWithWarmThroughput() {
        func sids(_ schema: TableSchema) -> [String] {
            IAMPolicy(tables: [schema], region: "us-east-1", accountID: "123456789012").statements.map(\.sid)
        }
        #expect(sids(Self.schema).contains("SentinelTableQuotas"))
        var indexOnly = Self.schema
        indexOnly.warmThroughput = nil
        #expect(sids(indexOnly).contains("SentinelTableQuotas"))
        indexOnly.globalSecondaryIndexes[0].warmThroughput = nil
        #expect(!sids(indexOnly).contains("SentinelTableQuotas"))
    }
}

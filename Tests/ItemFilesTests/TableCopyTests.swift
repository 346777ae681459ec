import DynamoDB
import DynamoDBTestSupport
import Foundation
import ItemFiles
import JSON
import Synchronization
import Testing

/// The copy engine of `migrate` against the local server: every item copied through a transform, the
/// source only read, an interrupted copy resumed to the same result, and the verification.
@Suite(.timeLimit(.minutes(5))) struct TableCopyTests {
    /// A session as Sentinel keeps it, keyed by `id`; `user` becomes the new partition key.
    static func session(_ number: Int) -> Item {
        [
            "id": .string("session-\(number)"), "user": .string("user-\(number % 17)"),
            "started": .number(AttributeNumber(1_700_000_000 + number)),
            "roles": .stringSet(["reader", "role-\(number % 3)"]),
        ]
    }

    /// The new item: partition key `pk` (the user), sort key `id`.
    static let byUser: ItemTransform = { item in
        guard case .string(let user) = item["user"] else { return nil }
        var moved = item
        moved["pk"] = .string("USER#\(user)")
        return moved
    }

    static func newTable(_ client: DynamoDBClient, _ name: String) async throws {
        _ = try await client.createTable([
            "TableName": .string(name), "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [
                ["AttributeName": "pk", "KeyType": "HASH"], ["AttributeName": "id", "KeyType": "RANGE"],
            ],
            "AttributeDefinitions": [
                ["AttributeName": "pk", "AttributeType": "S"], ["AttributeName": "id", "AttributeType": "S"],
            ],
        ])
    }

    static func filledSource(_ client: DynamoDBClient, items: Int) async throws -> String {
        let name = LocalDynamoDB.uniqueName("copy-source")
        _ = try await client.createTable(LocalDynamoDB.createRequest(name))
        try await client.batchWriteItem(tableName: name, puts: (0..<items).map(session))
        return name
    }

    static func everyItem(_ client: DynamoDBClient, _ table: String) async throws -> [Item] {
        try await client.scan(ScanRequest(tableName: table)).allItems()
    }

    static func sameItems(_ a: [Item], _ b: [Item]) -> Bool {
        func text(_ items: [Item]) -> [String] {
            items.map { JSONWriter(style: .compact).string(from: AttributeValue.json($0)) }.sorted()
        }
        return text(a) == text(b)
    }

    static func transformedAll(_ items: [Item]) async throws -> [Item] {
        var moved: [Item] = []
        for item in items { if let item = try await byUser(item) { moved.append(item) } }
        return moved
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "table-copy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func everyItemIsCopiedThroughTheTransformAndTheSourceIsOnlyRead() async throws {
        try await LocalDynamoDB.withClient { client in
            let source = try await Self.filledSource(client, items: 300)
            let before = try await Self.everyItem(client, source)
            let target = LocalDynamoDB.uniqueName("copy-target")
            try await Self.newTable(client, target)
            let directory = try Self.temporaryDirectory()

            let summary = try await client.copyItems(
                from: source, to: target, segments: 3, transform: Self.byUser, checkpointDirectory: directory)
            #expect(summary == CopySummary(scanned: 300, copied: 300, leftOut: 0, resumedSegments: 0))
            #expect(
                Self.sameItems(
                    try await Self.everyItem(client, target), try await Self.transformedAll(before)))
            #expect(Self.sameItems(try await Self.everyItem(client, source), before))
            // The checkpoint files are gone once the copy is whole.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)

            let verification = try await client.verifyCopy(
                from: source, to: target, expected: summary.copied, transform: Self.byUser, every: 1,
                segments: 2)
            #expect(verification.isComplete)
            #expect(verification.checked == 300)
        }
    }

    @Test func itemsTheTransformLeavesOutAreCountedAndTheVerificationSeesAMissingItem() async throws {
        try await LocalDynamoDB.withClient { client in
            let source = try await Self.filledSource(client, items: 100)
            let target = LocalDynamoDB.uniqueName("copy-target")
            try await Self.newTable(client, target)
            let evenOnly: ItemTransform = { (item) async throws(DynamoDBError) -> Item? in
                guard case .string(let id) = item["id"], let number = Int(id.dropFirst("session-".count)),
                    number % 2 == 0
                else { return nil }
                return try await Self.byUser(item)
            }
            let summary = try await client.copyItems(
                from: source, to: target, transform: evenOnly,
                checkpointDirectory: try Self.temporaryDirectory())
            #expect(summary.copied == 50 && summary.leftOut == 50)

            _ = try await client.deleteItem(
                tableName: target, key: ["pk": .string("USER#user-0"), "id": .string("session-0")])
            let verification = try await client.verifyCopy(
                from: source, to: target, expected: summary.copied, transform: evenOnly)
            #expect(!verification.isComplete)
            #expect(verification.targetItems == 49)
            #expect(verification.mismatches == [["pk": .string("USER#user-0"), "id": .string("session-0")]])
        }
    }

    @Test func aFailingTransformNamesTheItemsKeyAndAResumedCopyEndsWithTheSameResult() async throws {
        try await LocalDynamoDB.withClient { client in
            let source = try await Self.filledSource(client, items: 200)
            let target = LocalDynamoDB.uniqueName("copy-target")
            try await Self.newTable(client, target)
            let directory = try Self.temporaryDirectory()
            // Fails on one item, after other pages of its segment were written.
            let failing: ItemTransform = { (item) async throws(DynamoDBError) -> Item? in
                if item["id"] == .string("session-150") { throw .input("boom") }
                return try await Self.byUser(item)
            }
            let error = await #expect(throws: ItemCopyError.self) {
                try await client.copyItems(
                    from: source, to: target, segments: 2, pageSize: 10, transform: failing,
                    checkpointDirectory: directory)
            }
            #expect(
                (error.map { "\($0.cause)" } ?? "")
                    == #"the item with key {"id":{"S":"session-150"}}: boom"#)
            #expect(error?.checkpointDirectory == directory)
            #expect(try !FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)

            let resumed = try await client.copyItems(
                from: source, to: target, segments: 2, pageSize: 10, transform: Self.byUser,
                checkpointDirectory: directory, resume: true)
            #expect(resumed.scanned == 200 && resumed.copied == 200)
            #expect(resumed.resumedSegments > 0)
            let expected = try await Self.transformedAll(try await Self.everyItem(client, source))
            #expect(Self.sameItems(try await Self.everyItem(client, target), expected))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        }
    }

    @Test func aCancelledCopyResumesToTheSameResult() async throws {
        try await LocalDynamoDB.withClient { client in
            let source = try await Self.filledSource(client, items: 200)
            let target = LocalDynamoDB.uniqueName("copy-target")
            try await Self.newTable(client, target)
            let directory = try Self.temporaryDirectory()
            // Cancels the segment's task (as Ctrl-C cancels the command's) once 60 items are written.
            let cancelled = Atomic<Bool>(false)
            let error = await #expect(throws: ItemCopyError.self) {
                try await client.copyItems(
                    from: source, to: target, segments: 2, pageSize: 10, transform: Self.byUser,
                    checkpointDirectory: directory
                ) { copied, _ in
                    if copied >= 60, !cancelled.exchange(true, ordering: .relaxed) {
                        withUnsafeCurrentTask { $0?.cancel() }
                    }
                }
            }
            #expect((error?.copied ?? 0) >= 60)
            #expect((error?.copied ?? 200) < 200)

            let resumed = try await client.copyItems(
                from: source, to: target, segments: 2, pageSize: 10, transform: Self.byUser,
                checkpointDirectory: directory, resume: true)
            #expect(resumed.copied == 200 && resumed.resumedSegments > 0)
            let expected = try await Self.transformedAll(try await Self.everyItem(client, source))
            #expect(Self.sameItems(try await Self.everyItem(client, target), expected))
        }
    }

    /// Stopped before its first page was written (Ctrl-C while the first write is under way, or a
    /// transform failing on the first item), a copy is resumed all the same: its target exists by then,
    /// so a fresh copy would be refused.
    @Test func aCopyStoppedBeforeItsFirstPageResumesFromTheStart() async throws {
        try await LocalDynamoDB.withClient { client in
            let source = try await Self.filledSource(client, items: 30)
            let target = LocalDynamoDB.uniqueName("copy-target")
            try await Self.newTable(client, target)
            let directory = try Self.temporaryDirectory()
            let failing: ItemTransform = { (_) async throws(DynamoDBError) -> Item? in
                throw .configuration("not yet")
            }
            let error = await #expect(throws: ItemCopyError.self) {
                try await client.copyItems(
                    from: source, to: target, segments: 2, transform: failing, checkpointDirectory: directory)
            }
            #expect(error?.copied == 0)
            let message = error.map { $0.message(resumeWith: "--resume") } ?? ""
            #expect(
                message.hasSuffix(
                    "copy stopped before any item was copied. Run it again with --resume to go on "
                        + "(positions saved in \(directory))"), "\(message)")

            let resumed = try await client.copyItems(
                from: source, to: target, segments: 2, transform: Self.byUser, checkpointDirectory: directory,
                resume: true)
            #expect(resumed == CopySummary(scanned: 30, copied: 30, leftOut: 0, resumedSegments: 0))
            let expected = try await Self.transformedAll(try await Self.everyItem(client, source))
            #expect(Self.sameItems(try await Self.everyItem(client, target), expected))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        }
    }

    @Test func aNewItemWithoutTheTargetsKeyIsRefusedByName() async throws {
        try await LocalDynamoDB.withClient { client in
            let source = try await Self.filledSource(client, items: 5)
            let target = LocalDynamoDB.uniqueName("copy-target")
            try await Self.newTable(client, target)
            let error = await #expect(throws: ItemCopyError.self) {
                try await client.copyItems(
                    from: source, to: target, checkpointDirectory: try Self.temporaryDirectory())
            }
            #expect((error.map { "\($0.cause)" } ?? "").hasSuffix("the new item has no key attribute 'pk'"))
        }
    }

    @Test func resumingWithoutASavedPositionIsRefused() async throws {
        try await LocalDynamoDB.withClient { client in
            let source = try await Self.filledSource(client, items: 5)
            let target = LocalDynamoDB.uniqueName("copy-target")
            try await Self.newTable(client, target)
            let error = await #expect(throws: ItemCopyError.self) {
                try await client.copyItems(
                    from: source, to: target, checkpointDirectory: try Self.temporaryDirectory(), resume: true
                )
            }
            #expect(
                (error.map { "\($0.cause)" } ?? "").contains(
                    "nothing to resume: no saved position for 4 segments"))
        }
    }
}

import DynamoDBModel
import JSON

/// One page of a Query, a Scan or a PartiQL statement.
public struct ItemPage: Sendable {
    /// The items of this page.
    public var items: [Item]
    /// Where the next page of a Query or Scan starts; `nil` on the last page.
    public var lastEvaluatedKey: Item?
    /// Where the next page of a PartiQL statement starts (`NextToken`); `nil` on the last page.
    public var nextToken: String?
    /// Items returned (after the filter).
    public var count: Int
    /// Items evaluated (before the filter).
    public var scannedCount: Int

    public init(
        items: [Item], lastEvaluatedKey: Item? = nil, nextToken: String? = nil, count: Int? = nil,
        scannedCount: Int? = nil
    ) {
        self.items = items
        self.lastEvaluatedKey = lastEvaluatedKey
        self.nextToken = nextToken
        self.count = count ?? items.count
        self.scannedCount = scannedCount ?? items.count
    }
}

/// The pages of a Query or Scan, fetched lazily one at a time as iteration asks, following
/// `LastEvaluatedKey` until DynamoDB has no more; or of a PartiQL statement, following `NextToken`.
public struct ItemPages: AsyncSequence, Sendable {
    public typealias Element = ItemPage

    private let client: DynamoDBClient
    private let operation: String
    private let request: JSONObject
    private let tableName: String?
    private let startKey: Item?
    private let startToken: String?
    /// The read budget each page's request waits for and is charged to.
    private var budget: CapacityBudget?

    init(
        client: DynamoDBClient, operation: String, request: JSONObject, tableName: String?, startKey: Item?,
        startToken: String? = nil
    ) {
        self.client = client
        self.operation = operation
        self.request = request
        self.tableName = tableName
        self.startKey = startKey
        self.startToken = startToken
    }

    /// The same pages, each request waiting for `budget`'s reads and charged what it consumed
    /// (``CapacityBudget``); nil leaves them unlimited.
    public func limited(by budget: CapacityBudget?) -> ItemPages {
        var pages = self
        pages.budget = budget
        return pages
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let pages: ItemPages
        fileprivate var nextKey: Item?
        fileprivate var nextToken: String?
        fileprivate var finished = false

        public mutating func next() async throws(DynamoDBError) -> ItemPage? {
            guard !finished else { return nil }
            var request = pages.request
            if let nextKey { request["ExclusiveStartKey"] = AttributeValue.json(nextKey) }
            if let nextToken { request["NextToken"] = .string(nextToken) }
            var answer = try await pages.client.send(
                pages.operation, request, tableName: pages.tableName, budget: pages.budget, kind: .read)
            // The items leave the answer before they are decoded, so that each item's JSON is freed as
            // soon as it is decoded: a page's JSON and its decoded items are never whole together.
            var items = answer["Items"] ?? .null
            answer["Items"] = nil
            let page = try pages.client.decode(pages.operation) { () throws(ValueDecodingError) in
                try Self.page(answer, items: &items)
            }
            nextKey = page.lastEvaluatedKey
            nextToken = page.nextToken
            finished = page.lastEvaluatedKey == nil && page.nextToken == nil
            return page
        }

        /// The page of `answer`, whose `Items` were taken out into `json`: each item's JSON is set to
        /// `null` once decoded, and `json` is left `null`, so that the decoded JSON is freed as it goes.
        private static func page(_ answer: JSONObject, items json: inout JSONValue) throws(ValueDecodingError)
            -> ItemPage
        {
            let reader = JSONReader(answer)
            var elements = json == .null ? [] : try JSONReader(json, path: "Items").elements()
            json = .null
            var items: [Item] = []
            items.reserveCapacity(elements.count)
            for index in elements.indices {
                items.append(try AttributeValue.item(JSONReader(elements[index], path: "Items[\(index)]")))
                elements[index] = .null
            }
            let lastKey = try reader.optional("LastEvaluatedKey").map { (key) throws(ValueDecodingError) in
                try AttributeValue.item(key)
            }
            let token = try reader.optionalString("NextToken")
            return ItemPage(
                items: items, lastEvaluatedKey: lastKey?.isEmpty == true ? nil : lastKey,
                nextToken: token?.isEmpty == true ? nil : token,
                count: try reader.optionalInt("Count") ?? items.count,
                scannedCount: try reader.optionalInt("ScannedCount") ?? items.count)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: self, nextKey: startKey, nextToken: startToken)
    }

    /// Every item of every page, in order.
    public func allItems() async throws(DynamoDBError) -> [Item] {
        var items: [Item] = []
        var iterator = makeAsyncIterator()
        while let page = try await iterator.next() {
            items += page.items
        }
        return items
    }
}

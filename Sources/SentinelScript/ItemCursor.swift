import DynamoDB
import Lua

/// The state of one `sentinel.db.each` loop: the page in hand and where the next one starts. A page
/// is requested only when the loop has used up the one before, so breaking out early reads no more.
final class ItemCursor {
    enum Source {
        case query(QueryRequest)
        case scan(ScanRequest)
        /// A PartiQL SELECT, paged by `NextToken`.
        case statement(StatementRequest)
    }

    private let client: DynamoDBClient
    private let source: Source
    /// The session's read budget (`repl --max-rcu`), if any.
    private let budget: CapacityBudget?
    private var page: [Item] = []
    private var position = 0
    private var nextKey: Item?
    private var nextToken: String?
    private var isExhausted = false
    /// Items still to give when the loop has a `limit`.
    private var remaining: Int?

    init(client: DynamoDBClient, source: Source, limit: Int?, budget: CapacityBudget? = nil) {
        self.client = client
        self.budget = budget
        self.source = source
        self.remaining = limit
    }

    /// The next item, fetching the next page if this one is used up; nil at the end.
    func next(in state: LuaState) throws -> Item? {
        while true {
            if let remaining, remaining <= 0 { return nil }
            if position < page.count {
                defer {
                    position += 1
                    remaining? -= 1
                }
                return page[position]
            }
            if isExhausted { return nil }
            // Let the used page go before the next one arrives, so that a loop never holds two.
            page = []
            let fetched = try fetchPage(in: state)
            page = fetched.items
            position = 0
            nextKey = fetched.lastEvaluatedKey
            nextToken = fetched.nextToken
            isExhausted = nextKey == nil && nextToken == nil
        }
    }

    private func fetchPage(in state: LuaState) throws -> ItemPage {
        let pages: ItemPages
        switch source {
        case .query(var request):
            request.exclusiveStartKey = nextKey
            pages = client.query(request).limited(by: budget)
        case .scan(var request):
            request.exclusiveStartKey = nextKey
            pages = client.scan(request).limited(by: budget)
        case .statement(var request):
            request.nextToken = nextToken
            pages = client.executeStatement(request)
        }
        return try BlockingCall.perform(in: state) { () async throws(DynamoDBError) -> ItemPage in
            var iterator = pages.makeAsyncIterator()
            return try await iterator.next() ?? ItemPage(items: [])
        }
    }
}

import DynamoDB
import Testing

/// The REPL's cost lines from a ledger's entries: one per operation, table and index.
@Suite struct RequestLedgerTests {
    @Test func costLinesGroupByOperationTableAndIndex() {
        func entry(_ operation: String, _ index: String?, _ units: Double?) -> RequestLedger.Entry {
            RequestLedger.Entry(operation: operation, table: "t", index: index, body: [:], consumed: units)
        }
        let lines = RequestLedger.costLines([
            entry("Query", "gsi-status", 2), entry("Query", "gsi-status", 1.5), entry("PutItem", nil, 1),
            entry("Scan", nil, nil),
        ])
        #expect(
            lines == [
                "Query on t, index gsi-status: 2 pages, 3.5 RCU", "PutItem on t: 1 request, 1 WCU",
                "Scan on t: 1 page",
            ])
    }
}

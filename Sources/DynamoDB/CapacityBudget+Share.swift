import DynamoDBModel
import JSON

extension CapacityBudget {
    /// `percent` of a table's capacity in units per second (`--max-capacity-percent`): of its
    /// provisioned read and write capacity, or for an on-demand table of its on-demand maximum
    /// (`OnDemandThroughput`). An on-demand table without a maximum has no capacity to take a share
    /// of: asking for the kind the work uses is an `input` error saying to give units instead.
    /// `read` and `write` say which kinds the work uses; the other is nil.
    public static func share(
        percent: Int, of table: TableDescription, read: Bool, write: Bool
    ) throws(DynamoDBError) -> (read: Double?, write: Double?) {
        let fraction = Double(percent) / 100
        var capacity: (read: Int?, write: Int?)
        if table.billingMode == "PROVISIONED", let provisioned = table.provisionedThroughput {
            capacity = (provisioned.readCapacityUnits, provisioned.writeCapacityUnits)
        } else {
            let limits = table.raw["OnDemandThroughput"]?.objectValue
            func limit(_ key: String) -> Int? {
                // DynamoDB writes -1 for "no maximum".
                let text = limits?[key]?.numberValue?.text
                guard let text, let value = Int(text), value > 0 else {
                    return nil
                }
                return value
            }
            capacity = (limit("MaxReadRequestUnits"), limit("MaxWriteRequestUnits"))
        }
        func part(_ wanted: Bool, _ units: Int?, _ kind: String, _ option: String) throws(DynamoDBError)
            -> Double?
        {
            guard wanted else { return nil }
            guard let units else {
                throw .input(
                    "--max-capacity-percent: table '\(table.tableName)' is on-demand with no maximum \(kind) "
                        + "throughput, so it has no capacity to take a share of; give \(option) UNITS instead"
                )
            }
            return max(1, Double(units) * fraction)
        }
        return (
            try part(read, capacity.read, "read", "--max-rcu"),
            try part(write, capacity.write, "write", "--max-wcu")
        )
    }
}

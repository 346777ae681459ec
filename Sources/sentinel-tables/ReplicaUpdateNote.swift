import JSON
import Provisioning
import Schema

/// CreateTable cannot make a global table's replicas, so `--format create-table` of one says so on
/// stderr with the UpdateTable requests that make them, in order, rather than print a table in one
/// region as if it were the whole schema.
enum ReplicaUpdateNote {
    static func write(for schemas: [TableSchema]) {
        for schema in schemas where schema.isGlobal {
            let steps = TableDiff.creationPlan(schema).steps.filter {
                $0.kind.hasSuffix("replica") || $0.kind == "create_strong_global_table"
            }
            let requests = steps.flatMap { StepRequests.requests(for: $0, schema: schema, arn: "") }
            guard !requests.isEmpty else { continue }
            StandardError.write(
                "table '\(schema.name)': CreateTable cannot make its replicas; once the table is ACTIVE, send each of "
                    + "these with `aws dynamodb update-table --cli-input-json`, waiting for ACTIVE between them "
                    + "(`sentinel-tables apply` does all of this):\n")
            for request in requests {
                StandardError.write(JSONWriter(style: .compact).string(from: request.body) + "\n")
            }
        }
    }
}

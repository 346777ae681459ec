import JSON
import Provisioning
import Schema

/// CreateTable cannot make a global table's replicas, so `--format create-table` of one says so on
/// stderr with the UpdateTable requests that make them, in order, rather than print a table in one
/// region as if it were the whole schema.
enum ReplicaUpdateNote {
    static func write(for schemas: [TableSchema]) {
        for schema in schemas where schema.isGlobal {
            // A replica in another account is made there, with that account's credentials: no request
            // of this account can, so the note says what apply does instead.
            for replica in schema.replicas where replica.isInAnotherAccount {
                StandardError.write(
                    "table '\(schema.name)': its replica in \(replica.region), account \(replica.account ?? "") is made "
                        + "in that account (CreateTable with GlobalTableSourceArn and a resource policy of its own), "
                        + "after the table's resource policy lets that account join and settings replication is "
                        + "ENABLED (docs/cli.md, \"Multi-account global tables\"; `sentinel-tables apply` with "
                        + "targets does all of this)\n")
            }
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
            // The settings DynamoDB keeps per region are not replicated: each new replica needs its own.
            var regional: [String] = []
            for step in TableDiff.creationPlan(schema).steps {
                guard case .updateReplicaSettings(let region, var change) = step else { continue }
                change.arn = "arn:aws:dynamodb:\(region):ACCOUNT_ID:table/\(schema.name)"
                let step = PlanStep.updateReplicaSettings(region: region, change)
                for request in StepRequests.requests(for: step, schema: schema, arn: "") {
                    regional.append(
                        "\(region) \(request.operation): "
                            + JSONWriter(style: .compact).string(from: request.body))
                }
            }
            guard !regional.isEmpty else { continue }
            StandardError.write(
                "then, in each replica's own region once it is ACTIVE, the settings DynamoDB keeps per region "
                    + "(with your account id in the ARN):\n")
            for line in regional { StandardError.write(line + "\n") }
        }
    }
}

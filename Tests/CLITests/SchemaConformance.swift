import Foundation
import Testing

/// Whether live tables match their schemas, as an independent client (boto3) sees them: keys, indexes,
/// billing and capacity, TTL, point-in-time recovery, deletion protection, encryption and tags. The
/// schemas are `sentinel-tables schema --format json` documents, so the tool's own reading of a live
/// table plays no part in the check.
enum SchemaConformance {
    /// The schema documents a declarative example returns, renamed by `rename`.
    static func schemas(
        of script: String, arguments: [String] = [], rename: (String) -> String = { $0 }
    ) throws -> [[String: Any]] {
        let result = try CommandRunner.run(
            ["schema", script] + arguments + ["--format", "json"], in: CommandRunner.repositoryRoot)
        try #require(result.status == 0, "schema \(script): \(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let documents: [[String: Any]]
        if let list = parsed as? [[String: Any]] {
            documents = list
        } else {
            documents = [try #require(parsed as? [String: Any])]
        }
        return documents.map { document in
            var renamed = document
            renamed["name"] = rename(document["name"] as? String ?? "")
            return renamed
        }
    }

    /// Every difference between the live tables and `schemas`, one line each; empty when they match.
    static func differences(_ schemas: [[String: Any]]) throws -> [String] {
        let data = try JSONSerialization.data(withJSONObject: schemas)
        let output = try LocalDynamoDB.boto3(
            "schemas = json.loads(__import__('base64').b64decode('\(data.base64EncodedString())'))\n"
                + checker)
        return try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String],
            "the checker printed: \(output)")
    }

    private static let checker = """
        problems = []
        def differ(table, what, live, wanted):
            if live != wanted:
                problems.append(f"{table}: {what} is {live!r}, the schema says {wanted!r}")
        def keys(key_schema):
            return {k["KeyType"]: k["AttributeName"] for k in key_schema}
        def wanted_keys(spec):
            result = {"HASH": spec["partition_key"]["name"]}
            if "sort_key" in spec:
                result["RANGE"] = spec["sort_key"]["name"]
            return result
        for schema in schemas:
            name = schema["name"]
            try:
                table = ddb.describe_table(TableName=name)["Table"]
            except ddb.exceptions.ResourceNotFoundException:
                problems.append(f"{name}: does not exist")
                continue
            differ(name, "status", table["TableStatus"], "ACTIVE")
            differ(name, "key schema", keys(table["KeySchema"]), wanted_keys(schema))
            types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
            for key in [schema["partition_key"], schema.get("sort_key")] + [
                    k for g in schema["gsis"] for k in (g["partition_key"], g.get("sort_key"))]:
                if key:
                    differ(name, f"type of {key['name']}", types.get(key["name"]), key["type"])
            billing = table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
            differ(name, "billing mode", billing, schema["billing_mode"])
            if schema["billing_mode"] == "PROVISIONED":
                throughput = table["ProvisionedThroughput"]
                differ(name, "capacity", (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]),
                       (schema["read_capacity"], schema["write_capacity"]))
            live_indexes = {g["IndexName"]: g for g in table.get("GlobalSecondaryIndexes", [])}
            differ(name, "GSIs", sorted(live_indexes), sorted(g["name"] for g in schema["gsis"]))
            for index in schema["gsis"]:
                live = live_indexes.get(index["name"])
                if live is None:
                    continue
                label = f"GSI {index['name']}"
                differ(name, f"{label} keys", keys(live["KeySchema"]), wanted_keys(index))
                differ(name, f"{label} projection", live["Projection"]["ProjectionType"], index["projection"])
                differ(name, f"{label} status", live.get("IndexStatus", "ACTIVE"), "ACTIVE")
                if "read_capacity" in index:
                    throughput = live["ProvisionedThroughput"]
                    differ(name, f"{label} capacity",
                           (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]),
                           (index["read_capacity"], index["write_capacity"]))
            differ(name, "deletion protection", table.get("DeletionProtectionEnabled", False),
                   schema["deletion_protection"])
            sse = table.get("SSEDescription", {})
            encryption = schema["encryption"]["type"]
            if encryption == "DEFAULT":
                differ(name, "encryption", sse.get("SSEType"), None)
            else:
                differ(name, "encryption", (sse.get("Status"), sse.get("SSEType")), ("ENABLED", "KMS"))
            ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
            live_ttl = ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") == "ENABLED" else None
            differ(name, "TTL", live_ttl, schema.get("ttl"))
            backups = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
            pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus") == "ENABLED"
            differ(name, "point-in-time recovery", pitr, schema["point_in_time_recovery"])
            tags = ddb.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", [])
            differ(name, "tags", {t["Key"]: t["Value"] for t in tags if not t["Key"].startswith("aws:")},
                   schema["tags"])
        print(json.dumps(problems))
        """
}

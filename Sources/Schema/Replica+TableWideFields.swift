extension Replica {
    /// Fields a table or its GSI has that a replica cannot override, each with where it belongs: a
    /// script that gives one on a replica (or a replica's `gsis` entry) learns why, rather than only that
    /// the field is unknown there. DynamoDB's replica members (`ReplicaGlobalSecondaryIndex`,
    /// `CreateReplicationGroupMemberAction`) carry read overrides only.
    public static let tableWideFields: [String: String] = [
        "warm_throughput":
            "warm throughput is the table's in every region (DynamoDB: \"the warm throughput settings you set "
            + "will automatically apply to all replica tables in the global table\"); give it on the table "
            + "or its GSI",
        "write_capacity":
            "writes are the table's in every region, since each replica applies every write; give "
            + "write_capacity on the table or its GSI",
        "max_write":
            "writes are the table's in every region, since each replica applies every write; give max_write "
            + "in the table's or its GSI's on_demand_throughput",
    ]
}

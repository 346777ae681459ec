import TestSupport

/// The local DynamoDB server (moto_server) that tests needing a working endpoint use.
enum LocalServer {
    /// The endpoint from `SENTINEL_TABLES_TEST_ENDPOINT`; a missing variable fails the test.
    static func endpoint() throws -> String { try LocalServerEndpoint.fromEnvironment() }
}

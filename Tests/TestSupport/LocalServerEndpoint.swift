import Foundation

/// The local DynamoDB server (moto_server) that scripts/test starts for every test target that needs
/// one: its endpoint, or an error that fails the test (integration tests never skip silently).
public enum LocalServerEndpoint {
    /// The endpoint from `SENTINEL_TABLES_TEST_ENDPOINT`.
    public static func fromEnvironment() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["SENTINEL_TABLES_TEST_ENDPOINT"], !url.isEmpty
        else { throw Missing() }
        return url
    }

    public struct Missing: Error, CustomStringConvertible {
        public let description =
            "SENTINEL_TABLES_TEST_ENDPOINT is not set: this test needs a local DynamoDB server; run scripts/test, "
            + "or start one with `scripts/local-dynamodb start DIR` and export the URL it prints"
    }
}

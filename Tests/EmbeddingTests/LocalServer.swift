import Foundation

/// The local DynamoDB server (moto_server) that tests needing a working endpoint use.
enum LocalServer {
    /// The endpoint from `SENTINEL_TABLES_TEST_ENDPOINT`; a missing variable fails the test.
    static func endpoint() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["SENTINEL_TABLES_TEST_ENDPOINT"], !url.isEmpty
        else { throw MissingServer() }
        return url
    }

    struct MissingServer: Error, CustomStringConvertible {
        let description =
            "SENTINEL_TABLES_TEST_ENDPOINT is not set: this test needs a local DynamoDB server; run scripts/test, "
            + "or start one with `scripts/local-dynamodb start DIR` and export the URL it prints"
    }
}

import Foundation
import SentinelScript
import Testing

@Suite("API reference")
struct APIReferenceTests {
    /// The embedded annotations must be the file's text: run scripts/generate-api-reference when this fails.
    @Test func isTheTextOfTheAnnotationFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("types/sentinel.lua"), encoding: .utf8)
        #expect(
            APIReference.annotations + "\n" == file,
            "Sources/SentinelScript/APIReference.swift is stale: run scripts/generate-api-reference")
    }
}

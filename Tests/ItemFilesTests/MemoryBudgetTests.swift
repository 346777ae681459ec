import DynamoDB
import Foundation
import ItemFiles
import Synchronization
import Testing

/// The readers and writers of item files hold their buffers from the caller's `MemoryBudget`: a line
/// the budget cannot hold is its error (before the line is read whole), and every byte taken is given
/// back when the reader or writer is gone.
@Suite struct MemoryBudgetTests {
    /// A budget of `limit` bytes that counts what is held, as a script's limit does.
    final class CountingBudget: Sendable {
        let limit: Int
        let held = Atomic<Int>(0)
        let peak = Atomic<Int>(0)

        init(limit: Int) { self.limit = limit }

        var budget: MemoryBudget {
            MemoryBudget(
                take: { bytes in
                    let now = self.held.add(bytes, ordering: .relaxed).newValue
                    guard now <= self.limit else {
                        self.held.subtract(bytes, ordering: .relaxed)
                        return false
                    }
                    self.peak.max(now, ordering: .relaxed)
                    return true
                },
                give: { self.held.subtract($0, ordering: .relaxed) },
                refusal: { needed, _, what in "budget of \(self.limit) bytes: \(what) needs \(needed)" })
        }
    }

    @Test func aLineTheBudgetCannotHoldIsItsErrorAndEverythingIsGivenBack() throws {
        let directory = try ItemFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/big.json"
        try (String(repeating: "x", count: 2 << 20) + "\nshort\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let counting = CountingBudget(limit: 1 << 20)
        do {
            let reader = try ItemFileReader(path: path, memory: counting.budget)
            #expect(throws: Never.self) { _ = try? reader.nextLine() }
            do {
                _ = try reader.nextLine()
                Issue.record("a 2 MB line was read under a 1 MB budget")
            } catch {
                guard case .memoryLimit(let message) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(message.hasPrefix("budget of 1048576 bytes: reading \(path) needs "))
            }
            #expect(counting.peak.load(ordering: .relaxed) <= 1 << 20)
        }
        #expect(counting.held.load(ordering: .relaxed) == 0)

        // Under a budget with room, the same file reads, and is given back the same way.
        let roomy = CountingBudget(limit: 16 << 20)
        do {
            let reader = try ItemFileReader(path: path, memory: roomy.budget)
            #expect(try reader.nextLine()?.count == 2 << 20)
            #expect(try reader.nextLine() == Array("short".utf8))
            #expect(roomy.held.load(ordering: .relaxed) > 2 << 20)
        }
        #expect(roomy.held.load(ordering: .relaxed) == 0)
    }

    @Test func aWritersPendingLinesAreHeldAndGivenBack() throws {
        let directory = try ItemFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let counting = CountingBudget(limit: 256 << 10)
        do {
            let writer = try ItemFileWriter(
                path: directory + "/out.json", replace: false, memory: counting.budget)
            try writer.write(line: Array(repeating: UInt8(ascii: "a"), count: 1000))
            #expect(counting.held.load(ordering: .relaxed) == 1001)
            #expect(throws: DynamoDBError.self) {
                try writer.write(line: Array(repeating: UInt8(ascii: "b"), count: 300 << 10))
            }
            try writer.commit()
        }
        #expect(counting.held.load(ordering: .relaxed) == 0)
        #expect(try String(contentsOfFile: directory + "/out.json", encoding: .utf8).count == 1001)
    }
}

import DynamoDBModel

/// Running the segments of a parallel scan: at most a bounded number at once.
public enum ParallelScan {
    /// The most segments of a parallel scan that run at once: AsyncHTTPClient's connections per host.
    /// More would only queue behind the connection pool, time out there and spend the retry budget.
    public static let concurrentSegments = 8

    /// `work` on every segment of a parallel scan, at most `atMost` at once (a segment starts when
    /// another finishes); results in segment order.
    public static func eachSegment<Output: Sendable>(
        _ segments: [ItemPages], atMost: Int = concurrentSegments,
        _ work: @escaping @Sendable (ItemPages) async throws(DynamoDBError) -> Output
    ) async throws(DynamoDBError) -> [Output] {
        try await eachSegment(count: segments.count, atMost: atMost) {
            (segment) async throws(DynamoDBError) in
            try await work(segments[segment])
        }
    }

    /// `work` on segment numbers `0..<count`, at most `atMost` at once; results in segment order.
    /// After a failure no other segment starts; those running finish, and the first failure (in
    /// segment order) is thrown.
    public static func eachSegment<Output: Sendable>(
        count: Int, atMost: Int = concurrentSegments,
        _ work: @escaping @Sendable (Int) async throws(DynamoDBError) -> Output
    ) async throws(DynamoDBError) -> [Output] {
        let results = await withTaskGroup(of: (Int, Result<Output, DynamoDBError>).self) { group in
            var next = 0
            func startNext() {
                guard next < count else { return }
                let segment = next
                next += 1
                group.addTask {
                    do throws(DynamoDBError) {
                        return (segment, .success(try await work(segment)))
                    } catch {
                        return (segment, .failure(error))
                    }
                }
            }
            for _ in 0..<max(1, atMost) { startNext() }
            var results: [(Int, Result<Output, DynamoDBError>)] = []
            while let result = await group.next() {
                results.append(result)
                if case .failure = result.1 { next = count } else { startNext() }
            }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var outputs: [Output] = []
        for result in results { outputs.append(try result.get()) }
        return outputs
    }
}

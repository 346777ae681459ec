import DynamoDBModel
import JSON
import Synchronization

/// Capacity units per second that bulk work may consume (`--max-rcu`, `--max-wcu`, `max_rcu`,
/// `max_wcu`), so that an export, import, migration or scan leaves the rest of a live table's
/// capacity to the application (Sentinel's own reads and writes).
///
/// A token bucket per kind, shared by every segment and batch of the work: a request is sent only
/// when the bucket is not in debt, and what DynamoDB says the request consumed (`ConsumedCapacity`,
/// asked for with `ReturnConsumedCapacity: TOTAL` on every request made under a budget) is taken out
/// afterwards, since a Scan page's cost is known only once it is read. The bucket fills at the
/// budget's rate and holds at most one second of it, so the rate over any long stretch stays at the
/// budget. Throttling (a throttling error retried, or items returned unprocessed) halves the rate the
/// bucket fills at; each second without throttling wins a tenth of it back.
public final class CapacityBudget: Sendable {
    public enum Kind: Sendable {
        case read
        case write

        /// `RCU`, `WCU`.
        public var unitName: String { self == .read ? "RCU" : "WCU" }
    }

    /// What a progress line shows of one kind.
    public struct Usage: Sendable, Equatable {
        /// The budget, in units per second.
        public var limit: Double
        /// Units DynamoDB reported consumed so far.
        public var consumed: Double
        /// Requests sent under the budget.
        public var requests: Int
        /// Whether a request is waiting for the bucket to refill now.
        public var waiting: Bool
        /// How many times a request had to wait.
        public var waits: Int
        /// The share of the budget the bucket fills at after throttling (1 when there was none lately).
        public var throttleFactor: Double
        /// How many times DynamoDB throttled the work.
        public var throttles: Int
    }

    private struct Bucket {
        var limit: Double
        var level: Double = 0
        var updated: ContinuousClock.Instant = .now
        var factor: Double = 1
        var consumed: Double = 0
        var requests = 0
        var waiting = 0
        var waits = 0
        var throttles = 0

        mutating func refill(now: ContinuousClock.Instant) {
            let elapsed = Self.seconds(now - updated)
            updated = now
            level = min(limit, level + elapsed * limit * factor)
            // Each second without throttling wins back a tenth of the budget.
            factor = min(1, factor + elapsed * 0.1)
        }

        static func seconds(_ duration: Duration) -> Double {
            let (seconds, attoseconds) = duration.components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
    }

    private let buckets: Mutex<[Kind: Bucket]>
    private let onWait: (@Sendable () -> Void)?

    /// A budget of `readUnits` and `writeUnits` per second; a kind left `nil` is not limited.
    /// `onWait` hears of every request that starts to wait (a progress line showing it).
    public init(readUnits: Double?, writeUnits: Double?, onWait: (@Sendable () -> Void)? = nil) {
        self.onWait = onWait
        var buckets: [Kind: Bucket] = [:]
        if let readUnits, readUnits > 0 { buckets[.read] = Bucket(limit: readUnits) }
        if let writeUnits, writeUnits > 0 { buckets[.write] = Bucket(limit: writeUnits) }
        self.buckets = Mutex(buckets)
    }

    /// The budget of `kind` in units per second, or nil when it is not limited.
    public func limit(_ kind: Kind) -> Double? {
        buckets.withLock { $0[kind]?.limit }
    }

    /// The usage of `kind`, or nil when it is not limited.
    public func usage(_ kind: Kind) -> Usage? {
        buckets.withLock { buckets in
            buckets[kind].map {
                Usage(
                    limit: $0.limit, consumed: $0.consumed, requests: $0.requests, waiting: $0.waiting > 0,
                    waits: $0.waits, throttleFactor: $0.factor, throttles: $0.throttles)
            }
        }
    }

    /// Waits until a request of `kind` may be sent: at once when the kind is not limited or its bucket
    /// is not in debt. Cancellation ends the wait with a `cancelled` transport error.
    public func admit(_ kind: Kind) async throws(DynamoDBError) {
        var counted = false
        defer {
            if counted { buckets.withLock { $0[kind]?.waiting -= 1 } }
        }
        while true {
            let delay: Double? = buckets.withLock { buckets in
                guard var bucket = buckets[kind] else { return nil }
                bucket.refill(now: .now)
                defer { buckets[kind] = bucket }
                if bucket.level >= 0 {
                    bucket.requests += 1
                    return nil
                }
                if !counted {
                    bucket.waiting += 1
                    bucket.waits += 1
                }
                // Until the debt is paid at the current rate, at most a second at a time (the rate
                // may change).
                return min(1, -bucket.level / max(bucket.limit * bucket.factor, 0.001))
            }
            guard let delay else { return }
            if !counted { onWait?() }
            counted = true
            do {
                // `delay` is finite and within 0...1 (a Duration times a Double cannot trap then).
                try await Task.sleep(for: .seconds(1) * delay + .milliseconds(1))
            } catch {
                throw .transport(
                    TransportFailure(
                        kind: .cancelled, reason: "cancelled while waiting for capacity", endpoint: "-",
                        operation: "capacity budget"))
            }
        }
    }

    /// Takes `units` DynamoDB reported consumed out of `kind`'s bucket.
    public func consumed(_ kind: Kind, units: Double) {
        guard units.isFinite, units > 0 else { return }
        buckets.withLock { buckets in
            guard var bucket = buckets[kind] else { return }
            bucket.refill(now: .now)
            bucket.level -= units
            bucket.consumed += units
            buckets[kind] = bucket
        }
    }

    /// DynamoDB throttled a request of `kind`: the bucket fills at half its rate for now.
    public func throttled(_ kind: Kind) {
        buckets.withLock { buckets in
            guard var bucket = buckets[kind] else { return }
            bucket.refill(now: .now)
            bucket.factor = max(0.05, bucket.factor / 2)
            bucket.throttles += 1
            buckets[kind] = bucket
        }
    }

    /// The units a response reports consumed: `ConsumedCapacity` as one object (Scan, Query) or a
    /// list of them (BatchWriteItem), their `CapacityUnits` added; nil when it says nothing.
    static func units(in answer: JSONObject) -> Double? {
        func units(_ value: JSONValue) -> Double? {
            value.objectValue?["CapacityUnits"]?.numberValue?.doubleValue
        }
        switch answer["ConsumedCapacity"] {
        case .array(let entries)?:
            let found = entries.compactMap(units)
            return found.isEmpty ? nil : found.reduce(0, +)
        case let entry?:
            return units(entry)
        case nil:
            return nil
        }
    }
}

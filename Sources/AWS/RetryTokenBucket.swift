import Synchronization

/// The retry modes' client-wide quota of retries (see ``RetryPolicy``), shared by every
/// request of one client.
package final class RetryTokenBucket: Sendable {
    private let capacity: Int
    private let tokens: Mutex<Int>

    package init(capacity: Int) {
        self.capacity = capacity
        tokens = Mutex(capacity)
    }

    /// Takes `cost` tokens for a retry; `false` (taking nothing) when the bucket cannot pay.
    package func acquire(_ cost: Int) -> Bool {
        tokens.withLock { level in
            guard level >= cost else { return false }
            level -= cost
            return true
        }
    }

    /// Returns `amount` tokens, never above the capacity.
    package func release(_ amount: Int) {
        tokens.withLock { level in level = min(capacity, level + amount) }
    }

    /// The tokens left, for tests and logs.
    package var level: Int { tokens.withLock { $0 } }
}

import Synchronization

/// The adaptive retry mode's client-side rate limiter, as the SDKs specify it (botocore's
/// `ClientRateLimiter`): off until the first throttling answer; from then on every attempt takes a
/// token from a bucket that fills at the allowed send rate, and each answer moves that rate with CUBIC
/// (``CubicRate``): cut to 70 % of the measured rate at a throttle, grown back along a cubic curve after.
///
/// Its clock is injected (seconds as a `Double`), so tests drive it without waiting.
package final class ClientRateLimiter: Sendable {
    /// The allowed rate never falls below this many requests a second.
    static let minimumRate = 0.5
    /// The allowed rate never rises above this multiple of the measured rate.
    static let maximumRateScale = 2.0

    private struct State {
        var enabled = false
        var cubic: CubicRate
        var meter: SendRateMeter
        /// The token bucket: its fill rate (requests a second), capacity and level.
        var fillRate: Double
        var capacity: Double
        var tokens: Double = 0
        var lastRefill: Double?

        mutating func refill(at now: Double) {
            if let lastRefill { tokens = min(capacity, tokens + (now - lastRefill) * fillRate) }
            lastRefill = now
        }

        mutating func setRate(_ rate: Double, at now: Double) {
            refill(at: now)
            fillRate = max(rate, ClientRateLimiter.minimumRate)
            capacity = max(rate, 1)
            tokens = min(tokens, capacity)
        }
    }

    private let state: Mutex<State>
    private let clock: @Sendable () -> Double

    package init(clock: @escaping @Sendable () -> Double = ClientRateLimiter.monotonicSeconds) {
        self.clock = clock
        let now = clock()
        state = Mutex(
            State(
                cubic: CubicRate(startTime: now), meter: SendRateMeter(start: now), fillRate: 1, capacity: 1))
    }

    /// Whether a throttle has switched the limiter on.
    package var isEnabled: Bool { state.withLock { $0.enabled } }

    /// The rate the bucket allows now, requests a second.
    package var allowedRate: Double { state.withLock { $0.fillRate } }

    /// Takes a token for an attempt: zero when the limiter is off or a token is there, else how long to
    /// wait before trying again (the caller sleeps, cancellably, and calls again).
    package func acquire() -> Duration {
        state.withLock { state in
            guard state.enabled else { return .zero }
            state.refill(at: clock())
            if state.tokens >= 1 {
                state.tokens -= 1
                return .zero
            }
            return .seconds(1) * ((1 - state.tokens) / state.fillRate)
        }
    }

    /// Records an answer (or a failure to get one): a throttle cuts the rate and switches the
    /// limiter on; anything else lets the rate grow.
    package func record(throttled: Bool) {
        let now = clock()
        state.withLock { state in
            let measured = state.meter.record(at: now)
            let newRate: Double
            if throttled {
                let current = state.enabled ? min(measured, state.fillRate) : measured
                newRate = state.cubic.throttled(currentRate: current, at: now)
                state.enabled = true
            } else {
                newRate = state.cubic.succeeded(at: now)
            }
            state.setRate(min(newRate, Self.maximumRateScale * measured), at: now)
        }
    }

    /// Seconds on the process's monotonic clock.
    package static func monotonicSeconds() -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    private static let start = ContinuousClock.now
}

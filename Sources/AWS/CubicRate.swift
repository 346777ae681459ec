/// The CUBIC congestion-control curve the adaptive retry mode sets its send rate with (botocore's
/// `CubicCalculator`, the SDKs' specification): after a throttle the rate drops to `beta` times the
/// rate it was sent at, then grows as `C * (t - K)^3 + Wmax`, flat near the old maximum and faster
/// beyond it.
struct CubicRate: Sendable {
    static let scale = 0.4
    static let beta = 0.7

    /// The rate at the last throttle.
    private var maximumRate = 0.0
    /// The time the curve takes to climb back to ``maximumRate``.
    private var zeroPoint = 0.0
    private var lastThrottle: Double

    init(startTime: Double) {
        lastThrottle = startTime
    }

    /// The rate the curve allows at `time` since the last throttle.
    func succeeded(at time: Double) -> Double {
        let elapsed = time - lastThrottle - zeroPoint
        return Self.scale * elapsed * elapsed * elapsed + maximumRate
    }

    /// A throttle at `time` while sending at `currentRate`: the new, lower rate.
    mutating func throttled(currentRate: Double, at time: Double) -> Double {
        maximumRate = currentRate
        zeroPoint = Self.cubeRoot(maximumRate * (1 - Self.beta) / Self.scale)
        lastThrottle = time
        return currentRate * Self.beta
    }

    /// `value^(1/3)` by Newton's method (no Foundation, whose `cbrt` would cost start-up time).
    static func cubeRoot(_ value: Double) -> Double {
        guard value > 0 else { return 0 }
        var root = max(value, 1)
        for _ in 0..<60 {
            let next = (2 * root + value / (root * root)) / 3
            if abs(next - root) <= 1e-12 * root { return next }
            root = next
        }
        return root
    }
}

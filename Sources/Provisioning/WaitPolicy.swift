import Numbers

/// How provisioning waits for a table and its indexes to settle: a first look soon (DynamoDB often
/// finishes small changes in well under a second), then further apart, with jitter so that many
/// waiters do not poll in step, up to a ceiling; and a limit, since index backfills can take long.
///
/// The default growth of 1.1 keeps each delay near a tenth of the time waited so far, so a wait ends
/// within about 10% of the moment the table settled (a table that takes 8 s is seen ACTIVE by about
/// 8.8 s), at a cost of a poll or two a second early on: far below DynamoDB's control-plane limit.
public struct WaitPolicy: Sendable, Equatable {
    public var firstDelay: Duration
    public var maximumDelay: Duration
    /// Each delay is the previous one times this, before jitter.
    public var growth: Double
    public var timeout: Duration

    public init(
        firstDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(5),
        growth: Double = 1.1,
        timeout: Duration = .seconds(3600)
    ) {
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.growth = growth
        self.timeout = timeout
    }

    /// The delay before poll number `attempt` (0-based): `firstDelay * growth^attempt`, capped, with
    /// up to 25% taken off at random. The first poll is never later than `firstDelay`.
    public func delay(beforePoll attempt: Int, random: Double = Double.random(in: 0..<1)) -> Duration {
        let first = Self.seconds(firstDelay)
        let base = min(Self.seconds(maximumDelay), first * pow(growth, Double(attempt)))
        let jittered = base * (1 - 0.25 * random)
        return .milliseconds(WholeNumber.clamped(jittered * 1000, rounding: .toNearestOrAwayFromZero))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<max(0, min(WholeNumber.clamped(exponent), 64)) { result *= base }
        return result
    }
}

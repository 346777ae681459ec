/// How fast a client is sending, as the adaptive retry mode measures it (botocore's `RateClocker`):
/// requests counted in half-second buckets, the rate of each finished bucket smoothed into the
/// measurement (80 % new, 20 % old).
struct SendRateMeter: Sendable {
    static let smoothing = 0.8
    static let bucketSeconds = 0.5

    private var rate = 0.0
    private var count = 0
    private var lastBucket: Double

    init(start: Double) {
        lastBucket = start.rounded(.down)
    }

    /// Counts one request at `time`; the rate measured so far, requests a second.
    mutating func record(at time: Double) -> Double {
        let bucket = (time / Self.bucketSeconds).rounded(.down) * Self.bucketSeconds
        count += 1
        if bucket > lastBucket {
            let current = Double(count) / (bucket - lastBucket)
            rate = current * Self.smoothing + rate * (1 - Self.smoothing)
            count = 0
            lastBucket = bucket
        }
        return rate
    }
}

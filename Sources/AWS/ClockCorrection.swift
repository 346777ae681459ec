import DynamoDBModel
import Synchronization

/// How far this machine's clock is from AWS's, learnt from a request refused for it.
///
/// "API requests must reach AWS within 5 minutes of the request timestamp, otherwise AWS rejects the
/// request" (AWS re:Post, "Signature expired"). A laptop that slept or a VM without time
/// synchronisation is often further off than that, and every request then fails. As the AWS SDKs do,
/// a refusal for the time (`InvalidSignatureException` "Signature expired", `RequestTimeTooSkewed`, ...)
/// whose response `Date` is more than four minutes from our clock sets an offset that every later
/// signature uses, and the request is signed again and retried at once. Process-wide, since the clock
/// is.
public final class ClockCorrection: Sendable {
    /// The correction every client of this process signs with.
    public static let shared = ClockCorrection()

    private let offset = Atomic<Int64>(0)

    public init() {}

    /// The error codes AWS answers a signature made at the wrong time with (botocore's list).
    static let skewCodes: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure", "RequestInTheFuture",
    ]

    /// Seconds added to this machine's clock when signing.
    public var offsetSeconds: Int64 { offset.load(ordering: .relaxed) }

    /// The time to sign with: this machine's clock, corrected.
    public func now() -> UTCTimestamp {
        UTCTimestamp.now().adding(seconds: offsetSeconds)
    }

    /// Learns the offset from a refused request: `true` when `code` is a refusal for the time and the
    /// server's `Date` says the signing clock is more than four minutes off, so a retry signed with the
    /// corrected time is worth making.
    public func correct(afterRefusal code: String, serverDate: String?) -> Bool {
        guard Self.skewCodes.contains(code), let serverDate, let server = UTCTimestamp(httpDate: serverDate)
        else {
            return false
        }
        let difference = server.secondsSinceEpoch - UTCTimestamp.now().secondsSinceEpoch
        guard abs(difference - offsetSeconds) > 240 else { return false }
        offset.store(difference, ordering: .relaxed)
        return true
    }
}

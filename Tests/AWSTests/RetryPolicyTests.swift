import AWS
import AWSTestSupport
import DynamoDBModel
import Synchronization
import Testing

/// The SDKs' retry defaults of 2026 and their configuration, with the random draw given.
@Suite struct RetryPolicyTests {
    @Test func dynamoDBDefaults() {
        let policy = RetryPolicy.dynamoDB
        #expect(policy.mode == .standard)
        #expect(policy.maxAttempts == 4)
        #expect(policy.bucketCapacity == 500)
        #expect(policy.cost(throttled: true) == 5)
        #expect(policy.cost(throttled: false) == 14)
        #expect(RetryPolicy.standard.maxAttempts == 3)
        // Full jitter: the draw times min(base * 2^(n-1), 20 s).
        #expect(policy.delay(afterAttempt: 1, random: 0.5) == .microseconds(12_500))
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == .milliseconds(50))
        #expect(policy.delay(afterAttempt: 1, throttled: true, random: 0.5) == .milliseconds(500))
        #expect(policy.delay(afterAttempt: 3, throttled: true, random: 0.5) == .seconds(2))
        #expect(policy.delay(afterAttempt: 20, throttled: true, random: 0.5) == .seconds(10))
        #expect(RetryPolicy.standard.delay(afterAttempt: 1, random: 0.5) == .milliseconds(25))
    }

    @Test func retryAfterIsHonouredUpToFiveSecondsBeyondTheDraw() {
        let policy = RetryPolicy.dynamoDB
        let drawn = policy.delay(afterAttempt: 1, throttled: true, random: 0.5)
        #expect(
            policy.delay(afterAttempt: 1, throttled: true, retryAfter: .seconds(2), random: 0.5)
                == .seconds(2))
        // Shorter than the draw: the draw.
        #expect(
            policy.delay(afterAttempt: 1, throttled: true, retryAfter: .milliseconds(10), random: 0.5)
                == drawn)
        // Longer than 5 s beyond the draw: capped there.
        #expect(
            policy.delay(afterAttempt: 1, throttled: true, retryAfter: .seconds(60), random: 0.5)
                == drawn + .seconds(5))
    }

    @Test func modeAndAttemptsComeFromTheEnvironmentBeforeTheProfile() throws {
        let files = MemoryFileSystem(files: [
            "/config": "[profile corp]\nretry_mode = adaptive\nmax_attempts = 7\n"
        ])
        let profile = try SharedConfigFiles(environment: ["AWS_CONFIG_FILE": "/config"], fileSystem: files)
            .profile("corp")
        let fromProfile = try RetryPolicy.configured(defaults: .dynamoDB, environment: [:], profile: profile)
        #expect(fromProfile.mode == .adaptive)
        #expect(fromProfile.maxAttempts == 7)
        #expect(fromProfile.summary == "adaptive, 7 attempts")
        let fromEnvironment = try RetryPolicy.configured(
            defaults: .dynamoDB, environment: ["AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "1"],
            profile: profile)
        #expect(fromEnvironment.mode == .standard)
        #expect(fromEnvironment.maxAttempts == 1)
        #expect(fromEnvironment.summary == "standard, 1 attempt")
        let legacy = try RetryPolicy.configured(
            defaults: .dynamoDB, environment: ["AWS_RETRY_MODE": "legacy"], profile: nil)
        #expect(legacy == .dynamoDB)
    }

    @Test(arguments: [
        ("AWS_RETRY_MODE", "fast", "AWS_RETRY_MODE must be standard or adaptive"),
        ("AWS_MAX_ATTEMPTS", "0", "AWS_MAX_ATTEMPTS must be a whole number of attempts of at least 1"),
        ("AWS_MAX_ATTEMPTS", "-3", "AWS_MAX_ATTEMPTS must be a whole number"),
        ("AWS_MAX_ATTEMPTS", "99999999999999999999", "AWS_MAX_ATTEMPTS must be a whole number"),
    ])
    func badSettingsAreNamed(_ variable: String, _ value: String, _ expected: String) {
        do throws(DynamoDBError) {
            _ = try RetryPolicy.configured(defaults: .dynamoDB, environment: [variable: value], profile: nil)
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }
}

/// The adaptive mode's client-side rate limiter, driven by a clock the test moves.
@Suite struct ClientRateLimiterTests {
    final class TestClock: Sendable {
        let now = Mutex(0.0)
        func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
    }

    @Test func itIsOffUntilAThrottleThenLimitsTheSendRate() {
        let clock = TestClock()
        let limiter = ClientRateLimiter(clock: { clock.now.withLock { $0 } })
        // Before any throttle: never waits, however fast requests go.
        for _ in 0..<50 {
            #expect(limiter.acquire() == .zero)
            limiter.record(throttled: false)
            clock.advance(0.01)
        }
        #expect(!limiter.isEnabled)
        // Ten requests a second for two seconds, then a throttle.
        for _ in 0..<20 {
            clock.advance(0.1)
            limiter.record(throttled: false)
        }
        clock.advance(0.1)
        limiter.record(throttled: true)
        #expect(limiter.isEnabled)
        let cut = limiter.allowedRate
        // Cut to 70 % of the measured rate (about ten a second), never below half a request a second.
        #expect(cut < 10 && cut >= 0.5)
        // The bucket holds at most one second of sending: draining it makes the next attempt wait.
        var waited = false
        for _ in 0..<20 where !waited {
            waited = limiter.acquire() > .zero
        }
        #expect(waited)
        // Successes let the rate grow back along the cubic curve.
        for _ in 0..<40 {
            clock.advance(0.25)
            limiter.record(throttled: false)
        }
        #expect(limiter.allowedRate > cut)
    }
}

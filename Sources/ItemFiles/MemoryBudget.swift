import DynamoDBModel

/// The memory a long call may hold for its caller: the buffers of a file of items being read or
/// written, a batch being sent, a page of a scan. A program embedding a script runtime passes the
/// script's budget (so that Lua and these buffers share one limit); the CLI's own commands and other
/// callers pass ``unlimited``. `DynamoDB` knows nothing of who keeps the budget: it only asks for
/// bytes before it holds them and gives them back after.
///
/// Calls are made from whichever task does the work, several at once for a parallel scan: both
/// closures must be safe to call from any thread.
public struct MemoryBudget: Sendable {
    /// Reserves the bytes: true when granted, false (nothing reserved) when they do not fit.
    private let take: @Sendable (_ bytes: Int) -> Bool
    private let give: @Sendable (_ bytes: Int) -> Void
    /// The message of a refusal: `what` would hold `needed` bytes in all, `held` of them already.
    private let refusal: @Sendable (_ needed: Int, _ held: Int, _ what: String) -> String
    /// Whether anything is counted at all: the unlimited budget skips the measuring.
    public let isLimited: Bool

    public init(
        take: @escaping @Sendable (_ bytes: Int) -> Bool,
        give: @escaping @Sendable (_ bytes: Int) -> Void,
        refusal: @escaping @Sendable (_ needed: Int, _ held: Int, _ what: String) -> String
    ) {
        self.take = take
        self.give = give
        self.refusal = refusal
        isLimited = true
    }

    private init() {
        take = { _ in true }
        give = { _ in }
        refusal = { _, _, what in "\(what): refused" }
        isLimited = false
    }

    /// Grants everything.
    public static let unlimited = MemoryBudget()

    /// A new holding of 0 bytes drawn from this budget.
    func hold() -> MemoryHold { MemoryHold(budget: self) }

    /// Grows a holding of `held` bytes to `needed`, or throws the refusal.
    func grow(from held: Int, to needed: Int, for what: String) throws(DynamoDBError) {
        if !take(needed - held) { throw .memoryLimit(refusal(needed, held, what)) }
    }

    func release(_ bytes: Int) { give(bytes) }
}

/// Bytes one buffer holds from a ``MemoryBudget``, moved up and down with what the buffer holds now,
/// and given back in full when released or dropped. Used by one task at a time.
final class MemoryHold {
    private let budget: MemoryBudget
    private(set) var bytes = 0

    init(budget: MemoryBudget) {
        self.budget = budget
    }

    /// Holds `newBytes` from now on: asks the budget for the difference when it grows (or throws
    /// its refusal, holding what it held before), gives the difference back when it shrinks.
    func set(_ newBytes: Int, for what: @autoclosure () -> String) throws(DynamoDBError) {
        guard budget.isLimited else { return }
        let newBytes = max(0, newBytes)
        if newBytes > bytes {
            try budget.grow(from: bytes, to: newBytes, for: what())
        } else if newBytes < bytes {
            budget.release(bytes - newBytes)
        }
        bytes = newBytes
    }

    /// Gives everything back.
    func release() {
        if bytes > 0 { budget.release(bytes) }
        bytes = 0
    }

    deinit { release() }
}

import CLua54
import CLuaBridge

/// Memory the host holds on a script's behalf, counted against the state's memory limit until it is
/// released (explicitly, or when the reservation is dropped). Lua's allocator counts reservations as
/// used, so Lua and the host share one budget: a script cannot take the limit in Lua and as much
/// again in Swift copies, request bodies or results.
public final class HostMemoryReservation {
    /// Keeps the state open while the reservation exists, so giving the bytes back is always safe.
    private let state: LuaState
    /// What is still reserved; 0 once released.
    public private(set) var bytes: Int

    init(state: LuaState, bytes: Int) {
        self.state = state
        self.bytes = bytes
    }

    /// Gives the bytes back to the budget. Releasing twice does nothing.
    public func release() {
        guard bytes > 0 else { return }
        clb_release_memory(state.mainThread, bytes)
        bytes = 0
    }

    deinit { release() }
}

extension LuaState {
    /// Bytes the script may still take (Lua's allocations and the host's reservations together), or
    /// nil without a memory limit.
    public var memoryAvailable: Int? {
        // size_t arrives as Int; the limit came from a non-negative Int, so what is left fits one.
        guard clb_memory_limit(mainThread) > 0 else { return nil }
        return max(0, clb_memory_available(mainThread))
    }

    /// Bytes the host holds reserved against the limit now.
    public var hostMemoryReserved: Int { max(0, clb_memory_reserved(mainThread)) }

    /// Reserves `bytes` of the memory limit for memory the host allocates on the script's behalf, or
    /// throws the memory-limit error (kind ``LuaError/Kind/memory``) naming `what` when they do not
    /// fit. Without a limit it always succeeds. Negative sizes count as 0.
    public func reserveHostMemory(_ bytes: Int, for what: String) throws -> HostMemoryReservation {
        let bytes = max(0, bytes)
        guard hasRoom(for: bytes), clb_reserve_memory(mainThread, bytes) != 0 else {
            throw hostMemoryRefusal(needed: bytes, for: what)
        }
        return HostMemoryReservation(state: self, bytes: bytes)
    }

    /// Runs `body` with `bytes` reserved (see ``reserveHostMemory(_:for:)``), released when it returns.
    public func withHostMemory<T>(_ bytes: Int, for what: String, _ body: () throws -> T) throws -> T {
        let reservation = try reserveHostMemory(bytes, for: what)
        defer { reservation.release() }
        return try body()
    }

    /// Throws the memory-limit error naming `what` unless `bytes` more fit in the budget now. Nothing
    /// is reserved: for memory held only for a moment (a value being converted or pushed).
    public func checkHostMemory(_ bytes: Int, for what: String) throws {
        guard !hasRoom(for: bytes) else { return }
        throw hostMemoryRefusal(needed: bytes, for: what)
    }

    /// ``checkHostMemory(_:for:)`` for values about to be pushed, measured as Lua will hold them.
    func checkFootprint(of values: [LuaValue], for what: String) throws {
        guard let available = memoryAvailable else { return }
        var needed = 0
        for value in values where needed <= available {
            let (sum, overflow) = needed.addingReportingOverflow(value.luaFootprint(ceiling: available))
            needed = overflow ? Int.max : sum
        }
        if !hasRoom(for: needed) { throw hostMemoryRefusal(needed: needed, for: what) }
    }

    /// Whether `bytes` more fit in the budget, after a full garbage collection if they do not at first:
    /// Lua's count includes garbage not yet collected, and Lua itself collects before refusing.
    func hasRoom(for bytes: Int) -> Bool {
        guard let available = memoryAvailable else { return true }
        if bytes <= available { return true }
        clua_gc_collect(lua)
        return bytes <= memoryAvailable ?? .max
    }

    /// The memory-limit error for a refused host allocation, in the words Lua's own refusals use. It is
    /// remembered so that the run that raises it in Lua still ends with kind ``LuaError/Kind/memory``.
    func hostMemoryRefusal(needed bytes: Int, for what: String) -> LuaError {
        hostMemoryError(
            Self.refusalMessage(
                limit: clb_memory_limit(mainThread), needed: bytes, for: what, available: memoryAvailable ?? 0
            ))
    }

    /// The memory-limit error (kind ``LuaError/Kind/memory``) for a refusal a ``HostMemoryAccount``
    /// made off the state's thread, `message` being its ``HostMemoryAccount/refusal(needing:for:)``.
    /// Raised from a host function, it is located at the caller's line and the run ends with kind
    /// memory, as a refusal made on the state's thread does.
    public func hostMemoryError(_ message: String) -> LuaError {
        lastHostMemoryRefusal = message
        return LuaError(.memory, message)
    }

    /// A refusal in the words Lua's own refusals use.
    static func refusalMessage(limit: Int, needed bytes: Int, for what: String, available: Int) -> String {
        "memory limit of \(memoryAmount(limit)) exceeded "
            + "(\(what) needs \(memoryAmount(bytes)), \(memoryAmount(available)) left)"
    }

    /// `32 MB` for whole megabytes, `1.5 MB` above one, bytes below.
    static func memoryAmount(_ bytes: Int) -> String {
        if bytes >= 1 << 20 {
            if bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
            let tenths = (bytes * 10) >> 20
            return "\(tenths / 10).\(tenths % 10) MB"
        }
        return "\(bytes) bytes"
    }
}

import CLuaBridge
import Synchronization

/// A Lua value held in a state's registry so Swift can keep it past the call that produced it.
///
/// A reference may be released on any thread: dropping the last Swift reference queues the registry
/// slot, and the owning state frees queued slots the next time it runs code on its own thread.
public final class LuaReference: Hashable, Sendable {
    let slot: Int32
    let owner: LuaStateIdentity

    init(slot: Int32, owner: LuaStateIdentity) {
        self.slot = slot
        self.owner = owner
    }

    deinit {
        owner.queueRelease(slot)
    }

    public static func == (lhs: LuaReference, rhs: LuaReference) -> Bool {
        lhs === rhs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(self))
    }
}

/// Identifies one state; shared with its references so they can be released from any thread and
/// checked against the state they are pushed onto.
final class LuaStateIdentity: Sendable {
    private let releasedSlots = Mutex<[Int32]>([])
    /// The state while it is open: interrupting takes the lock, so it never races with closing.
    private let openState = Mutex<StatePointer?>(nil)

    func attach(_ state: OpaquePointer) {
        openState.withLock { $0 = StatePointer(pointer: state) }
    }

    func detach() {
        openState.withLock { $0 = nil }
    }

    func interrupt() {
        openState.withLock { state in
            if let state { clb_interrupt(state.pointer) }
        }
    }

    func clearPendingInterrupt() {
        openState.withLock { state in
            if let state { clb_clear_interrupt(state.pointer) }
        }
    }

    func queueRelease(_ slot: Int32) {
        releasedSlots.withLock { $0.append(slot) }
    }

    func takeReleasedSlots() -> [Int32] {
        releasedSlots.withLock { slots in
            defer { slots.removeAll(keepingCapacity: true) }
            return slots
        }
    }
}

/// The raw state pointer, sendable because the only thing done with it off the state's thread is
/// clb_interrupt, which sets a flag and a hook (async-signal-safe by design, as in lua.c).
private struct StatePointer: @unchecked Sendable {
    let pointer: OpaquePointer
}

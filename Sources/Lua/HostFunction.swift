import CLua54
import CLuaBridge

/// A Swift function callable from Lua. It reads its arguments through `call`, pushes its results with
/// `call.returning(...)`, and reports errors by throwing: a ``LuaArgumentError`` or any other error
/// becomes a Lua error prefixed with the caller's `file:line:`; a ``LuaError`` from a nested call into
/// Lua is raised again as it is.
public typealias LuaHostFunction = (LuaCall) throws -> LuaResults

/// The number of results a host function pushed.
public struct LuaResults: Sendable {
    let count: Int32
    /// Set by a `returning` that cannot throw when the memory limit refused its value: nothing was
    /// pushed, and the call raises this error instead of returning.
    var refusal: LuaError?

    init(count: Int32, refusal: LuaError? = nil) {
        self.count = count
        self.refusal = refusal
    }
}

/// The Swift object behind one Lua closure: retained by the closure's upvalue, released by `__gc`.
final class HostFunction {
    /// The name used in error messages (`bad argument #1 to 'sentinel.apply'`).
    let name: String
    /// Whether Lua calls it as a method (`obj:name()`), so argument 1 is `self` in messages.
    let isMethod: Bool
    let body: LuaHostFunction
    /// The state outlives its functions: they are collected when the state closes.
    unowned(unsafe) let state: LuaState

    init(name: String, isMethod: Bool, state: LuaState, body: @escaping LuaHostFunction) {
        self.name = name
        self.isMethod = isMethod
        self.state = state
        self.body = body
    }

    /// Runs the body; on error pushes the message and returns the trampoline's raise code.
    func invoke(_ lua: OpaquePointer) -> Int32 {
        // Work on the calling thread's stack (a coroutine has its own), and give the caller's back
        // after: a host function may resume coroutines that call host functions.
        let state = self.state
        let caller = state.lua
        state.lua = lua
        let reservedBefore = state.hostCallReserved
        defer {
            state.lua = caller
            // What this call reserved for itself (its converted arguments, request bodies) is given
            // back now that it returns.
            clb_release_memory(lua, state.hostCallReserved - reservedBefore)
            state.hostCallReserved = reservedBefore
        }
        do {
            let results = try body(LuaCall(lua: lua, function: self))
            if let refusal = results.refusal { throw refusal }
            return results.count
        } catch let error as LuaOptions.UnknownOptionError {
            // A typo inside a constructor that spans lines is reported on its own line when the
            // caller's source can be read, not on the call's first line.
            if let location = KeyLocator.location(ofKey: error.option, level: 1, in: lua) {
                state.pushBytes(Array("\(location): \(error)".utf8))
                return Int32(CLB_RAISE)
            }
            state.pushBytes(Array(error.description.utf8))
            return Int32(CLB_RAISE_WITH_WHERE)
        } catch let error as LuaError
            where error.kind == .memory && error.message == state.lastHostMemoryRefusal
        {
            // The budget refused a host allocation for this call: located at the caller's line, as a
            // refusal in Lua would be.
            state.pushBytes(Array(error.message.utf8))
            return Int32(CLB_RAISE_WITH_WHERE)
        } catch let error as LuaError where error.kind != .conversion {
            // Already located by Lua (or a limit stop): raise unchanged.
            state.pushBytes(Array(error.message.utf8))
            return Int32(CLB_RAISE)
        } catch {
            state.pushBytes(Array(String(describing: error).utf8))
            return Int32(CLB_RAISE_WITH_WHERE)
        }
    }
}

/// The process-wide C callbacks of the bridge.
enum LuaBridgeCallbacks {
    private static let installed: Bool = {
        clb_set_callbacks(
            { lua, function in
                // Borrow without retain/release: the closure's upvalue keeps the function alive.
                Unmanaged<HostFunction>.fromOpaque(function!)._withUnsafeGuaranteedRef { $0.invoke(lua!) }
            },
            { object in
                Unmanaged<AnyObject>.fromOpaque(object!).release()
            })
        return true
    }()

    static func install() {
        _ = installed
    }
}

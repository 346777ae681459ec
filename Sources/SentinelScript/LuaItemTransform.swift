import Dispatch
import DynamoDB
import ItemFiles
import Lua
import Synchronization

/// A Lua function as an ``ItemTransform``: the copy's segments hand their items here from the pool,
/// and the Lua thread, the one place a Lua state may run, calls the function for one item at a time
/// while the copy runs. The segments feed this single consumer; they wait for its answers.
final class LuaItemTransform: Sendable {
    private struct Request: Sendable {
        var item: Item
        var answer: CheckedContinuation<Result<Item?, DynamoDBError>, Never>
    }

    private let requests = Mutex<[Request]>([])
    private let wake = DispatchSemaphore(value: 0)
    /// The name errors give the function: `migrate(item)`, `transform`.
    private let name: String

    private init(name: String) {
        self.name = name
    }

    private var transform: ItemTransform {
        { [self] item async throws(DynamoDBError) -> Item? in
            let result = await withCheckedContinuation { answer in
                requests.withLock { $0.append(Request(item: item, answer: answer)) }
                wake.signal()
            }
            return try result.get()
        }
    }

    /// Runs `work` on the pool with a transform calling `function` (nil: no transform), serving the
    /// transform on this, the Lua thread, until `work` ends. The script's interruption or time limit
    /// cancels `work`, which ends promptly; work that ignores it is abandoned as ``BlockingCall`` does.
    static func run<Output: Sendable>(
        in state: LuaState, function: LuaValue?, name: String, null: LuaValue,
        _ work: @escaping @Sendable (ItemTransform?) async -> Output
    ) throws -> Output {
        guard let function else { return try BlockingCall.run(in: state) { await work(nil) } }
        let server = LuaItemTransform(name: name)
        let output = Mutex<Output?>(nil)
        let transform = server.transform
        let task = Task.detached {
            let result = await work(transform)
            output.withLock { $0 = result }
            server.wake.signal()
        }
        var watch = BlockingCall.StopWatch()
        while true {
            let cancelled = watch.cancelled
            _ = server.wake.wait(timeout: .now() + .milliseconds(50))
            let pending = server.requests.withLock { requests in
                defer { requests.removeAll() }
                return requests
            }
            for request in pending {
                request.answer.resume(
                    returning: cancelled
                        ? .failure(.input("interrupted"))
                        : server.call(function, with: request.item, in: state, null: null))
            }
            if let result = output.withLock({ $0 }) { return result }
            try watch.check(state) { task.cancel() }
        }
    }

    /// The function's answer for `item`: the new item, nil to leave it out, or its error.
    private func call(_ function: LuaValue, with item: Item, in state: LuaState, null: LuaValue)
        -> Result<Item?, DynamoDBError>
    {
        do {
            let argument = try LuaAttributeWriter(state: state, null: null).item(item)
            let results = try state.call(function, [argument])
            guard let first = results.first, first != .nil else { return .success(nil) }
            return .success(try LuaAttributeReader(state: state).item(first, path: "\(name) result"))
        } catch {
            return .failure(.input("\(name): \(error)"))
        }
    }
}

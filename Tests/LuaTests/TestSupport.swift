import Foundation
import Lua

/// Counts live instances so tests can prove Swift objects are released.
final class LiveCounter {
    var live = 0
}

final class Tracked {
    let counter: LiveCounter

    init(_ counter: LiveCounter) {
        self.counter = counter
        counter.live += 1
    }

    deinit {
        counter.live -= 1
    }
}

/// Unchecked: each test uses its errors on one thread only; the point is to carry a counted object.
struct TrackedError: Error, CustomStringConvertible, @unchecked Sendable {
    let tracked: Tracked
    var description: String { "tracked failure" }
}

/// A fresh directory under /tmp, removed by the caller with `remove()`.
struct ScratchDirectory {
    let path: String

    init() throws {
        // Short, because Lua shortens chunk names past 60 characters in messages.
        path = "/tmp/lt-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func writeBytes(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` and returns the LuaError it throws (nil if it throws none or another error).
func luaError(_ body: () throws -> Any) -> LuaError? {
    do {
        _ = try body()
        return nil
    } catch let error as LuaError {
        return error
    } catch {
        return nil
    }
}

/// Interrupts through `handle` after `milliseconds`, from a thread of its own: not from Swift's pool or
/// a global dispatch queue, whose few threads may all be running Lua in other tests, spinning until
/// their own interrupt arrives.
func interrupt(_ handle: LuaInterruptHandle, afterMilliseconds milliseconds: Int) {
    let thread = Thread {
        usleep(useconds_t(milliseconds * 1000))
        handle.interrupt()
    }
    thread.start()
}

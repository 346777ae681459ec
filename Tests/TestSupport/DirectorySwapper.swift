import Foundation

/// Swaps `directory/swap` for a symbolic link to `outside` and back, as fast as it can (or with `pause`
/// microseconds between rounds), on a thread of its own until ``stop()``: the race the file
/// capability's tests run their file routes against. ``stop()`` leaves the real directory in place.
public final class DirectorySwapper: @unchecked Sendable {
    // Unchecked: `running` is only touched under `lock`.
    private let lock = NSLock()
    private var running = true
    private let finished = DispatchSemaphore(value: 0)

    /// Starts swapping `directory/swap` (which must exist) with `directory/link` → `outside`.
    public init(directory: String, outside: String, pause: UInt32 = 0) {
        let real = directory + "/swap"
        let parked = directory + "/parked"
        let link = directory + "/link"
        symlink(outside, link)
        Thread.detachNewThread { [self] in
            while isRunning {
                rename(real, parked)
                rename(link, real)
                rename(real, link)
                rename(parked, real)
                if pause > 0 { usleep(pause) }
            }
            // Stopped between two renames: put the real directory back.
            if access(parked, F_OK) == 0 {
                rename(real, link)
                rename(parked, real)
            }
            finished.signal()
        }
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Stops swapping and waits until the real directory is back.
    public func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        if wasRunning { finished.wait() }
    }
}

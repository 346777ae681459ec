import Dispatch
import DynamoDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Asks for an assume-role profile's MFA code on the controlling terminal (`/dev/tty`, so it works
/// when standard input is a pipe, as the aws CLI's prompt does). Without a terminal it answers `nil`
/// and the profile fails with a message. Ctrl-C while it waits cancels the command as everywhere else.
/// Targets that run at once ask one after the other.
enum MFACodeTerminalPrompt {
    static let prompt: MFACodePrompt = { serial, profile in
        let cancelled = Atomic<Bool>(false)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // A thread of its own: waiting for a person must not hold one of Swift's few pool threads.
                DispatchQueue.global().async {
                    // One question at a time: targets run at once, and their prompts must not mix.
                    let code = asking.withLock { _ in
                        ask(serial: serial, profile: profile, cancelled: cancelled)
                    }
                    continuation.resume(returning: code)
                }
            }
        } onCancel: {
            cancelled.store(true, ordering: .relaxed)
        }
    }

    /// Held while a question waits for its answer.
    private static let asking = Mutex<Void>(())

    private static func ask(serial: String, profile: String, cancelled: borrowing Atomic<Bool>) -> String? {
        let terminal = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard terminal >= 0 else { return nil }
        defer { close(terminal) }
        let question = "Enter MFA code for \(serial) (profile '\(profile)'): "
        _ = question.utf8CString.withUnsafeBufferPointer { write(terminal, $0.baseAddress, $0.count - 1) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 64 {
            // Short polls, so that Ctrl-C (which cancels the task) ends the wait.
            var waiting = pollfd(fd: terminal, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, 100)
            if cancelled.load(ordering: .relaxed) { return nil }
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            guard read(terminal, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}

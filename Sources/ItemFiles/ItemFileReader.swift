import CZlib
import DynamoDBModel
import FileAccess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file of items line by line in constant memory, gzip-compressed or not (zlib reads a file
/// that is not gzip as it is), so DynamoDB's `.json.gz` export files and plain ones read alike.
/// Empty lines are skipped; every line is numbered from 1 for error messages.
public final class ItemFileReader {
    public let path: String
    private let file: gzFile
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next newline goes on: the bytes from `start` to here hold none.
    private var scanned = 0
    private var atEnd = false
    /// The number of the line ``nextLine()`` returned last.
    public private(set) var lineNumber = 0
    /// What the buffer, and the line last copied out of it (never longer), hold from the caller's budget.
    private let held: MemoryHold

    /// The longest line read: DynamoDB items are at most 400 KB, which their JSON (base64 binaries,
    /// escapes) can exceed several times; a longer line is not an item and is not read into memory.
    public static let maxLineLength = 4 << 20

    /// Opens the regular file at `path` through `root` (beneath its directory when it is restricted).
    /// The buffer, and each line read out of it, are held from `memory`: a line it cannot hold is the
    /// budget's error.
    public init(path: String, in root: FileRoot = .unrestricted, memory: MemoryBudget = .unlimited)
        throws(DynamoDBError)
    {
        self.path = path
        held = memory.hold()
        let descriptor: Int32
        do throws(FileAccessError) {
            descriptor = try root.openForReading(path).descriptor
        } catch {
            throw .file(error)
        }
        guard let file = gzdopen(descriptor, "rb") else {
            let code = errno
            close(descriptor)
            throw .input("cannot read \(path): \(String(cString: strerror(code)))")
        }
        gzbuffer(file, 1 << 17)
        self.file = file
    }

    deinit {
        gzclose(file)
    }

    /// The next non-empty line without its newline (and a carriage return before it), or nil at the
    /// end of the file.
    public func nextLine() throws(DynamoDBError) -> [UInt8]? {
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                scanned = start
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
                return line
            }
            scanned = buffer.count
            if buffer.count - start > Self.maxLineLength {
                throw .input(
                    "\(path):\(lineNumber + 1): line longer than \(Self.maxLineLength >> 20) MB: not an item")
            }
            try fill()
        }
    }

    /// Reads the next chunk after what is left of the buffer.
    private func fill() throws(DynamoDBError) {
        if start > 0 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        let chunk = 1 << 16
        let old = buffer.count
        // Before the buffer grows: a line too long for the budget stops here, not after it is read. The
        // largest size is what is held, since removing what was read keeps the buffer's capacity.
        try held.set(max(held.bytes, 2 * (old + chunk)), for: "reading \(path)")
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + old, UInt32(chunk)) }
        guard count >= 0 else {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            throw .input("cannot read \(path): \(message)")
        }
        buffer.removeLast(chunk - Int(count))
        if count == 0 { atEnd = true }
    }
}

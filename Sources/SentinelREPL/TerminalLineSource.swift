import CLibEdit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lines from the terminal through libedit: editing, history kept in a file, tab completion, and
/// Ctrl-C that drops the line being typed.
///
/// Ctrl-C at the prompt: libedit's own signal handling is off; while reading, a SIGINT handler
/// without SA_RESTART makes `read` fail with EINTR, and our `getc` then ends the line as if at end of
/// input, with a flag saying why. (libedit's default `getc` retries on EINTR, so it cannot stop.)
struct TerminalLineSource: LineSource {
    private let historyPath: String?

    init(historyPath: String?, completion: CompletionCandidates) {
        self.historyPath = historyPath
        Self.readMultibyteCharacters()
        LineEditorState.completion = completion
        clibedit_configure(completeWord, readCharacter)
        if let historyPath { _ = read_history(historyPath) }
    }

    mutating func nextLine(prompt: String) -> LineEvent {
        LineEditorState.interrupted = 0
        LineEditorState.typeahead += Self.typeaheadWithoutEndOfInput()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = noteInterrupt
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var previous = sigaction()
        sigaction(SIGINT, &action, &previous)
        // A parent may start us with SIGINT blocked (the mask survives exec), and then Ctrl-C would wait.
        var interruptOnly = sigset_t()
        sigemptyset(&interruptOnly)
        sigaddset(&interruptOnly, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interruptOnly, nil)
        let line = readline(prompt)
        sigaction(SIGINT, &previous, nil)
        defer { free(line) }
        if LineEditorState.interrupted != 0 {
            ConsoleOutput.write("\n")
            return .interrupted
        }
        guard let line else { return .end }
        return .line(Array(UnsafeRawBufferPointer(start: line, count: strlen(line))))
    }

    /// libedit decodes what is typed by the character type of the C locale, which a program starts with
    /// as "C" (ASCII): every byte of `中` or `é` was then refused with a bell and dropped. The
    /// environment's locale is taken for character types only (numbers still print with a `.`), and
    /// UTF-8 when that one is not UTF-8, since that is what the printer and DynamoDB use.
    private static func readMultibyteCharacters() {
        setlocale(LC_CTYPE, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// What was typed while a statement ran, without the Ctrl-Ds. The terminal is in canonical mode
    /// then, and a Ctrl-D typed there is queued as an end-of-input mark that libedit, once it takes
    /// the terminal, would read as a character of the next line (`\x04`, or a NUL), where it also
    /// stops a later Ctrl-D from leaving (the line is no longer empty). The rest of what was typed is
    /// kept, for `readCharacter` to hand to libedit first, so typing ahead still works.
    private static func typeaheadWithoutEndOfInput() -> [UInt8] {
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { return [] }
        var polling = saved
        polling.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &polling.c_cc) { characters in
            characters[Int(VMIN)] = 0
            characters[Int(VTIME)] = 0
        }
        guard tcsetattr(0, TCSANOW, &polling) == 0 else { return [] }
        defer { tcsetattr(0, TCSANOW, &saved) }
        var typed: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(0, &buffer, buffer.count)
            guard count > 0 else { break }
            typed += buffer[..<count]
        }
        return typed.filter { $0 != 0x04 && $0 != 0 }
    }

    mutating func remember(_ statement: [UInt8]) {
        guard !statement.contains(0) else { return }
        _ = add_history(String(decoding: statement, as: UTF8.self))
        if let historyPath { _ = write_history(historyPath) }
    }
}

/// What libedit's C callbacks need: they cannot capture. The REPL runs on one thread and only it
/// touches these (and the flag from its signal handler).
private enum LineEditorState {
    nonisolated(unsafe) static var completion: CompletionCandidates?
    nonisolated(unsafe) static var interrupted: sig_atomic_t = 0
    /// Bytes typed while a statement ran, read before libedit reads the terminal.
    nonisolated(unsafe) static var typeahead: [UInt8] = []
}

private func noteInterrupt(_ signal: Int32) {
    LineEditorState.interrupted = 1
}

/// One byte from the terminal; end of input after Ctrl-C, so `readline` returns.
private func readCharacter(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
    // libedit's readline takes what this returns as one whole character (a wchar_t), so UTF-8 is
    // decoded here: handing it the bytes of `é` one by one would make two Latin-1 characters of them.
    guard let lead = readByte() else { return EOF }
    let length: Int
    switch lead {
    case 0x00..<0x80: return Int32(lead)
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return replacementCharacter
    }
    var scalar = UInt32(lead) & (0xFF >> (length + 1))
    for _ in 1..<length {
        guard let next = readByte() else { return EOF }
        guard next & 0xC0 == 0x80 else {
            // Not a continuation: the sequence ends here and this byte starts the next character.
            LineEditorState.typeahead.insert(next, at: 0)
            return replacementCharacter
        }
        scalar = scalar << 6 | UInt32(next & 0x3F)
    }
    // Overlong forms and surrogates are not characters.
    guard let decoded = Unicode.Scalar(scalar), String(decoded).utf8.count == length else {
        return replacementCharacter
    }
    return Int32(bitPattern: decoded.value)
}

/// U+FFFD, for bytes that are not UTF-8.
private let replacementCharacter: Int32 = 0xFFFD

/// The next byte typed (typed-ahead first), or nil at the end of input or on Ctrl-C.
private func readByte() -> UInt8? {
    var byte: UInt8 = 0
    while true {
        if LineEditorState.interrupted != 0 { return nil }
        if !LineEditorState.typeahead.isEmpty { return LineEditorState.typeahead.removeFirst() }
        let count = read(0, &byte, 1)
        if count == 1 { return byte }
        if count < 0 && errno == EINTR { continue }
        return nil
    }
}

/// readline's completion: a malloc'd, NULL-terminated array of the common prefix then every match.
private func completeWord(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
{
    clibedit_completion_over()
    guard let text, let completion = LineEditorState.completion else { return nil }
    let word = Array(UnsafeRawBufferPointer(start: text, count: strlen(text)))
    var before: [UInt8] = []
    if let line = clibedit_line_buffer(), start > 0, start <= strlen(line) {
        before = Array(UnsafeRawBufferPointer(start: line, count: Int(start)))
    }
    let matches = completion.candidates(for: word, before: before).map { Array($0.utf8) }
    guard var common = matches.first else { return nil }
    for match in matches.dropFirst() {
        let length = zip(common, match).prefix { $0 == $1 }.count
        common.removeSubrange(length...)
    }
    let entries = [common] + (matches.count > 1 ? matches : [])
    guard
        let list = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1))?
            .assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
    else { return nil }
    for (index, entry) in entries.enumerated() {
        let copy = malloc(entry.count + 1)!.assumingMemoryBound(to: UInt8.self)
        copy.initialize(from: entry, count: entry.count)
        copy[entry.count] = 0
        list[index] = UnsafeMutableRawPointer(copy).assumingMemoryBound(to: CChar.self)
    }
    list[entries.count] = nil
    return list
}

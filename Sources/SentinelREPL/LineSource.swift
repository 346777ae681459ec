/// What reading one line of input gave.
enum LineEvent {
    /// A line, without its newline.
    case line([UInt8])
    /// Ctrl-C at the prompt: the line being typed is dropped.
    case interrupted
    /// The end of the input (Ctrl-D, or the end of a pipe).
    case end
}

/// Where the REPL's lines come from: the terminal with line editing, or a pipe.
protocol LineSource {
    /// Reads the next line, showing `prompt` where there is someone to see it.
    mutating func nextLine(prompt: String) -> LineEvent
    /// Records a complete statement (for history).
    mutating func remember(_ statement: [UInt8])
}

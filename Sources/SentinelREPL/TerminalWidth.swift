#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The width of the terminal that standard output goes to, read again for every value printed so a
/// resized window is followed; 80 when output is not a terminal.
enum TerminalWidth {
    static let fallback = 80

    static func current() -> Int {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return fallback }
        return Int(size.ws_col)
    }
}

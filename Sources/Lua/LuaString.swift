/// A Lua string: a sequence of bytes that may hold NUL bytes and need not be valid UTF-8.
public struct LuaString: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The exact bytes of the string.
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The string as text, or nil when its bytes are not valid UTF-8.
    public var text: String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The string as text, with invalid UTF-8 replaced by U+FFFD.
    public var description: String {
        String(decoding: bytes, as: UTF8.self)
    }
}

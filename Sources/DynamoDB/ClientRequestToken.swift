/// Idempotency tokens (`ClientRequestToken`): a write sent again with the same token within ten
/// minutes is not applied again, which makes retrying a transaction whose answer was lost safe.
public enum ClientRequestToken {
    /// A random version 4 UUID in its text form, 36 characters (DynamoDB allows 1 to 36).
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }
}

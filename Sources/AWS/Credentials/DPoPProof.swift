import Crypto
import DynamoDBModel
import JSON

/// A DPoP proof (RFC 9449) for AWS Sign-In's token endpoint, as the SDKs make it for `aws login`
/// refreshes: a JWT whose header carries the session's P-256 public key (`jwk`), whose payload names the
/// request (`htm` POST, `htu` the URL, `iat`, a random `jti`), signed ES256 with the key `aws login`
/// cached (`dpopKey`, SEC1 or PKCS#8 PEM).
struct DPoPProof {
    let key: P256.Signing.PrivateKey

    /// The key in `pem`; `nil` when it is not a P-256 private key (the PEM is never shown).
    init?(pem: String) {
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) else { return nil }
        self.key = key
    }

    /// The proof for a POST to `url` at `time` (seconds since 1970), with `id` as its `jti`.
    func header(url: String, time: Int64, id: String = DPoPProof.randomID()) throws -> String {
        let point = key.publicKey.rawRepresentation  // x || y, 32 bytes each
        let jwk: JSONValue = [
            "kty": "EC", "x": .string(Self.base64URL(Array(point.prefix(32)))),
            "y": .string(Self.base64URL(Array(point.suffix(32)))), "crv": "P-256",
        ]
        let header: JSONValue = ["typ": "dpop+jwt", "alg": "ES256", "jwk": jwk]
        let payload: JSONValue = [
            "htm": "POST", "htu": .string(url), "iat": .number(JSONNumber(time)), "jti": .string(id),
        ]
        let writer = JSONWriter(style: .compact)
        let message =
            Self.base64URL(writer.bytes(from: header)) + "." + Self.base64URL(writer.bytes(from: payload))
        let signature = try key.signature(for: Array(message.utf8))
        return message + "." + Self.base64URL(Array(signature.rawRepresentation))
    }

    /// Base64url without padding (JWT's encoding).
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = ""
        for character in Base64.encode(bytes) {
            switch character {
            case "+": text.append("-")
            case "/": text.append("_")
            case "=": continue
            default: text.append(character)
            }
        }
        return text
    }

    /// A random UUID (version 4) in its usual text form.
    static func randomID() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = SigV4Signer.hex(bytes)
        let parts = [(0, 8), (8, 12), (12, 16), (16, 20), (20, 32)].map { start, end in
            String(hex[hex.index(hex.startIndex, offsetBy: start)..<hex.index(hex.startIndex, offsetBy: end)])
        }
        return parts.joined(separator: "-")
    }
}

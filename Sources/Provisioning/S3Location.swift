/// Where DynamoDB's export writes and its import reads: `s3://BUCKET/PREFIX`, as the aws CLI writes
/// S3 locations. The prefix may be empty; slashes around it are dropped, since the export adds its own
/// `/AWSDynamoDB/ID/` after it.
public struct S3Location: Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    public var prefix: String

    public init(bucket: String, prefix: String = "") {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Reads `s3://BUCKET[/PREFIX]`; the error says what is wrong with it.
    public init(parsing text: String) throws(S3LocationError) {
        let scheme = "s3://"
        guard text.hasPrefix(scheme) else {
            throw S3LocationError(text: text, problem: "must start with s3:// (s3://BUCKET/PREFIX)")
        }
        let rest = text.dropFirst(scheme.count)
        let bucket = String(rest.prefix { $0 != "/" })
        // S3's bucket naming rules: 3 to 63 characters, lowercase letters, digits, dots and hyphens,
        // beginning and ending with a letter or digit.
        let allowed = bucket.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
        }
        let edges = [bucket.first, bucket.last].allSatisfy { $0?.isLetter == true || $0?.isNumber == true }
        guard (3...63).contains(bucket.count), allowed, edges else {
            throw S3LocationError(
                text: text,
                problem:
                    "'\(bucket)' is not a bucket name (3 to 63 lowercase letters, digits, dots or hyphens)")
        }
        var prefix = Substring(rest.dropFirst(bucket.count))
        while prefix.first == "/" { prefix.removeFirst() }
        while prefix.last == "/" { prefix.removeLast() }
        self.init(bucket: bucket, prefix: String(prefix))
    }

    public var description: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }
}

/// An `s3://` location that cannot be used, and why.
public struct S3LocationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String

    public var description: String { "'\(text)': \(problem)" }
}

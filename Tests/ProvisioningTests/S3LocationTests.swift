import Provisioning
import Testing

/// `--via s3://BUCKET/PREFIX` as the aws CLI writes S3 locations, and the errors for what is not one.
@Suite struct S3LocationTests {
    @Test(arguments: [
        ("s3://migrations", "migrations", ""),
        ("s3://migrations/", "migrations", ""),
        ("s3://my.bucket-1/sessions/2026/", "my.bucket-1", "sessions/2026"),
        ("s3://abc//deep/prefix", "abc", "deep/prefix"),
    ])
    func locationsAreRead(text: String, bucket: String, prefix: String) throws {
        let location = try S3Location(parsing: text)
        #expect(location == S3Location(bucket: bucket, prefix: prefix))
        #expect(try S3Location(parsing: location.description) == location)
    }

    @Test(arguments: [
        ("bucket/prefix", "must start with s3://"),
        ("https://bucket/prefix", "must start with s3://"),
        ("s3://", "'' is not a bucket name"),
        ("s3://ab/x", "'ab' is not a bucket name"),
        ("s3://Upper/x", "'Upper' is not a bucket name"),
        ("s3://under_score", "'under_score' is not a bucket name"),
        ("s3://-edge", "'-edge' is not a bucket name"),
    ])
    func whatIsNotALocationIsSaid(text: String, problem: String) {
        #expect {
            try S3Location(parsing: text)
        } throws: { error in
            "\(error)".contains(problem) && "\(error)".contains("'\(text)'")
        }
    }
}

import AWS
import Foundation
import Testing

/// The official SigV4 test vectors (aws-c-auth's `aws-signing-test-suite/v4`), read from the shared
/// folder beside the repository; the project commits no copy of them.
enum SigV4Suite {
    /// `SENTINEL_TABLES_SIGV4_SUITE` when set, else `shared/` beside the checkout, else the workplace's
    /// shared folder (a clone made elsewhere, as CI may do, still finds the one copy).
    static let directory: URL = {
        let besideCheckout = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/aws-sigv4-test-suite/v4")
        var candidates: [URL] = []
        if let given = ProcessInfo.processInfo.environment["SENTINEL_TABLES_SIGV4_SUITE"], !given.isEmpty {
            candidates.append(URL(fileURLWithPath: given))
        }
        candidates += [besideCheckout, URL(fileURLWithPath: "/work/shared/aws-sigv4-test-suite/v4")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? besideCheckout
    }()

    /// Every case folder; a single impossible name when the suite is missing, so the parameterised
    /// test fails loudly instead of running zero cases.
    static func caseNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let cases = names.filter { name in
            FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("\(name)/request.txt").path)
        }
        return cases.isEmpty ? ["<suite missing at \(directory.path)>"] : cases.sorted()
    }

    static func read(_ name: String, _ file: String) throws -> String {
        let url = directory.appendingPathComponent(name).appendingPathComponent(file)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw SuiteError("cannot read \(url.path): the SigV4 test suite must be at \(directory.path)")
        }
        return text
    }

    /// Parses `request.txt`: a request line whose target may contain spaces, header lines (a line that
    /// starts with whitespace continues the previous value), a blank line, the body.
    static func request(_ text: String) throws -> SigV4Signer.Request {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " ")
        else { throw SuiteError("bad request line \(requestLine)") }
        let method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        let (path, query) =
            target.firstIndex(of: "?").map {
                (String(target[..<$0]), String(target[target.index(after: $0)...]))
            }
            ?? (target, "")
        var headers: [(name: String, value: String)] = []
        while !lines.isEmpty {
            let line = lines.removeFirst()
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw SuiteError("bad header line \(line)") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        let body = Array(lines.joined(separator: "\n").utf8)
        return SigV4Signer.Request(method: method, path: path, query: query, headers: headers, body: body)
    }

    struct SuiteError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

@Suite struct SigV4SuiteTests {
    @Test func suiteIsPresentWithEveryCase() {
        let names = SigV4Suite.caseNames()
        #expect(names.count >= 38, "expected the 38 header cases at \(SigV4Suite.directory.path)")
    }

    @Test(arguments: SigV4Suite.caseNames())
    func headerSigning(caseName: String) throws {
        let contextText = try SigV4Suite.read(caseName, "context.json")
        let context = try #require(
            try JSONSerialization.jsonObject(with: Data(contextText.utf8)) as? [String: Any])
        let credentials = try #require(context["credentials"] as? [String: Any])
        let timestamp = try #require(context["timestamp"] as? String)
        let date = try #require(UTCTimestamp(iso8601: timestamp))
        let keyID = try #require(credentials["access_key_id"] as? String)
        let secret = try #require(credentials["secret_access_key"] as? String)
        let region = try #require(context["region"] as? String)
        let service = try #require(context["service"] as? String)
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: keyID, secretAccessKey: secret, sessionToken: credentials["token"] as? String),
            region: region, service: service,
            normalizesPath: context["normalize"] as? Bool ?? true,
            signsPayloadHash: context["sign_body"] as? Bool ?? false,
            signsSessionToken: !(context["omit_session_token"] as? Bool ?? false))
        let request = try SigV4Suite.request(try SigV4Suite.read(caseName, "request.txt"))

        let prepared = signer.prepare(request, date: date)
        let canonical = signer.canonicalRequest(for: prepared)
        #expect(canonical == (try SigV4Suite.read(caseName, "header-canonical-request.txt")))
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, date: date)
        #expect(stringToSign == (try SigV4Suite.read(caseName, "header-string-to-sign.txt")))
        let signature = signer.signature(stringToSign: stringToSign, date: date)
        #expect(signature == (try SigV4Suite.read(caseName, "header-signature.txt")))

        let signedRequest = try SigV4Suite.read(caseName, "header-signed-request.txt")
        let expectedAuthorization = try #require(
            signedRequest.components(separatedBy: "\n").first { $0.hasPrefix("Authorization:") })
        let signed = signer.sign(request, date: date)
        #expect("Authorization:" + (signed.header("Authorization") ?? "") == expectedAuthorization)
        #expect(signed.header("X-Amz-Security-Token") == credentials["token"] as? String)
    }

    @Test func signingKeyMatchesAWSDocumentationExample() {
        // The example in AWS's "Create a signature" page: secret, 20120215, us-east-1, iam.
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "iam")
        let key = signer.signingKey(date: UTCTimestamp(year: 2012, month: 2, day: 15)!)
        let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        #expect(hex == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func timestampsFormatAndParse() throws {
        let date = try #require(UTCTimestamp(iso8601: "2015-08-30T12:36:00Z"))
        #expect(date.amzDate == "20150830T123600Z")
        #expect(date.dateStamp == "20150830")
        #expect(date.secondsSinceEpoch == 1_440_938_160)
        #expect(UTCTimestamp(iso8601: "2015-08-30T14:36:00.123+02:00") == date)
        #expect(UTCTimestamp(iso8601: "2015-02-30T12:36:00Z") == nil)
        #expect(UTCTimestamp(iso8601: "2015-08-30 12:36") == nil)
        #expect(UTCTimestamp(secondsSinceEpoch: -1).description == "1969-12-31T23:59:59Z")
    }
}

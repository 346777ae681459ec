import DynamoDB
import JSON
import SeededRandom
import Testing

/// Random, mutated and truncated input into the parsers that read what the network and the user's files
/// give: DynamoDB's JSON answers decoded into items, the shared config and credentials files, and the
/// configuration resolved from them. Each must end in a value or an error, never a trap; a seeded
/// generator makes any failure replayable.
@Suite struct ParserFuzzTests {
    /// Files given as raw bytes, so invalid UTF-8 reaches the parser as it would from disk.
    struct ByteFileSystem: FileSystem {
        var files: [String: [UInt8]]

        func contents(atPath path: String) throws(DynamoDBError) -> [UInt8]? { files[path] }
    }

    /// Small edits: a byte replaced, removed or inserted, or the input cut short.
    static func mutate(_ bytes: [UInt8], alphabet: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let choice = Int.random(in: 0..<4, using: &generator)
            if result.isEmpty || choice == 0 {
                result.insert(
                    Bool.random(using: &generator)
                        ? alphabet.randomElement(using: &generator)!
                        : UInt8.random(in: 0...255, using: &generator),
                    at: Int.random(in: 0...result.count, using: &generator))
                continue
            }
            let index = Int.random(in: 0..<result.count, using: &generator)
            switch choice {
            case 1: result[index] = alphabet.randomElement(using: &generator)!
            case 2: result.remove(at: index)
            default: result.removeSubrange(index...)
            }
        }
        return result
    }

    // MARK: Items

    static let itemDocuments = [
        #"{"Items":[{"id":{"S":"a"},"n":{"N":"-1.5e+38"},"b":{"B":"AAEC"},"ok":{"BOOL":true},"z":{"NULL":true}}]}"#,
        #"{"Item":{"m":{"M":{"l":{"L":[{"S":"x"},{"N":"1"},{"SS":["a","b"]},{"NS":["1","2.5"]},{"BS":["AA=="]}]}}}}}"#,
        #"{"Items":[{"deep":{"L":[{"L":[{"L":[{"M":{"k":{"N":"99999999999999999999999999999999999999"}}}]}]}]}}]}"#,
    ]

    /// What a client does with an answer: parse it, then decode every item it holds.
    static func decode(_ bytes: [UInt8]) {
        guard let answer = try? JSONParser().parse(bytes: bytes) else { return }
        var candidates: [JSONValue] = [answer]
        if let item = answer["Item"] { candidates.append(item) }
        if case .array(let items)? = answer["Items"] { candidates += items }
        for candidate in candidates {
            if let item = try? AttributeValue.item(json: candidate, path: "Items") {
                // A decoded item encodes and decodes to itself.
                #expect((try? AttributeValue.item(json: AttributeValue.json(item))) == item)
            }
            _ = try? AttributeValue(json: candidate)
        }
    }

    @Test func mutatedAndTruncatedAnswersDecodeOrFailCleanly() {
        var generator = SplitMix64(state: 0xA77)
        let alphabet = Array(#"{}[]:,"\SNBLMBOOLNULLSSNSBS0123456789.-+eE=/AZaz"#.utf8)
        for document in Self.itemDocuments {
            let bytes = Array(document.utf8)
            for end in 0...bytes.count { Self.decode(Array(bytes[..<end])) }
            for _ in 0..<5000 { Self.decode(Self.mutate(bytes, alphabet: alphabet, using: &generator)) }
        }
    }

    @Test func randomAttributeValueShapesDecodeOrFailCleanly() {
        var generator = SplitMix64(state: 0xDDB)
        let types = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X", ""]
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 6 ? 5 : 8), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2:
                let texts = [
                    "", "1", "-0", "1e400", "abc", "AA==", "=", "12345678901234567890123456789012345678901",
                ]
                return .string(texts.randomElement(using: &generator)!)
            case 3: return 42
            case 4:
                return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in value(depth + 1) })
            default:
                var object = JSONObject()
                for _ in 0..<Int.random(in: 0...2, using: &generator) {
                    object[types.randomElement(using: &generator)!] = value(depth + 1)
                }
                return .object(object)
            }
        }
        var decoded = 0
        for _ in 0..<20_000 {
            let candidate = value(0)
            if (try? AttributeValue(json: candidate)) != nil { decoded += 1 }
            _ = try? AttributeValue.item(json: candidate)
        }
        #expect(decoded > 0)
    }

    // MARK: Shared files

    static let configText = """
        [default]
        region = eu-west-1
        endpoint_url = http://127.0.0.1:8000
        s3 =
          max_concurrent_requests = 10
        [profile dev]
        region=us-east-1
        credential_process = /bin/false
        ; comment
        # comment
        [profile  spaced   name ]
        role_arn = arn:aws:iam::123456789012:role/x
        source_profile = default\r
        """
    static let credentialsText = """
        [default]
        aws_access_key_id = AKIDEXAMPLE
        aws_secret_access_key = secret
        [dev]
        aws_session_token = token
        """

    /// Parses a config and a credentials file and resolves every profile from them.
    static func resolve(config: [UInt8], credentials: [UInt8], profile: String?) {
        let files = ByteFileSystem(files: ["/h/.aws/config": config, "/h/.aws/credentials": credentials])
        let environment = ["HOME": "/h", "AWS_EC2_METADATA_DISABLED": "true"]
        _ = try? INIFile(parsing: String(decoding: config, as: UTF8.self), fileName: "config")
        if let shared = try? SharedConfigFiles(environment: environment, fileSystem: files) {
            for name in ["default", "dev", "spaced name", profile ?? ""] {
                _ = shared.profile(name)
                _ = shared.describe(profile: name)
            }
        }
        _ = try? DynamoDBConfiguration.resolve(
            DynamoDBConfiguration.Options(profile: profile), environment: environment, fileSystem: files)
    }

    @Test func mutatedAndTruncatedSharedFilesParseOrFailCleanly() {
        var generator = SplitMix64(state: 0x1F1)
        let alphabet =
            Array("[]= \t\r\n#;profile default region endpoint_url http://:0x".utf8) + [0xFF, 0xC3]
        let config = Array(Self.configText.utf8)
        let credentials = Array(Self.credentialsText.utf8)
        for end in 0...config.count {
            Self.resolve(config: Array(config[..<end]), credentials: credentials, profile: nil)
        }
        for end in 0...credentials.count {
            Self.resolve(config: config, credentials: Array(credentials[..<end]), profile: "dev")
        }
        for round in 0..<4000 {
            Self.resolve(
                config: Self.mutate(config, alphabet: alphabet, using: &generator),
                credentials: Self.mutate(credentials, alphabet: alphabet, using: &generator),
                profile: round % 3 == 0 ? nil : ["dev", "spaced name", "missing"][round % 3])
        }
    }

    @Test func randomBytesAsSharedFilesParseOrFailCleanly() {
        var generator = SplitMix64(state: 0xB17E5)
        for _ in 0..<4000 {
            let length = Int.random(in: 0...200, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            Self.resolve(config: bytes, credentials: bytes, profile: nil)
        }
    }

    @Test func aWellFormedFileStillParses() throws {
        let ini = try INIFile(parsing: Self.configText, fileName: "config")
        #expect(ini.sections["profile spaced name"]?["source_profile"] == "default")
        #expect(ini.sections["default"]?["s3"] == "\nmax_concurrent_requests = 10")
    }
}

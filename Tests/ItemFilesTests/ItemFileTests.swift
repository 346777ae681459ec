import DynamoDB
import Foundation
import ItemFiles
import Testing

/// Files of items: both line formats for every attribute type, reading gzip and plain files alike,
/// and writing a file whole or not at all.
@Suite struct ItemFileTests {
    static let everyType: Item = [
        "id": "a", "n": .number(AttributeNumber("-12345678901234567890.123456789")!),
        "b": .binary([0, 1, 255]),
        "t": .bool(true), "nul": .null, "m": .map(["k": .list([1, "x", .null, .map([:])])]),
        "ss": .stringSet(["b", "a"]), "ns": .numberSet([1, AttributeNumber("2.5")!]),
        "bs": .binarySet([[1], [2]]),
        "empty": "", "uni": "café ✓",
    ]

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "itemfile-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func dynamoDBJSONLinesKeepEveryType() throws {
        let line = ItemFileFormat.dynamoDBJSON.line(Self.everyType)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix(#"{"Item":{"b":{"B":"AAH/"},"bs":{"BS":["AQ==","Ag=="]},"#))
        #expect(text.contains(#""n":{"N":"-12345678901234567890.123456789"}"#))
        #expect(try ItemFileFormat.dynamoDBJSON.item(fromLine: line) == Self.everyType)
    }

    @Test func plainJSONKeepsNumbersExactAndSaysWhatItLoses() throws {
        let line = ItemFileFormat.json.line(Self.everyType)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains(#""n":-12345678901234567890.123456789"#))
        #expect(text.contains(#""ss":["b","a"]"#))
        #expect(text.contains(#""b":"AAH/""#))
        let back = try ItemFileFormat.json.item(fromLine: line)
        #expect(back["n"] == Self.everyType["n"])
        #expect(back["m"] == Self.everyType["m"])
        // Sets come back as lists and binary as text: the documented loss of the plain format.
        #expect(back["ss"] == .list(["b", "a"]))
        #expect(back["b"] == .string("AAH/"))
    }

    @Test func bothFormatsKeepNamesThatDifferOnlyInNormalisation() throws {
        let item: Item = [
            "id": "x", AttributeName("caf\u{E9}"): "composed", AttributeName("cafe\u{301}"): "decomposed",
        ]
        for format in [ItemFileFormat.dynamoDBJSON, .json] {
            let back = try format.item(fromLine: format.line(item))
            #expect(back == item, "\(format)")
        }
    }

    @Test func badLinesAreNamedByPath() {
        #expect(throws: ValueDecodingError.self) {
            try ItemFileFormat.dynamoDBJSON.item(fromLine: Array("{".utf8))
        }
        do {
            _ = try ItemFileFormat.dynamoDBJSON.item(
                fromLine: Array(#"{"Item":{"id":{"S":"a"},"n":{"N":"x"}}}"#.utf8))
            Issue.record("accepted a bad number")
        } catch {
            #expect(error.path == "Item.n")
        }
        do {
            _ = try ItemFileFormat.dynamoDBJSON.item(fromLine: Array(#"{"id":{"S":"a"}}"#.utf8))
            Issue.record("accepted a line without Item")
        } catch {
            #expect(error.message.contains("--format json"))
        }
        do {
            _ = try ItemFileFormat.json.item(fromLine: Array(#"{"id":"a","m":{"n":1e999999}}"#.utf8))
            Issue.record("accepted a number DynamoDB cannot store")
        } catch {
            #expect(error.path == "m.n")
        }
    }

    @Test func readerReadsGzipAndPlainFilesLineByLine() throws {
        let directory = try Self.temporaryDirectory()
        let text = "first\r\n\n  \nsecond\nthird"
        try text.write(toFile: directory + "/plain.json", atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(directory)/plain.json' > '\(directory)/packed.json.gz'"]
        try gzip.run()
        gzip.waitUntilExit()
        for name in ["plain.json", "packed.json.gz"] {
            let reader = try ItemFileReader(path: directory + "/" + name)
            var lines: [(Int, String)] = []
            while let line = try reader.nextLine() {
                lines.append((reader.lineNumber, String(decoding: line, as: UTF8.self)))
            }
            #expect(lines.map(\.0) == [1, 4, 5], "\(name)")
            #expect(lines.map(\.1) == ["first", "second", "third"], "\(name)")
        }
        #expect(throws: DynamoDBError.self) { _ = try ItemFileReader(path: directory + "/missing.json") }
        #expect(throws: DynamoDBError.self) { _ = try ItemFileReader(path: directory) }
    }

    @Test func aLineLongerThanAnyItemIsRefusedWithoutReadingItAll() throws {
        let directory = try Self.temporaryDirectory()
        let path = directory + "/long.json"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data(repeating: 0x61, count: ItemFileReader.maxLineLength + 10))
        let reader = try ItemFileReader(path: path)
        #expect {
            _ = try reader.nextLine()
        } throws: { error in
            String(describing: error).contains("long.json:1: line longer than")
        }
    }

    @Test func aWriterPutsTheFileInPlaceOnlyOnCommit() throws {
        let directory = try Self.temporaryDirectory()
        let path = directory + "/out.json"
        try "old\n".write(toFile: path, atomically: true, encoding: .utf8)
        // Not replaced unless asked.
        #expect(throws: DynamoDBError.self) { _ = try ItemFileWriter(path: path, replace: false) }
        do {
            let writer = try ItemFileWriter(path: path, replace: true)
            try writer.write(line: Array("new".utf8))
            writer.discard()
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        do {
            let writer = try ItemFileWriter(path: path, replace: true)
            try writer.write(line: Array("new".utf8))
            // Dropped without a commit: as a discard.
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        let writer = try ItemFileWriter(path: path, replace: true)
        try writer.write(line: Array("new".utf8))
        try writer.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.json"])
    }

    @Test func aWriterCompressesAGzName() throws {
        let directory = try Self.temporaryDirectory()
        let path = directory + "/out.json.gz"
        let writer = try ItemFileWriter(path: path, replace: false)
        for index in 0..<1000 { try writer.write(line: Array("line \(index)".utf8)) }
        try writer.commit()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.prefix(2) == Data([0x1F, 0x8B]))
        let reader = try ItemFileReader(path: path)
        var count = 0
        while let line = try reader.nextLine() {
            #expect(String(decoding: line, as: UTF8.self) == "line \(count)")
            count += 1
        }
        #expect(count == 1000)
    }
}

import JSON
import SeededRandom
import Testing

@Suite struct JSONFuzzTests {
    /// Parsing must end in a value that round-trips or in an error pointing inside the input.
    func check(_ bytes: [UInt8]) {
        do {
            let value = try JSONParser().parse(bytes: bytes)
            let compact = JSONWriter().bytes(from: value)
            let pretty = JSONWriter(style: .pretty).bytes(from: value)
            #expect(try JSONParser().parse(bytes: compact) == value)
            #expect(try JSONParser().parse(bytes: pretty) == value)
        } catch {
            #expect((0...bytes.count).contains(error.offset), "\(bytes): \(error)")
        }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(state: 0x5EED)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...48, using: &generator)
            check((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
    }

    @Test func randomJSONLikeTextNeverCrashes() {
        let alphabet =
            Array(#"{}[],:"\ 0123456789.-+eEtruefalsnul\u00dFd8x"#.utf8) + [0x0A, 0xC3, 0xA9, 0xF0]
        var generator = SplitMix64(state: 42)
        var parsed = 0
        for _ in 0..<4000 {
            let count = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            check(bytes)
            if (try? JSONParser().parse(bytes: bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 0)
    }

    @Test func everyTruncationOfAValidDocumentFailsCleanly() throws {
        let text =
            #"{"TableName":"t","Keys":[{"id":{"S":"a\u00e9\"😀"}},{"n":{"N":"-1.5e+38"}}],"ok":true,"x":null}"#
        let bytes = Array(text.utf8)
        for end in 0..<bytes.count {
            #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes: Array(bytes[..<end])) }
        }
        #expect(try JSONParser().parse(bytes: bytes)["ok"] == true)
    }

    @Test func randomMutationsOfAValidDocumentNeverCrash() {
        let bytes = Array(#"{"a":[1,2.5e3,"x\ny",{"b":null}],"c":"é"}"#.utf8)
        var generator = SplitMix64(state: 7)
        for _ in 0..<2000 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<mutated.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: mutated[index] = UInt8.random(in: 0...255, using: &generator)
                case 1: mutated.remove(at: index)
                default: mutated.insert(UInt8.random(in: 0...255, using: &generator), at: index)
                }
                if mutated.isEmpty { break }
            }
            check(mutated)
        }
    }
}

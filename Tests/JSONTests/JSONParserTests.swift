import JSON
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #" {"a": [1, -2.5e+3, true, false, null], "b": {"c": "d"}} "#)
        let expected: JSONValue = [
            "a": [1, .number(JSONNumber("-2.5e+3")!), true, false, nil],
            "b": ["c": "d"],
        ]
        #expect(value == expected)
    }

    @Test func acceptsAnyValueAtTopLevel() throws {
        #expect(try JSONValue(parsing: "42") == 42)
        #expect(try JSONValue(parsing: #""x""#) == "x")
        #expect(try JSONValue(parsing: "null") == .null)
        #expect(try JSONValue(parsing: " \t\r\ntrue\n") == true)
    }

    @Test func keepsThirtyEightDigitNumbersExactly() throws {
        let digits = "12345678901234567890123456789012345678"
        for text in [
            digits, "-\(digits)", "0.\(digits)", "9.9999999999999999999999999999999999999E+125", "1E-130",
        ] {
            let value = try JSONValue(parsing: "[\(text)]")
            #expect(value[0]?.numberValue?.text == text)
            #expect(value.jsonText() == "[\(text)]")
        }
    }

    @Test func keepsObjectMemberOrder() throws {
        let value = try JSONValue(parsing: #"{"z": 1, "a": 2, "m": 3}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value.jsonText() == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test func decodesEscapes() throws {
        let value = try JSONValue(parsing: #""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \ud83d\ude00""#)
        #expect(value == .string("\" \\ / \u{08} \u{0C} \n \r \t A é € 😀"))
    }

    @Test func passesUTF8Through() throws {
        let value = try JSONValue(parsing: #""héllo wörld 日本 😀""#)
        #expect(value == "héllo wörld 日本 😀")
    }

    @Test(
        arguments: [
            ("", JSONParseError.Kind.unexpectedEndOfInput, 0),
            ("   ", .unexpectedEndOfInput, 3),
            ("[", .unexpectedEndOfInput, 1),
            ("[1", .unexpectedEndOfInput, 2),
            ("[1,", .unexpectedEndOfInput, 3),
            (#"{"a""#, .unexpectedEndOfInput, 4),
            (#"{"a":"#, .unexpectedEndOfInput, 5),
            (#"{"a":1"#, .unexpectedEndOfInput, 6),
            (#""abc"#, .unexpectedEndOfInput, 4),
            (#""\u12"#, .unexpectedEndOfInput, 5),
            ("tru", .unexpectedEndOfInput, 3),
            ("-", .unexpectedEndOfInput, 1),
            ("1.", .unexpectedEndOfInput, 2),
            ("1e", .unexpectedEndOfInput, 2),
            ("[1,]", .unexpectedCharacter, 3),
            (#"{"a":1,}"#, .unexpectedCharacter, 7),
            ("[1 2]", .unexpectedCharacter, 3),
            (#"{'a':1}"#, .unexpectedCharacter, 1),
            (#"{"a" 1}"#, .unexpectedCharacter, 5),
            ("nul", .unexpectedEndOfInput, 3),
            ("nulx", .unexpectedCharacter, 0),
            ("NaN", .unexpectedCharacter, 0),
            ("01", .invalidNumber, 1),
            ("-a", .invalidNumber, 1),
            ("1.e5", .invalidNumber, 2),
            ("+1", .unexpectedCharacter, 0),
            (#""\x""#, .invalidEscape, 1),
            (#""\ud800""#, .invalidEscape, 1),
            (#""\udc00""#, .invalidEscape, 1),
            (#""\ud800\u0041""#, .invalidEscape, 1),
            (#""\u12G4""#, .invalidEscape, 5),
            ("\"a\nb\"", .unescapedControlCharacter, 2),
            (#"{"a":1,"a":2}"#, .duplicateKey, 7),
            ("1 2", .trailingCharacters, 2),
            ("[] x", .trailingCharacters, 3),
            ("// comment\n1", .unexpectedCharacter, 0),
        ])
    func reportsErrorsWithOffsets(input: String, kind: JSONParseError.Kind, offset: Int) {
        #expect {
            _ = try JSONValue(parsing: input)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.kind == kind && error.offset == offset
        }
    }

    @Test func errorMessagesSayWhatWasExpected() {
        #expect(
            throws: JSONParseError(
                .unexpectedCharacter, at: 3, "expected ',' or ']' after an array element, found '2'")
        ) {
            try JSONValue(parsing: "[1 2]")
        }
        let error = JSONParseError(
            .unexpectedEndOfInput, at: 2,
            "unexpected end of input, expected ',' or ']' after an array element")
        #expect(throws: error) { try JSONValue(parsing: "[1") }
        #expect(
            error.description
                == "invalid JSON at byte 2: unexpected end of input, expected ',' or ']' after an array element"
        )
    }

    @Test func rejectsInvalidUTF8() {
        let cases: [([UInt8], Int)] = [
            ([0x22, 0xFF, 0x22], 1),  // never valid
            ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong '/'
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // past U+10FFFF
            ([0x22, 0x61, 0xC3, 0x28, 0x22], 2),  // bad continuation
        ]
        for (bytes, offset) in cases {
            #expect {
                _ = try JSONParser().parse(bytes: bytes)
            } throws: { error in
                (error as? JSONParseError)?.kind == .invalidUTF8
                    && (error as? JSONParseError)?.offset == offset
            }
        }
        #expect(throws: JSONParseError.self) { try JSONParser().parse(bytes: [0x22, 0xE2, 0x82]) }
    }

    @Test func capsNestingDepth() throws {
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSONValue(parsing: deepest).arrayValue?.count == 1)

        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(
            throws: JSONParseError(
                .nestingTooDeep, at: 512, "arrays and objects nested deeper than 512 levels")
        ) {
            try JSONValue(parsing: tooDeep)
        }

        let objects = String(repeating: #"{"a":"#, count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: objects) }

        // Far past any stack: fails at the limit, without recursion.
        let huge = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: huge) }

        #expect(throws: JSONParseError.self) { try JSONParser(maxDepth: 2).parse("[[[]]]") }
        #expect(try JSONParser(maxDepth: 2).parse("[[1]]") == [[1]])
    }

    @Test func numberInitialiserAcceptsExactlyOneNumber() {
        #expect(JSONNumber("0")?.text == "0")
        #expect(JSONNumber("-0.5E-7")?.text == "-0.5E-7")
        for bad in ["", " 1", "1 ", "+1", "01", ".5", "1.", "NaN", "Infinity", "0x10", "1e", "\"1\"", "[1]"] {
            #expect(JSONNumber(bad) == nil, "\(bad)")
        }
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
        #expect(JSONNumber(0.1)?.text == "0.1")
        #expect(JSONNumber(Int64.min).text == "-9223372036854775808")
        #expect(JSONNumber(UInt64.max).text == "18446744073709551615")
    }
}

@Suite struct JSONParserScaleTests {
    @Test func parsesLargeObjectsInLinearTime() throws {
        let members = (0..<20_000).map { #""key\#($0)":\#($0)"# }.joined(separator: ",")
        let value = try JSONValue(parsing: "{\(members)}")
        #expect(value.objectValue?.count == 20_000)
        #expect(value["key19999"] == 19_999)
    }
}

extension JSONParserScaleTests {
    @Test func parsesLongArraysInLinearTime() throws {
        let elements = (0..<100_000).map(String.init).joined(separator: ",")
        #expect(try JSONValue(parsing: "[\(elements)]").arrayValue?.count == 100_000)
    }
}

import DynamoDB
import JSON
import Testing

/// The client's decoders of table descriptions and config files, on paths and on random input (the
/// attribute values' own are in DynamoDBModelTests).
@Suite struct DecoderTests {
    @Test func tableDescriptionErrorsNameThePath() throws {
        let text = #"{"TableName":"t","GlobalSecondaryIndexes":[{"IndexName":"a"},{"IndexName":7}]}"#
        guard case .object(let object) = try JSONParser().parse(text) else { return }
        #expect {
            _ = try TableDescription(json: object, path: "Table")
        } throws: { error in
            "\(error)" == "Table.GlobalSecondaryIndexes[1].IndexName: expected a string, found a number"
        }
    }

    @Test func decodersNeverCrashOnRandomOrTruncatedInput() {
        var generator = SystemRandomNumberGenerator()
        let seeds = [
            #"{"Table":{"TableName":"t","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"#
                + #""GlobalSecondaryIndexes":[{"IndexName":"g","Projection":{"ProjectionType":"ALL"}}]}}"#,
            #"{"Items":[{"id":{"S":"1"},"n":{"N":"12"},"b":{"B":"AA=="},"l":{"L":[{"NULL":true}]}}],"#
                + #""LastEvaluatedKey":{"id":{"S":"1"}}}"#,
            "[default]\nregion = us-east-1\n[profile x]\ncredential_process = echo\n  nested = 1\n",
        ]
        let alphabet = Array(#"{}[]":,SNBMLtrue0123456789 \n=#;-."#.utf8)
        var inputs: [[UInt8]] = []
        for seed in seeds {
            let bytes = Array(seed.utf8)
            for cut in 0...bytes.count { inputs.append(Array(bytes[0..<cut])) }
            for _ in 0..<300 {
                var mutated = bytes
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let index = Int.random(in: 0..<mutated.count, using: &generator)
                    mutated[index] =
                        Bool.random(using: &generator)
                        ? alphabet.randomElement(using: &generator)!
                        : UInt8.random(in: 0...255, using: &generator)
                }
                inputs.append(mutated)
            }
        }
        for _ in 0..<500 {
            inputs.append(
                (0..<Int.random(in: 0...64, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator)!
                })
        }
        var decoded = 0
        for input in inputs {
            _ = try? INIFile(parsing: String(decoding: input, as: UTF8.self), fileName: "fuzz")
            guard let value = try? JSONParser().parse(bytes: input) else { continue }
            decoded += 1
            _ = try? AttributeValue(json: value)
            _ = try? AttributeValue.item(json: value)
            for key in ["Table", "Items"] {
                if case .object(let object)? = value[key] { _ = try? TableDescription(json: object) }
                if let items = value[key]?.arrayValue {
                    for item in items { _ = try? AttributeValue.item(json: item) }
                }
            }
            if case .object(let object) = value { _ = try? TableDescription(json: object) }
        }
        #expect(decoded > 0)  // some mutations stay valid JSON and reach the decoders
    }
}

import SentinelREPL
import SentinelScript
import Testing

@Suite("API documentation")
struct APIDocumentationTests {
    let documentation = APIDocumentation(annotations: APIReference.annotations)

    @Test func readsSignaturesParametersAndResults() throws {
        let apply = try #require(documentation.function(named: "sentinel.apply"))
        #expect(apply.signature == "sentinel.apply(schemas, options?) -> sentinel.ApplyResult[]")
        #expect(apply.description.hasPrefix("Converges every table to its schema, concurrently"))
        #expect(
            apply.parameters.map(\.type) == [
                "sentinel.Schema|sentinel.Schema[]", "{ wait_timeout?: number, delete_replicas?: string[] }",
            ])
        #expect(apply.parameters[1].description.hasPrefix("seconds to wait"))
    }

    @Test func findsMethodsAndShortNames() {
        #expect(documentation.function(named: "s:add_gsi")?.name == "Schema:add_gsi")
        #expect(documentation.function(named: "validate")?.name == "sentinel.validate")
        #expect(documentation.function(named: "sentinel.nothing") == nil)
    }

    @Test func listsEveryFunctionOnce() {
        let names = documentation.functions.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.contains("sentinel.schema.sessions"))
        #expect(names.contains("sentinel.delete"))
        #expect(!names.contains("sentinel.schema"))
    }

    @Test func readsNamedAndUnnamedResults() throws {
        let validate = try #require(documentation.function(named: "sentinel.validate"))
        #expect(validate.returns.map(\.name) == ["ok", "problems"])
        #expect(validate.signature == "sentinel.validate(schema) -> true|nil, string?")
    }
}

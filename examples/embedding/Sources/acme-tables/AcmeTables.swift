import Lua
import Provisioning
import SentinelScript

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `acme-tables SCRIPT [ARGS...]`: runs the script with Acme's functions and prints the offline plan
/// of the tables it returns, each with its tags.
@main
struct AcmeTables {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let script = arguments.first else {
            fail("usage: acme-tables SCRIPT [ARGS...]", status: 2)
        }
        do {
            // AWS is configured as the CLI does it (environment, profiles) but only reached when a
            // script or a Swift call needs it: an offline plan never does.
            let host = try ScriptHost(ScriptHostConfiguration(limits: LuaLimits(memoryBytes: 64 << 20)))
            defer { host.shutdownAndWait() }
            try host.register(module: "acme", functions: ["tags_for": TagPolicy.tagsFor])

            let schemas = try host.run(file: script, arguments: Array(arguments.dropFirst())).schemas()
            let untagged = TagPolicy.violations(in: schemas)
            if !untagged.isEmpty {
                fail("tables without Acme's tags: \(untagged.joined(separator: ", "))", status: 1)
            }
            for schema in schemas {
                let tags = schema.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                print("\(schema.name): \(tags.joined(separator: " "))")
            }
            print("")
            print(PlanReport.text(host.tables.offlinePlan(schemas)), terminator: "")
        } catch let error as LuaError {
            fail(error.message, status: 1)
        } catch {
            fail("\(script): \(error)", status: 1)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        let bytes = Array((message + "\n").utf8)
        _ = bytes.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
        exit(status)
    }
}

import Foundation
import Lua
import Testing

@testable import SentinelScript

/// The LuaLS annotation file must name every function and schema field the module registers.
@Suite struct AnnotationTests {
    static var annotations: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("types/sentinel.lua"), encoding: .utf8)
        }
    }

    @Test func everyRegisteredFunctionIsAnnotated() throws {
        let state = try sentinelState()
        let names = try state.run(
            """
            local names = {}
            local function walk(prefix, t, seen)
              if seen[t] then return end
              seen[t] = true
              for k, v in pairs(t) do
                if type(k) == "string" then
                  if type(v) == "function" then names[#names + 1] = prefix .. "." .. k
                  elseif type(v) == "table" then walk(prefix .. "." .. k, v, seen) end
                end
              end
            end
            walk("sentinel", sentinel, {})
            for k, v in pairs(getmetatable(sentinel.schema.sessions()).__index) do
              if type(v) == "function" then names[#names + 1] = "Schema:" .. k end
            end
            return names
            """, name: "walk.lua")
        let functions = names.first?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(functions.count >= 9)
        let text = try Self.annotations
        for function in functions {
            #expect(text.contains("function \(function)("), "missing from types/sentinel.lua: \(function)")
        }
    }

    @Test func everySchemaFieldIsAnnotated() throws {
        let text = try Self.annotations
        let fields: [(className: String, names: [String])] = [
            ("sentinel.TableOptions", LuaSchemaReader.tableFields),
            ("sentinel.GSI", LuaSchemaReader.globalIndexFields),
            ("sentinel.LSI", LuaSchemaReader.localIndexFields),
            ("sentinel.Key", LuaSchemaReader.keyFields),
            ("sentinel.Encryption", LuaSchemaReader.encryptionFields),
            ("sentinel.WriteOptions", WriteCondition.options),
            ("sentinel.UpdateOptions", UpdateActions.options + WriteCondition.options),
        ]
        for (className, names) in fields {
            let section = try #require(Self.classSection(className, in: text), "no class \(className)")
            for name in names {
                #expect(
                    section.contains("---@field \(name) ") || section.contains("---@field \(name)? "),
                    "\(className) lacks field \(name)")
            }
        }
    }

    /// The `---@class` block of `name`: its line and the `---@field` lines after it.
    static func classSection(_ name: String, in text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("---@class \(name)") }) else { return nil }
        return lines[start...].prefix { $0.hasPrefix("---@") }.joined(separator: "\n")
    }
}

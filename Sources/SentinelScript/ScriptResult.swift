import Lua
import Schema

/// What a script returned, as Swift values.
public struct ScriptResult: Sendable {
    /// The values of the script's `return`, in order. Tables arrive as `LuaValue/map(_:)` or
    /// `LuaValue/array(_:)`; a function or userdata only as a reference into the host's state.
    public let values: [LuaValue]

    public init(values: [LuaValue]) {
        self.values = values
    }

    /// The schemas of a declarative script (one that returns a schema or a list of schemas), each
    /// checked as `sentinel.validate` checks it: the same values `sentinel-tables schema` prints.
    public func schemas() throws(ScriptSchemas.ReadError) -> [TableSchema] {
        try ScriptSchemas.read(values)
    }
}

import Lua
import Schema

/// Turns a schema into the plain Lua table a script sees and edits: the same fields, names and order
/// as `sentinel-tables schema --format json`, with keys always written as `{ name =, type = }`.
enum LuaSchemaWriter {
    static func value(of schema: TableSchema) -> LuaValue {
        LuaJSON.value(of: schema.schemaDocument())
    }
}

// Debian's Lua 5.4 headers, plus static inline stand-ins for the macros of lua.h that Swift cannot
// import. Only macros the Swift side needs are here; C code uses the real macros.
#ifndef CLUA54_SHIM_H
#define CLUA54_SHIM_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>

static inline int clua_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline void clua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void clua_newtable(lua_State *L) { lua_newtable(L); }
static inline void clua_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
static inline lua_Integer clua_tointeger(lua_State *L, int i) { return lua_tointeger(L, i); }
static inline lua_Number clua_tonumber(lua_State *L, int i) { return lua_tonumber(L, i); }
static inline void clua_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void clua_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void clua_replace(lua_State *L, int i) { lua_replace(L, i); }
static inline int clua_isnoneornil(lua_State *L, int i) { return lua_isnoneornil(L, i); }
static inline void *clua_getextraspace(lua_State *L) { return lua_getextraspace(L); }
static inline void clua_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
static inline int clua_getmetatable(lua_State *L, const char *name) { return luaL_getmetatable(L, name); }
static inline void clua_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }
static inline const char *clua_typename(lua_State *L, int i) { return luaL_typename(L, i); }
/// "$LuaVersion: Lua 5.4.6  Copyright ... $$LuaAuthors: ... $": the release of the library linked, not
/// of the headers compiled against (Debian updates liblua5.4 within 5.4 without rebuilding its users).
static inline const char *clua_ident(void) { return lua_ident; }

#endif

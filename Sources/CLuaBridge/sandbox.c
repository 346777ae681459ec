// The sandboxed standard library (DESIGN.md, Lua host rule 4) and text-only loading.
#include <string.h>
#include <lua5.4/lualib.h>
#include "host.h"

static const char *const removed_base[] = {"dofile", "loadfile", NULL};
static const char *const kept_os[] = {"time", "clock", "date", "getenv", NULL};
static const char *const kept_io[] = {"write", "read", NULL};

// `load` that only accepts text: the mode argument is forced to "t" whatever the caller passed, so a
// binary chunk (which can crash the VM) never loads.
static int load_text_only(lua_State *L) {
    lua_settop(L, 4);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 4, LUA_MULTRET);
    return lua_gettop(L);
}

static int exit_refused(lua_State *L) {
    return luaL_error(L, "os.exit is not available in scripts (return from the script or call error)");
}

// Keeps only the named fields of the table on top of the stack.
static void keep_only(lua_State *L, const char *const kept[]) {
    lua_newtable(L);
    for (int i = 0; kept[i] != NULL; i++) {
        lua_getfield(L, -2, kept[i]);
        lua_setfield(L, -2, kept[i]);
    }
    // Clear the original table in place so references to it (package.loaded) agree.
    lua_pushnil(L);
    while (lua_next(L, -3) != 0) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, -5);
    }
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    lua_pop(L, 1);
}

// package.searchers[2] replacement: finds `name` on package.path and loads it as text only, so the
// chunk is named `@path/to/module.lua` like the main script.
static int search_text_module(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    lua_getfield(L, lua_upvalueindex(1), "path");
    if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "'package.path' must be a string");
    const char *path = lua_tostring(L, -1);
    const char *filename = luaL_gsub(L, name, ".", LUA_DIRSEP);
    lua_pushvalue(L, lua_upvalueindex(2)); /* package.searchpath */
    lua_pushstring(L, filename);
    lua_pushstring(L, path);
    lua_call(L, 2, 2);
    if (lua_isnil(L, -2)) return 1; /* the "no file ..." message */
    lua_pop(L, 1);
    const char *found = lua_tostring(L, -1);
    if (luaL_loadfilex(L, found, "t") != LUA_OK) {
        return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, found,
                          lua_tostring(L, -1));
    }
    lua_pushstring(L, found);
    return 2;
}

static void open_library(lua_State *L, const char *name, lua_CFunction open) {
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
}

static int open_sandbox(lua_State *L) {
    const char *package_path = lua_tostring(L, 1);
    open_library(L, LUA_GNAME, luaopen_base);
    open_library(L, LUA_LOADLIBNAME, luaopen_package);
    open_library(L, LUA_COLIBNAME, luaopen_coroutine);
    open_library(L, LUA_TABLIBNAME, luaopen_table);
    open_library(L, LUA_STRLIBNAME, luaopen_string);
    open_library(L, LUA_MATHLIBNAME, luaopen_math);
    open_library(L, LUA_UTF8LIBNAME, luaopen_utf8);
    open_library(L, LUA_OSLIBNAME, luaopen_os);
    open_library(L, LUA_IOLIBNAME, luaopen_io);

    lua_pushglobaltable(L);
    for (int i = 0; removed_base[i] != NULL; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, removed_base[i]);
    }
    lua_getfield(L, -1, "load");
    lua_pushcclosure(L, load_text_only, 1);
    lua_setfield(L, -2, "load");

    lua_getfield(L, -1, LUA_OSLIBNAME);
    keep_only(L, kept_os);
    lua_pushcfunction(L, exit_refused);
    lua_setfield(L, -2, "exit");
    lua_pop(L, 1);

    lua_getfield(L, -1, LUA_IOLIBNAME);
    keep_only(L, kept_io);
    lua_pop(L, 1);

    lua_getfield(L, -1, LUA_LOADLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "loadlib");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_pushstring(L, package_path ? package_path : "");
    lua_setfield(L, -2, "path");
    lua_createtable(L, 2, 0); /* searchers: preload, then text-only Lua files; no C modules */
    lua_getfield(L, -2, "searchers");
    lua_rawgeti(L, -1, 1);
    lua_rawseti(L, -3, 1);
    lua_pop(L, 1);
    lua_pushvalue(L, -2);
    lua_getfield(L, -3, "searchpath");
    lua_pushcclosure(L, search_text_module, 2);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, -2, "searchers");
    lua_pop(L, 2);
    return 0;
}

static int open_all(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

static int run_protected(lua_State *L, lua_CFunction f, const char *argument) {
    clb_host *h = clb_host_of(L);
    lua_pushcfunction(L, f);
    lua_pushstring(L, argument ? argument : "");
    int saved = h->enforcing;
    h->enforcing = 1;
    int status = lua_pcall(L, 1, 0, 0);
    h->enforcing = saved;
    return status;
}

int clb_open_sandbox(lua_State *L, const char *package_path) {
    return run_protected(L, open_sandbox, package_path);
}

int clb_open_all(lua_State *L) { return run_protected(L, open_all, NULL); }

int clb_load_file(lua_State *L, const char *path) { return luaL_loadfilex(L, path, "t"); }

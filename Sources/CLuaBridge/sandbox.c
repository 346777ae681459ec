// The sandboxed standard library (DESIGN.md, Lua host rule 4; the threat model in
// docs/architecture.md): what scripts keep of Lua, and the few functions replaced so that the limits
// hold and the host's secrets stay out of reach.
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <lua5.4/lualib.h>
#include "host.h"

static const char *const removed_base[] = {"dofile", "loadfile", NULL};
static const char *const kept_os[] = {"time", "clock", "date", "getenv", NULL};
static const char *const kept_io[] = {"write", "read", NULL};
static const char *const kept_debug[] = {"traceback", "getinfo", NULL};

// MARK: load

// Lua's `load`, except that binary chunks (which can crash the VM) never load: the mode keeps only
// its `t`. Every other argument is passed on as given, so that an absent `env` still means the global
// table and an explicit one is used.
static int load_text_only(lua_State *L) {
    int given = lua_gettop(L);
    if (given < 3) {
        lua_settop(L, 2);
        lua_pushliteral(L, "t");
    } else {
        const char *mode = luaL_optstring(L, 3, "bt");
        lua_pushstring(L, strchr(mode, 't') != NULL ? "t" : "");
        lua_replace(L, 3);
    }
    int arguments = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, arguments, LUA_MULTRET);
    return lua_gettop(L);
}

// MARK: os

static int exit_refused(lua_State *L) {
    return luaL_error(L, "os.exit is not available in scripts (return from the script or call error)");
}

static int contains_ignoring_case(const char *text, const char *word) {
    size_t length = strlen(word);
    for (; *text != '\0'; text++) {
        if (strncasecmp(text, word, length) == 0) return 1;
    }
    return 0;
}

/// Whether `name` is a variable that holds (or leads to) the caller's AWS credentials: a script run by
/// someone else must not be able to read them.
static int is_credential_variable(const char *name) {
    static const char *const secrets[] = {"SECRET", "TOKEN", "PASSWORD", "CREDENTIAL", "ACCESS_KEY", NULL};
    if (strncasecmp(name, "AWS_", 4) != 0) return 0;
    for (int i = 0; secrets[i] != NULL; i++) {
        if (contains_ignoring_case(name + 4, secrets[i])) return 1;
    }
    return 0;
}

static int getenv_without_credentials(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    if (is_credential_variable(name)) {
        luaL_pushfail(L);
    } else {
        lua_pushstring(L, getenv(name));
    }
    return 1;
}

// MARK: metatables

// Lua's `setmetatable`, refusing a metatable with a `__gc` field: Lua runs finalizers with hooks off
// (and at close with no run at all), where no time limit can stop them.
static int setmetatable_without_finalizers(lua_State *L) {
    int type = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) {
        return luaL_error(L, "cannot change a protected metatable");
    }
    if (type == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            return luaL_error(L, "finalizers (__gc) are not available in scripts: no time limit can stop "
                                 "code that the garbage collector runs");
        }
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

// MARK: handlers that cannot swallow a stop

// After a time limit, instruction limit or interrupt, every pcall, xpcall and coroutine.resume raises
// the stop again as it returns, whatever it caught: the stop climbs out of every coroutine.
static int finish_protected_call(lua_State *L, int status, lua_KContext extra) {
    if (clb_host_of(L)->stop_reason != CLB_STOP_NONE) return clb_raise_stop(L);
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int stop_aware_pcall(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1); /* the first result when nothing fails */
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_protected_call);
    return finish_protected_call(L, status, 0);
}

// The message handler xpcall is given, skipped for a stop: Lua calls the handler of an error raised
// inside a hook (where the stop is raised) with hooks still off, so a handler that loops there would
// run forever. For a stop the message goes on unchanged; for every other error the script's handler
// runs as usual, under the limits.
static int handler_unless_stopped(lua_State *L) {
    if (clb_host_of(L)->stop_reason != CLB_STOP_NONE) {
        lua_settop(L, 1);
        return 1;
    }
    int given = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, given, LUA_MULTRET);
    return lua_gettop(L);
}

static int stop_aware_xpcall(lua_State *L) {
    int given = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, handler_unless_stopped, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);  /* the first result when nothing fails */
    lua_pushvalue(L, 1);    /* the function */
    lua_rotate(L, 3, 2);    /* both below the function's arguments: handler, true, f, args... */
    int status = lua_pcallk(L, given - 2, LUA_MULTRET, 2, 2, finish_protected_call);
    return finish_protected_call(L, status, 2);
}

// coroutine.resume, raising the stop when the coroutine it ran was stopped.
static int stop_aware_resume(lua_State *L) {
    luaL_argexpected(L, lua_type(L, 1) == LUA_TTHREAD, 1, "coroutine");
    int given = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, given, LUA_MULTRET);
    if (clb_host_of(L)->stop_reason != CLB_STOP_NONE) return clb_raise_stop(L);
    return lua_gettop(L);
}

// MARK: debug

// debug.getinfo without the `f` option: a stack level's function value would hand scripts the host's
// own Lua functions.
static int getinfo_without_functions(lua_State *L) {
    int what = lua_type(L, 1) == LUA_TTHREAD ? 3 : 2;
    int given = lua_gettop(L);
    const char *options = luaL_optstring(L, what, "flnSrtu");
    luaL_Buffer kept;
    luaL_buffinit(L, &kept);
    for (; *options != '\0'; options++) {
        if (*options != 'f') luaL_addchar(&kept, *options);
    }
    luaL_pushresult(&kept);
    if (given >= what) {
        lua_replace(L, what);
    } else {
        while (lua_gettop(L) < what) { /* absent arguments before the options become nil */
            lua_pushnil(L);
            lua_insert(L, -2);
        }
    }
    int subject = what - 1;
    lua_State *inspected = what == 3 ? lua_tothread(L, 1) : L;
    if (inspected == L && lua_isinteger(L, subject) && lua_tointeger(L, subject) >= 0) {
        // Levels of the running thread count from the caller of getinfo: this wrapper is one more
        // frame between them.
        lua_pushinteger(L, lua_tointeger(L, subject) + 1);
        lua_replace(L, subject);
    }
    int arguments = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, arguments, LUA_MULTRET);
    return lua_gettop(L);
}

// MARK: tables

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

/// Replaces field `name` of the table on top of the stack by a C closure whose upvalue is the old
/// value.
static void wrap_field(lua_State *L, const char *name, lua_CFunction wrapper) {
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
}

static void set_function(lua_State *L, const char *name, lua_CFunction function) {
    lua_pushcfunction(L, function);
    lua_setfield(L, -2, name);
}

// MARK: require

// package.searchers[2] replacement: finds `name` on the path the host fixed (never on a
// `package.path` the script set) and loads it as text only, so the chunk is named
// `@path/to/module.lua` like the main script.
static int search_text_module(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, CLB_MODULE_PATH_KEY);
    const char *path = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    const char *filename = luaL_gsub(L, name, ".", LUA_DIRSEP);
    lua_pushvalue(L, lua_upvalueindex(1)); /* Lua's package.searchpath, kept private */
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

void clb_set_module_path(lua_State *L, const char *path) {
    // Raw accesses on tables without metatables, with the cap not enforced: nothing here can raise.
    lua_pushstring(L, path);
    lua_setfield(L, LUA_REGISTRYINDEX, CLB_MODULE_PATH_KEY);
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushliteral(L, LUA_LOADLIBNAME);
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushliteral(L, "path");
        lua_pushstring(L, path);
        lua_rawset(L, -3);
    }
    lua_pop(L, 2);
}

// MARK: opening

static void open_library(lua_State *L, const char *name, lua_CFunction open) {
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
}

static void restrict_package(lua_State *L) {
    lua_getfield(L, -1, LUA_LOADLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "loadlib");
    lua_getfield(L, -1, "searchpath");
    lua_pushnil(L);
    lua_setfield(L, -3, "searchpath"); /* tells which files exist */
    lua_pushliteral(L, "");
    lua_setfield(L, -3, "cpath");
    lua_createtable(L, 2, 0); /* searchers: preload, then text-only Lua files; no C modules */
    lua_getfield(L, -3, "searchers");
    lua_rawgeti(L, -1, 1);
    lua_rawseti(L, -3, 1);
    lua_pop(L, 1);
    lua_insert(L, -2); /* searchers table below searchpath */
    lua_pushcclosure(L, search_text_module, 1);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, -2, "searchers");
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
    open_library(L, LUA_DBLIBNAME, luaopen_debug);
    clb_install_bounded_patterns(L);
    clb_install_bounded_library(L);

    lua_pushglobaltable(L);
    for (int i = 0; removed_base[i] != NULL; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, removed_base[i]);
    }
    wrap_field(L, "load", load_text_only);
    set_function(L, "setmetatable", setmetatable_without_finalizers);
    set_function(L, "pcall", stop_aware_pcall);
    set_function(L, "xpcall", stop_aware_xpcall);

    lua_getfield(L, -1, LUA_COLIBNAME);
    wrap_field(L, "resume", stop_aware_resume);
    lua_pop(L, 1);

    lua_getfield(L, -1, LUA_OSLIBNAME);
    keep_only(L, kept_os);
    set_function(L, "exit", exit_refused);
    set_function(L, "getenv", getenv_without_credentials);
    lua_pop(L, 1);

    lua_getfield(L, -1, LUA_IOLIBNAME);
    keep_only(L, kept_io);
    lua_pop(L, 1);
    clb_install_bounded_io(L);

    lua_getfield(L, -1, LUA_DBLIBNAME);
    keep_only(L, kept_debug);
    wrap_field(L, "getinfo", getinfo_without_functions);
    lua_pop(L, 1);

    restrict_package(L);
    lua_pop(L, 1);
    clb_set_module_path(L, package_path ? package_path : "");
    return 0;
}

static int open_all(lua_State *L) {
    luaL_openlibs(L);
    clb_install_bounded_patterns(L);
    clb_install_bounded_library(L);
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

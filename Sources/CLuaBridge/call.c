// Protected calls from Swift into Lua.
#include "host.h"

// Like lua.c's msghandler, but keeps the traceback apart from the message so the host can print
// `file:line: message` first and the traceback after it.
static int message_handler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
            msg = lua_tostring(L, -1);
        } else {
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        }
    }
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, CLB_TRACEBACK_KEY);
    lua_pushstring(L, msg);
    return 1;
}

int clb_pcall(lua_State *L, int nargs, int nresults) {
    clb_host *h = clb_host_of(L);
    if (!lua_checkstack(L, 2)) {
        lua_pop(L, nargs + 1);
        lua_pushliteral(L, "stack overflow");
        return LUA_ERRERR;
    }
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, CLB_TRACEBACK_KEY);
    int saved = h->enforcing;
    h->enforcing = 1;
    int status = lua_pcall(L, nargs, nresults, base);
    h->enforcing = saved;
    lua_remove(L, base);
    return status;
}

void clb_push_last_traceback(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, CLB_TRACEBACK_KEY);
}

static int tostring_protected(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int clb_tostring(lua_State *L, int index) {
    index = lua_absindex(L, index);
    lua_pushcfunction(L, tostring_protected);
    lua_pushvalue(L, index);
    clb_host *h = clb_host_of(L);
    int saved = h->enforcing;
    h->enforcing = 1;
    int status = lua_pcall(L, 1, 1, 0);
    h->enforcing = saved;
    return status;
}

// The one lua_CFunction behind every Swift host function, and userdata holding Swift objects.
#include <string.h>
#include "host.h"

// Upvalue 1 is a userdata holding the retained Swift function object; upvalue 2 its name.
static int trampoline(lua_State *L) {
    clb_host *h = clb_host_of(L);
    // A stopped run calls no more host functions (a pcall'd loop of waits would otherwise go on).
    if (h->stop_reason != CLB_STOP_NONE) return clb_raise_stop(L);
    void **slot = lua_touserdata(L, lua_upvalueindex(1));
    if (*slot == NULL) {
        // Only reachable from a finalizer at close in an unsandboxed state: the function's own
        // userdata was finalized first.
        return luaL_error(L, "host function '%s' is no longer available (its Lua state is closing)",
                          lua_tostring(L, lua_upvalueindex(2)));
    }
    int saved = h->enforcing;
    h->enforcing = 0;
    int n = clb_dispatch(L, *slot);
    h->enforcing = saved;
    if (n >= 0) return n;
    // The Swift frames have returned: raising is safe from here.
    if (h->stop_reason != CLB_STOP_NONE) {
        // The host function gave up because of a stop (it was waiting for AWS, say): the stop must
        // not be swallowed by a pcall around the call.
        clb_stick_stop(L);
    }
    if (n == CLB_RAISE_WITH_WHERE) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

static int release_gc(lua_State *L) {
    void **slot = lua_touserdata(L, 1);
    if (slot != NULL && *slot != NULL) {
        void *object = *slot;
        *slot = NULL;
        clb_release(object);
    }
    return 0;
}

void clb_push_object_metatable(lua_State *L, const char *name) {
    if (luaL_newmetatable(L, name)) {
        lua_pushcfunction(L, release_gc);
        lua_setfield(L, -2, "__gc");
    }
}

static int read_only(lua_State *L) {
    return luaL_error(L, "the metatable of a host value is read-only");
}

void clb_protect_metatable(lua_State *L) {
    int metatable = lua_gettop(L);
    lua_createtable(L, 0, 4); /* the copy scripts see */
    lua_pushnil(L);
    while (lua_next(L, metatable) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "__gc") == 0) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, read_only);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
    lua_setfield(L, metatable, "__metatable");
}

void clb_install_function_metatable(lua_State *L) {
    clb_push_object_metatable(L, CLB_FUNCTION_METATABLE);
    lua_pop(L, 1);
}

void clb_push_host_function(lua_State *L, void *function, const char *name) {
    void **slot = lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = function;
    luaL_setmetatable(L, CLB_FUNCTION_METATABLE);
    lua_pushstring(L, name);
    lua_pushcclosure(L, trampoline, 2);
}

void clb_push_object(lua_State *L, void *object, const char *name) {
    void **slot = lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = object;
    clb_push_object_metatable(L, name);
    lua_setmetatable(L, -2);
}

void *clb_to_object(lua_State *L, int index, const char *name) {
    void **slot = luaL_testudata(L, index, name);
    return slot ? *slot : NULL;
}

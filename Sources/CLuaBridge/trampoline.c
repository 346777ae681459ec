// The one lua_CFunction behind every Swift host function, and userdata holding Swift objects.
#include "host.h"

// Upvalue 1 is a userdata holding the retained Swift function object.
static int trampoline(lua_State *L) {
    void **slot = lua_touserdata(L, lua_upvalueindex(1));
    clb_host *h = clb_host_of(L);
    int saved = h->enforcing;
    h->enforcing = 0;
    int n = clb_dispatch(L, *slot);
    h->enforcing = saved;
    if (n >= 0) return n;
    // The Swift frames have returned: raising is safe from here.
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

void clb_install_function_metatable(lua_State *L) {
    clb_push_object_metatable(L, CLB_FUNCTION_METATABLE);
    lua_pop(L, 1);
}

void clb_push_host_function(lua_State *L, void *function) {
    void **slot = lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = function;
    luaL_setmetatable(L, CLB_FUNCTION_METATABLE);
    lua_pushcclosure(L, trampoline, 1);
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

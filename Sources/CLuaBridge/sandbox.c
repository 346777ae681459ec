// The sandboxed standard library (DESIGN.md, Lua host rule 4; the threat model in
// docs/architecture.md): what scripts keep of Lua, and the few functions replaced so that the limits
// hold and the host's secrets stay out of reach.
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <lua5.4/lualib.h>
#include "host.h"
#include "CFileAccess.h"

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

/// The largest module file `require` reads.
#define CLB_LARGEST_MODULE (16u << 20)

/// Whether `name` is a module name: names of letters, digits and `_`, separated by single dots.
/// Nothing else reaches a file name (no `/`, no `;` that a path template would split on, no `..`).
static int is_module_name(const char *name, size_t length) {
    if (length == 0 || length > 200 || strlen(name) != length) return 0;
    int after_dot = 1;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        if (c == '.') {
            if (after_dot) return 0;
            after_dot = 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
            after_dot = 0;
        } else {
            return 0;
        }
    }
    return !after_dot;
}

/// The bytes of a module read with no Lua call in between (so nothing can raise while the
/// descriptor or the buffer is held).
typedef struct {
    char *bytes;
    size_t length;
} module_text;

/// Reads the regular file open as `file` into `text` and closes it; 0, or an errno.
static int read_module_file(int file, module_text *text) {
    struct stat status;
    int code = 0;
    if (fstat(file, &status) != 0) {
        code = errno;
    } else if (!S_ISREG(status.st_mode)) {
        code = EISDIR;
    } else if ((size_t)status.st_size > CLB_LARGEST_MODULE) {
        code = EFBIG;
    }
    size_t capacity = code == 0 ? (size_t)status.st_size + 1 : 0;
    text->bytes = code == 0 ? malloc(capacity) : NULL;
    if (code == 0 && text->bytes == NULL) code = ENOMEM;
    text->length = 0;
    while (code == 0) {
        if (text->length == capacity) { /* the file grew since fstat: never past the cap */
            if (capacity > CLB_LARGEST_MODULE) {
                code = EFBIG;
                break;
            }
            char *grown = realloc(text->bytes, capacity * 2);
            if (grown == NULL) {
                code = ENOMEM;
                break;
            }
            text->bytes = grown;
            capacity *= 2;
        }
        ssize_t count = read(file, text->bytes + text->length, capacity - text->length);
        if (count < 0 && errno == EINTR) continue;
        if (count < 0) code = errno;
        if (count <= 0) break;
        text->length += (size_t)count;
    }
    close(file);
    if (code != 0) {
        free(text->bytes);
        text->bytes = NULL;
    }
    return code;
}

static int push_module_text(lua_State *L) {
    module_text *text = lua_touserdata(L, 1);
    lua_pushlstring(L, text->bytes, text->length);
    return 1;
}

// package.searchers[2] replacement: finds `name` beneath the directories the host fixed (never on a
// `package.path` the script set) and loads it as text only, so the chunk is named
// `@path/to/module.lua` like the main script. A name that is not a module name is an error; files are
// opened beneath each directory by CFileAccess's rule (no symbolic link, never outside), read into
// memory and kept for the error locator.
static int search_text_module(lua_State *L) {
    size_t name_length;
    const char *name = luaL_checklstring(L, 1, &name_length);
    if (!is_module_name(name, name_length)) {
        return luaL_error(L,
                          "module '%s' not found: not a module name (names of letters, digits and '_', "
                          "separated by '.')",
                          name);
    }
    const char *relative = luaL_gsub(L, name, ".", "/");
    lua_getfield(L, LUA_REGISTRYINDEX, CLB_MODULE_ROOTS_KEY);
    int roots = lua_gettop(L);
    int roots_count = lua_type(L, roots) == LUA_TTABLE ? (int)lua_rawlen(L, roots) : 0;
    int tried = 0; /* "no file" lines pushed so far */
    static const char *const templates[] = {"%s%s.lua", "%s%s/init.lua"};
    for (int i = 1; i <= roots_count; i++) {
        lua_rawgeti(L, roots, i);
        lua_rawgeti(L, -1, 1);
        int root = (int)lua_tointeger(L, -1);
        lua_rawgeti(L, -2, 2);
        const char *prefix = lua_tostring(L, -1);
        for (int t = 0; t < 2; t++) {
            const char *candidate = lua_pushfstring(L, templates[t], "", relative);
            int file = root >= 0 ? fa_open_beneath(root, candidate, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0) : -1;
            int open_error = file < 0 && root >= 0 ? errno : ENOENT;
            lua_pop(L, 1);
            const char *shown = lua_pushfstring(L, templates[t], prefix ? prefix : "", relative);
            if (file < 0) {
                // Said as it is: a file that is there but refused is not "no file".
                if (open_error == ELOOP || open_error == EXDEV) {
                    lua_pushfstring(L,
                                    "\n\tfile '%s' not read: a symbolic link (or one on its path), "
                                    "which require does not follow",
                                    shown);
                } else if (open_error == ENOENT || open_error == ENOTDIR) {
                    lua_pushfstring(L, "\n\tno file '%s'", shown);
                } else {
                    lua_pushfstring(L, "\n\tfile '%s' not read: %s", shown, strerror(open_error));
                }
                lua_replace(L, -2);
                lua_insert(L, roots + 1 + tried++); /* the "no file" lines stay below the loop's values */
                continue;
            }
            module_text text;
            int code = read_module_file(file, &text);
            if (code != 0) {
                return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, shown,
                                  strerror(code));
            }
            if (text.length > 0 && text.bytes[0] == '#') { /* a first '#' line is skipped, its newline kept */
                char *newline = memchr(text.bytes, '\n', text.length);
                size_t skipped = newline ? (size_t)(newline - text.bytes) : text.length;
                memmove(text.bytes, text.bytes + skipped, text.length - skipped);
                text.length -= skipped;
            }
            // Made into a Lua string under protection, so that the buffer is freed whatever happens.
            lua_pushcfunction(L, push_module_text);
            lua_pushlightuserdata(L, &text);
            int status = lua_pcall(L, 1, 1, 0);
            free(text.bytes);
            if (status != LUA_OK) return lua_error(L);
            int source = lua_gettop(L);
            const char *chunk_name = lua_pushfstring(L, "@%s", shown);
            size_t length;
            const char *bytes = lua_tolstring(L, source, &length);
            if (luaL_loadbufferx(L, bytes, length, chunk_name, "t") != LUA_OK) {
                return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, shown,
                                  lua_tostring(L, -1));
            }
            int loader = lua_gettop(L);
            lua_getfield(L, LUA_REGISTRYINDEX, CLB_KEPT_SOURCES_KEY);
            if (lua_type(L, -1) == LUA_TTABLE) {
                lua_pushvalue(L, loader - 1); /* the chunk name */
                lua_pushvalue(L, source);
                lua_rawset(L, -3);
            }
            lua_pop(L, 1);
            lua_pushvalue(L, loader);
            lua_pushstring(L, shown);
            return 2;
        }
        lua_pop(L, 3);
    }
    if (tried == 0) {
        lua_pushliteral(L, "\n\tno module directories");
        return 1;
    }
    lua_concat(L, tried);
    return 1;
}

static void push_registry_table(lua_State *L, const char *key) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, key);
    }
}

void clb_clear_module_roots(lua_State *L) {
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, CLB_MODULE_ROOTS_KEY);
}

void clb_add_module_root(lua_State *L, int descriptor, const char *prefix) {
    push_registry_table(L, CLB_MODULE_ROOTS_KEY);
    lua_createtable(L, 2, 0);
    lua_pushinteger(L, descriptor);
    lua_rawseti(L, -2, 1);
    lua_pushstring(L, prefix);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 1);
}

void clb_keep_source(lua_State *L, const char *chunk_name, const char *bytes, size_t length) {
    push_registry_table(L, CLB_KEPT_SOURCES_KEY);
    lua_pushstring(L, chunk_name);
    lua_pushlstring(L, bytes, length);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

int clb_push_kept_source(lua_State *L, const char *chunk_name) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, CLB_KEPT_SOURCES_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushstring(L, chunk_name);
    if (lua_rawget(L, -2) != LUA_TSTRING) {
        lua_pop(L, 2);
        return 0;
    }
    lua_remove(L, -2);
    return 1;
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
    lua_pushnil(L);
    lua_setfield(L, -2, "searchpath"); /* tells which files exist */
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_createtable(L, 2, 0); /* searchers: preload, then text-only Lua files; no C modules */
    lua_getfield(L, -2, "searchers");
    lua_rawgeti(L, -1, 1);
    lua_rawseti(L, -3, 1);
    lua_pop(L, 1);
    lua_pushcfunction(L, search_text_module);
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

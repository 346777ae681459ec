// Standard library functions rewritten so that the run's limits reach inside them (DESIGN.md, Lua host
// rule 7: one deadline for everything a script causes).
//
// Lua's own versions loop in C, where no hook runs, for as long as their arguments say:
// `string.rep("", math.maxinteger)` copies nothing 2^63 times, `table.move({}, 1, 1e15, 2)` moves
// nils for days, `table.insert`/`remove` and `table.concat` walk whatever length a `__len` metamethod
// claims, and `io.read` blocks in the C library until input ends. These versions keep the manual's
// behaviour (§6.4, §6.6, §6.8) and ask every so often whether the run must stop, raising the stop
// as the hook does when it must. Plain `string.find` is in pattern.c.
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <lua5.4/lualib.h>
#include "host.h"

/// Work units (bytes copied, elements moved) between two looks at the clock: about a millisecond.
#define WORK_BETWEEN_CHECKS (1 << 16)

/// Counts `units` of work and raises the stop when one is due at the next check.
static void count_work(lua_State *L, size_t *since_check, size_t units) {
    *since_check += units + 1;
    if (*since_check >= WORK_BETWEEN_CHECKS) {
        *since_check = 0;
        if (clb_should_stop(L)) clb_raise_stop(L);
    }
}

// MARK: string.rep

static int bounded_rep(lua_State *L) {
    size_t length, separator_length;
    const char *text = luaL_checklstring(L, 1, &length);
    lua_Integer count = luaL_checkinteger(L, 2);
    const char *separator = luaL_optlstring(L, 3, "", &separator_length);
    // Nothing to copy however many times: answer at once instead of looping `count` times.
    if (count <= 0 || (length == 0 && separator_length == 0)) {
        lua_pushliteral(L, "");
        return 1;
    }
    size_t unit = length + separator_length;
    // Lua's string library keeps its results within an int (its MAXSIZE).
    if (unit < length || unit > (size_t)INT_MAX / (size_t)count) {
        return luaL_error(L, "resulting string too large");
    }
    size_t total = (size_t)count * length + ((size_t)count - 1) * separator_length;
    luaL_Buffer buffer;
    char *out = luaL_buffinitsize(L, &buffer, total); /* a memory error under the cap, never a crash */
    size_t since_check = 0;
    for (lua_Integer i = 0; i < count; i++) {
        memcpy(out, text, length);
        out += length;
        if (separator_length > 0 && i + 1 < count) {
            memcpy(out, separator, separator_length);
            out += separator_length;
        }
        count_work(L, &since_check, unit >> 4);
    }
    luaL_pushresultsize(&buffer, total);
    return 1;
}

// MARK: table

enum { ACCESS_READ = 1, ACCESS_WRITE = 2, ACCESS_LENGTH = 4 };

/// Whether argument `index` is a table, or has every metamethod `access` needs to behave as one (as
/// the table library accepts).
static int is_table_like(lua_State *L, int index, int access) {
    if (lua_type(L, index) == LUA_TTABLE) return 1;
    if (!lua_getmetatable(L, index)) return 0;
    static const struct {
        int access;
        const char *field;
    } needs[] = {{ACCESS_READ, "__index"}, {ACCESS_WRITE, "__newindex"}, {ACCESS_LENGTH, "__len"}};
    int ok = 1;
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
        if (!(access & needs[i].access)) continue;
        lua_pushstring(L, needs[i].field);
        ok = ok && lua_rawget(L, -2) != LUA_TNIL;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return ok;
}

static void require_table_like(lua_State *L, int index, int access) {
    if (!is_table_like(L, index, access)) luaL_checktype(L, index, LUA_TTABLE);
}

/// The length of the table-like argument 1, honouring `__len`.
static lua_Integer length_of(lua_State *L, int access) {
    require_table_like(L, 1, access | ACCESS_LENGTH);
    return luaL_len(L, 1);
}

static int bounded_insert(lua_State *L) {
    lua_Integer first_empty = (lua_Integer)((lua_Unsigned)length_of(L, ACCESS_READ | ACCESS_WRITE) + 1u);
    lua_Integer position;
    switch (lua_gettop(L)) {
    case 2:
        position = first_empty;
        break;
    case 3: {
        position = luaL_checkinteger(L, 2);
        // Any position from 1 to the first empty slot; unsigned so that 0 and negatives fail too.
        luaL_argcheck(L, (lua_Unsigned)position - 1u < (lua_Unsigned)first_empty, 2, "position out of bounds");
        size_t since_check = 0;
        for (lua_Integer i = first_empty; i > position; i--) {
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
            count_work(L, &since_check, 16);
        }
        break;
    }
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, position);
    return 0;
}

static int bounded_remove(lua_State *L) {
    lua_Integer size = length_of(L, ACCESS_READ | ACCESS_WRITE);
    lua_Integer position = luaL_optinteger(L, 2, size);
    if (position != size) {
        luaL_argcheck(L, (lua_Unsigned)position - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
    }
    lua_geti(L, 1, position); /* the result */
    size_t since_check = 0;
    for (; position < size; position++) {
        lua_geti(L, 1, position + 1);
        lua_seti(L, 1, position);
        count_work(L, &since_check, 16);
    }
    lua_pushnil(L);
    lua_seti(L, 1, position);
    return 1;
}

static int bounded_move(lua_State *L) {
    lua_Integer from = luaL_checkinteger(L, 2);
    lua_Integer end = luaL_checkinteger(L, 3);
    lua_Integer to = luaL_checkinteger(L, 4);
    int destination = lua_isnoneornil(L, 5) ? 1 : 5;
    require_table_like(L, 1, ACCESS_READ);
    require_table_like(L, destination, ACCESS_WRITE);
    if (end >= from) {
        luaL_argcheck(L, from > 0 || end < LUA_MAXINTEGER + from, 3, "too many elements to move");
        lua_Integer count = end - from + 1;
        luaL_argcheck(L, to <= LUA_MAXINTEGER - count + 1, 4, "destination wrap around");
        size_t since_check = 0;
        // Forwards unless the ranges overlap with the destination after the source in one table.
        if (to > end || to <= from || (destination != 1 && !lua_compare(L, 1, destination, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < count; i++) {
                lua_geti(L, 1, from + i);
                lua_seti(L, destination, to + i);
                count_work(L, &since_check, 16);
            }
        } else {
            for (lua_Integer i = count - 1; i >= 0; i--) {
                lua_geti(L, 1, from + i);
                lua_seti(L, destination, to + i);
                count_work(L, &since_check, 16);
            }
        }
    }
    lua_pushvalue(L, destination);
    return 1;
}

static int bounded_concat(lua_State *L) {
    lua_Integer last = length_of(L, ACCESS_READ);
    size_t separator_length;
    const char *separator = luaL_optlstring(L, 2, "", &separator_length);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    size_t since_check = 0;
    for (; i <= last; i++) {
        lua_geti(L, 1, i);
        if (!lua_isstring(L, -1)) {
            return luaL_error(L, "invalid value (at index %I) in table for 'concat'", (LUAI_UACINT)i);
        }
        size_t length = lua_rawlen(L, -1);
        luaL_addvalue(&buffer);
        if (i < last) luaL_addlstring(&buffer, separator, separator_length);
        count_work(L, &since_check, (length + separator_length) >> 4);
        if (i == last) break; /* `last` may be math.maxinteger: never step past it */
    }
    luaL_pushresult(&buffer);
    return 1;
}

// MARK: io.read

/// Whether the C library already holds unread bytes of standard input (then a read does not wait).
static int stdin_has_buffered_input(void) {
#ifdef __GLIBC__
    return stdin->_IO_read_ptr < stdin->_IO_read_end;
#else
    return 0;
#endif
}

/// The next byte of standard input, or EOF. Waits in 50 ms slices and asks between them whether the
/// run must stop: the C library reads only once `poll` says a read will not block, so no read ever
/// waits for input that may never come, whatever part of it has arrived already.
static int next_input_byte(lua_State *L) {
    while (!stdin_has_buffered_input()) {
        struct pollfd input = {.fd = 0, .events = POLLIN, .revents = 0};
        int ready = poll(&input, 1, 50);
        if (ready > 0 || (ready < 0 && errno != EINTR)) break; /* data, end of input or an error */
        if (clb_should_stop(L)) clb_raise_stop(L);
    }
    return getc(stdin);
}

typedef struct {
    lua_State *L;
    size_t since_check;
} InputReader;

static int read_byte(InputReader *reader) {
    count_work(reader->L, &reader->since_check, 0);
    return next_input_byte(reader->L);
}

/// Reads a line; keeps its newline when `keep_newline`. Fails only at the end of input with nothing read.
static int read_line(InputReader *reader, luaL_Buffer *buffer, int keep_newline) {
    int c;
    size_t count = 0;
    while ((c = read_byte(reader)) != EOF && c != '\n') {
        luaL_addchar(buffer, (char)c);
        count++;
    }
    if (c == '\n' && keep_newline) luaL_addchar(buffer, '\n');
    return c == '\n' || count > 0;
}

static void read_all(InputReader *reader, luaL_Buffer *buffer) {
    int c;
    while ((c = read_byte(reader)) != EOF) luaL_addchar(buffer, (char)c);
}

/// Reads up to `wanted` bytes; fails at the end of input with nothing read. Zero bytes tests for the
/// end of input, as Lua's io.read(0) does.
static int read_bytes(InputReader *reader, luaL_Buffer *buffer, lua_Integer wanted) {
    if (wanted == 0) {
        int c = read_byte(reader);
        if (c == EOF) return 0;
        ungetc(c, stdin);
        return 1;
    }
    lua_Integer count = 0;
    int c;
    while (count < wanted && (c = read_byte(reader)) != EOF) {
        luaL_addchar(buffer, (char)c);
        count++;
    }
    return count > 0;
}

/// The longest numeral io.read("n") reads, as Lua's L_MAXLENNUM.
#define LONGEST_NUMERAL 200

typedef struct {
    InputReader *reader;
    int current;
    size_t length;
    char text[LONGEST_NUMERAL + 1];
} NumeralReader;

/// Keeps the current byte and reads the next; fails when the numeral is too long.
static int keep_and_advance(NumeralReader *n) {
    if (n->length >= LONGEST_NUMERAL) {
        n->text[0] = '\0'; /* too long: make it invalid */
        return 0;
    }
    n->text[n->length++] = (char)n->current;
    n->current = read_byte(n->reader);
    return 1;
}

/// Takes the current byte when it is one of `choices`.
static int accept_one_of(NumeralReader *n, const char *choices) {
    if (n->current != EOF && strchr(choices, n->current) != NULL && n->current != '\0') {
        return keep_and_advance(n);
    }
    return 0;
}

static int accept_digits(NumeralReader *n, int hexadecimal) {
    int count = 0;
    while ((hexadecimal ? isxdigit(n->current) : isdigit(n->current)) && keep_and_advance(n)) count++;
    return count;
}

/// Reads a numeral as Lua's io.read("n") does: at most 200 bytes following the numeral syntax, then
/// converted by the Lua rules; pushes the number, or nil and fails.
static int read_number(lua_State *L, InputReader *reader) {
    NumeralReader n = {.reader = reader, .length = 0};
    do {
        n.current = read_byte(reader);
    } while (n.current != EOF && isspace(n.current));
    int digits = 0;
    int hexadecimal = 0;
    accept_one_of(&n, "-+");
    if (accept_one_of(&n, "0")) {
        if (accept_one_of(&n, "xX")) {
            hexadecimal = 1;
        } else {
            digits = 1;
        }
    }
    digits += accept_digits(&n, hexadecimal);
    if (accept_one_of(&n, ".")) digits += accept_digits(&n, hexadecimal);
    if (digits > 0 && accept_one_of(&n, hexadecimal ? "pP" : "eE")) {
        accept_one_of(&n, "-+");
        accept_digits(&n, 0);
    }
    if (n.current != EOF) ungetc(n.current, stdin);
    n.text[n.length] = '\0';
    if (lua_stringtonumber(L, n.text) != 0) return 1;
    lua_pushnil(L);
    return 0;
}

// io.read with every format of the manual (§6.8): "n", "a", "l", "L" (a leading '*' allowed) and a
// byte count. Only standard input exists for scripts.
static int bounded_read(lua_State *L) {
    InputReader reader = {.L = L, .since_check = 0};
    int formats = lua_gettop(L);
    clearerr(stdin);
    if (formats == 0) {
        lua_pushliteral(L, "l");
        formats = 1;
    }
    luaL_checkstack(L, formats + LUA_MINSTACK, "too many arguments");
    int first = lua_gettop(L) - formats + 1;
    int succeeded = 1;
    int index;
    for (index = first; index < first + formats && succeeded; index++) {
        if (lua_type(L, index) == LUA_TNUMBER) {
            lua_Integer wanted = luaL_checkinteger(L, index);
            luaL_argcheck(L, wanted >= 0, index, "invalid format");
            luaL_Buffer buffer;
            luaL_buffinit(L, &buffer);
            succeeded = read_bytes(&reader, &buffer, wanted);
            luaL_pushresult(&buffer);
            continue;
        }
        const char *format = luaL_checkstring(L, index);
        if (*format == '*') format++;
        luaL_Buffer buffer;
        switch (*format) {
        case 'n':
            succeeded = read_number(L, &reader);
            break;
        case 'l':
        case 'L':
            luaL_buffinit(L, &buffer);
            succeeded = read_line(&reader, &buffer, *format == 'L');
            luaL_pushresult(&buffer);
            break;
        case 'a':
            luaL_buffinit(L, &buffer);
            read_all(&reader, &buffer);
            luaL_pushresult(&buffer);
            break;
        default:
            return luaL_argerror(L, index, "invalid format");
        }
    }
    if (ferror(stdin)) {
        int code = errno;
        luaL_pushfail(L);
        lua_pushfstring(L, "%s", strerror(code));
        lua_pushinteger(L, code);
        return 3;
    }
    if (!succeeded) {
        lua_pop(L, 1);
        luaL_pushfail(L);
    }
    return index - first;
}

// MARK: io.write

// io.write, returning a stand-in for the standard output file whose only method is `write` (so
// `io.write(a):write(b)` chains as in Lua) instead of the C library's file handle: that handle's
// metatable is shared by every file and would let a script give files a `__gc` (run at close, where no
// limit reaches) or call `read` and `lines` on standard output, which block in C.
static int write_returning_stand_in(lua_State *L) {
    int given = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1)); /* Lua's io.write */
    lua_insert(L, 1);
    lua_call(L, given, LUA_MULTRET);
    if (lua_gettop(L) >= 1 && lua_isnil(L, 1)) return lua_gettop(L); /* nil, message, code */
    lua_pushvalue(L, lua_upvalueindex(2));
    return 1;
}

static int stand_in_write(lua_State *L) {
    lua_remove(L, 1); /* self */
    return write_returning_stand_in(L);
}

static int stand_in_flush(lua_State *L) {
    fflush(stdout);
    lua_settop(L, 1);
    return 1;
}

static int stand_in_tostring(lua_State *L) {
    lua_pushliteral(L, "file (standard output)");
    return 1;
}

/// Replaces io.write in the io table on top of the stack.
static void install_write(lua_State *L) {
    lua_getfield(L, -1, "write"); /* Lua's io.write */
    lua_newtable(L);              /* the stand-in */
    lua_createtable(L, 0, 4);     /* its metatable */
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable"); /* getmetatable(stand_in) is false */
    lua_pushcfunction(L, stand_in_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "FILE*");
    lua_setfield(L, -2, "__name");
    lua_createtable(L, 0, 2); /* methods */
    lua_pushvalue(L, -4);     /* io.write */
    lua_pushvalue(L, -4);     /* stand-in */
    lua_pushcclosure(L, stand_in_write, 2);
    lua_setfield(L, -2, "write");
    lua_pushcfunction(L, stand_in_flush);
    lua_setfield(L, -2, "flush");
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, write_returning_stand_in, 2);
    lua_setfield(L, -2, "write");
}

// MARK: installing

static void replace(lua_State *L, const char *library, const char *name, lua_CFunction function) {
    lua_getglobal(L, library);
    lua_pushcfunction(L, function);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

void clb_install_bounded_library(lua_State *L) {
    replace(L, LUA_STRLIBNAME, "rep", bounded_rep);
    replace(L, LUA_TABLIBNAME, "insert", bounded_insert);
    replace(L, LUA_TABLIBNAME, "remove", bounded_remove);
    replace(L, LUA_TABLIBNAME, "move", bounded_move);
    replace(L, LUA_TABLIBNAME, "concat", bounded_concat);
}

void clb_install_bounded_io(lua_State *L) {
    lua_getglobal(L, LUA_IOLIBNAME);
    install_write(L);
    lua_pushcfunction(L, bounded_read);
    lua_setfield(L, -2, "read");
    lua_pop(L, 1);
}

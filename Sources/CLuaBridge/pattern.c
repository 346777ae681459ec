// string.find, string.match, string.gmatch and string.gsub with a matcher that the limits can stop.
//
// Lua's own matcher backtracks in C, where no hook runs: `("a"):rep(30):find(("a*"):rep(30) .. "b")`
// takes longer than the universe's age and neither a time limit nor Ctrl-C could end it. This matcher
// implements the same patterns (the Lua 5.4 manual, §6.4.1) and counts its steps; every 2^16 steps it
// asks whether the run must stop and, if so, raises the stop like the hook does. The check costs one
// clock read per 65,536 steps. It is tested against Lua's own testes/pm.lua and strings.lua.
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <string.h>
#include <lua5.4/lualib.h>
#include "host.h"

#define MAX_CAPTURES 32
/// Nested pattern items (captures, quantifiers) before "pattern too complex", as Lua's matcher.
#define MAX_MATCH_DEPTH 200
#define STEPS_BETWEEN_CHECKS 0xFFFF
#define ESCAPE '%'
#define SPECIALS "^$*+?.([%-"

enum { CAPTURE_OPEN = -1, CAPTURE_POSITION = -2 };

typedef struct {
    lua_State *L;
    const char *subject;
    const char *subject_end;
    const char *pattern_end;
    int depth_left;
    unsigned long steps;
    int captures;
    struct {
        const char *start;
        ptrdiff_t length; /* or CAPTURE_OPEN / CAPTURE_POSITION */
    } capture[MAX_CAPTURES];
} Matcher;

static const char *match_here(Matcher *m, const char *s, const char *p);

static void count_step(Matcher *m) {
    if ((++m->steps & STEPS_BETWEEN_CHECKS) == 0 && clb_should_stop(m->L)) clb_raise_stop(m->L);
}

static void reset(Matcher *m) {
    m->captures = 0;
    m->depth_left = MAX_MATCH_DEPTH;
}

static void start(Matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    m->L = L;
    m->subject = s;
    m->subject_end = s + ls;
    m->pattern_end = p + lp;
    m->steps = 0;
    reset(m);
}

// MARK: character classes

/// The end of the single-character class that starts at `p`.
static const char *class_end(Matcher *m, const char *p) {
    char c = *p++;
    if (c == ESCAPE) {
        if (p >= m->pattern_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (p < m->pattern_end && *p == '^') p++;
        // The first character of a set is never its end, so `[]]` is the set of ']'.
        do {
            if (p >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
            char member = *p++;
            if (member == ESCAPE) {
                if (p >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
                p++;
            }
            if (p >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
        } while (*p != ']');
        return p + 1;
    }
    return p;
}

/// Whether `c` is in the class `%letter` (an upper-case letter is the complement; anything else
/// stands for itself).
static int in_class(int c, int letter) {
    int found;
    switch (tolower(letter)) {
    case 'a': found = isalpha(c); break;
    case 'c': found = iscntrl(c); break;
    case 'd': found = isdigit(c); break;
    case 'g': found = isgraph(c); break;
    case 'l': found = islower(c); break;
    case 'p': found = ispunct(c); break;
    case 's': found = isspace(c); break;
    case 'u': found = isupper(c); break;
    case 'w': found = isalnum(c); break;
    case 'x': found = isxdigit(c); break;
    case 'z': found = c == 0; break; /* deprecated in 5.2 but still accepted by Lua */
    default: return letter == c;
    }
    if (isupper(letter)) found = !found;
    return found != 0;
}

/// Whether `c` is in the set `[...]` from `p` (at '[') to `last` (at its ']').
static int in_set(int c, const char *p, const char *last) {
    int wanted = 1;
    p++;
    if (*p == '^') {
        wanted = 0;
        p++;
    }
    for (; p < last; p++) {
        if (*p == ESCAPE) {
            p++;
            if (in_class(c, (unsigned char)*p)) return wanted;
        } else if (p + 2 < last && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return wanted;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return wanted;
        }
    }
    return !wanted;
}

/// Whether the subject character at `s` matches the class from `p` to `ep`.
static int matches_one(Matcher *m, const char *s, const char *p, const char *ep) {
    if (s >= m->subject_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case ESCAPE: return in_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

// MARK: pattern items

static const char *match_balanced(Matcher *m, const char *s, const char *p) {
    if (p + 1 >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->subject_end || *s != p[0]) return NULL;
    char open = p[0], close = p[1];
    int depth = 1;
    while (++s < m->subject_end) {
        count_step(m);
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            depth++;
        }
    }
    return NULL;
}

static const char *match_greedy(Matcher *m, const char *s, const char *p, const char *ep) {
    ptrdiff_t count = 0;
    while (matches_one(m, s + count, p, ep)) {
        count_step(m);
        count++;
    }
    // Longest first, giving back one character at a time.
    for (; count >= 0; count--) {
        count_step(m);
        const char *end = match_here(m, s + count, ep + 1);
        if (end != NULL) return end;
    }
    return NULL;
}

static const char *match_lazy(Matcher *m, const char *s, const char *p, const char *ep) {
    for (;;) {
        count_step(m);
        const char *end = match_here(m, s, ep + 1);
        if (end != NULL) return end;
        if (!matches_one(m, s, p, ep)) return NULL;
        s++;
    }
}

static const char *open_capture(Matcher *m, const char *s, const char *p, ptrdiff_t kind) {
    if (m->captures >= MAX_CAPTURES) luaL_error(m->L, "too many captures");
    m->capture[m->captures].start = s;
    m->capture[m->captures].length = kind;
    m->captures++;
    const char *end = match_here(m, s, p);
    if (end == NULL) m->captures--;
    return end;
}

static const char *close_capture(Matcher *m, const char *s, const char *p) {
    int open = m->captures - 1;
    while (open >= 0 && m->capture[open].length != CAPTURE_OPEN) open--;
    if (open < 0) luaL_error(m->L, "invalid pattern capture");
    m->capture[open].length = s - m->capture[open].start;
    const char *end = match_here(m, s, p);
    if (end == NULL) m->capture[open].length = CAPTURE_OPEN;
    return end;
}

static const char *match_back_reference(Matcher *m, const char *s, int digit) {
    int index = digit - '1';
    if (index < 0 || index >= m->captures || m->capture[index].length == CAPTURE_OPEN) {
        luaL_error(m->L, "invalid capture index %%%d in pattern", index + 1);
    }
    size_t length = (size_t)m->capture[index].length;
    if ((size_t)(m->subject_end - s) >= length && memcmp(m->capture[index].start, s, length) == 0) {
        return s + length;
    }
    return NULL;
}

/// Where a match of `p` (to the pattern's end) starting at `s` ends, or NULL.
static const char *match_here(Matcher *m, const char *s, const char *p) {
    if (m->depth_left-- == 0) luaL_error(m->L, "pattern too complex");
    count_step(m);
    for (;;) {
        if (p >= m->pattern_end) break;
        if (*p == '(') {
            if (p + 1 < m->pattern_end && p[1] == ')') {
                s = open_capture(m, s, p + 2, CAPTURE_POSITION);
            } else {
                s = open_capture(m, s, p + 1, CAPTURE_OPEN);
            }
            break;
        }
        if (*p == ')') {
            s = close_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->pattern_end) {
            if (s != m->subject_end) s = NULL;
            break;
        }
        if (*p == ESCAPE && p + 1 < m->pattern_end) {
            if (p[1] == 'b') {
                s = match_balanced(m, s, p + 2);
                if (s == NULL) break;
                p += 4;
                continue;
            }
            if (p[1] == 'f') {
                p += 2;
                if (p >= m->pattern_end || *p != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
                const char *ep = class_end(m, p);
                int before = s == m->subject ? '\0' : (unsigned char)s[-1];
                int here = s < m->subject_end ? (unsigned char)*s : '\0';
                if (in_set(before, p, ep - 1) || !in_set(here, p, ep - 1)) {
                    s = NULL;
                    break;
                }
                p = ep;
                continue;
            }
            if (isdigit((unsigned char)p[1])) {
                s = match_back_reference(m, s, (unsigned char)p[1]);
                if (s == NULL) break;
                p += 2;
                continue;
            }
        }
        const char *ep = class_end(m, p);
        char quantifier = ep < m->pattern_end ? *ep : '\0';
        if (!matches_one(m, s, p, ep)) {
            if (quantifier == '*' || quantifier == '?' || quantifier == '-') {
                p = ep + 1; /* zero repetitions are fine */
                continue;
            }
            s = NULL;
            break;
        }
        if (quantifier == '?') {
            const char *end = match_here(m, s + 1, ep + 1);
            if (end != NULL) {
                s = end;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (quantifier == '+') {
            s = match_greedy(m, s + 1, p, ep);
            break;
        }
        if (quantifier == '*') {
            s = match_greedy(m, s, p, ep);
            break;
        }
        if (quantifier == '-') {
            s = match_lazy(m, s, p, ep);
            break;
        }
        s++; /* one character, no quantifier: go on without recursing */
        p = ep;
        count_step(m);
    }
    m->depth_left++;
    return s;
}

// MARK: results

/// Pushes capture `index` (or the whole match from `s` to `e` when there are no captures).
static void push_capture(Matcher *m, int index, const char *s, const char *e) {
    if (index >= m->captures) {
        if (index != 0) luaL_error(m->L, "invalid capture index %%%d in replacement string", index + 1);
        lua_pushlstring(m->L, s, (size_t)(e - s));
        return;
    }
    ptrdiff_t length = m->capture[index].length;
    if (length == CAPTURE_OPEN) luaL_error(m->L, "unfinished capture");
    if (length == CAPTURE_POSITION) {
        lua_pushinteger(m->L, (lua_Integer)(m->capture[index].start - m->subject) + 1);
    } else {
        lua_pushlstring(m->L, m->capture[index].start, (size_t)length);
    }
}

/// Pushes every capture (the whole match when there are none and `s` is given); returns how many.
static int push_captures(Matcher *m, const char *s, const char *e) {
    int count = (m->captures == 0 && s != NULL) ? 1 : m->captures;
    luaL_checkstack(m->L, count, "too many captures");
    for (int i = 0; i < count; i++) push_capture(m, i, s, e);
    return count;
}

// MARK: the library functions

/// A 1-based start position (negative counts from the end) as an offset; past the end gives ls + 1.
static size_t start_offset(lua_Integer position, size_t length) {
    if (position > 0) return (size_t)position - 1;
    if (position == 0 || position < -(lua_Integer)length) return 0;
    return length + (size_t)position;
}

static int has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++) {
        if (p[i] != '\0' && strchr(SPECIALS, p[i]) != NULL) return 1;
    }
    return 0;
}

// A plain search in time linear in the subject and the needle (glibc's memmem is the two-way
// algorithm): a naive search of a 200 KB needle in 50 MB compares for hours in C, where no hook runs.
static const char *find_plain(const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    return memmem(s, ls, p, lp);
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *at = find_plain(s + init, ls - init, p, lp);
        if (at == NULL) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, (lua_Integer)(at - s) + 1);
        lua_pushinteger(L, (lua_Integer)(at - s + lp));
        return 2;
    }
    Matcher m;
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    start(&m, L, s, ls, p, lp);
    const char *from = s + init;
    do {
        reset(&m);
        const char *end = match_here(&m, from, p);
        if (end != NULL) {
            if (!find) return push_captures(&m, from, end);
            lua_pushinteger(L, (lua_Integer)(from - s) + 1);
            lua_pushinteger(L, (lua_Integer)(end - s));
            return push_captures(&m, NULL, NULL) + 2;
        }
    } while (from++ < m.subject_end && !anchored);
    luaL_pushfail(L);
    return 1;
}

static int bounded_find(lua_State *L) { return find_or_match(L, 1); }
static int bounded_match(lua_State *L) { return find_or_match(L, 0); }

typedef struct {
    const char *pattern;
    const char *next;
    const char *last_match;
    Matcher m;
} MatchIterator;

// Upvalues: the subject, the pattern (kept alive for the pointers) and the iterator's state.
static int next_match(lua_State *L) {
    MatchIterator *it = lua_touserdata(L, lua_upvalueindex(3));
    it->m.L = L;
    for (const char *from = it->next; from <= it->m.subject_end; from++) {
        reset(&it->m);
        const char *end = match_here(&it->m, from, it->pattern);
        if (end != NULL && end != it->last_match) {
            it->next = it->last_match = end;
            return push_captures(&it->m, from, end);
        }
    }
    return 0;
}

static int bounded_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) init = ls + 1; /* no matches at all */
    lua_settop(L, 2);
    MatchIterator *it = lua_newuserdatauv(L, sizeof(MatchIterator), 0);
    start(&it->m, L, s, ls, p, lp);
    it->pattern = p;
    it->next = s + init;
    it->last_match = NULL;
    lua_pushcclosure(L, next_match, 3);
    return 1;
}

static void add_replacement_text(Matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    size_t length;
    const char *text = lua_tolstring(m->L, 3, &length);
    const char *end = text + length;
    for (const char *c = text; c < end; c++) {
        if (*c != ESCAPE) {
            luaL_addchar(b, *c);
            continue;
        }
        c++;
        if (c < end && *c == ESCAPE) {
            luaL_addchar(b, ESCAPE);
        } else if (c < end && isdigit((unsigned char)*c)) {
            if (*c == '0') {
                luaL_addlstring(b, s, (size_t)(e - s));
            } else {
                push_capture(m, *c - '1', s, e);
                luaL_tolstring(m->L, -1, NULL);
                lua_remove(m->L, -2);
                luaL_addvalue(b);
            }
        } else {
            luaL_error(m->L, "invalid use of '%c' in replacement string", ESCAPE);
        }
    }
}

/// Adds the replacement of the match from `s` to `e`; returns whether it changed anything.
static int add_replacement(Matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int count = push_captures(m, s, e);
        lua_call(L, count, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_replacement_text(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s)); /* false or nil: keep the original */
        return 0;
    }
    if (!lua_isstring(L, -1)) {
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    }
    luaL_addvalue(b);
    return 1;
}

static int bounded_gsub(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer most = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                     3, "string/function/table");
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    Matcher m;
    start(&m, L, s, ls, p, lp);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *from = s, *last_match = NULL;
    lua_Integer replaced = 0;
    int changed = 0;
    while (replaced < most) {
        reset(&m);
        const char *end = match_here(&m, from, p);
        if (end != NULL && end != last_match) {
            replaced++;
            changed = add_replacement(&m, &b, from, end, kind) | changed;
            from = last_match = end;
        } else if (from < m.subject_end) {
            luaL_addchar(&b, *from++);
        } else {
            break;
        }
        if (anchored) break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, from, (size_t)(m.subject_end - from));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, replaced);
    return 2;
}

void clb_install_bounded_patterns(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"find", bounded_find}, {"match", bounded_match}, {"gmatch", bounded_gmatch}, {"gsub", bounded_gsub},
        {NULL, NULL},
    };
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, LUA_STRLIBNAME);
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 2);
}

// State creation and the limited allocator.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

clb_dispatch_fn clb_dispatch = NULL;
clb_release_fn clb_release = NULL;

void clb_set_callbacks(clb_dispatch_fn dispatch, clb_release_fn release) {
    clb_dispatch = dispatch;
    clb_release = release;
}

// The cap is enforced only while Lua code runs (`enforcing`). Outside it, a refused allocation would
// raise a Lua error across Swift frames, so the cap is only accounted and Lua's next allocation fails.
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    clb_host *h = ud;
    size_t old = ptr ? osize : 0;
    // Only this thread writes `used`: relaxed loads and stores are enough. Others only read it.
    size_t used = atomic_load_explicit(&h->used, memory_order_relaxed);
    if (nsize == 0) {
        free(ptr);
        atomic_store_explicit(&h->used, used - old, memory_order_relaxed);
        return NULL;
    }
    // What the host has reserved counts too: one budget for the script, whoever allocates for it.
    // A reservation made on another thread at this very moment can pass the same check: the two
    // together then exceed the limit by at most this one block.
    size_t reserved = atomic_load_explicit(&h->reserved, memory_order_relaxed);
    if (h->enforcing && h->limit > 0 && nsize > old && used + reserved - old + nsize > h->limit) {
        h->limit_hit = 1;
        return NULL;
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) {
        if (!h->enforcing) {
            // Returning NULL here would make Lua raise across Swift frames; dying loudly is safer.
            fputs("sentinel-tables: out of memory\n", stderr);
            abort();
        }
        return NULL;
    }
    atomic_store_explicit(&h->used, used - old + nsize, memory_order_relaxed);
    return block;
}

static int panic(lua_State *L) {
    // Unreachable by design (every entry point is protected); if it happens, say so and stop.
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "sentinel-tables: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
    abort();
}

lua_State *clb_newstate(void *owner) {
    clb_host *h = calloc(1, sizeof(clb_host));
    if (h == NULL) return NULL;
    h->owner = owner;
    lua_State *L = lua_newstate(limited_alloc, h);
    if (L == NULL) {
        free(h);
        return NULL;
    }
    h->main = L;
    *(clb_host **)lua_getextraspace(L) = h;
    lua_atpanic(L, panic);
    clb_install_function_metatable(L);
    // Armed from the start, limits or not: interrupts reach every coroutine through it.
    clb_arm_hook(L);
    return L;
}

void clb_close(lua_State *L) {
    clb_host *h = clb_host_of(L);
    // Finalizers that run at close (an unsandboxed state's) stay under the memory cap: lua_close runs
    // each in protected mode, so a refused allocation ends that finalizer, never the process.
    h->enforcing = 1;
    if (h->watchdog_grace > 0 && h->seconds_limit > 0) {
        // Closing gets no time of its own: if it is still going after the grace, the watchdog ends it.
        atomic_store(&h->deadline_ns, clb_now_ns());
        atomic_store(&h->running, 1);
    }
    lua_close(L);
    clb_watchdog_forget(h);
    free(h);
}

void *clb_owner(lua_State *L) { return clb_host_of(L)->owner; }

void clb_set_memory_limit(lua_State *L, size_t bytes) { clb_host_of(L)->limit = bytes; }
size_t clb_memory_limit(lua_State *L) { return clb_host_of(L)->limit; }
size_t clb_memory_used(lua_State *L) { return atomic_load_explicit(&clb_host_of(L)->used, memory_order_relaxed); }
int clb_memory_limit_hit(lua_State *L) { return clb_host_of(L)->limit_hit; }

// What is left when `used` and `reserved` are taken from the limit (0 when they exceed it).
static size_t room_left(const clb_host *h, size_t used, size_t reserved) {
    if (h->limit == 0) return SIZE_MAX;
    size_t taken = used > SIZE_MAX - reserved ? SIZE_MAX : used + reserved;
    return taken >= h->limit ? 0 : h->limit - taken;
}

size_t clb_memory_available(lua_State *L) {
    clb_host *h = clb_host_of(L);
    return room_left(h, atomic_load_explicit(&h->used, memory_order_relaxed),
                     atomic_load_explicit(&h->reserved, memory_order_relaxed));
}

size_t clb_memory_reserved(lua_State *L) {
    return atomic_load_explicit(&clb_host_of(L)->reserved, memory_order_relaxed);
}

// Safe from any thread: the check and the addition are one compare-and-swap, so two threads reserving
// at once cannot both take the last bytes.
int clb_reserve_memory(lua_State *L, size_t bytes) {
    clb_host *h = clb_host_of(L);
    size_t reserved = atomic_load_explicit(&h->reserved, memory_order_relaxed);
    size_t next;
    do {
        size_t used = atomic_load_explicit(&h->used, memory_order_relaxed);
        if (h->limit > 0 && bytes > room_left(h, used, reserved)) return 0;
        // Without a limit the count still runs, so a limit set later sees what is held.
        next = bytes > SIZE_MAX - reserved ? SIZE_MAX : reserved + bytes;
    } while (!atomic_compare_exchange_weak_explicit(&h->reserved, &reserved, next, memory_order_relaxed,
                                                    memory_order_relaxed));
    return 1;
}

void clb_release_memory(lua_State *L, size_t bytes) {
    clb_host *h = clb_host_of(L);
    size_t reserved = atomic_load_explicit(&h->reserved, memory_order_relaxed);
    size_t next;
    do {
        next = bytes > reserved ? 0 : reserved - bytes;
    } while (!atomic_compare_exchange_weak_explicit(&h->reserved, &reserved, next, memory_order_relaxed,
                                                    memory_order_relaxed));
}

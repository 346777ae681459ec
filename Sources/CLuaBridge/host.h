// Per-state host data shared by the bridge's C files. Not part of the public header.
#ifndef CLUABRIDGE_HOST_H
#define CLUABRIDGE_HOST_H

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include "include/CLuaBridge.h"

#define CLB_FUNCTION_METATABLE "clb.function"
#define CLB_TRACEBACK_KEY "clb.traceback"
/// Registry key of the `package.path` fixed by the host: the sandbox's `require` searches only this,
/// whatever a script does to `package.path`.
#define CLB_MODULE_PATH_KEY "clb.module_path"
// The directories `require` opens modules beneath: an array of { descriptor, prefix } (sandbox.c).
#define CLB_MODULE_ROOTS_KEY "clb.module_roots"
// Source text the host loaded, by chunk name (`@path`): what the error locator may read.
#define CLB_KEPT_SOURCES_KEY "clb.kept_sources"
/// Instructions between two checks of the limits: rare enough to cost little, frequent enough that a
/// stop lands within microseconds.
#define CLB_HOOK_INTERVAL 1000

typedef struct clb_host {
    lua_State *main;
    void *owner;
    /* memory */
    /// Written by Lua's allocator on the state's thread only, but read by reservations made from any
    /// thread (a stream of items read or written while the script waits), hence atomic.
    _Atomic size_t used;
    size_t limit;
    /// Bytes the host holds on the script's behalf (converted values, request bodies, the buffers of
    /// a stream of items): they count against `limit` with `used`, so Lua and the host share one
    /// budget (clb_reserve_memory). Reserved and released from any thread.
    _Atomic size_t reserved;
    int enforcing;
    int limit_hit;
    /* limits */
    int64_t instruction_limit;
    int64_t instructions_run;
    double seconds_limit;
    struct timespec deadline;
    int has_deadline;
    /// Set from any thread or a signal handler, read by the state's own thread: the only field touched
    /// off that thread, and lock-free atomic so that both are safe.
    atomic_int interrupt_requested;
    clb_stop_reason stop_reason;
    /* the watchdog (watchdog.c): the atomics are read by its thread */
    /// Whether a run (or closing, with its finalizers) is under way.
    atomic_int running;
    /// When the run's time is up, in CLOCK_MONOTONIC nanoseconds; 0 when it has no time limit.
    atomic_llong deadline_ns;
    /// Seconds a run may go on after its deadline or an interrupt before the process ends; 0: none.
    double watchdog_grace;
    /// When the watchdog first saw the pending interrupt of this run (its thread only).
    long long interrupt_seen_ns;
    struct clb_host *watched_next;
} clb_host;

static inline clb_host *clb_host_of(lua_State *L) {
    return *(clb_host **)lua_getextraspace(L);
}

extern clb_dispatch_fn clb_dispatch;
extern clb_release_fn clb_release;

void clb_install_function_metatable(lua_State *L);
void clb_arm_hook(lua_State *L);
/// Makes the stop stick on `L`: its hook fires on every instruction and line and raises each time.
void clb_stick_stop(lua_State *L);
/// Replaces string.find, match, gmatch and gsub with the matcher the limits can stop (pattern.c).
void clb_install_bounded_patterns(lua_State *L);
/// Replaces string.rep, table.insert, remove, move and concat with versions the limits can stop
/// (bounded.c).
void clb_install_bounded_library(lua_State *L);
/// Replaces io.read (every format waits for input in slices the limits can stop) and io.write (which
/// returns a stand-in instead of the standard output file) in the io table (bounded.c).
void clb_install_bounded_io(lua_State *L);
/// The monotonic clock in nanoseconds.
long long clb_now_ns(void);
/// Marks the start and end of a run for the watchdog.
void clb_watchdog_run_started(clb_host *h, double seconds_limit);
void clb_watchdog_run_ended(clb_host *h);
/// Takes the host off the watchdog's list before it is freed.
void clb_watchdog_forget(clb_host *h);
/// Raises the current stop as an error located at the caller's line, and makes it stick on `L`.
int clb_raise_stop(lua_State *L);
/// The message of the current stop ("time limit of 1 s exceeded", "interrupted!").
const char *clb_stop_text(clb_host *h, char *buffer, size_t size);

#endif

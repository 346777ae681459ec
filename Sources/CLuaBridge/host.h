// Per-state host data shared by the bridge's C files. Not part of the public header.
#ifndef CLUABRIDGE_HOST_H
#define CLUABRIDGE_HOST_H

#include <signal.h>
#include <stdint.h>
#include <time.h>
#include "include/CLuaBridge.h"

#define CLB_FUNCTION_METATABLE "clb.function"
#define CLB_TRACEBACK_KEY "clb.traceback"
/// Instructions between two checks of the limits: rare enough to cost little, frequent enough that a
/// stop lands within microseconds.
#define CLB_HOOK_INTERVAL 1000

typedef struct clb_host {
    lua_State *main;
    void *owner;
    /* memory */
    size_t used;
    size_t limit;
    int enforcing;
    int limit_hit;
    /* limits */
    int64_t instruction_limit;
    int64_t instructions_run;
    double seconds_limit;
    struct timespec deadline;
    int has_deadline;
    volatile sig_atomic_t interrupt_requested;
    clb_stop_reason stop_reason;
} clb_host;

static inline clb_host *clb_host_of(lua_State *L) {
    return *(clb_host **)lua_getextraspace(L);
}

extern clb_dispatch_fn clb_dispatch;
extern clb_release_fn clb_release;

void clb_install_function_metatable(lua_State *L);
void clb_arm_hook(lua_State *L);

#endif

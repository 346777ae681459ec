// Instruction and time limits and interruption, through a count hook.
//
// The hook is armed on every state at all times (every 1,000 instructions), limits or not, so that an
// interrupt reaches any coroutine: a coroutine inherits its creator's hook. Interrupting only sets an
// atomic flag that the hook reads; no other thread ever calls the Lua API.
//
// Once a stop is decided, it sticks: the hook of the thread that saw it fires on every instruction and
// every new line and raises each time, host functions refuse to run, and the sandbox's pcall, xpcall
// and coroutine.resume raise the stop again as soon as they return (sticky.c), so no handler in any
// coroutine lets the script carry on. A run that still ends normally is reported as stopped.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "host.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int deadline_passed(clb_host *h) {
    if (!h->has_deadline) return 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec > h->deadline.tv_sec ||
           (ts.tv_sec == h->deadline.tv_sec && ts.tv_nsec >= h->deadline.tv_nsec);
}

const char *clb_stop_text(clb_host *h, char *buffer, size_t size) {
    switch (h->stop_reason) {
    case CLB_STOP_TIME:
        snprintf(buffer, size, "time limit of %g s exceeded", h->seconds_limit);
        return buffer;
    case CLB_STOP_INSTRUCTIONS:
        snprintf(buffer, size, "instruction limit of %lld exceeded", (long long)h->instruction_limit);
        return buffer;
    default:
        return "interrupted!";
    }
}

static void stop_hook(lua_State *L, lua_Debug *ar);

static void arm_thread(lua_State *L) { lua_sethook(L, stop_hook, LUA_MASKCOUNT, CLB_HOOK_INTERVAL); }

void clb_stick_stop(lua_State *L) { lua_sethook(L, stop_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1); }

/// Decides whether the run must stop now; sets the reason when it must.
static int stop_due(clb_host *h, int counted) {
    if (h->stop_reason != CLB_STOP_NONE) return 1;
    if (atomic_load_explicit(&h->interrupt_requested, memory_order_relaxed)) {
        h->stop_reason = CLB_STOP_INTERRUPT;
    } else if (counted && h->instruction_limit > 0 &&
               (h->instructions_run += CLB_HOOK_INTERVAL) >= h->instruction_limit) {
        h->stop_reason = CLB_STOP_INSTRUCTIONS;
    } else if (deadline_passed(h)) {
        h->stop_reason = CLB_STOP_TIME;
    } else {
        return 0;
    }
    return 1;
}

static void stop_hook(lua_State *L, lua_Debug *ar) {
    clb_host *h = clb_host_of(L);
    int every_instruction = lua_gethookcount(L) == 1;
    if (!stop_due(h, ar->event == LUA_HOOKCOUNT && !every_instruction)) {
        // A coroutine still carries the every-instruction hook of an earlier, finished stop.
        if (every_instruction) arm_thread(L);
        return;
    }
    clb_stick_stop(L);
    char buffer[96];
    const char *msg = clb_stop_text(h, buffer, sizeof buffer);
    if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) {
        lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline, msg);
    } else {
        lua_pushstring(L, msg);
    }
    lua_error(L);
}

int clb_raise_stop(lua_State *L) {
    char buffer[96];
    clb_stick_stop(L);
    luaL_where(L, 1);
    lua_pushstring(L, clb_stop_text(clb_host_of(L), buffer, sizeof buffer));
    lua_concat(L, 2);
    return lua_error(L);
}

void clb_arm_hook(lua_State *L) { arm_thread(L); }

void clb_set_run_limits(lua_State *L, int64_t instructions, double seconds) {
    clb_host *h = clb_host_of(L);
    h->instruction_limit = instructions > 0 ? instructions : 0;
    h->seconds_limit = seconds > 0 ? seconds : 0;
}

void clb_begin_run(lua_State *L) {
    clb_host *h = clb_host_of(L);
    h->stop_reason = CLB_STOP_NONE;
    h->limit_hit = 0;
    h->instructions_run = 0;
    h->has_deadline = h->seconds_limit > 0;
    if (h->has_deadline) {
        double end = now_seconds() + h->seconds_limit;
        h->deadline.tv_sec = (time_t)end;
        h->deadline.tv_nsec = (long)((end - (double)(time_t)end) * 1e9);
    }
    clb_watchdog_run_started(h, h->seconds_limit);
    // An interrupt that arrived between runs is not lost: it stops this run at its first instruction.
    if (atomic_load(&h->interrupt_requested)) {
        clb_stick_stop(h->main);
    } else {
        arm_thread(h->main);
    }
}

clb_stop_reason clb_end_run(lua_State *L) {
    clb_host *h = clb_host_of(L);
    clb_watchdog_run_ended(h);
    if (h->stop_reason == CLB_STOP_INTERRUPT) {
        // The interrupt has done its work; a later one is a new request.
        atomic_store(&h->interrupt_requested, 0);
    }
    return h->stop_reason;
}

clb_stop_reason clb_stop_reason_of(lua_State *L) { return clb_host_of(L)->stop_reason; }

int clb_should_stop(lua_State *L) { return stop_due(clb_host_of(L), 0); }

int clb_stop_message(lua_State *L, char *buffer, size_t size) {
    clb_host *h = clb_host_of(L);
    if (h->stop_reason == CLB_STOP_NONE) return 0;
    const char *text = clb_stop_text(h, buffer, size);
    if (text != buffer) snprintf(buffer, size, "%s", text);
    return 1;
}

void clb_interrupt(lua_State *L) { atomic_store(&clb_host_of(L)->interrupt_requested, 1); }

void clb_clear_interrupt(lua_State *L) { atomic_store(&clb_host_of(L)->interrupt_requested, 0); }

static lua_State *volatile sigint_target = NULL;

static void on_sigint(int signal_number) {
    (void)signal_number;
    lua_State *L = sigint_target;
    if (L == NULL) return;
    if (atomic_exchange(&clb_host_of(L)->interrupt_requested, 1)) {
        // The first request was not honoured yet (a script stuck where no hook runs): leave now.
        static const char msg[] = "\ninterrupted\n";
        ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        _exit(130);
    }
}

void clb_route_sigint(lua_State *L) {
    sigint_target = L;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = L ? on_sigint : SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    if (L != NULL) {
        // A parent may start us with SIGINT blocked (the mask survives exec): unblock it, or Ctrl-C
        // would stay pending and the script would never stop.
        sigset_t interrupt_only;
        sigemptyset(&interrupt_only);
        sigaddset(&interrupt_only, SIGINT);
        pthread_sigmask(SIG_UNBLOCK, &interrupt_only, NULL);
    }
}

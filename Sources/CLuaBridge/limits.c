// Instruction and time limits and interruption, through a count hook.
//
// Once a limit is hit, the hook is switched to fire on every instruction and every new line, and it
// raises each time: a script that catches the error with pcall is stopped again at its next
// instruction, so the stop cannot be swallowed.
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

static const char *stop_message(clb_host *h, char *buffer, size_t size) {
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

static void arm_thread(lua_State *L, clb_host *h);

static void stop_hook(lua_State *L, lua_Debug *ar) {
    clb_host *h = clb_host_of(L);
    if (h->stop_reason == CLB_STOP_NONE && !h->interrupt_requested && lua_gethookcount(L) == 1) {
        // A coroutine still carries the every-instruction hook of an earlier, finished stop.
        arm_thread(L, h);
        return;
    }
    if (h->stop_reason == CLB_STOP_NONE) {
        if (h->interrupt_requested) {
            h->stop_reason = CLB_STOP_INTERRUPT;
        } else if (h->instruction_limit > 0 && ar->event == LUA_HOOKCOUNT &&
                   (h->instructions_run += CLB_HOOK_INTERVAL) >= h->instruction_limit) {
            h->stop_reason = CLB_STOP_INSTRUCTIONS;
        } else if (deadline_passed(h)) {
            h->stop_reason = CLB_STOP_TIME;
        } else {
            return;
        }
    }
    lua_sethook(L, stop_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    char buffer[96];
    const char *msg = stop_message(h, buffer, sizeof buffer);
    if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) {
        lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline, msg);
    } else {
        lua_pushstring(L, msg);
    }
    lua_error(L);
}

static void arm_thread(lua_State *L, clb_host *h) {
    if (h->instruction_limit > 0 || h->seconds_limit > 0) {
        lua_sethook(L, stop_hook, LUA_MASKCOUNT, CLB_HOOK_INTERVAL);
    } else {
        lua_sethook(L, NULL, 0, 0);
    }
}

void clb_arm_hook(lua_State *L) { arm_thread(L, clb_host_of(L)); }

void clb_set_run_limits(lua_State *L, int64_t instructions, double seconds) {
    clb_host *h = clb_host_of(L);
    h->instruction_limit = instructions > 0 ? instructions : 0;
    h->seconds_limit = seconds > 0 ? seconds : 0;
}

void clb_begin_run(lua_State *L) {
    clb_host *h = clb_host_of(L);
    h->stop_reason = CLB_STOP_NONE;
    h->interrupt_requested = 0;
    h->limit_hit = 0;
    h->instructions_run = 0;
    h->has_deadline = h->seconds_limit > 0;
    if (h->has_deadline) {
        double end = now_seconds() + h->seconds_limit;
        h->deadline.tv_sec = (time_t)end;
        h->deadline.tv_nsec = (long)((end - (double)(time_t)end) * 1e9);
    }
    clb_arm_hook(h->main);
}

clb_stop_reason clb_stop_reason_of(lua_State *L) { return clb_host_of(L)->stop_reason; }

int clb_should_stop(lua_State *L) {
    clb_host *h = clb_host_of(L);
    if (h->stop_reason != CLB_STOP_NONE) return 1;
    if (h->interrupt_requested) {
        h->stop_reason = CLB_STOP_INTERRUPT;
        return 1;
    }
    if (deadline_passed(h)) {
        h->stop_reason = CLB_STOP_TIME;
        return 1;
    }
    return 0;
}

void clb_interrupt(lua_State *L) {
    clb_host *h = clb_host_of(L);
    h->interrupt_requested = 1;
    // lua_sethook is async-signal-safe (lua.c relies on it too).
    lua_sethook(h->main, stop_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

static lua_State *volatile sigint_target = NULL;

static void on_sigint(int signal_number) {
    (void)signal_number;
    lua_State *L = sigint_target;
    if (L == NULL) return;
    if (clb_host_of(L)->interrupt_requested) {
        // The first request was not honoured (a script stuck in C code or a coroutine): leave now.
        static const char msg[] = "\ninterrupted\n";
        ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        _exit(130);
    }
    clb_interrupt(L);
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

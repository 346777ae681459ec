// The watchdog: the second line of defence behind the limits (DESIGN.md, Lua host rule 7).
//
// The hook, the bounded library functions and the host functions' checks make a run stop at its
// deadline or at Ctrl-C. Some code runs where none of them reaches (a finalizer, which Lua runs with
// hooks off; a write blocked on a full pipe; a C function nobody listed), so a process that asks for
// it gets one thread that looks at every watched state ten times a second and ends the process when
// a run is still going `grace` seconds after its deadline or after an interrupt: exit status 1 with
// the time limit's message, or 130 after an interrupt, never a hang. It never touches a Lua state:
// it reads the atomics the state's own thread writes.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "host.h"

static pthread_mutex_t watched_lock = PTHREAD_MUTEX_INITIALIZER;
static clb_host *watched = NULL;
static int watchdog_started = 0;

long long clb_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void write_all(int descriptor, const char *text, size_t length) {
    while (length > 0) {
        ssize_t written = write(descriptor, text, length);
        if (written <= 0) return;
        text += written;
        length -= (size_t)written;
    }
}

/// Ends the process: what the script printed is flushed if the main thread is not in the middle of
/// writing it (a blocked write holds the lock), then the message goes straight to the descriptor.
static void end_process(const char *message, int status) {
    if (ftrylockfile(stdout) == 0) {
        fflush(stdout);
        funlockfile(stdout);
    }
    write_all(STDERR_FILENO, message, strlen(message));
    _exit(status);
}

static void inspect(clb_host *h, long long now) {
    if (!atomic_load(&h->running)) {
        h->interrupt_seen_ns = 0;
        return;
    }
    long long grace = (long long)(h->watchdog_grace * 1e9);
    long long deadline = atomic_load(&h->deadline_ns);
    char message[256];
    if (deadline != 0 && now > deadline + grace) {
        snprintf(message, sizeof message,
                 "time limit of %g s exceeded: the script did not stop within %g s of it (it was running "
                 "where the limit cannot reach), so the process ends\n",
                 h->seconds_limit, h->watchdog_grace);
        end_process(message, 1);
    }
    if (atomic_load(&h->interrupt_requested)) {
        if (h->interrupt_seen_ns == 0) {
            h->interrupt_seen_ns = now;
        } else if (now - h->interrupt_seen_ns > grace) {
            snprintf(message, sizeof message,
                     "interrupted: the script did not stop within %g s, so the process ends\n",
                     h->watchdog_grace);
            end_process(message, 130);
        }
    } else {
        h->interrupt_seen_ns = 0;
    }
}

static void *watch(void *unused) {
    (void)unused;
    const struct timespec tenth = {.tv_sec = 0, .tv_nsec = 100000000};
    for (;;) {
        nanosleep(&tenth, NULL);
        pthread_mutex_lock(&watched_lock);
        long long now = clb_now_ns();
        for (clb_host *h = watched; h != NULL; h = h->watched_next) inspect(h, now);
        pthread_mutex_unlock(&watched_lock);
    }
    return NULL;
}

/// Starts the thread once, with every signal blocked so that Ctrl-C keeps going to the threads that
/// expect it.
static void start_watchdog(void) {
    if (watchdog_started) return;
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pthread_t thread;
    if (pthread_create(&thread, NULL, watch, NULL) == 0) {
        pthread_detach(thread);
        watchdog_started = 1;
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
}

void clb_set_watchdog(lua_State *L, double grace_seconds) {
    clb_host *h = clb_host_of(L);
    pthread_mutex_lock(&watched_lock);
    int listed = 0;
    for (clb_host **link = &watched; *link != NULL; link = &(*link)->watched_next) {
        if (*link == h) {
            listed = 1;
            if (!(grace_seconds > 0)) *link = h->watched_next; /* turned off */
            break;
        }
    }
    h->watchdog_grace = grace_seconds > 0 ? grace_seconds : 0;
    if (!listed && h->watchdog_grace > 0) {
        h->watched_next = watched;
        watched = h;
        start_watchdog();
    }
    pthread_mutex_unlock(&watched_lock);
}

void clb_watchdog_run_started(clb_host *h, double seconds_limit) {
    long long deadline = 0;
    if (seconds_limit > 0) {
        // Far deadlines (a year) saturate instead of overflowing.
        double nanoseconds = seconds_limit * 1e9;
        deadline = nanoseconds > 4e18 ? (long long)4e18 : clb_now_ns() + (long long)nanoseconds;
    }
    atomic_store(&h->deadline_ns, deadline);
    atomic_store(&h->running, 1);
}

void clb_watchdog_run_ended(clb_host *h) { atomic_store(&h->running, 0); }

void clb_watchdog_forget(clb_host *h) {
    pthread_mutex_lock(&watched_lock);
    for (clb_host **link = &watched; *link != NULL; link = &(*link)->watched_next) {
        if (*link == h) {
            *link = h->watched_next;
            break;
        }
    }
    pthread_mutex_unlock(&watched_lock);
}

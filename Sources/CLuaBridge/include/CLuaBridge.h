// The C side of the Lua host. Everything here exists so that a Lua error never unwinds (longjmp)
// across a Swift frame:
// - Swift host functions are called through one trampoline; they report errors by return code and
//   the trampoline raises after the Swift frames have returned.
// - The allocator enforces the memory cap only while Lua code runs (inside clb_pcall). While Swift
//   code pushes values, allocations cannot fail with a Lua error; the next allocation Lua makes
//   after Swift returns fails instead, which raises in Lua's own frames.
// - Entry points run through clb_pcall with a traceback handler, so the panic handler never fires.
#ifndef CLUABRIDGE_H
#define CLUABRIDGE_H

#include <stddef.h>
#include <stdint.h>
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>

/// Return codes of the Swift dispatcher besides a result count (>= 0).
enum {
    /// Raise the value on top of the stack as it is (an error from a nested Lua call).
    CLB_RAISE = -1,
    /// Raise the string on top of the stack prefixed with the caller's `file:line:`.
    CLB_RAISE_WITH_WHERE = -2,
};

/// Why a run was stopped by the host.
typedef enum {
    CLB_STOP_NONE = 0,
    CLB_STOP_TIME = 1,
    CLB_STOP_INSTRUCTIONS = 2,
    CLB_STOP_INTERRUPT = 3,
} clb_stop_reason;

/// Calls the Swift host function behind `function`; returns a result count or a CLB_RAISE code.
typedef int (*clb_dispatch_fn)(lua_State *L, void *function);
/// Releases a retained Swift object when its Lua userdata is collected.
typedef void (*clb_release_fn)(void *object);

/// Installs the process-wide Swift callbacks. Call before creating any state.
void clb_set_callbacks(clb_dispatch_fn dispatch, clb_release_fn release);

/// A new state with the limited allocator; `owner` is stored for the Swift side (unretained).
lua_State *clb_newstate(void *owner);
void clb_close(lua_State *L);
void *clb_owner(lua_State *L);

/// Memory accounting. A limit of 0 means none.
void clb_set_memory_limit(lua_State *L, size_t bytes);
size_t clb_memory_limit(lua_State *L);
size_t clb_memory_used(lua_State *L);
/// Whether an allocation was refused by the cap since the last clb_begin_run.
int clb_memory_limit_hit(lua_State *L);
/// Bytes the script may still take: the limit less what Lua uses and the host has reserved (0 when
/// those exceed it); SIZE_MAX without a limit.
size_t clb_memory_available(lua_State *L);
/// Bytes the host holds reserved against the limit.
size_t clb_memory_reserved(lua_State *L);
/// Reserves `bytes` of the limit for memory the host allocates on the script's behalf: 1 if they fit
/// (or there is no limit), 0 (nothing reserved) if not. Lua's allocator counts reservations as used.
/// Safe from any thread, as are clb_release_memory, clb_memory_available and clb_memory_reserved
/// (the counters are atomic); nothing else of the state is.
int clb_reserve_memory(lua_State *L, size_t bytes);
/// Gives back what clb_reserve_memory reserved.
void clb_release_memory(lua_State *L, size_t bytes);

/// Pushes a closure that calls the Swift function `function` (retained; released by `__gc`). `name`
/// is kept with it for the error raised if Lua calls it after the function was released (a finalizer
/// of an unsandboxed state, at close).
void clb_push_host_function(lua_State *L, void *function, const char *name);
/// Creates (or fetches) the metatable `name` for Swift objects, with `__gc` releasing the object and
/// `__name` set, and leaves it on the stack.
void clb_push_object_metatable(lua_State *L, const char *name);
/// Protects the metatable on top of the stack from scripts: `getmetatable` returns a read-only copy of
/// its fields, so a script cannot give host objects a finalizer of its own or change their methods.
/// Call after every field is set.
void clb_protect_metatable(lua_State *L);
/// Pushes a userdata holding the retained Swift `object` with the metatable `name`.
void clb_push_object(lua_State *L, void *object, const char *name);
/// The Swift object of the userdata at `index` if its metatable is `name`, otherwise NULL.
void *clb_to_object(lua_State *L, int index, const char *name);

/// lua_pcall with the cap enforced and a traceback handler. On error the message is on the stack and
/// the traceback is kept for clb_push_last_traceback.
int clb_pcall(lua_State *L, int nargs, int nresults);
/// Pushes the traceback of the last error caught by clb_pcall (or nil).
void clb_push_last_traceback(lua_State *L);
/// luaL_tolstring in protected mode (it may call `__tostring`). Pushes the string and returns
/// LUA_OK, or pushes an error message and returns an error status.
int clb_tostring(lua_State *L, int index);

/// Opens the sandboxed standard libraries (see sandbox.c) with `package_path` as `package.path`.
/// Returns a status; on error the message is on the stack.
int clb_open_sandbox(lua_State *L, const char *package_path);
/// Fixes the path the sandbox's `require` searches (and shows it as `package.path`). Scripts cannot
/// change it. Never raises.
void clb_set_module_path(lua_State *L, const char *path);
/// Forgets the directories `require` opens modules beneath (clb_add_module_root). Never raises.
void clb_clear_module_roots(lua_State *L);
/// Adds a directory, open as `descriptor` (owned by the caller, kept open while the state uses it; -1
/// for one that could not be opened), that the sandbox's `require` searches after those added before:
/// `NAME.lua` and `NAME/init.lua` opened beneath it by CFileAccess's rule (no symbolic link, never
/// outside), named `@PREFIXNAME.lua` in messages and chunk names. Never raises.
void clb_add_module_root(lua_State *L, int descriptor, const char *prefix);
/// Keeps `length` bytes of source text that the host loaded under `chunk_name`, for
/// clb_push_kept_source. Never raises.
void clb_keep_source(lua_State *L, const char *chunk_name, const char *bytes, size_t length);
/// Pushes the source text kept under `chunk_name` and returns 1, or pushes nothing and returns 0.
/// Never opens a file. Never raises.
int clb_push_kept_source(lua_State *L, const char *chunk_name);
/// Opens every standard library without restrictions (for trusted embedding).
int clb_open_all(lua_State *L);

/// Limits checked by a count hook while Lua runs: an instruction budget (0: none) and a wall-clock
/// budget in seconds (<= 0: none). They apply from clb_begin_run.
void clb_set_run_limits(lua_State *L, int64_t instructions, double seconds);
/// Starts a run: clears the stop state and the memory flag, arms the limits. An interrupt requested
/// since the last run stops this one at once.
void clb_begin_run(lua_State *L);
/// Ends a run: returns why it was stopped (CLB_STOP_NONE if it was not) and consumes the interrupt
/// that stopped it.
clb_stop_reason clb_end_run(lua_State *L);
/// Copies the current stop's message into `buffer` and returns 1, or returns 0 when not stopped.
int clb_stop_message(lua_State *L, char *buffer, size_t size);
/// Why the last run was stopped (CLB_STOP_NONE if it was not).
clb_stop_reason clb_stop_reason_of(lua_State *L);
/// Whether the running script should stop now (deadline passed or interrupted): host functions that
/// wait check this.
int clb_should_stop(lua_State *L);
/// Asks the running script (or the next run, if none is running) to stop. Only sets an atomic flag:
/// safe from any thread and from a signal handler.
void clb_interrupt(lua_State *L);
/// Withdraws an interrupt no run has seen yet (one raised while idle), so the next run is not stopped
/// by it. A run that has already been stopped stays stopped. Only clears an atomic flag.
void clb_clear_interrupt(lua_State *L);
/// Watches this state from a thread of its own: when a run is still going `grace_seconds` after its
/// deadline, or after an interrupt, the process ends (status 1 with the time limit's message, 130 after
/// an interrupt). 0 turns it off. For programs that would rather end than hang; see watchdog.c.
void clb_set_watchdog(lua_State *L, double grace_seconds);
/// Routes SIGINT to clb_interrupt(L); a second SIGINT before the script stops exits with 130.
/// Passing NULL restores the default handler.
void clb_route_sigint(lua_State *L);

#endif

// libedit's GNU readline compatible interface: line editing, history and completion for the REPL.
#include <stdio.h>
#include <editline/readline.h>

// Swift 6 refuses to touch C global variables (shared mutable state), so the REPL sets readline's
// through these.

/// Names the program for ~/.editrc, turns libedit's own signal handling off (the REPL handles Ctrl-C),
/// makes `.` and `:` part of a word so `sentinel.sch` completes as one, and installs the callbacks.
static inline void clibedit_configure(rl_completion_func_t *complete, int (*read_character)(FILE *)) {
    rl_readline_name = "sentinel-tables";
    rl_catch_signals = 0;
    rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(+-*/%^~#,[]";
    rl_completion_append_character = 0;
    rl_attempted_completion_function = complete;
    rl_getc_function = read_character;
    stifle_history(1000);
}

/// Tells readline not to fall back to file-name completion.
static inline void clibedit_completion_over(void) { rl_attempted_completion_over = 1; }

/// The line being edited, for completion to see what precedes the word (`db.scan("` before a table name).
static inline const char *clibedit_line_buffer(void) { return rl_line_buffer; }

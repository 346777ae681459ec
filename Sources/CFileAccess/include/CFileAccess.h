// The one rule by which files are reached beneath a directory (DESIGN.md, Lua host rule 7; the threat
// model in docs/architecture.md): a path relative to an open directory, opened with no symbolic link
// followed and nothing outside that directory reachable, in one system call where the kernel has
// openat2(2), component by component with O_NOFOLLOW where not. The Swift FileAccess module and the
// sandbox's `require` (CLuaBridge) both open through here, so the rule is written once.
#ifndef CFILEACCESS_H
#define CFILEACCESS_H

#include <sys/types.h>

/// Why a relative path is refused; FA_PATH_OK when it is not.
typedef enum {
    FA_PATH_OK = 0,
    /// Empty, or too long to be a path.
    FA_PATH_EMPTY = 1,
    /// Starts with `/`.
    FA_PATH_ABSOLUTE = 2,
    /// Has a `..` component.
    FA_PATH_PARENT = 3,
    /// Has a component starting with `.` (other than `.` itself): `.aws`, `.ssh`, `.git`.
    FA_PATH_HIDDEN = 4,
    /// Is `-`, the commands' name for standard output.
    FA_PATH_STANDARD_OUTPUT = 5,
} fa_path_problem;

/// Whether `path` may be opened beneath a directory, and if not, why.
fa_path_problem fa_check_relative(const char *path);

/// Opens `path` (checked with fa_check_relative) beneath the open directory `root` with `flags` (and
/// `mode` when creating), following no symbolic link in any component and never leaving `root`.
/// O_CLOEXEC is always added. Returns the descriptor, or -1 with errno set: EPERM for a path
/// fa_check_relative refuses, ELOOP (or EXDEV) for a symbolic link on the way, others as openat(2).
int fa_open_beneath(int root, const char *path, int flags, mode_t mode);

/// Whether fa_open_beneath tries openat2 first (the default). Tests turn it off to run the
/// component walk that kernels without openat2 get.
void fa_set_openat2_enabled(int enabled);

#endif

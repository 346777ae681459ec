// See CFileAccess.h. openat2 is called through syscall(2): the C library has no wrapper for it on
// older systems, and Swift cannot call the variadic syscall() itself.
#define _GNU_SOURCE
#include "CFileAccess.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#if defined(SYS_openat2)
#include <linux/openat2.h>
#define FA_HAVE_OPENAT2 1
#endif
#endif

fa_path_problem fa_check_relative(const char *path) {
    if (path == NULL || path[0] == '\0') return FA_PATH_EMPTY;
    if (strlen(path) >= PATH_MAX) return FA_PATH_EMPTY;
    if (strcmp(path, "-") == 0) return FA_PATH_STANDARD_OUTPUT;
    if (path[0] == '/') return FA_PATH_ABSOLUTE;
    const char *component = path;
    while (*component != '\0') {
        const char *end = strchr(component, '/');
        size_t length = end ? (size_t)(end - component) : strlen(component);
        if (length == 2 && component[0] == '.' && component[1] == '.') return FA_PATH_PARENT;
        if (length > 1 && component[0] == '.') return FA_PATH_HIDDEN;
        if (end == NULL) break;
        component = end + 1;
    }
    return FA_PATH_OK;
}

#ifdef FA_HAVE_OPENAT2
/// 1 while openat2 may work, 0 once the kernel said it has no such call.
static atomic_int openat2_available = 1;

/// openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS; -2 when the kernel does not have it.
static int open_with_openat2(int root, const char *path, int flags, mode_t mode) {
    if (!atomic_load_explicit(&openat2_available, memory_order_relaxed)) return -2;
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (unsigned long long)(unsigned)flags;
    // The kernel refuses a mode without O_CREAT or O_TMPFILE.
    how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? (unsigned long long)mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
    long descriptor;
    do {
        descriptor = syscall(SYS_openat2, root, path, &how, sizeof how);
    } while (descriptor < 0 && errno == EINTR);
    if (descriptor < 0 && errno == ENOSYS) {
        atomic_store_explicit(&openat2_available, 0, memory_order_relaxed);
        return -2;
    }
    return (int)descriptor;
}
#endif

/// The same, one component at a time: every directory on the way opened with O_NOFOLLOW |
/// O_DIRECTORY beneath the one before, the last component with O_NOFOLLOW. No `..` reaches here.
static int open_by_walking(int root, const char *path, int flags, mode_t mode) {
    char *copy = strdup(path);
    if (copy == NULL) {
        errno = ENOMEM;
        return -1;
    }
    // The components that are not empty and not `.`.
    char *components[PATH_MAX / 2 + 1];
    int count = 0;
    char *saved = NULL;
    for (char *part = strtok_r(copy, "/", &saved); part != NULL; part = strtok_r(NULL, "/", &saved)) {
        if (strcmp(part, ".") != 0) components[count++] = part;
    }
    int directory = root;
    int result = -1;
    for (int i = 0; i + 1 < count; i++) {
        int next = openat(directory, components[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct stat status;
        if (next < 0 && errno == ENOTDIR && fstatat(directory, components[i], &status, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(status.st_mode)) {
            errno = ELOOP; /* a link where a directory was expected: as openat2 says it */
        }
        if (directory != root) {
            int code = errno;
            close(directory);
            errno = code;
        }
        if (next < 0) {
            free(copy);
            return -1;
        }
        directory = next;
    }
    const char *last = count > 0 ? components[count - 1] : ".";
    do {
        result = openat(directory, last, flags | O_NOFOLLOW, mode);
    } while (result < 0 && errno == EINTR);
    int code = errno;
    if (directory != root) close(directory);
    free(copy);
    errno = code;
    return result;
}

void fa_set_openat2_enabled(int enabled) {
#ifdef FA_HAVE_OPENAT2
    atomic_store_explicit(&openat2_available, enabled ? 1 : 0, memory_order_relaxed);
#else
    (void)enabled;
#endif
}

int fa_open_beneath(int root, const char *path, int flags, mode_t mode) {
    if (fa_check_relative(path) != FA_PATH_OK) {
        errno = EPERM;
        return -1;
    }
    flags |= O_CLOEXEC;
#ifdef FA_HAVE_OPENAT2
    int opened = open_with_openat2(root, path, flags, mode);
    if (opened != -2) return opened;
#endif
    return open_by_walking(root, path, flags, mode);
}

#include "CBuildInfo.h"

#include <stddef.h>

// build_stamp.h is written by scripts/install before its build and removed after it (it is not in
// git), so that a later plain build does not report a commit it was not built from. It defines
// SENTINEL_TABLES_BUILD_COMMIT and SENTINEL_TABLES_BUILD_SWIFT_VERSION as string literals.
#if __has_include("build_stamp.h")
#include "build_stamp.h"
#endif

const char *sentinel_tables_build_commit(void) {
#ifdef SENTINEL_TABLES_BUILD_COMMIT
    return SENTINEL_TABLES_BUILD_COMMIT;
#else
    return NULL;
#endif
}

const char *sentinel_tables_build_swift_version(void) {
#ifdef SENTINEL_TABLES_BUILD_SWIFT_VERSION
    return SENTINEL_TABLES_BUILD_SWIFT_VERSION;
#else
    return NULL;
#endif
}

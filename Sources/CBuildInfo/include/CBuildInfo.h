// What scripts/install stamps into the binary it builds: the commit (`git describe`) and the Swift
// compiler's version. C, because only C can ask at compile time whether a generated file exists
// (`__has_include`), so a plain `swift build` needs no generated file and reports neither.
#ifndef CBUILDINFO_H
#define CBUILDINFO_H

/// `git describe --tags --always --dirty` of the source the binary was built from, or NULL when it was
/// not built by scripts/install.
const char *sentinel_tables_build_commit(void);

/// The first line of `swift --version` of the compiler that built the binary, or NULL when it was not
/// built by scripts/install.
const char *sentinel_tables_build_swift_version(void);

#endif

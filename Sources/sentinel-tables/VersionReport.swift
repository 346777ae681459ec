import CBuildInfo
import Lua

/// What `sentinel-tables version` and `--version` print: the tool's version and the commit it was built
/// from, the Lua it runs, and the Swift that compiled it. Each line is something a bug report needs.
enum VersionReport {
    /// The tool's release; the commit says exactly which source it is.
    static let number = "0.1.0"

    static var text: String {
        """
        sentinel-tables \(number) (\(commit))
        \(LuaRelease.linked)
        Swift \(swiftVersion)
        """
    }

    /// Stamped by scripts/install (`git describe`); a plain `swift build` does not know it.
    static var commit: String {
        guard let stamped = sentinel_tables_build_commit() else {
            return "unknown commit: not built by scripts/install"
        }
        return "commit " + String(cString: stamped)
    }

    /// The compiler's own words when scripts/install stamped them ("6.3.1 (swift-6.3.1-RELEASE)"),
    /// otherwise the language version the compiler reports to `#if compiler`.
    static var swiftVersion: String {
        if let stamped = sentinel_tables_build_swift_version() {
            let line = String(cString: stamped)
            // "Swift version 6.3.1 (swift-6.3.1-RELEASE)", with a target line after it on some systems.
            return line.hasPrefix("Swift version ") ? String(line.dropFirst("Swift version ".count)) : line
        }
        #if compiler(>=6.4)
            return "6.4 or later"
        #elseif compiler(>=6.3)
            return "6.3"
        #elseif compiler(>=6.2)
            return "6.2"
        #elseif compiler(>=6.1)
            return "6.1"
        #else
            return "6.0"
        #endif
    }
}

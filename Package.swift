// swift-tools-version:6.1
import PackageDescription

// scripts/install and scripts/bench set SENTINEL_TABLES_STATIC_LINK_DIR (scripts/static-link-dir): Debian's
// archives of Lua and libedit (with the three libraries it needs) are then linked into the binary, and
// the C++ runtime's archive, which that directory holds alone, is found before the shared libstdc++,
// so that each start does not load and relocate six shared libraries (docs/performance.md, start-up).
// Other builds, and packages that depend on this one, link the shared libraries.
let staticLinkDirectory = Context.environment["SENTINEL_TABLES_STATIC_LINK_DIR"]
let staticCLibraries = staticLinkDirectory != nil

/// `-lNAME`; in the static build, the archives (`-l:libNAME.a`) in link order instead.
func cLibrary(_ name: String, archives: [String]? = nil) -> [LinkerSetting] {
    guard staticCLibraries else { return [.linkedLibrary(name)] }
    return (archives ?? ["lib\(name).a"]).map { .linkedLibrary(":\($0)") }
}

let package = Package(
    name: "sentinel-tables",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sentinel-tables", targets: ["sentinel-tables"]),
        .library(name: "Lua", targets: ["Lua"]),
        .library(name: "Numbers", targets: ["Numbers"]),
        .library(name: "FileAccess", targets: ["FileAccess"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "Schema", targets: ["Schema"]),
        .library(name: "DynamoDBModel", targets: ["DynamoDBModel"]),
        .library(name: "AWS", targets: ["AWS"]),
        .library(name: "DynamoDB", targets: ["DynamoDB"]),
        .library(name: "ItemFiles", targets: ["ItemFiles"]),
        .library(name: "Provisioning", targets: ["Provisioning"]),
        .library(name: "SentinelScript", targets: ["SentinelScript"]),
        .library(name: "SentinelREPL", targets: ["SentinelREPL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The trust roots of a private CA (AWS_CA_BUNDLE): already built as AsyncHTTPClient's TLS.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        // `swift package generate-documentation` (scripts/docs): the DocC catalogs of the libraries.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Debian's liblua5.4 headers, with the C macros Swift cannot import re-exported
        // as static inline functions.
        // Linked by the targets that use them (cLibrary), not by the module maps, so that the static
        // build can choose the archives.
        .systemLibrary(name: "CLua54", providers: [.apt(["liblua5.4-dev"])]),
        // The only C code that may raise Lua errors: the trampoline for Swift host functions, protected
        // helpers, the limited allocator and the hooks.
        .target(
            name: "CLuaBridge", dependencies: ["CLua54", "CFileAccess"], linkerSettings: cLibrary("lua5.4")),
        // The one number rule: every number a script or a command line gives that becomes a Swift
        // integer or duration is converted here, never by a trapping `Int(_:)` (scripts/lint-numbers).
        .target(name: "Numbers"),
        // The one rule by which files are reached beneath a directory (openat2 RESOLVE_BENEATH |
        // RESOLVE_NO_SYMLINKS, or an O_NOFOLLOW walk), in C so that the sandbox's `require` uses it too.
        .target(name: "CFileAccess"),
        // The file capability (FileRoot) every file the toolkit reaches for a user or a script goes
        // through. Knows nothing of Lua or AWS, so both sides can take one.
        .target(name: "FileAccess", dependencies: ["CFileAccess"]),
        .target(name: "Lua", dependencies: ["CLuaBridge", "CLua54", "Numbers", "FileAccess"]),
        // A small JSON value, parser and deterministic writer shared by Schema and DynamoDB, so neither
        // needs Foundation (start-up time) and numbers keep their exact decimal text.
        .target(name: "JSON"),
        .target(name: "Schema", dependencies: ["JSON"]),
        // What every AWS call below and above speaks: DynamoDB's attribute values, the one error type
        // (DynamoDBError: the AWS layer throws it too, and its cases carry items), strict JSON reading
        // and UTC timestamps. No I/O.
        .target(name: "DynamoDBModel", dependencies: ["JSON", "FileAccess"]),
        // The AWS layer every service needs (Soto and aws-sdk-swift are not available): SigV4, the
        // credential chain and its providers, STS, SSO, shared config files, endpoints and partitions,
        // standard-mode retries, clock correction, transport errors. Knows no DynamoDB client, no Lua.
        .target(
            name: "AWS",
            dependencies: [
                "DynamoDBModel",
                "JSON",
                "FileAccess",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                // NIOConnectionError: how a refused connection or an unknown host name is reported.
                .product(name: "NIOPosix", package: "swift-nio"),
                // TLSConfiguration's additional trust roots: a private CA beside the system's.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Our own DynamoDB client: the operations, table descriptions, paging, parallel scans,
        // transactions and batch retries. Knows nothing of Lua or of item files.
        .target(
            name: "DynamoDB",
            dependencies: [
                "DynamoDBModel",
                "AWS",
                "JSON",
                "FileAccess",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Debian's zlib: export and import files in gzip, as DynamoDB's own exports to S3 are.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Files of items: the export and import formats, their readers and writers (gzip), the
        // checkpoints of import and of migrate's copy, and the client's export, import and copy.
        .target(
            name: "ItemFiles",
            dependencies: ["DynamoDBModel", "AWS", "DynamoDB", "JSON", "CZlib", "FileAccess"],
            // Shared even in the static build: AsyncHTTPClient's compression links it that way too.
            linkerSettings: [.linkedLibrary("z")]
        ),
        // Plan against live tables, convergent apply, waiting, status and delete. Talks to DynamoDB
        // through a one-method seam that the client implements.
        .target(
            name: "Provisioning",
            dependencies: ["Schema", "JSON", "DynamoDB", "ItemFiles", "Numbers", "FileAccess"]),
        // The `sentinel` Lua module: schemas in Lua, and (with later issues) data and provisioning.
        .target(
            name: "SentinelScript",
            dependencies: [
                "Lua", "Numbers", "Schema", "JSON", "Provisioning", "DynamoDB", "ItemFiles", "FileAccess",
            ]),
        // Debian's libedit headers: line editing, history and completion for the REPL.
        .systemLibrary(name: "CLibEdit", providers: [.apt(["libedit-dev"])]),
        // The interactive Lua prompt: evaluation as lua.c does it, a readable printer, completion, help.
        .target(
            name: "SentinelREPL", dependencies: ["Lua", "SentinelScript", "CLibEdit"],
            linkerSettings: cLibrary("edit", archives: ["libedit.a", "libtinfo.a", "libbsd.a", "libmd.a"])),
        // The commit and compiler version scripts/install stamps into the binary it builds (`version`).
        .target(name: "CBuildInfo"),
        .executableTarget(
            name: "sentinel-tables",
            dependencies: [
                "CBuildInfo",
                "Lua",
                "Numbers",
                "Schema",
                "SentinelScript",
                "SentinelREPL",
                "Provisioning",
                "DynamoDB",
                "ItemFiles",
                "JSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: staticLinkDirectory.map { [.unsafeFlags(["-L", $0])] } ?? []
        ),
        // scripts/bench's helper: the cost of a call into Swift from Lua. Not a product, not installed.
        .executableTarget(name: "sentinel-bench", dependencies: ["Lua"]),
        .testTarget(name: "LuaTests", dependencies: ["Lua", "Numbers"]),
        .testTarget(name: "NumbersTests", dependencies: ["Numbers"]),
        .testTarget(name: "FileAccessTests", dependencies: ["FileAccess", "CFileAccess", "TestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "SeededRandom"]),
        .testTarget(name: "SchemaTests", dependencies: ["Schema"]),
        .testTarget(name: "DynamoDBModelTests", dependencies: ["DynamoDBModel", "JSON"]),
        .testTarget(
            name: "AWSTests", dependencies: ["AWS", "DynamoDBModel", "TestSupport", "AWSTestSupport"]),
        .testTarget(
            name: "DynamoDBTests",
            dependencies: [
                "DynamoDB", "AWS", "DynamoDBModel", "SeededRandom", "TestSupport", "AWSTestSupport",
                "DynamoDBTestSupport",
                // Checks the DPoP proofs of `aws login` refreshes as the Sign-In service would.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "ItemFilesTests",
            dependencies: ["ItemFiles", "DynamoDB", "JSON", "TestSupport", "DynamoDBTestSupport"]),
        // A scripted local HTTP server, files in memory and a quiet environment, for the tests of the
        // AWS layer and of the client.
        .target(
            name: "AWSTestSupport",
            dependencies: [
                "AWS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/AWSTestSupport"
        ),
        // The local DynamoDB server's client, for the tests of the client and of item files.
        .target(
            name: "DynamoDBTestSupport", dependencies: ["DynamoDB", "JSON", "AWSTestSupport", "TestSupport"],
            path: "Tests/DynamoDBTestSupport"),
        // The seeded generator of the fuzz tests, so that a failing case replays from its seed.
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        // An in-memory DynamoDB control plane shared by the provisioning and scripting tests.
        .target(name: "FakeDynamoDB", dependencies: ["Provisioning", "JSON"], path: "Tests/FakeDynamoDB"),
        // Running the independent clients (boto3, botocore, the aws CLI) and Python drivers, and temporary
        // directories, for every test target.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "ProvisioningTests",
            dependencies: ["Provisioning", "Schema", "JSON", "FakeDynamoDB", "TestSupport"]),
        .testTarget(
            name: "SentinelScriptTests",
            dependencies: [
                "SentinelScript", "Lua", "Schema", "Provisioning", "JSON", "DynamoDB", "ItemFiles",
                "FakeDynamoDB", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The libraries as a team embeds them: products only, no @testable, nothing internal.
        .testTarget(
            name: "EmbeddingTests",
            dependencies: [
                "SentinelScript", "SentinelREPL", "Lua", "Schema", "Provisioning", "DynamoDB", "TestSupport",
            ]),
        .testTarget(name: "SentinelREPLTests", dependencies: ["SentinelREPL", "SentinelScript", "Lua"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["sentinel-tables", "SentinelScript", "Schema", "JSON", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sentinel-tables",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sentinel-tables", targets: ["sentinel-tables"]),
        .library(name: "Lua", targets: ["Lua"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "Schema", targets: ["Schema"]),
        .library(name: "DynamoDB", targets: ["DynamoDB"]),
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
        // `swift package generate-documentation` (scripts/docs): the DocC catalogs of the libraries.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Debian's liblua5.4 through pkg-config, with the C macros Swift cannot import re-exported
        // as static inline functions.
        .systemLibrary(
            name: "CLua54",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // The only C code that may raise Lua errors: the trampoline for Swift host functions, protected
        // helpers, the limited allocator and the hooks.
        .target(name: "CLuaBridge", dependencies: ["CLua54"]),
        .target(name: "Lua", dependencies: ["CLuaBridge", "CLua54"]),
        // A small JSON value, parser and deterministic writer shared by Schema and DynamoDB, so neither
        // needs Foundation (start-up time) and numbers keep their exact decimal text.
        .target(name: "JSON"),
        .target(name: "Schema", dependencies: ["JSON"]),
        // Debian's zlib: export and import files in gzip, as DynamoDB's own exports to S3 are.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Our own DynamoDB client (Soto and aws-sdk-swift are not available): SigV4, the AWS credential,
        // region and endpoint chain, standard-mode retries and the operations. Knows nothing of Lua.
        .target(
            name: "DynamoDB",
            dependencies: [
                "JSON",
                "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                // NIOConnectionError: how a refused connection or an unknown host name is reported.
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Plan against live tables, convergent apply, waiting, status and delete. Talks to DynamoDB
        // through a one-method seam that the client implements.
        .target(name: "Provisioning", dependencies: ["Schema", "JSON", "DynamoDB"]),
        // The `sentinel` Lua module: schemas in Lua, and (with later issues) data and provisioning.
        .target(name: "SentinelScript", dependencies: ["Lua", "Schema", "JSON", "Provisioning", "DynamoDB"]),
        // Debian's libedit through pkg-config: line editing, history and completion for the REPL.
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The interactive Lua prompt: evaluation as lua.c does it, a readable printer, completion, help.
        .target(name: "SentinelREPL", dependencies: ["Lua", "SentinelScript", "CLibEdit"]),
        // The commit and compiler version scripts/install stamps into the binary it builds (`version`).
        .target(name: "CBuildInfo"),
        .executableTarget(
            name: "sentinel-tables",
            dependencies: [
                "CBuildInfo",
                "Lua",
                "Schema",
                "SentinelScript",
                "SentinelREPL",
                "Provisioning",
                "DynamoDB",
                "JSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // scripts/bench's helper: the cost of a call into Swift from Lua. Not a product, not installed.
        .executableTarget(name: "sentinel-bench", dependencies: ["Lua"]),
        .testTarget(name: "LuaTests", dependencies: ["Lua"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "SeededRandom"]),
        .testTarget(name: "SchemaTests", dependencies: ["Schema"]),
        .testTarget(
            name: "DynamoDBTests",
            dependencies: [
                "DynamoDB", "SeededRandom",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The seeded generator of the fuzz tests, so that a failing case replays from its seed.
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        // An in-memory DynamoDB control plane shared by the provisioning and scripting tests.
        .target(name: "FakeDynamoDB", dependencies: ["Provisioning", "JSON"], path: "Tests/FakeDynamoDB"),
        .testTarget(
            name: "ProvisioningTests", dependencies: ["Provisioning", "Schema", "JSON", "FakeDynamoDB"]),
        .testTarget(
            name: "SentinelScriptTests",
            dependencies: [
                "SentinelScript", "Lua", "Schema", "Provisioning", "JSON", "DynamoDB", "FakeDynamoDB",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SentinelREPLTests", dependencies: ["SentinelREPL", "SentinelScript", "Lua"]),
        .testTarget(name: "CLITests", dependencies: ["sentinel-tables", "SentinelScript", "Schema", "JSON"]),
    ],
    swiftLanguageModes: [.v6]
)

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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
        .executableTarget(
            name: "sentinel-tables",
            dependencies: [
                "Lua",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "LuaTests", dependencies: ["Lua"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "SchemaTests", dependencies: ["Schema"]),
        .testTarget(name: "CLITests", dependencies: ["sentinel-tables"]),
    ],
    swiftLanguageModes: [.v6]
)

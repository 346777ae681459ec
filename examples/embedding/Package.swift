// swift-tools-version:6.1
import PackageDescription

// A program of a team's own that embeds sentinel-tables: it adds its tag policy to the Lua
// environment, runs a provisioning script on the built-in Sentinel schemas, and prints the plan.
let package = Package(
    name: "acme-tables",
    platforms: [.macOS(.v15)],
    dependencies: [
        // In a project of your own: .package(url: "https://github.com/OWNER/sentinel-tables", from: "...").
        .package(name: "sentinel-tables", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "acme-tables",
            dependencies: [
                .product(name: "SentinelScript", package: "sentinel-tables"),
                .product(name: "Provisioning", package: "sentinel-tables"),
                .product(name: "Schema", package: "sentinel-tables"),
                .product(name: "Lua", package: "sentinel-tables"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

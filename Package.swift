// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "metrics",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TSDB", targets: ["TSDB"]),
        .library(name: "Query", targets: ["Query"]),
        .executable(name: "tsdb", targets: ["TSDBTool"]),
        .executable(name: "tsdb-bench", targets: ["TSDBBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .target(name: "TSDB", dependencies: ["CLZ4"]),
        .target(name: "Query", dependencies: ["TSDB"]),
        .executableTarget(
            name: "TSDBTool",
            dependencies: [
                "TSDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "Workload", dependencies: ["TSDB"], path: "Benchmarks/Workload"),
        .executableTarget(
            name: "TSDBBench",
            dependencies: [
                "TSDB", "Query", "Workload",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/TSDBBench"
        ),
        .testTarget(name: "TSDBTests", dependencies: ["TSDB", "Workload"], exclude: ["Fixtures"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "TSDB", "Workload"]),
    ],
    swiftLanguageModes: [.v6]
)

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
        .executable(name: "metrics-consumer", targets: ["MetricsConsumer"]),
        .executable(name: "tsdb-fuzz", targets: ["TSDBFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        // RE2 (Debian's libre2-dev) behind an extern "C" shim: linear-time label regexes.
        .target(name: "CRE2", linkerSettings: [.linkedLibrary("re2")]),
        .target(name: "TSDB", dependencies: ["CLZ4", "CRE2", .product(name: "Logging", package: "swift-log")]),
        .target(name: "Query", dependencies: ["TSDB"]),
        .target(
            name: "QueryHTTP",
            dependencies: [
                "Query", "TSDB",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "TSDBTool",
            dependencies: [
                "TSDB", "Query", "QueryHTTP", "Alerting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Workload", dependencies: ["TSDB"]),
        // libFuzzer harnesses (`make fuzz`); without the sanitizer, a replayer of seed files.
        .target(name: "FuzzHarnesses", dependencies: ["TSDB", "Query", "QueryHTTP", "Consumer"]),
        .executableTarget(name: "TSDBFuzz", dependencies: ["FuzzHarnesses"]),
        .executableTarget(
            name: "MetricsConsumer",
            dependencies: ["MetricsService", "Consumer", "TSDB", "Workload", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "TSDBBench",
            dependencies: [
                "TSDB", "Query", "Workload", "Consumer", "QueryHTTP", "Alerting", "MetricsService", "LocalRedis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/TSDBBench"
        ),
        .testTarget(name: "TSDBTests", dependencies: ["TSDB", "Workload"], exclude: ["Fixtures"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "TSDB", "Workload", "SeededRandom"]),
        .testTarget(name: "QueryHTTPTests", dependencies: ["QueryHTTP", "Query", "TSDB"]),
        .testTarget(name: "FuzzHarnessTests", dependencies: ["FuzzHarnesses", "TSDB"]),
        .target(name: "Consumer", dependencies: ["TSDB", "CHiredis", "CRdKafka", .product(name: "Logging", package: "swift-log")]),
        .target(name: "LocalRedis", dependencies: ["Consumer"], path: "Tests/Support/LocalRedis"),
        .target(name: "SeededRandom", path: "Tests/Support/SeededRandom"),
        .testTarget(
            name: "ConsumerTests",
            dependencies: [
                "Consumer", "TSDB", "Query", "MetricsService", "LocalRedis", "SeededRandom",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "Alerting", dependencies: ["TSDB", "Query"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "TSDB", "Query", "SeededRandom"]),
        .target(
            name: "MetricsService",
            dependencies: [
                "Consumer", "Alerting", "Query", "QueryHTTP", "TSDB",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MetricsServiceTests",
            dependencies: [
                "MetricsService", "Consumer", "Alerting", "TSDB", "Query", "QueryHTTP", "LocalRedis", "SeededRandom",
                .product(name: "Logging", package: "swift-log"),
            ]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

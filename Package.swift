// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "concord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "concord", targets: ["concord"]),
        .library(name: "ConcordCore", targets: ["ConcordCore"]),
        .library(name: "ConcordMatching", targets: ["ConcordMatching"]),
        .library(name: "ConcordStore", targets: ["ConcordStore"]),
        .library(name: "ConcordServer", targets: ["ConcordServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "ConcordCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(name: "CMemoryHints"),
        .target(
            name: "ConcordMatching",
            dependencies: ["ConcordCore", "CMemoryHints"],
            swiftSettings: strict
        ),
        .target(
            name: "CImageDecoding",
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16")]
        ),
        .target(name: "ConcordImaging", dependencies: ["CImageDecoding"], swiftSettings: strict),
        .target(
            name: "ConcordStore",
            dependencies: [
                "ConcordCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ConcordServer",
            dependencies: [
                "ConcordCore",
                "ConcordMatching",
                "ConcordStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "concord",
            dependencies: [
                "ConcordCore",
                "ConcordImaging",
                "ConcordMatching",
                "ConcordStore",
                "ConcordServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ConcordCoreTests", dependencies: ["ConcordCore"], swiftSettings: strict),
        .testTarget(
            name: "ConcordMatchingTests",
            dependencies: ["ConcordCore", "ConcordMatching", "ConcordTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConcordImagingTests",
            dependencies: ["ConcordImaging", "ConcordMatching", "ConcordTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConcordStoreTests",
            dependencies: [
                "ConcordCore", "ConcordStore", "ConcordTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConcordServerTests",
            dependencies: [
                "ConcordCore", "ConcordMatching", "ConcordServer", "ConcordStore", "ConcordTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "concordTests",
            dependencies: ["concord", "ConcordCore", "ConcordStore", "ConcordTestSupport"],
            swiftSettings: strict
        ),
        .target(
            name: "ConcordTestSupport",
            dependencies: [
                "ConcordCore", "ConcordStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/ConcordTestSupport",
            swiftSettings: strict
        ),
    ]
)

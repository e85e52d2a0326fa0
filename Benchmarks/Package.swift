// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "concord-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "concord", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "DocumentChecks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ConcordCore", package: "concord"),
                .product(name: "ConcordMatching", package: "concord"),
                .product(name: "ConcordServer", package: "concord"),
                .product(name: "ConcordStore", package: "concord"),
            ],
            path: "Benchmarks/DocumentChecks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)

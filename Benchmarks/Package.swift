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
        ),
        // The index alone: depends on ConcordCore and ConcordMatching only, so a release build
        // does not compile the server, its HTTP stack and both stores.
        .executableTarget(
            name: "IndexLookups",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ConcordCore", package: "concord"),
                .product(name: "ConcordMatching", package: "concord"),
            ],
            path: "Benchmarks/IndexLookups",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // One run at a size given on the command line (up to 100 million records): resident
        // memory per record, lookups per second on one core, snapshot write and load times.
        .executableTarget(
            name: "IndexMeasure",
            dependencies: [
                .product(name: "ConcordCore", package: "concord"),
                .product(name: "ConcordMatching", package: "concord"),
            ],
            path: "IndexMeasure"
        ),
        // PDQ hashing of decoded pixels, timed beside the reference by scripts/compare-pdq.sh; the
        // Hamming index and the signature bank on hashes from files.
        .executableTarget(
            name: "PDQMeasure",
            dependencies: [
                .product(name: "ConcordCore", package: "concord"),
                .product(name: "ConcordMatching", package: "concord"),
            ],
            path: "PDQMeasure"
        ),
        // Person screening at a size given on the command line (default one million persons):
        // build time, resident memory per person, search latency percentiles on one thread.
        .executableTarget(
            name: "PersonMeasure",
            dependencies: [
                .product(name: "ConcordCore", package: "concord"),
                .product(name: "ConcordMatching", package: "concord"),
                "MeasureSupport",
            ],
            path: "PersonMeasure"
        ),
        .target(name: "MeasureSupport", path: "MeasureSupport"),
        // Gateway ingest, POST and paging at 100,000 objects.
        .executableTarget(
            name: "GatewayExchange",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ConcordCore", package: "concord"),
                .product(name: "ConcordServer", package: "concord"),
                .product(name: "ConcordStore", package: "concord"),
            ],
            path: "Benchmarks/GatewayExchange",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A Gateway collection growing to a size given on the command line (default one
        // million objects): POST throughput and the latency of a page read by `added_after`.
        .executableTarget(
            name: "GatewayMeasure",
            dependencies: [
                .product(name: "ConcordCore", package: "concord"),
                .product(name: "ConcordServer", package: "concord"),
                .product(name: "ConcordStore", package: "concord"),
                "MeasureSupport",
            ],
            path: "GatewayMeasure"
        ),
        // The labelled pairs of Evaluation/persons scored at the default threshold: precision,
        // recall and F1 per category and time per pair (scripts/compare-screening.sh).
        .executableTarget(
            name: "ScreeningEvaluation",
            dependencies: [
                .product(name: "ConcordCore", package: "concord"),
                .product(name: "ConcordMatching", package: "concord"),
            ],
            path: "ScreeningEvaluation"
        ),
    ]
)

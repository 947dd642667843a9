// swift-tools-version:6.0
// Benchmarks live in their own package so that the main build never pulls the engines we compare with.
import PackageDescription

let package = Package(
    name: "RegistraturaBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/stencilproject/Stencil.git", from: "0.15.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "TemplateBenchmark",
            dependencies: [
                .product(name: "Templating", package: "main"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Stencil", package: "Stencil"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "MISBenchmark",
            dependencies: [
                .product(name: "MISBridge", package: "main"),
                .product(name: "ReferenceMIS", package: "main"),
                .product(name: "RegistryCore", package: "main"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "StatisticsBenchmark",
            dependencies: [
                .product(name: "Persistence", package: "main"),
                .product(name: "RegistryCore", package: "main"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "LoadBenchmark",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)

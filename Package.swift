// swift-tools-version:6.0
import PackageDescription

/// What every channel target builds on: the shared web layer and the core, never another channel.
let channelDependencies: [Target.Dependency] = [
    "Web", "RegistryCore", "MISBridge", "Booking", "Persistence", "Templating",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
    .product(name: "Logging", package: "swift-log"),
]

let package = Package(
    name: "registratura",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "registratura", targets: ["registratura"]),
        .library(name: "Templating", targets: ["Templating"]),
        .library(name: "MISBridge", targets: ["MISBridge"]),
        .library(name: "ReferenceMIS", targets: ["ReferenceMIS"]),
        .library(name: "RegistryCore", targets: ["RegistryCore"]),
        .library(name: "Persistence", targets: ["Persistence"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    ],
    targets: [
        .executableTarget(
            name: "registratura",
            dependencies: [
                "App", "ReferenceMIS", "MISBridge", "Persistence", "Booking", "ServerLimits", "RegistryCore", "Templating",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "App",
            dependencies: [
                "Templating", "MISBridge", "Booking", "Persistence", "ServerLimits", "RegistryCore", "Web", "Notifications",
                "PatientChannel", "KioskChannel", "OperatorChannel", "StaffChannel", "FederalChannel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PatientChannel",
            dependencies: channelDependencies,
            path: "Sources/Channels/Patient"
        ),
        .target(
            name: "KioskChannel",
            dependencies: channelDependencies,
            path: "Sources/Channels/Kiosk"
        ),
        .target(
            name: "OperatorChannel",
            dependencies: channelDependencies,
            path: "Sources/Channels/Operator"
        ),
        .target(
            name: "StaffChannel",
            dependencies: channelDependencies,
            path: "Sources/Channels/Staff"
        ),
        .target(
            name: "FederalChannel",
            dependencies: channelDependencies + [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Channels/Federal"
        ),
        .target(name: "CivilTime"),
        .target(name: "Deadline"),
        .target(name: "SQLiteRows", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "Web",
            dependencies: [
                "Templating", "MISBridge", "Booking", "Persistence", "Deadline", "RegistryCore", "CivilTime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RegistryCore",
            dependencies: [
                "MISBridge", "Booking", "Persistence", "CivilTime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "PasswordHashing",
            ]
        ),
        .target(
            name: "PasswordHashing",
            dependencies: [
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ServerLimits",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .target(name: "Templating", dependencies: ["CivilTime"]),
        .target(name: "Booking", dependencies: ["CivilTime"]),
        .target(
            name: "Persistence",
            dependencies: [
                "Deadline", "SQLiteRows",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "Notifications",
            dependencies: [
                "CCurl", "Persistence", "Booking",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "MISBridge",
            dependencies: [
                "CLibXML2", "CivilTime", "Deadline",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "ReferenceMIS",
            dependencies: [
                "MISBridge", "Booking", "CivilTime", "ServerLimits", "SQLiteRows",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating"]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "Web", "RegistryCore", "ReferenceMIS", "MISBridge", "Persistence", "Booking", "Templating", "Notifications",
                "PatientChannel", "KioskChannel", "OperatorChannel", "StaffChannel", "FederalChannel", "ServerLimits",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(name: "BookingTests", dependencies: ["Booking"]),
        .testTarget(name: "DeadlineTests", dependencies: ["Deadline"]),
        .testTarget(
            name: "NotificationsTests",
            dependencies: [
                "Notifications", "Persistence",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RegistryCoreTests",
            dependencies: [
                "RegistryCore", "ReferenceMIS", "MISBridge", "Persistence", "Booking",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PersistenceTests",
            dependencies: [
                "Persistence",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MISBridgeTests",
            dependencies: [
                "MISBridge", "CLibXML2",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ReferenceMISTests",
            dependencies: [
                "ReferenceMIS", "MISBridge", "Booking",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)

// Every target says what it imports: a module imported by another file of the target no longer
// lends its members to this one.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}

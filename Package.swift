// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Petrel",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "petrel", targets: ["petrel"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "SMTPCore",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "MailMessage",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(name: "CPetrelCRC"),
        .target(
            name: "Spool",
            dependencies: [
                "CPetrelCRC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Bounces",
            dependencies: ["MailMessage", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "DKIM",
            dependencies: ["MailMessage", "COpenSSL", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "PetrelConfig",
            dependencies: []
        ),
        .target(
            name: "PetrelCrypto",
            dependencies: ["COpenSSL"]
        ),
        .target(
            name: "SMTPServer",
            dependencies: [
                "SMTPCore",
                "MailMessage",
                "PetrelCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SMTPClient",
            dependencies: [
                "SMTPCore",
                "PetrelCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .systemLibrary(
            name: "CLDNS",
            pkgConfig: "ldns",
            providers: [.apt(["libldns-dev"])]
        ),
        .target(
            name: "MailDNS",
            dependencies: [
                "CLDNS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Webhooks",
            dependencies: [
                "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Storage",
            dependencies: [
                "Webhooks",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Suppression",
            dependencies: [
                "Bounces",
                "Storage",
                "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Campaigns",
            dependencies: [
                "Storage", "Suppression", "COpenSSL", "MailMessage", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "HTTPAPI",
            dependencies: [
                "Campaigns", "Storage", "Suppression", "COpenSSL", "MailMessage", "Webhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Queue",
            dependencies: [
                "Spool",
                "PetrelConfig",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Delivery",
            dependencies: [
                "Queue",
                "Spool",
                "MailDNS",
                "SMTPClient",
                "SMTPCore",
                "MailMessage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "petrel",
            dependencies: [
                "SMTPCore",
                "MailMessage",
                "SMTPServer",
                "Spool",
                "PetrelConfig",
                "PetrelCrypto",
                "Bounces",
                "DKIM",
                "Delivery",
                "Queue",
                "Storage",
                "Suppression",
                "Campaigns",
                "HTTPAPI",
                "Webhooks",
                "MailDNS",
                "SMTPClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "spool-bench",
            dependencies: [
                "Spool",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/SpoolBench"
        ),
        .executableTarget(
            name: "dkim-bench",
            dependencies: ["DKIM", "COpenSSL", .product(name: "NIOCore", package: "swift-nio")],
            path: "Benchmarks/dkim/DKIMBench"
        ),
        .executableTarget(
            name: "contacts-bench",
            dependencies: ["Campaigns", "Storage"],
            path: "Benchmarks/Contacts"
        ),
        .executableTarget(
            name: "suppression-bench",
            dependencies: ["Suppression", "Storage"],
            path: "Benchmarks/Suppression"
        ),
        .executableTarget(
            name: "queue-memory-bench",
            dependencies: [
                "Queue", "Spool", "PetrelConfig", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/QueueMemory"
        ),
        .testTarget(name: "SMTPCoreTests", dependencies: ["SMTPCore"]),
        .testTarget(name: "MailMessageTests", dependencies: ["MailMessage"]),
        .testTarget(name: "BouncesTests", dependencies: ["Bounces"]),
        .testTarget(
            name: "MailDNSTests",
            dependencies: [
                "MailDNS", "CLDNS", .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "Queue", "Spool", "MailDNS"]),
        .testTarget(
            name: "QueueTests",
            dependencies: [
                "Queue", "Spool", "PetrelConfig", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SMTPClientTests",
            dependencies: [
                "SMTPClient", "SMTPServer", "PetrelCrypto", .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "DKIMTests", dependencies: ["DKIM", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(
            name: "SpoolTests",
            dependencies: [
                "Spool",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CampaignsTests",
            dependencies: [
                "Campaigns", "Storage", "Suppression", "MailMessage", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: ["HTTPAPI", "Campaigns", "Storage", "Suppression"]
        ),
        .testTarget(
            name: "WebhooksTests",
            dependencies: [
                "Webhooks", "COpenSSL", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SuppressionTests", dependencies: ["Suppression", "Bounces", "Storage"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PetrelConfigTests", dependencies: ["PetrelConfig"]),
        .testTarget(
            name: "SMTPServerTests",
            dependencies: [
                "SMTPServer",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

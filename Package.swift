// swift-tools-version: 6.1
import PackageDescription

// Layers, from the pure core outwards:
//   SitbreakEngine      the break engine: a pure state machine (no I/O, no clock, no dependencies)
//   SitbreakConfig      TOML configuration: parsing, validation, the built-in default
//   SitbreakSimulator   traces: parsing and running them through the engine (`sitbreakctl simulate`)
//   SitbreakProtocol    the control socket's JSON Lines protocol (requests, replies, JSON)
//   SitbreakSystem      thin adapters to the operating system (glibc time zone, files, stdout)
//   SitbreakClient      the control socket's client (ControlClient), for sitbreakctl and scripts
//   SitbreakSystemd     journald, sd_notify and socket activation through libsystemd (CSystemd)
//   SitbreakDBus        D-Bus client connections through sd-bus, driven by the event loop
//   SitbreakPresence    presence sources (idle, lock, suspend, inhibitors) and the chains that choose them
//   SitbreakDaemon      sitbreakd: the event loop, control socket, state store
//   SitbreakNotify      sitbreak-notify: daemon events as desktop notifications (a pure Notifier
//                       and its shell: org.freedesktop.Notifications through sd-bus, hooks)
//   sitbreak-notify     its thin executable
//   sitbreakd           the daemon's thin executable
//   SitbreakCtlCommands the `sitbreakctl` command tree (swift-argument-parser)
//   sitbreakctl         the thin executable
let package = Package(
    name: "sitbreak",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sitbreakctl", targets: ["sitbreakctl"]),
        .executable(name: "sitbreakd", targets: ["sitbreakd"]),
        .executable(name: "sitbreak-notify", targets: ["sitbreak-notify"]),
        .library(name: "SitbreakEngine", targets: ["SitbreakEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .target(name: "SitbreakEngine"),
        .target(name: "SitbreakConfig", dependencies: ["SitbreakEngine"]),
        .target(name: "SitbreakSimulator", dependencies: ["SitbreakEngine"]),
        .target(name: "SitbreakProtocol", dependencies: ["SitbreakEngine", "SitbreakConfig"]),
        .target(name: "CLinux"),
        .target(name: "SitbreakSystem", dependencies: ["SitbreakEngine", "CLinux"]),
        .target(name: "SitbreakClient", dependencies: ["SitbreakProtocol", "SitbreakSystem"]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(name: "SitbreakSystemd", dependencies: ["CSystemd", "SitbreakEngine", "SitbreakSystem"]),
        .target(name: "SitbreakDBus", dependencies: ["CSystemd", "CLinux", "SitbreakSystem"]),
        // X11 idle through libX11/libXss/libXext loaded with dlopen: no link-time X dependency.
        .target(name: "CX11Idle", linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "SitbreakPresence",
            dependencies: ["SitbreakEngine", "SitbreakSystem", "SitbreakDBus", "CLinux", "CX11Idle"]),
        .target(
            name: "SitbreakDaemon",
            dependencies: [
                "SitbreakEngine", "SitbreakConfig", "SitbreakProtocol", "SitbreakSystem", "SitbreakSystemd",
                "SitbreakPresence",
            ]
        ),
        .executableTarget(name: "sitbreakd", dependencies: ["SitbreakDaemon"]),
        .target(
            name: "SitbreakNotify",
            dependencies: [
                "SitbreakEngine", "SitbreakConfig", "SitbreakProtocol", "SitbreakSystem", "SitbreakClient",
                "SitbreakDBus", "CLinux",
            ]
        ),
        .executableTarget(name: "sitbreak-notify", dependencies: ["SitbreakNotify"]),
        .target(
            name: "SitbreakCtlCommands",
            dependencies: [
                "SitbreakEngine", "SitbreakConfig", "SitbreakSimulator", "SitbreakSystem", "SitbreakProtocol",
                "SitbreakClient", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "sitbreakctl", dependencies: ["SitbreakCtlCommands"]),
        .target(
            name: "SitbreakTesting", dependencies: ["SitbreakEngine", "SitbreakPresence", "SitbreakSystem", "SitbreakDBus"], path: "Sources/SitbreakTesting"),
        .testTarget(name: "SitbreakEngineTests", dependencies: ["SitbreakEngine", "SitbreakTesting"]),
        .testTarget(name: "SitbreakConfigTests", dependencies: ["SitbreakConfig", "SitbreakEngine", "SitbreakTesting"]),
        .testTarget(
            name: "SitbreakSimulatorTests",
            dependencies: ["SitbreakSimulator", "SitbreakConfig", "SitbreakEngine", "SitbreakTesting"],
            // The example traces are read from the source tree (#filePath), not from a bundle.
            exclude: ["Traces"]
        ),
        .testTarget(name: "SitbreakCtlTests", dependencies: ["SitbreakTesting"]),
        .testTarget(
            name: "SitbreakDaemonTests",
            dependencies: ["SitbreakDaemon", "SitbreakEngine", "SitbreakSystemd", "SitbreakProtocol", "SitbreakTesting"]
        ),
        .testTarget(
            name: "SitbreakPresenceTests",
            dependencies: [
                "SitbreakPresence", "SitbreakDaemon", "SitbreakEngine", "SitbreakSystem", "SitbreakTesting", "CLinux",
                "SitbreakConfig",
            ],
            // The dbusmock templates are read from the source tree (#filePath), not from a bundle.
            exclude: ["Mocks"]
        ),
        .testTarget(
            name: "SitbreakNotifyTests",
            dependencies: [
                "SitbreakNotify", "SitbreakConfig", "SitbreakEngine", "SitbreakProtocol", "SitbreakSystem",
                "SitbreakTesting",
            ]
        ),
        .testTarget(name: "SitbreakDBusTests", dependencies: ["SitbreakDBus", "SitbreakSystem", "SitbreakTesting"]),
        .testTarget(name: "SitbreakProtocolTests", dependencies: ["SitbreakProtocol", "SitbreakEngine"]),
        .testTarget(name: "SitbreakSystemTests", dependencies: ["SitbreakSystem", "SitbreakEngine"]),
        .testTarget(
            name: "SitbreakSystemdTests",
            dependencies: ["SitbreakSystemd", "SitbreakEngine", "SitbreakTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

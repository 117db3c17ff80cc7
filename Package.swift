// swift-tools-version: 6.1
import PackageDescription

// Linux only (epoll, timerfd, signalfd, libsystemd, sd-bus), so no `platforms:` entry.
// Layers, from the pure core outwards; each depends only on layers above it:
//   SitbreakEngine      the break engine (docs/engine.md): a pure state machine (no I/O, no clock, no dependencies)
//   SitbreakStats       day statistics (docs/statistics.md): a pure function of the engine's events and presence changes
//   SitbreakConfig      TOML configuration: parser, validation, the built-in default
//   SitbreakSimulator   traces: parsing and running them through the engine (`sitbreakctl simulate`)
//   SitbreakProtocol    the control socket's JSON Lines protocol (docs/protocol.md): requests, replies, JSON
//   CLinux              C shims: epoll, eventfd, timerfd, signalfd, SO_PEERCRED, clocks, spawning, pseudo-terminals
//   SitbreakSystem      thin glibc adapters: the epoll event loop and timers, clocks, wall-clock and time-zone
//                       watch, glibc time zone, process environment, files, stdout/stderr
//   SitbreakClient      the control socket's client (ControlClient), for sitbreakctl and scripts
//   CSystemd            libsystemd (sd-journal, sd-daemon, sd-bus), through pkg-config
//   SitbreakSystemd     journald, sd_notify and socket activation
//   SitbreakDBus        D-Bus client connections through sd-bus, driven by the event loop
//   CX11Idle            libX11/libXss/libXext loaded with dlopen, for the x11 idle source
//   SitbreakPresence    presence sources (idle, lock, suspend, inhibitors) and the chains that choose them
//   CSQLite             SQLite's C library, through pkg-config
//   SitbreakHistory     the history store (docs/statistics.md): events and sitting spans in SQLite; read back as day statistics
//   SitbreakDaemon      sitbreakd: the daemon's loop, control server, state store
//   SitbreakNotify      sitbreak-notify: daemon events as desktop notifications (a pure Notifier
//                       and its shell: org.freedesktop.Notifications through sd-bus, hooks)
//   sitbreak-notify     its thin executable
//   sitbreakd           the daemon's thin executable
//   SitbreakCtlCommands the `sitbreakctl` command tree (swift-argument-parser; glibc, no Foundation: it would
//                       link ICU's data into the binary; Scripts/check-imports.sh keeps it out)
//   sitbreakctl         the thin executable
//   SitbreakTesting     test helpers and real fixtures (docs/testing.md); used by the test targets only
let package = Package(
    name: "sitbreak",
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
        .target(name: "SitbreakStats", dependencies: ["SitbreakEngine"]),
        .target(name: "SitbreakConfig", dependencies: ["SitbreakEngine"]),
        .target(name: "SitbreakSimulator", dependencies: ["SitbreakEngine", "SitbreakStats"]),
        .target(name: "SitbreakProtocol", dependencies: ["SitbreakEngine", "SitbreakStats", "SitbreakConfig"]),
        .target(name: "CLinux"),
        // posix_openpt for the terminal source's tests; kept out of CLinux, which the daemon links.
        .target(name: "CPseudoTerminal"),
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
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "SitbreakHistory", dependencies: ["CSQLite", "SitbreakEngine", "SitbreakStats", "SitbreakProtocol"]),
        .target(
            name: "SitbreakDaemon",
            dependencies: [
                "SitbreakEngine", "SitbreakConfig", "SitbreakProtocol", "SitbreakSystem", "SitbreakSystemd",
                "SitbreakPresence", "SitbreakStats", "SitbreakHistory", "CLinux",
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
                "SitbreakEngine", "SitbreakConfig", "SitbreakSimulator", "SitbreakStats", "SitbreakHistory",
                "SitbreakSystem", "SitbreakProtocol", "SitbreakClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "sitbreakctl", dependencies: ["SitbreakCtlCommands"]),
        .target(
            name: "SitbreakTesting",
            dependencies: ["SitbreakEngine", "SitbreakPresence", "SitbreakSystem", "SitbreakDBus"],
            path: "Sources/SitbreakTesting"),
        .testTarget(name: "SitbreakEngineTests", dependencies: ["SitbreakEngine", "SitbreakTesting"]),
        .testTarget(
            name: "SitbreakStatsTests",
            dependencies: ["SitbreakStats", "SitbreakEngine", "SitbreakSimulator", "SitbreakTesting"]),
        .testTarget(
            name: "SitbreakConfigTests", dependencies: ["SitbreakConfig", "SitbreakEngine", "SitbreakTesting"]),
        .testTarget(
            name: "SitbreakSimulatorTests",
            dependencies: [
                "SitbreakSimulator", "SitbreakConfig", "SitbreakEngine", "SitbreakStats", "SitbreakTesting",
            ],
            // The example traces are read from the source tree (#filePath), not from a bundle.
            exclude: ["Traces"]
        ),
        .testTarget(
            name: "SitbreakCtlTests",
            dependencies: [
                "SitbreakTesting", "SitbreakCtlCommands", "SitbreakStats", "SitbreakEngine", "SitbreakSystem",
            ]
        ),
        .testTarget(
            name: "SitbreakDaemonTests",
            dependencies: [
                "SitbreakDaemon", "SitbreakEngine", "SitbreakConfig", "SitbreakSystemd", "SitbreakProtocol",
                "SitbreakHistory", "SitbreakTesting",
            ]
        ),
        .testTarget(
            name: "SitbreakPresenceTests",
            dependencies: [
                "SitbreakPresence", "SitbreakDaemon", "SitbreakEngine", "SitbreakSystem", "SitbreakDBus",
                "SitbreakTesting",
                "CPseudoTerminal",
                "SitbreakConfig",
            ],
            // The dbusmock templates are read from the source tree (#filePath), not from a bundle.
            exclude: ["Mocks"]
        ),
        .testTarget(
            name: "SitbreakHistoryTests",
            dependencies: [
                "SitbreakHistory", "SitbreakStats", "SitbreakEngine", "SitbreakSimulator", "SitbreakTesting", "CSQLite",
            ]),
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
            dependencies: ["SitbreakSystemd", "SitbreakSystem", "SitbreakEngine", "SitbreakTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

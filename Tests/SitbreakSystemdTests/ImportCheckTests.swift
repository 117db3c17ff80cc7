import Foundation
import SitbreakTesting
import Testing

/// Scripts/check-imports.sh, run by `make lint`: a target that imports a module of the package it
/// does not declare fails, even when the module is among its transitive dependencies (which
/// `swift build --explicit-target-dependency-import-check error` lets through); and Foundation
/// stays out of every target but the tests and SitbreakTesting.
@Suite("Scripts/check-imports.sh")
struct ImportCheckTests {
    /// A package of three targets, A → B → C, where A's source imports `C`; `aDeclares` lists A's
    /// dependencies in its manifest.
    private static func package(in directory: TemporaryDirectory, aDeclares: [String]) throws {
        let declared = aDeclares.map { "\"\($0)\"" }.joined(separator: ", ")
        try directory.write(
            "Package.swift",
            """
            // swift-tools-version: 6.0
            import PackageDescription

            let package = Package(
                name: "planted",
                targets: [
                    .target(name: "C"),
                    .target(name: "B", dependencies: ["C"]),
                    .target(name: "A", dependencies: [\(declared)]),
                ]
            )
            """)
        for (target, source) in [
            ("A", "import B\n@testable import C\n\npublic let a = b + c\n"),
            ("B", "import C\n\npublic let b = c\n"),
            ("C", "public let c = 1\n"),
        ] {
            try FileManager.default.createDirectory(
                atPath: "\(directory.path)/Sources/\(target)", withIntermediateDirectories: true)
            try directory.write("Sources/\(target)/\(target).swift", source)
        }
    }

    private static func check(_ directory: TemporaryDirectory) throws -> ExternalCommand.Result {
        try ExternalCommand.run("\(repositoryRoot)/Scripts/check-imports.sh", [directory.path])
    }

    @Test("an import of a transitive dependency the target does not declare fails, naming file, line and fix")
    func plantedImportFails() throws {
        let directory = try TemporaryDirectory(prefix: "sitbreak-imports")
        defer { directory.remove() }
        try Self.package(in: directory, aDeclares: ["B"])
        let result = try Self.check(directory)
        #expect(result.status == 1, "\(result.output)")
        #expect(
            result.stderr.contains(
                "Sources/A/A.swift:2: target A imports C but does not declare it; "
                    + "add \"C\" to the dependencies of A in Package.swift"),
            "\(result.stderr)")
    }

    @Test("the same package passes once the target declares what it imports")
    func declaredImportPasses() throws {
        let directory = try TemporaryDirectory(prefix: "sitbreak-imports")
        defer { directory.remove() }
        try Self.package(in: directory, aDeclares: ["B", "C"])
        let result = try Self.check(directory)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("a library target importing Foundation fails, naming file and line; a test target may import it")
    func foundationOnlyInTests() throws {
        let directory = try TemporaryDirectory(prefix: "sitbreak-imports")
        defer { directory.remove() }
        try directory.write(
            "Package.swift",
            """
            // swift-tools-version: 6.0
            import PackageDescription

            let package = Package(
                name: "planted",
                targets: [
                    .target(name: "Tool"),
                    .testTarget(name: "ToolTests", dependencies: ["Tool"]),
                ]
            )
            """)
        for (folder, source) in [
            ("Sources/Tool", "import Glibc\nimport Foundation\n\npublic let now = Date()\n"),
            ("Tests/ToolTests", "import Foundation\nimport Tool\n\nlet later = now.addingTimeInterval(1)\n"),
        ] {
            try FileManager.default.createDirectory(
                atPath: "\(directory.path)/\(folder)", withIntermediateDirectories: true)
            try directory.write(folder + "/Source.swift", source)
        }
        let result = try Self.check(directory)
        #expect(result.status == 1, "\(result.output)")
        let lines = result.stderr.split(separator: "\n")
        #expect(
            lines.contains { $0.hasPrefix("Sources/Tool/Source.swift:2: target Tool imports Foundation; use glibc") },
            "\(result.stderr)")
        #expect(!result.stderr.contains("ToolTests"), "\(result.stderr)")
    }
}

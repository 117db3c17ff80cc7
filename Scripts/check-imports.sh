#!/usr/bin/env bash
# Every target declares the modules it imports: an `import X` of one of this package's targets
# (or of a product of a package dependency) that the target does not list in Package.swift fails,
# naming the file, the line and the dependency to add.
#
# Why not `swift build --explicit-target-dependency-import-check error` alone: SwiftPM compares a
# target's imports with the *transitive* closure of its dependencies (description.json's
# targetDependencyMap), so importing a module reached through another target (SitbreakDaemon
# importing CLinux via SitbreakSystem) passes; it also skips every target that depends on one with
# generated sources (test discovery, plugins) and stops silently when the import prescan fails.
# This script checks the direct dependencies the manifest declares, for every Swift target.
#
# It also keeps Foundation (any `Foundation*` module) out of every target but the test targets and
# those FOUNDATION_TARGETS names (default: SitbreakTesting): full Foundation links ICU's data, tens
# of MB, into each binary (sitbreakctl was 60 MB stripped), and even FoundationEssentials costs the
# idle daemon memory (docs/design.md §7); glibc and SitbreakSystem's helpers do the same work.
#
# Usage: Scripts/check-imports.sh [PACKAGE_DIR]   (exit 1 with one line per undeclared import)
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
SWIFT="${SWIFT:-swift}"
export FOUNDATION_TARGETS="${FOUNDATION_TARGETS:-SitbreakTesting}"
# A scratch directory of its own: reading the manifest then never waits for a build holding .build.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$SWIFT" package --scratch-path "$scratch" dump-package | python3 -c '
import json, os, re, sys

package = json.load(sys.stdin)
targets = {target["name"]: target for target in package["targets"]}

def declared(target):
    """The module names a target lists: targets by name, and products of package dependencies."""
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names

# Modules a target could import only by declaring them: the package'"'"'s own targets and every
# product some target takes from a package dependency.
products = {name for target in targets.values() for dependency in target.get("dependencies", [])
            if "product" in dependency for name in [dependency["product"][0]]}
known = set(targets) | products

# `import X`, `@testable import X`, `public import X`, `import struct X.Y`, `@_exported import X`.
IMPORT = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?"
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?(\w+)")

def directory(target):
    if target.get("path"):
        return target["path"]
    return os.path.join("Tests" if target["type"] == "test" else "Plugins" if target["type"] == "plugin"
                        else "Sources", target["name"])

foundation_targets = set(os.environ["FOUNDATION_TARGETS"].split())

problems = []
for name, target in sorted(targets.items()):
    if target["type"] in ("system", "binary"):
        continue
    root = directory(target)
    excluded = [os.path.join(root, path) for path in target.get("exclude", [])]
    allowed = declared(target) | {name}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if os.path.join(folder, d) not in excluded)
        for file in sorted(files):
            path = os.path.join(folder, file)
            if not file.endswith(".swift") or path in excluded:
                continue
            with open(path, encoding="utf-8") as source:
                for number, line in enumerate(source, 1):
                    match = IMPORT.match(line)
                    if (match and match.group(1).startswith("Foundation") and target["type"] != "test"
                            and name not in foundation_targets):
                        problems.append(f"{path}:{number}: target {name} imports {match.group(1)}; use glibc and "
                                        f"SitbreakSystem'"'"'s helpers (FileStatus, ProcessEnvironment, StandardOutput) "
                                        f"instead: Foundation links ICU'"'"'s data (tens of MB) into the binaries")
                    if match and match.group(1) in known and match.group(1) not in allowed:
                        module = match.group(1)
                        problems.append(f"{path}:{number}: target {name} imports {module} but does not "
                                        f"declare it; add \"{module}\" to the dependencies of {name} in Package.swift")

for problem in problems:
    print(problem, file=sys.stderr)
if problems:
    print(f"{len(problems)} undeclared or forbidden import(s)", file=sys.stderr)
    sys.exit(1)
'

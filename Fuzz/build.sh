#!/bin/sh
# Builds one libFuzzer target: Fuzz/build.sh TARGET OUT_DIR
#
# SwiftPM does not build Fuzz/ (it is no target of Package.swift): the fuzzers need every module
# compiled with -sanitize=fuzzer,address, and the harness has no main (libFuzzer brings it). Each
# library module the target needs becomes a static library with its .swiftmodule, in dependency
# order, rebuilt only when one of its sources is newer.
set -eu
target=$1
out=$2
# lld: gold warns about every ASan helper symbol.
flags="-O -wmo -parse-as-library -sanitize=fuzzer,address -g -use-ld=lld"
case "$target" in
request) top="SitbreakConfig SitbreakProtocol" ;;
config) top="SitbreakConfig" ;;
trace) top="SitbreakConfig SitbreakSimulator" ;;
*) echo "unknown fuzz target $target (request, config, trace)" >&2; exit 2 ;;
esac
# The modules the harness imports and everything they depend on, dependencies first, read from
# Package.swift: a new dependency of a library needs no edit here.
modules=$(swift package dump-package | python3 -c '
import json, sys
targets = {t["name"]: t for t in json.load(sys.stdin)["targets"]}
order = []
def visit(name):
    if name in order: return
    for dep in targets[name]["dependencies"]:
        for kind in ("byName", "target"):
            if kind in dep and dep[kind][0] in targets: visit(dep[kind][0])
    order.append(name)
for name in sys.argv[1:]: visit(name)
print(" ".join(order))
' $top)
mkdir -p "$out"
libs=""
for module in $modules; do
	library="$out/lib$module.a"
	sources=$(find "Sources/$module" -name '*.swift' | sort)
	# Rebuilt when a source, or a module it depends on, is newer than the library.
	stale=$(find "Sources/$module" $libs -newer "$library" 2>/dev/null | head -n 1 || true)
	if [ ! -e "$library" ] || [ -n "$stale" ]; then
		echo "fuzz: compiling $module"
		# shellcheck disable=SC2086
		swiftc $flags -module-name "$module" -I "$out" -emit-module -emit-module-path "$out/$module.swiftmodule" \
			-emit-library -static -o "$library" $sources
	fi
	libs="$library $libs"
done
link=""
for module in $modules; do link="-l$module $link"; done
echo "fuzz: linking fuzz-$target"
# shellcheck disable=SC2086
swiftc $flags -module-name "Fuzz_$target" -I "$out" -L "$out" "Fuzz/$target/main.swift" $link -o "$out/fuzz-$target"

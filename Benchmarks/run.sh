#!/usr/bin/env bash
# The `simulate` benchmark (docs/design.md §7: a year of minute-level activity in well under a second).
# Runs the release sitbreakctl on a generated year and a generated quarter, and prints lines per
# second, wall time and peak RSS for each: flat RSS across the two shows memory does not grow with
# the trace. `make bench` builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${SITBREAKCTL:-.build-release/release/sitbreakctl}
work=.build-release/bench
runs=3
mkdir -p "$work"

config=(--config Benchmarks/bench-config.toml)
if ! "$bin" config check Benchmarks/bench-config.toml >/dev/null 2>"$work/config-error.txt"; then
    echo "warning: Benchmarks/bench-config.toml does not load ($(head -1 "$work/config-error.txt"));" \
        "using the built-in default" >&2
    config=()
fi

for days in 91 365; do
    trace="$work/$days-days.trace"
    # Regenerate only when the generator changed: writing half a million lines takes seconds.
    if [[ ! -s "$trace" || Benchmarks/generate_trace.py -nt "$trace" ]]; then
        python3 Benchmarks/generate_trace.py --days "$days" "$trace" >/dev/null
    fi
    lines=$(grep -vc '^#' "$trace")
    best=""
    peak=0
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" simulate "${config[@]}" --trace "$trace" \
            >"$work/events.jsonl"
        read -r wall rss <"$work/time.txt"
        if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
        ((rss > peak)) && peak=$rss
    done
    events=$(wc -l <"$work/events.jsonl")
    awk -v d="$days" -v l="$lines" -v w="$best" -v r="$peak" -v e="$events" 'BEGIN {
        rate = (w > 0) ? sprintf("%.0f", l / w) : "over " sprintf("%.0f", l / 0.01)
        printf "simulate %3d days: %7d lines, %6d events, wall %.2f s (best of 3), %s lines/s, peak RSS %.1f MiB\n",
            d, l, e, w, rate, r / 1024
    }'
done

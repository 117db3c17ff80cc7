#!/usr/bin/env bash
# The history benchmark (issue 11): a simulated year imported into a history store (one
# transaction per trace step, as the daemon writes per batch), then the store's size and the time
# `sitbreakctl stats --month` and a whole-year `stats --json` take, read-only from the file; then
# the daemon on that store (history_socket_bench.py): stats over the socket with status p99
# meanwhile, write cost per event, idle RSS/PSS and context switches with the store open.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${SITBREAKCTL:-.build-release/release/sitbreakctl}
daemon=${SITBREAKD:-.build-release/release/sitbreakd}
work=.build-release/bench-history
runs=${RUNS:-20}
mkdir -p "$work"
rm -f "$work"/history.sqlite3*

python3 Benchmarks/generate_trace.py "$work/year.trace" --days 365 >/dev/null
config=(--config Benchmarks/bench-config.toml)

start=$(date +%s.%N)
"$bin" history-import "${config[@]}" --trace "$work/year.trace" --history "$work/history.sqlite3"
end=$(date +%s.%N)
events=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from events').fetchone()[0])" "$work/history.sqlite3")
size=$(stat -c %s "$work/history.sqlite3")
echo "import: $events events in $(python3 -c "print(f'{$end-$start:.2f}')") s; store $((size / 1024)) KiB"

measure() {
    local label=$1
    shift
    python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs = int(sys.argv[1]); command = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"p50 {times[len(times) // 2]:.1f} ms, p99 {times[min(len(times) - 1, int(len(times) * 0.99))]:.1f} ms")
PY
}
# awk, not grep | head: under pipefail the SIGPIPE grep gets from head would end the script.
year_start=$(awk '!/^#/ { print substr($0, 1, 10); exit }' "$work/year.trace")
year_end=$(awk '!/^#/ { last = substr($0, 1, 10) } END { print last }' "$work/year.trace")
echo "stats --month (process included): $(measure month "$bin" stats "${config[@]}" --history "$work/history.sqlite3" --since "${year_end:0:8}01" --until "$year_end" --json)"
echo "stats year --json (process included): $(measure year "$bin" stats "${config[@]}" --history "$work/history.sqlite3" --since "$year_start" --until "$year_end" --json)"
python3 Benchmarks/history_socket_bench.py "$daemon" "$work/history.sqlite3" Benchmarks/bench-config.toml ${QUICK:+--quick}

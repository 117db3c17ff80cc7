#!/bin/sh
# Runs libFuzzer targets one after another: Fuzz/run.sh OUT_DIR SECONDS TARGET...
#
# Each target starts from its committed seeds (Fuzz/corpus/TARGET, read only) and the corpus it
# grew in earlier runs (OUT_DIR/corpus/TARGET, not committed). A crash, leak, timeout or
# out-of-memory input is written to OUT_DIR/crashes/TARGET/; the run fails when any target found
# one. Turn each into a test in the Swift suites and add the input to Fuzz/corpus/TARGET.
set -u
out=$1
seconds=$2
shift 2
failed=""
summary=""
for target in "$@"; do
	mkdir -p "$out/corpus/$target" "$out/crashes/$target"
	dict=""
	[ -e "Fuzz/dict/$target.dict" ] && dict="-dict=Fuzz/dict/$target.dict"
	log="$out/fuzz-$target.log"
	echo "fuzz: $target for ${seconds}s (log: $log)"
	# -timeout: one input taking 10 s is a finding (the daemon is single-threaded);
	# -rss_limit_mb: one input needing 2 GiB is one too.
	# shellcheck disable=SC2086
	"$out/fuzz-$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/crashes/$target/" $dict "$out/corpus/$target" "Fuzz/corpus/$target" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	# libFuzzer stops at its first finding, so a run finds at most one.
	if [ "$status" -eq 0 ]; then
		line="$target: ${runs:-?} inputs, ${speed:-?}/s, 0 crashes"
	else
		line="$target: ${runs:-?} inputs, ${speed:-?}/s, 1 crash (exit $status): $(ls -t "$out/crashes/$target" | head -n 1)"
		failed="$failed $target"
		tail -n 30 "$log"
	fi
	summary="$summary$line
"
done
printf 'fuzz summary:\n%s' "$summary"
[ -z "$failed" ] || { echo "fuzz: findings in:$failed" >&2; exit 1; }

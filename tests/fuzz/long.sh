#!/bin/bash
# make fuzz-long: run each libFuzzer target until it has done EXECS executions (one target at a
# time), write OUT/summary.txt (target, executions, crashes, cov and ft from libFuzzer's final
# stats) and merge new corpus entries into tests/fuzz/corpus/<target>/ with -merge=1: the corpus
# becomes the smallest set that covers what it and the run covered (tests/fuzz/minimize.sh); the
# summary gives its size before and after. Crashing inputs are kept in OUT/artifacts/.
# FUZZ_MAX_TIME=S caps each target at S seconds (a run against a deadline); the summary then marks
# a target that stopped short of EXECS with '<'.
# usage: tests/fuzz/long.sh EXECS OUT BIN...
set -u
execs=$1 out=$2; shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out/artifacts" "$out/logs"
sum=$out/summary.txt
printf '%-16s %12s %8s %7s %7s %8s %9s\n' target executions crashes cov ft seconds corpus > "$sum"
failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=$top/tests/fuzz/corpus/$name
	work=$(mktemp -d)
	mkdir -p "$corpus"
	cp -r "$corpus/." "$work/"
	log=$out/logs/$name.log
	rm -f "$out/artifacts/$name-"*
	t0=$(date +%s)
	"$bin" -runs="$execs" ${FUZZ_MAX_TIME:+-max_total_time=$FUZZ_MAX_TIME} -max_len=8192 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$name-" "$work" > "$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - t0 ))
	ran=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$ran" ] || ran=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	[ -n "$ran" ] && [ "$ran" -lt "$execs" ] && ran="<$ran"
	crashes=$(ls "$out/artifacts/$name-"* 2>/dev/null | wc -l)
	[ "$rc" = 0 ] || [ "$crashes" -gt 0 ] || crashes=1
	before=$(ls "$corpus" | wc -l)
	"$top/tests/fuzz/minimize.sh" "$bin" "$corpus" "$work" > "$out/logs/$name.merge.log" 2>&1
	after=$(ls "$corpus" | wc -l)
	printf '%-16s %12s %8s %7s %7s %8s %9s\n' "$name" "${ran:-?}" "$crashes" "${cov:-?}" "${ft:-?}" "$secs" \
		"$before>$after" | tee -a "$sum"
	[ "$crashes" = 0 ] || { failed=$((failed + 1)); tail -30 "$log"; }
	rm -rf "$work"
done
echo "fuzz-long: $# targets, $failed with crashes; $sum"
[ "$failed" = 0 ]

#!/bin/sh
# Run each libFuzzer target for a bounded time over its seed corpus (copied, so seeds stay clean).
# usage: tests/fuzz/run.sh SECONDS BIN...
secs=$1; shift
top=$(cd "$(dirname "$0")/../.." && pwd)
passed=0; failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	work=$(mktemp -d)
	[ -d "$top/tests/fuzz/corpus/$name" ] && cp -r "$top/tests/fuzz/corpus/$name/." "$work/"
	if "$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$work/" "$work" > "$work.log" 2>&1; then
		execs=$(grep -oE '#[0-9]+' "$work.log" | tail -1)
		echo "fuzz: $name: $secs s, $execs runs, nothing found"
		passed=$((passed + 1))
	else
		echo "fuzz: $name: FAILED — see below"; tail -40 "$work.log"
		ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null
		failed=$((failed + 1))
	fi
	rm -rf "$work" "$work.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]

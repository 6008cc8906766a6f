#!/bin/bash
# Shrink a target's corpus to a minimal set with the same coverage (libFuzzer -merge=1 into an
# empty directory), adding the inputs of any further directories: hashed entries that add nothing
# are removed; named seeds (hand-written or captured, not 40 hex digits) always stay.
# usage: tests/fuzz/minimize.sh BIN CORPUS [MORE_DIR...]
set -u
bin=$1 corpus=$2; shift 2
new=$(mktemp -d)
"$bin" -merge=1 -max_len=8192 -timeout=10 -rss_limit_mb=1024 "$new" "$corpus" "$@" > "$new.log" 2>&1 ||
	{ tail -5 "$new.log"; rm -rf "$new" "$new.log"; exit 1; }
for f in "$corpus"/*; do
	[ -e "$f" ] || continue
	if [[ $(basename "$f") =~ ^[0-9a-f]{40}$ ]]; then rm -f "$f"
	else rm -f "$new/$(sha1sum < "$f" | cut -d' ' -f1)"; fi
done
cp "$new"/* "$corpus"/ 2>/dev/null
rm -rf "$new" "$new.log"

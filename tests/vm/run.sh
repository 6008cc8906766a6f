#!/usr/bin/env bash
# Run every QEMU scenario (or those matching $FERRY_VM_ONLY, a glob on the file name) in its own
# work dir; prints each check and the closing "vm: N passed, N failed, N skipped" line.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export B TOP
out=$B/vm
mkdir -p "$out"
# Several runs may share the build dir (one scenario each): only this run's scenarios are cleaned.
source "$TOP/tests/ci.inc"
if ! command -v qemu-system-x86_64 >/dev/null; then
	ci_cannot_run vm "qemu-system-x86_64 is missing (apt-get install qemu-system-x86)"
	exit $?
fi
RESULTS=$(mktemp "$out/results.XXXXXX")
trap 'rm -f "$RESULTS"' EXIT
export RESULTS
for s in "$TOP"/tests/vm/scenarios/${FERRY_VM_ONLY:-*}.sh; do
	[ -e "$s" ] || continue
	name=$(basename "$s" .sh)
	W=$out/$name
	rm -rf "$W"; mkdir -p "$W"
	echo "vm: $name"
	start=$(date +%s)
	( export W; cd "$W" && source "$TOP/tests/vm/lib.sh" && source "$s" ) 2>&1
	echo "  ($(( $(date +%s) - start )) s)"
done
p=$(grep -c '^pass$' "$RESULTS"); f=$(grep -c '^fail$' "$RESULTS"); s=$(grep -c '^skip$' "$RESULTS")
echo "vm: $p passed, $f failed, $s skipped"
[ "$f" = 0 ]

#!/usr/bin/env bash
# Run every QEMU scenario (or those matching $FERRY_VM_ONLY, a glob on the file name) in its own
# work dir; prints each check and the closing "vm: N passed, N failed, N skipped" line.
# FERRY_VM_JOBS=1 runs them one after another.
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
# Scenarios run side by side, FERRY_VM_JOBS at a time (default: one per core; each QEMU is one TCG
# thread). Each writes its own log, printed whole when it ends, so the output stays readable.
jobs=${FERRY_VM_JOBS:-$(nproc)}
run_one() {
	local s=$1 name W start
	name=$(basename "$s" .sh)
	W=$out/$name
	rm -rf "$W"; mkdir -p "$W"
	start=$(date +%s)
	{
		echo "vm: $name"
		( export W; cd "$W" && source "$TOP/tests/vm/lib.sh" && source "$s" ) 2>&1
		echo "  ($(( $(date +%s) - start )) s)"
	} > "$out/$name.log" 2>&1
	flock "$RESULTS" cat "$out/$name.log"
}
# The scenarios that boot the project's own test kernels come last: on a fresh machine those kernels
# are still building (make check starts them beside the first layers), and a scenario waiting for one
# would hold a slot the others could use.
first=() last=()
for s in "$TOP"/tests/vm/scenarios/${FERRY_VM_ONLY:-*}.sh; do
	[ -e "$s" ] || continue
	if grep -qE 'vm_(kernel|moddir) test|--kernel test|tests/vm/kernel\.sh' "$s"; then last+=("$s"); else first+=("$s"); fi
done
for s in ${first[@]+"${first[@]}"} ${last[@]+"${last[@]}"}; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	run_one "$s" &
done
wait
p=$(grep -c '^pass$' "$RESULTS"); f=$(grep -c '^fail$' "$RESULTS"); s=$(grep -c '^skip$' "$RESULTS")
echo "vm: $p passed, $f failed, $s skipped"
[ "$f" = 0 ]

#!/usr/bin/env bash
# Run each network test (tests/netns/*.sh but this one) inside its own private network namespace,
# so nothing can touch the host's interfaces. Each prints "<name>: N passed, N failed".
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
source "$TOP/tests/ci.inc"
rc=0
for t in "$TOP"/tests/netns/*.sh; do
	[ "$(basename "$t")" = run.sh ] && continue
	if ! unshare --net true 2>/dev/null; then
		ci_cannot_run "$(basename "$t" .sh)" "cannot create a network namespace (needs root)" || rc=1
		continue
	fi
	timeout -k 5 600 unshare --net --mount --fork bash -c 'ip link set lo up; exec bash "$0" "$1"' "$t" "$B" || rc=1
done
exit $rc

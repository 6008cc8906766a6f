#!/usr/bin/env bash
# The QEMU harness's own checks, on made-up VM output: `reject` passes only when the VM reached
# its REACHED marker (a VM that printed nothing must not pass every reject), and fails without one.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d)
RESULTS=$W/results
trap 'rm -rf "$W"' EXIT
# shellcheck source=../vm/lib.sh
source "$TOP/tests/vm/lib.sh"
pass=0; fail=0
is() { # WANT pass|fail, then the reject call
	local want=$1; shift
	: > "$RESULTS"
	"$@" > /dev/null
	if [ "$(cat "$RESULTS")" = "$want" ]; then pass=$((pass + 1)); else
		echo "  FAIL: $* gave $(cat "$RESULTS"), not $want"; fail=$((fail + 1)); fi
}
: > "$W/silent.out"; : > "$W/silent.console"
printf 'ferry: early: ferry is PID 1 (/init)\nferry: policy: root failed\n' > "$W/stopped.console"
printf 'PID1 ok\nDONE\n' > "$W/stopped.out"
is fail reject silent '^PID1 ok' "a VM that printed nothing proves nothing" 'ferry: policy:'
is fail reject stopped '^PID1 ok' "found" 'ferry: policy:'
is pass reject stopped '^SHELL' "absent, and the boot reached the policy" 'ferry: policy:'
is fail reject stopped '^SHELL' "absent, but the marker never came" '^MARKER-NEVER-PRINTED'
is fail reject stopped '^SHELL' "a reject without a marker is a harness bug"
echo "vm-harness: $pass passed, $fail failed"
[ $fail = 0 ]

#!/usr/bin/env bash
# Unit tests whose subject is integer width, built for 32-bit ARM (unsigned long is 32 bits there,
# as on the i.MX6/7 boards) and run under qemu-arm: an overflow check written for a 64-bit long
# never fires on those boards, and the x86_64 unit run cannot see it.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CC32=${CC32:-arm-linux-gnueabihf-gcc}
QEMU32=${QEMU32:-qemu-arm-static}
# test name, then the lib/ sources it needs
tests=("test_devspec lib/storage/devspec.c" "test_sha lib/crypt/sha.c" "test_tpm lib/boot/tpm.c lib/crypt/sha.c")
for tool in "$CC32" "$QEMU32"; do
	if ! command -v "$tool" >/dev/null; then
		echo "tests/host/unit-32bit.sh: skipped: no $tool"
		exit 0
	fi
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rc=0
for t in "${tests[@]}"; do
	set -- $t
	name=$1; shift
	if ! (cd "$TOP" && "$CC32" -std=gnu11 -D_GNU_SOURCE -O1 -static -o "$out/$name" \
			"tests/unit/$name.c" "$@"); then
		echo "tests/host/unit-32bit.sh: $name: 0 passed, 1 failed (armhf build)"
		rc=1
		continue
	fi
	"$QEMU32" "$out/$name" 2>&1 | sed "s|^|armhf: |" || rc=1
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
exit $rc

#!/usr/bin/env bash
# HACKING.md's unit-test example compiles and passes: the first ```c block of its "Unit tests"
# section, built as if it were tests/unit/test_example.c (its relative includes resolved from
# there) and linked with lib/ (build/tool/libferry.a, which `make` builds for the host tools).
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sed -n '/^## Unit tests/,/^## /p' "$TOP/HACKING.md" | sed -n '/^```c$/,/^```$/p' | sed '1d;$d' > "$out/example.c"
if [ ! -s "$out/example.c" ]; then
	echo "hacking-example: 0 passed, 1 failed (no \`\`\`c block under \"## Unit tests\" in HACKING.md)"; exit 1
fi
if [ ! -e "$B/tool/libferry.a" ]; then
	echo "hacking-example: 0 passed, 1 failed ($B/tool/libferry.a missing: run make)"; exit 1
fi
if ! ${HOSTCC:-cc} -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -I "$TOP/tests/unit" \
		-o "$out/example" "$out/example.c" "$B/tool/libferry.a" -lblkid -lkeyutils -lz 2> "$out/cc.log"; then
	sed 's/^/  | /' "$out/cc.log"
	echo "hacking-example: 0 passed, 1 failed (the example does not compile)"; exit 1
fi
if ! "$out/example" > "$out/run.log" 2>&1; then
	sed 's/^/  | /' "$out/run.log"
	echo "hacking-example: 0 passed, 1 failed (the example's checks fail)"; exit 1
fi
echo "  the example: $(sed 's/^.*: //' "$out/run.log")"
echo "hacking-example: 2 passed, 0 failed"

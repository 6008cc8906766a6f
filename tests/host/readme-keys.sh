#!/usr/bin/env bash
# The README's parameter reference is true to the code: every key of lib/core/config_keys.c has a row
# in it, and every `ferry.*` key the README mentions exists in the code.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
keys=$(sed -n 's/^[[:space:]]*{ "\([a-z0-9._-]*\)",.*/\1/p' "$TOP/lib/core/config_keys.c")
for k in $keys; do
	if grep -Eq "^\| \`$k(=|\`)" "$TOP/README.md"; then
		pass=$((pass + 1))
	else
		echo "  FAIL $k: no row in README.md's reference (| \`$k=\` | ...)"; fail=$((fail + 1))
	fi
done
for k in $(grep -o '`ferry\.[a-z0-9.-]*[a-z0-9]' "$TOP/README.md" | tr -d '`' | sort -u); do
	if grep -qx "$k" <<< "$keys"; then pass=$((pass + 1)); else
		echo "  FAIL README.md mentions $k, which lib/core/config_keys.c does not have"; fail=$((fail + 1)); fi
done
echo "readme-keys: $pass passed, $fail failed"
[ $fail = 0 ]

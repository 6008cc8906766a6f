#!/usr/bin/env bash
# Under CI=true a layer that cannot run fails instead of skipping: the netns layer without the
# right to make a namespace (run as nobody) and the VM layer without QEMU (a PATH without it).
# Without CI=true the same runs skip, and say why.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
ok() { if "$@"; then pass=$((pass + 1)); else echo "  FAIL: $*"; fail=$((fail + 1)); fi; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$out"
	setpriv --reuid=65534 --regid=65534 --clear-groups env CI=true bash "$TOP/tests/netns/run.sh" "$B" > "$out/netns-ci" 2>&1
	ok test $? != 0
	ok grep -q ': 0 passed, 1 failed (CI=true and the layer cannot run: cannot create a network namespace' "$out/netns-ci"
	setpriv --reuid=65534 --regid=65534 --clear-groups env -u CI bash "$TOP/tests/netns/run.sh" "$B" > "$out/netns" 2>&1
	ok test $? = 0
	ok grep -q ': skipped: cannot create a network namespace' "$out/netns"
else
	echo "skipped: the netns case needs root (to run the layer as nobody)"
fi
# a PATH with bash and the coreutils but no qemu-system-x86_64
mkdir -p "$out/bin"
for t in bash env mktemp mkdir dirname basename cat rm grep date; do ln -sf "$(command -v $t)" "$out/bin/$t"; done
env PATH="$out/bin" CI=true bash "$TOP/tests/vm/run.sh" "$B" > "$out/vm-ci" 2>&1
ok test $? != 0
ok grep -q '^vm: 0 passed, 1 failed (CI=true and the layer cannot run: qemu-system-x86_64 is missing' "$out/vm-ci"
env -u CI PATH="$out/bin" bash "$TOP/tests/vm/run.sh" "$B" > "$out/vm" 2>&1
ok test $? = 0
ok grep -q '^vm: skipped: qemu-system-x86_64 is missing' "$out/vm"
echo "ci-skips: $pass passed, $fail failed"
[ $fail = 0 ]

#!/usr/bin/env bash
# Host-level tests of the built programs (mkinitramfs against gen_init_cpio, boot configs written
# by real tools, ...): each tests/host/*.sh but this one, given the build dir.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
for t in "$TOP"/tests/host/*.sh; do
	[ "$(basename "$t")" = run.sh ] && continue
	timeout -k 5 900 bash "$t" "$B" || rc=1
done
exit $rc

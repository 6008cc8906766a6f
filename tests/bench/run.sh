#!/usr/bin/env bash
# make bench: every benchmark, each printing its figures side by side with a peer in the same run.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
echo "== size: build/ferry and what each library costs"
bash "$TOP/tests/bench/libsize.sh" "$B"
printf 'initramfs: %s is %d bytes (gzip)\n' "$B/initramfs.cpio.gz" "$(stat -c %s "$B/initramfs.cpio.gz")"
for b in "$TOP"/tests/bench/*.sh; do
	case $(basename "$b") in run.sh|libsize.sh) continue ;; esac
	echo
	echo "== $(basename "$b" .sh)"
	bash "$b" "$B"
done

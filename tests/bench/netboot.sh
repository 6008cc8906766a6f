#!/bin/bash
# Netboot's transports on a veth in a private network namespace, in the same run: TFTP of a 32 MiB
# file from dnsmasq (ferry beside busybox tftp and curl tftp://), and HTTP of a 256 MiB file from
# busybox httpd (ferry beside curl), each the best of NETBOOT_BENCH_RUNS (default 3), with ferry's
# and curl's peak RSS (/usr/bin/time). Files go to a tmpfs, as ferry's memfds are in memory.
# usage: tests/bench/netboot.sh BUILD_DIR        (FERRY=path overrides)
set -u
B=$(cd "${1:-build}" && pwd)
FERRY=${FERRY:-$B/ferry}
RUNS=${NETBOOT_BENCH_RUNS:-3}
if [ "${NETBOOT_BENCH_INNER:-}" != 1 ]; then
	if [ "$(id -u)" != 0 ]; then echo "netboot bench: skipped: needs root"; exit 0; fi
	[ -x "$FERRY" ] || { echo "netboot bench: skipped: no $FERRY"; exit 0; }
	for t in dnsmasq busybox curl /usr/bin/time; do
		command -v $t >/dev/null || { echo "netboot bench: skipped: no $t"; exit 0; }
	done
	NETBOOT_BENCH_INNER=1 FERRY=$FERRY exec timeout -k 5 900 unshare --net --mount --fork bash "$0" "$B"
fi

W=$(mktemp -d /tmp/ferry-nbbench.XXXXXX)
S=fynbb$$
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; ip netns del "$S" 2>/dev/null; umount "$W/o" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
mkdir -p "$W/srv" "$W/o"
mount -t tmpfs -o size=700m none "$W/o"
ip link set lo up
ip netns add "$S"
ip link add nbb0 type veth peer name nbbs0 netns "$S"
ip -n "$S" addr add 10.98.0.1/24 dev nbbs0
ip -n "$S" link set nbbs0 up
ip -n "$S" link set lo up
ip addr add 10.98.0.2/24 dev nbb0
ip link set nbb0 up
head -c $((32 << 20)) /dev/urandom > "$W/srv/t32"
head -c $((256 << 20)) /dev/urandom > "$W/srv/h256"
ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=nbbs0 --bind-interfaces --enable-tftp --tftp-root="$W/srv" --log-facility="$W/dnsmasq.log" &
PIDS="$PIDS $!"
ip netns exec "$S" busybox httpd -f -p 10.98.0.1:8080 -h "$W/srv" &
PIDS="$PIDS $!"
sleep 1

# best TOOL-NAME OUT command...: the fastest of RUNS runs in ms, and the peak RSS (KiB) of that run;
# each run's output compared with the source.
best() {
	name=$1 src=$2 out=$3; shift 3
	b=999999999 rss=0
	for _ in $(seq "$RUNS"); do
		rm -f "$out"
		t0=$(date +%s%N)
		/usr/bin/time -f %M -o "$W/rss" "$@" > "$W/log" 2>&1 || { echo "  $name: FAILED: $(tail -2 "$W/log")"; return; }
		t1=$(date +%s%N)
		cmp -s "$src" "$out" || { echo "  $name: FAILED: the file differs"; return; }
		ms=$(( (t1 - t0) / 1000000 ))
		[ "$ms" -lt "$b" ] && { b=$ms; rss=$(cat "$W/rss"); }
	done
	size=$(stat -c %s "$src")
	printf '  %-22s %6d ms  %7.1f MiB/s  peak RSS %6d KiB\n' "$name" "$b" "$(echo "$size / 1048576 / ($b / 1000)" | bc -l)" "$rss"
}

echo "TFTP, 32 MiB from dnsmasq (best of $RUNS):"
best "ferry netboot --fetch" "$W/srv/t32" "$W/o/f" "$FERRY" netboot --fetch tftp://10.98.0.1/t32 --out "$W/o/f" --quiet
best "ferry, sha256 (pins)" "$W/srv/t32" "$W/o/f" "$FERRY" netboot --fetch tftp://10.98.0.1/t32 --out "$W/o/f" --quiet --sha256
best "busybox tftp" "$W/srv/t32" "$W/o/b" busybox tftp -g -r t32 -l "$W/o/b" -b 1468 10.98.0.1
best "curl tftp://" "$W/srv/t32" "$W/o/c" curl -s --tftp-blksize 1468 -o "$W/o/c" tftp://10.98.0.1/t32
echo "HTTP, 256 MiB from busybox httpd (best of $RUNS):"
best "ferry netboot --fetch" "$W/srv/h256" "$W/o/f" "$FERRY" netboot --fetch http://10.98.0.1:8080/h256 --out "$W/o/f" --quiet
best "ferry, sha256 (pins)" "$W/srv/h256" "$W/o/f" "$FERRY" netboot --fetch http://10.98.0.1:8080/h256 --out "$W/o/f" --quiet --sha256
best "curl" "$W/srv/h256" "$W/o/c" curl -s -o "$W/o/c" http://10.98.0.1:8080/h256
echo "(ferry's files go to a memfd at boot, its pages are the file's: the peak RSS above is the rest;"
echo " SHA-256 runs only with ferry.netboot.pin=, and costs a core at about 150 MiB/s here)"

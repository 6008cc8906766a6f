#!/bin/bash
# Link up -> address and default route installed, against dnsmasq (--no-ping) on a veth: ferry's
# own DHCP client side by side with busybox udhcpc and dhcpcd, in the same run, in a private
# network and mount namespace. The server's own time (DISCOVER->OFFER + REQUEST->ACK, from a
# capture on its side of the link) is printed next to each, so the client's share is visible.
# usage: tests/bench/net.sh BUILD_DIR        (NET_BENCH_RUNS=N, default 7; FERRY=path overrides)
set -u
B=$(cd "${1:-build}" && pwd)
FERRY=${FERRY:-$B/ferry}
RUNS=${NET_BENCH_RUNS:-7}
if [ "${NET_BENCH_INNER:-}" != 1 ]; then
	if [ "$(id -u)" != 0 ]; then echo "net bench: skipped: needs root"; exit 0; fi
	[ -x "$FERRY" ] || { echo "net bench: skipped: no $FERRY"; exit 0; }
	NET_BENCH_INNER=1 FERRY=$FERRY exec timeout -k 5 600 unshare --net --mount --fork bash "$0" "$B"
fi

source "$(dirname "$0")/netns.inc"
bench_netns netbench "${NET_BENCH_KEEP:-}"
ip -n "$S" addr add 10.99.0.1/24 dev bs0
ip -n "$S" link set bs0 up
ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=bs0 --bind-interfaces --dhcp-range=10.99.0.10,10.99.0.200,255.255.255.0,1h \
	--dhcp-option=option:router,10.99.0.1 --dhcp-leasefile="$W/leases" --no-ping \
	--log-facility="$W/dnsmasq.log" &
PIDS="$PIDS $!"
for _ in $(seq 50); do grep -q 'sockets bound' "$W/dnsmasq.log" 2>/dev/null && break; sleep 0.1; done

cat > "$W/udhcpc.script" <<'SCRIPT'
#!/bin/sh
# the essentials of busybox's examples/udhcp/simple.script
case $1 in
deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
bound|renew)
	ip addr add "$ip/${mask:-24}" dev "$interface"
	for r in $router; do ip route add default via "$r" dev "$interface" metric 100; done ;;
esac
SCRIPT
chmod +x "$W/udhcpc.script"
# dhcpcd tuned for speed (no initial delay, no ARP probe of the offered address), and as shipped.
printf 'ipv4only\nnoarp\nnoipv4ll\nnodelay\nnohook resolv.conf\n' > "$W/dhcpcd.conf"
printf 'ipv4only\nnohook resolv.conf\n' > "$W/dhcpcd-default.conf"

client() {
	case $1 in
	ferry) "$FERRY" net --cmdline "ip=:::::bc0:dhcp ferry.net.timeout=20" --run-dir "$W/run" ;;
	udhcpc) busybox udhcpc -i bc0 -f -q -n -t 10 -s "$W/udhcpc.script" ;;
	dhcpcd) dhcpcd -f "$W/dhcpcd.conf" -c /bin/true -4 -1 -B -t 20 bc0 ;;
	dhcpcd-default) dhcpcd -f "$W/dhcpcd-default.conf" -c /bin/true -4 -1 -B -t 20 bc0 ;;
	esac
}

# One run: the link is up with carrier first (so no client waits for it), then the client starts.
# Prints "client route_us exit_us server_us".
run_one() {
	c=$1
	ip link set bc0 down; ip addr flush dev bc0; ip route flush dev bc0 2>/dev/null
	# Every client starts as at boot: no lease remembered from the previous run.
	rm -rf /var/lib/dhcpcd/* /run/dhcpcd/* 2>/dev/null
	ip link set bc0 up
	for _ in $(seq 100); do ip link show bc0 | grep -q LOWER_UP && break; sleep 0.01; done
	sleep 0.2
	ip netns exec "$S" tcpdump -i bs0 -n -U --immediate-mode -Z root -w "$W/cap" udp port 67 or udp port 68 2> "$W/tcpdump.err" &
	tp=$!
	ip -ts monitor route > "$W/mon" 2>/dev/null &
	mp=$!
	for _ in $(seq 100); do grep -q listening "$W/tcpdump.err" && break; sleep 0.02; done
	sleep 0.1
	t0=$EPOCHREALTIME
	client "$c" > "$W/$c.log" 2>&1
	t1=$EPOCHREALTIME
	sleep 0.1
	kill "$mp" "$tp"; wait "$mp" "$tp" 2>/dev/null
	ip route show default dev bc0 | grep -q . || { echo "$c FAILED"; return; }
	python3 - "$c" "$t0" "$t1" "$W/mon" "$W/cap" <<'PY'
import sys, datetime, subprocess, re
c, t0, t1, mon, cap = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
route = None
for line in open(mon):
    m = re.match(r"\[(\S+)\] default via .* dev bc0", line)
    if m and route is None:
        route = datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc).timestamp()
out = subprocess.run(["tcpdump", "-r", cap, "-n", "-tt", "-v"], capture_output=True, text=True).stdout
ts, seen = None, []
for line in out.splitlines():
    m = re.match(r"^(\d+\.\d+) ", line)
    if m:
        ts = float(m.group(1))
    m = re.search(r"DHCP-Message \(53\), length 1: (\w+)", line)
    if m and ts is not None:
        seen.append((m.group(1), ts))
server, last, first, phase = 0.0, {}, {}, {}
for kind, t in seen:
    first.setdefault(kind, t)
    if kind in ("Discover", "Request"):
        last[kind] = t
    elif kind == "Offer" and "Discover" in last:
        server += t - last.pop("Discover")
    elif kind == "ACK" and "Request" in last:
        server += t - last.pop("Request")
us = lambda a, b: int((b - a) * 1e6) if a is not None and b is not None else -1
# The client's own steps: start -> first DISCOVER, first OFFER -> first REQUEST, last ACK -> route.
acks = [t for k, t in seen if k == "ACK"]
print(c, us(t0, route), us(t0, t1), int(server * 1e6), us(t0, first.get("Discover")),
      us(first.get("Offer"), first.get("Request")), us(acks[-1] if acks else None, route))
PY
}

for i in $(seq "$RUNS"); do
	for c in ${NET_BENCH_CLIENTS:-ferry udhcpc dhcpcd dhcpcd-default}; do
		run_one "$c"
	done
done > "$W/results"

for i in $(seq "$RUNS"); do
	t0=$EPOCHREALTIME; busybox true; t1=$EPOCHREALTIME
	echo "harness $(( (${t1/./} - ${t0/./}) ))"
done >> "$W/results"

python3 - "$W/results" "$RUNS" <<'PY'
import sys, statistics
rows = {}
harness = statistics.median(int(l.split()[1]) for l in open(sys.argv[1]) if l.startswith("harness ")) / 1000
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "harness":
        continue
    rows.setdefault(f[0], [])
    if len(f) == 7 and int(f[1]) >= 0:
        rows[f[0]].append([int(x) for x in f[1:]])
print("link up -> address + default route, against dnsmasq --no-ping on a veth; median of %s runs, ms" % sys.argv[2])
cols = ("route", "exit", "server", "client", "start->DISC", "OFFER->REQ", "ACK->route")
print("%-15s" % "" + "".join("%12s" % c for c in cols))
med = {}
for c in ("ferry", "udhcpc", "dhcpcd", "dhcpcd-default"):
    r = rows.get(c, [])
    if not r:
        print("%-15s %12s" % (c, "failed" if c in rows else "not run"))
        continue
    m = [statistics.median(x[i] for x in r) / 1000 for i in range(6)]
    client = statistics.median((x[0] - x[2]) for x in r) / 1000
    med[c] = m[0]
    print("%-15s" % c + "".join("%12.2f" % v if v >= 0 else "%12s" % "-" for v in (m[0], m[1], m[2], client, m[3], m[4], m[5])))
print("route: client start -> default route installed (ip monitor); exit: -> process exit;")
print("server: dnsmasq's DISCOVER->OFFER + REQUEST->ACK on its side of the link; client = route - server")
print("start->DISC includes the harness starting the client: %.2f ms for busybox true (fork, exec, exit)" % harness)
print("dhcpcd: nodelay, noarp, noipv4ll; dhcpcd-default: as shipped (random initial delay, ARP probe)")
for c in ("udhcpc", "dhcpcd", "dhcpcd-default"):
    if "ferry" in med and c in med and med["ferry"] > 0:
        print("ferry reaches the default route %.1fx faster than %s" % (med[c] / med["ferry"], c))
PY

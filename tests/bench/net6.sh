#!/bin/bash
# Client start -> IPv6 default route from a router advertisement, and -> DHCPv6 address, against
# dnsmasq (--enable-ra, a stateful DHCPv6 range: the RA's M flag) on a veth: ferry's net stage
# (ip=IF:dhcp6, and ferry.net.ipv6=auto, DHCPv6 on the M flag) side by side with Debian's dhcpcd -6
# (tuned: nodelay; and as shipped), in the same run, in a private network and mount namespace.
# The link is up and its link-local address past DAD before each client starts (as the DHCPv4
# bench has carrier first), so what is timed is the clients and the protocol, not the kernel's DAD.
# usage: tests/bench/net6.sh BUILD_DIR      (NET6_BENCH_RUNS=N, default 5; FERRY=path overrides)
set -u
B=$(cd "${1:-build}" && pwd)
FERRY=${FERRY:-$B/ferry}
RUNS=${NET6_BENCH_RUNS:-5}
if [ "${NET6_BENCH_INNER:-}" != 1 ]; then
	if [ "$(id -u)" != 0 ]; then echo "net6 bench: skipped: needs root"; exit 0; fi
	[ -x "$FERRY" ] || { echo "net6 bench: skipped: no $FERRY"; exit 0; }
	[ -d /proc/sys/net/ipv6 ] || { echo "net6 bench: skipped: the kernel has no IPv6"; exit 0; }
	for t in dnsmasq dhcpcd; do
		command -v $t > /dev/null || { echo "net6 bench: skipped: no $t (tools/deps.sh installs it)"; exit 0; }
	done
	NET6_BENCH_INNER=1 FERRY=$FERRY exec timeout -k 5 600 unshare --net --mount --fork bash "$0" "$B"
fi

source "$(dirname "$0")/netns.inc"
bench_netns net6bench "${NET6_BENCH_KEEP:-}"
ip -n "$S" link set lo up
ip -n "$S" addr add 2001:db8:99::1/64 dev bs0 nodad
ip -n "$S" link set bs0 up
sysctl6() { echo "$2" > "/proc/sys/net/ipv6/conf/bc0/$1"; }
sysctl6 accept_ra 0; sysctl6 autoconf 0
ip link set bc0 up
# Both link-local addresses past DAD first: until then dnsmasq's RAs (and the clients' RS) cannot
# be sent, and the first run would pay for it.
for _ in $(seq 500); do
	ip -6 addr show dev bc0 scope link | grep -q 'inet6 fe80' && ! ip -6 addr show dev bc0 | grep -q tentative &&
		ip -n "$S" -6 addr show dev bs0 scope link | grep -q 'inet6 fe80' &&
		! ip -n "$S" -6 addr show dev bs0 | grep -q tentative && break
	sleep 0.01
done
# Unsolicited RAs only every 10 min: each client's own solicitation is what gets it its RA.
ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=bs0 --bind-interfaces --enable-ra --ra-param=bs0,600 \
	--dhcp-range=2001:db8:99::100,2001:db8:99::fff,64,1h --dhcp-leasefile="$W/leases" \
	--log-facility="$W/dnsmasq.log" --log-dhcp &
PIDS="$PIDS $!"
for _ in $(seq 50); do grep -q 'router advertisement on' "$W/dnsmasq.log" 2>/dev/null && break; sleep 0.1; done

printf 'ipv6only\nnodelay\nnohook resolv.conf\n' > "$W/dhcpcd.conf"
printf 'ipv6only\nnohook resolv.conf\n' > "$W/dhcpcd-default.conf"
client() {
	case $1 in
	ferry-dhcp6) exec "$FERRY" net --stay --cmdline "ip=bc0:dhcp6 ferry.net.timeout=20" --run-dir "$W/run" ;;
	ferry-auto) exec "$FERRY" net --stay --cmdline "ip=:::::bc0:dhcp ferry.net.ipv6=auto ferry.net.timeout=20" --run-dir "$W/run" ;;
	dhcpcd) exec dhcpcd -f "$W/dhcpcd.conf" -c /bin/true -6 -B -t 20 bc0 ;;
	dhcpcd-default) exec dhcpcd -f "$W/dhcpcd-default.conf" -c /bin/true -6 -B -t 20 bc0 ;;
	esac
}

# Between runs: no address, route or kernel autoconfiguration left from the previous client;
# the link stays up with its link-local address (DAD done once, at the start).
reset_link() {
	sysctl6 accept_ra 0; sysctl6 autoconf 0; sysctl6 accept_ra_defrtr 1
	ip -6 addr flush dev bc0 scope global 2>/dev/null
	ip -6 route flush dev bc0 proto ra 2>/dev/null; ip -6 route del default dev bc0 2>/dev/null
	ip -6 route flush dev bc0 proto dhcp 2>/dev/null; ip -6 route flush dev bc0 proto static 2>/dev/null
	rm -rf /var/lib/dhcpcd/* /run/dhcpcd/* "$W/run" 2>/dev/null
	mkdir -p /run/dhcpcd
}
# One run: prints "client route_us addr_us" (-1: not seen within 15 s).
run_one() {
	c=$1
	reset_link
	sleep 0.2
	ip -6 -ts monitor route address dev bc0 > "$W/mon" 2>/dev/null &
	mp=$!
	sleep 0.1
	t0=$EPOCHREALTIME
	client "$c" > "$W/$c.log" 2>&1 &
	cp=$!
	for _ in $(seq 1500); do
		grep -q 'default via fe80' "$W/mon" && grep -Eq 'inet6 2001:db8:99::[0-9a-f]{3}/' "$W/mon" && break
		sleep 0.01
	done
	kill "$cp"; wait "$cp" 2>/dev/null
	kill "$mp"; wait "$mp" 2>/dev/null
	python3 - "$c" "$t0" "$W/mon" <<'PY'
import sys, datetime, re
c, t0, mon = sys.argv[1], float(sys.argv[2]), sys.argv[3]
route = addr = None
for line in open(mon):
    m = re.match(r"\[(\S+)\] (.*)", line)
    if not m or m.group(2).startswith("Deleted"):
        continue
    t = datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc).timestamp()
    if route is None and re.match(r"default via fe80", m.group(2)):
        route = t
    if addr is None and re.search(r"inet6 2001:db8:99::[0-9a-f]{3}/", m.group(2)):
        addr = t
us = lambda t: int((t - t0) * 1e6) if t is not None else -1
print(c, us(route), us(addr))
PY
}

CLIENTS=${NET6_BENCH_CLIENTS:-ferry-dhcp6 ferry-auto dhcpcd dhcpcd-default}
for i in $(seq "$RUNS"); do
	for c in $CLIENTS; do
		run_one "$c"
	done
done > "$W/results"

python3 - "$W/results" "$RUNS" "$CLIENTS" "$(dhcpcd --version | head -1)" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows.setdefault(f[0], []).append((int(f[1]), int(f[2])))
print("client start (link up, link-local past DAD) -> IPv6 default route from the RA, and -> DHCPv6")
print("address, against dnsmasq --enable-ra with a stateful range (M flag) on a veth; median of %s runs, ms" % sys.argv[2])
print("%-15s%12s%12s%16s%16s" % ("", "route", "address", "route min-max", "addr min-max"))
med = {}
for c in sys.argv[3].split():
    r = rows.get(c, [])
    cols = []
    for i in (0, 1):
        ok = [x[i] / 1000 for x in r if x[i] >= 0]
        miss = len(r) - len(ok)
        if len(ok) * 2 <= len(r) or not ok:
            cols.append(None)
            continue
        cols.append((statistics.median(ok), min(ok), max(ok), miss))
    med[c] = cols
    def one(v):
        return "%12s" % "failed" if v is None else "%12.1f" % v[0] + ("*" if v[3] else "")
    def span(v):
        return "%16s" % "-" if v is None else "%16s" % ("%.1f-%.1f" % (v[1], v[2]))
    print("%-15s" % c + one(cols[0]) + one(cols[1]) + span(cols[0]) + span(cols[1]))
print("route: the first 'default via fe80::' (ip -6 monitor); address: the first 2001:db8:99::1xx added")
print("ferry-dhcp6: ip=bc0:dhcp6 (DHCPv6 solicited at start); ferry-auto: ferry.net.ipv6=auto (DHCPv6 on the M flag)")
print("%s: nodelay; dhcpcd-default: as shipped (the RFCs' random delays before the first RS and Solicit)" % sys.argv[4])
print("* : some runs did not get there within 15 s (left out of the median)")
for c in ("dhcpcd", "dhcpcd-default"):
    for f in ("ferry-dhcp6", "ferry-auto"):
        if med.get(f) and med.get(c) and all(med[f]) and all(med[c]):
            print("%s beside %s: route %.1fx, address %.1fx faster" % (f, c, med[c][0][0] / med[f][0][0],
                  med[c][1][0] / med[f][1][0]))
PY

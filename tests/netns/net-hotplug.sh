#!/bin/bash
# Links that appear after the stage started (a driver loaded late, a USB adapter plugged in) are
# configured when they show up; a link that goes away takes its lease file with it; one that comes
# back is configured again. The bound counts from the start: the first link must come in time.
. "$(dirname "$0")/net.lib"
net_init net-hotplug "${1:-build}"

srv_ns S
# dnsmasq --bind-dynamic follows the server's interfaces as they come and go.
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--bind-dynamic --interface=sh0 --dhcp-range=10.67.0.10,10.67.0.20,1h --no-ping \
	--dhcp-leasefile="$W/leases" --log-facility="$W/dnsmasq.log"
wait_for 5 grep -q 'DHCP, IP range' "$W/dnsmasq.log" || bad "dnsmasq did not start"

bg "$FERRY" net --stay --cmdline "ip=dhcp ferry.net.timeout=20" --run-dir "$W/run"
FP=$LAST
sleep 1
check "no link yet: nothing written" test ! -e "$W/run/hp0.lease"
veth hp0 sh0 "$S" 10.67.0.1/24
if wait_for 10 test -f "$W/run/hp0.lease"; then ok "a link that appears later is configured"; else bad "a link that appears later is configured"; fi
check "its address" sh -c "ip -4 -o addr show hp0 | grep -q 'inet 10.67.0'"
ip link del hp0
if wait_for 5 test ! -e "$W/run/hp0.lease"; then ok "link removed: its lease file goes"; else bad "link removed: its lease file goes"; fi
veth hp0 sh0 "$S" 10.67.0.1/24
if wait_for 10 test -f "$W/run/hp0.lease"; then ok "the link back: configured again"; else bad "the link back: configured again"; fi
check "ferry still running" kill -0 "$FP"
net_done

#!/bin/bash
# Three links classed ethernet, wifi and wwan by ferry.linkclass=: default routes at 100/600/700;
# carrier loss on the ethernet side moves `ip route get` to wifi, then to wwan, and back.
. "$(dirname "$0")/net.lib"
net_init net-metric "${1:-build}"

srv_ns S
veth ne0 se0 "$S" 10.71.0.1/24
veth nw0 sw0 "$S" 10.72.0.1/24
veth nm0 sm0 "$S" 10.73.0.1/24
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--bind-interfaces --interface=se0 --interface=sw0 --interface=sm0 --no-ping \
	--dhcp-range=10.71.0.10,10.71.0.20,1h --dhcp-range=10.72.0.10,10.72.0.20,1h --dhcp-range=10.73.0.10,10.73.0.20,1h \
	--dhcp-leasefile="$W/leases" --log-facility="$W/dnsmasq.log" --log-dhcp
wait_for 5 sh -c "grep -c 'DHCP, IP range' $W/dnsmasq.log | grep -qx 3" || bad "dnsmasq did not start"

bg "$FERRY" net --stay --cmdline "ip=dhcp ferry.linkclass=ne0:ethernet ferry.linkclass=nw0:wifi ferry.linkclass=nm0:wwan ferry.net.timeout=10" \
	--run-dir "$W/run"
FP=$LAST
have3() { [ "$(ip route show default | wc -l)" = 3 ]; }
if wait_for 10 have3; then ok "three default routes"; else bad "three default routes"; ip route; fi
metric_of() { ip route show default dev "$1" | sed -n 's/.*metric \([0-9]*\).*/\1/p'; }
check "ethernet at 100" test "$(metric_of ne0)" = 100
check "wifi at 600" test "$(metric_of nw0)" = 600
check "wwan at 700" test "$(metric_of nm0)" = 700
check "lease files say their class" sh -c "grep -qx CLASS=wifi $W/run/nw0.lease && grep -qx CLASS=wwan $W/run/nm0.lease"
check "route get: ethernet" test "$(route_dev 192.0.2.1)" = ne0

t0=$(date +%s%N)
ip -n "$S" link set se0 down
if wait_for 5 sh -c '[ "$(ip -4 route get 192.0.2.1 | sed -n "s/.* dev \([^ ]*\).*/\1/p")" = nw0 ]'; then
	ok "ethernet carrier lost: route get moves to wifi ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
else bad "ethernet carrier lost: route get moves to wifi (got $(route_dev 192.0.2.1))"; fi
check "ethernet's routes are withdrawn, not just marked linkdown" sh -c "! ip route show dev ne0 | grep -q ."
check "the address stays" sh -c "ip -4 -o addr show ne0 | grep -q 10.71.0"
ip -n "$S" link set sw0 down
if wait_for 5 sh -c '[ "$(ip -4 route get 192.0.2.1 | sed -n "s/.* dev \([^ ]*\).*/\1/p")" = nm0 ]'; then
	ok "wifi carrier lost too: route get moves to wwan"
else bad "wifi carrier lost too: route get moves to wwan (got $(route_dev 192.0.2.1))"; fi
ip -n "$S" link set se0 up
if wait_for 5 sh -c '[ "$(ip -4 route get 192.0.2.1 | sed -n "s/.* dev \([^ ]*\).*/\1/p")" = ne0 ]'; then
	ok "ethernet carrier back: route get back on ethernet"
else bad "ethernet carrier back: route get back on ethernet (got $(route_dev 192.0.2.1))"; fi
check "ethernet default back at 100" test "$(metric_of ne0)" = 100
ip -n "$S" link set sw0 up
if wait_for 5 sh -c '[ "$(ip route show default dev nw0 | grep -c metric)" = 1 ]'; then ok "wifi route back"; else bad "wifi route back"; fi
check "ferry still running" kill -0 "$FP"
# The carrier-back lease check (INIT-REBOOT) must have reached the server.
check "lease verified after carrier came back" wait_for 5 sh -c "grep -c 'DHCPREQUEST(se0)' $W/dnsmasq.log | grep -qv '^1$'"
net_done

#!/bin/bash
# ferry net against busybox udhcpd (a second, independent server): the lease, then renewal of a
# 10-second lease while `ferry net --stay` keeps running (expiry would remove the address); then the
# server goes away and the lease runs out: renewing, rebinding, and at expiry the address, routes
# and lease file go.
. "$(dirname "$0")/net.lib"
net_init net-udhcpd "${1:-build}"
UDHCPD=$(command -v udhcpd || echo "busybox udhcpd")

srv_ns S
veth fu0 su0 "$S" 10.63.0.1/24
cat > "$W/udhcpd.conf" <<CONF
start 10.63.0.10
end 10.63.0.20
interface su0
lease_file $W/udhcpd.leases
option subnet 255.255.255.0
option router 10.63.0.1
option dns 10.63.0.53
option domain example.org
option lease 10
CONF
touch "$W/udhcpd.leases"
bg ip netns exec "$S" $UDHCPD -f -a 100 "$W/udhcpd.conf" > "$W/udhcpd.log" 2>&1
UP=$LAST
sleep 0.3

bg "$FERRY" net --stay --cmdline "ip=:::::fu0:dhcp ferry.net.timeout=10 ferry.debug" --run-dir "$W/run"
FP=$LAST
if wait_for 10 test -f "$W/run/fu0.lease"; then ok "lease from udhcpd"; else bad "lease from udhcpd"; fi
check "address 10.63.0.1x/24" sh -c "ip -4 -o addr show fu0 | grep -q 'inet 10.63.0.[12][0-9]/24'"
check "default via 10.63.0.1 metric 100" sh -c "ip route show default | grep -q 'via 10.63.0.1 dev fu0 proto dhcp .*metric 100'"
check "LEASE=10 T1=5" sh -c "grep -qx LEASE=10 $W/run/fu0.lease && grep -qx T1=5 $W/run/fu0.lease"
check "DNS and domain" sh -c "grep -qx \"DNS='10.63.0.53'\" $W/run/fu0.lease && grep -qx \"DOMAIN='example.org'\" $W/run/fu0.lease"
first=$(stat -c %Y "$W/run/fu0.lease")
# Three lease lifetimes: without renewals the address would have been removed twice over.
sleep 25
check "still has the address after 25 s of a 10 s lease" sh -c "ip -4 -o addr show fu0 | grep -q 'inet 10.63.0'"
check "default route still there" sh -c "ip route show default | grep -q 'dev fu0'"
check "lease file rewritten by renewals" test "$(stat -c %Y "$W/run/fu0.lease")" -gt "$first"
check "ferry net --stay still running" kill -0 "$FP"
n=$(grep -c 'sending ACK' "$W/udhcpd.log")
echo "  (udhcpd sent $n ACKs)"
check "udhcpd acked renewals (>= 3 ACKs)" test "$n" -ge 3

kill "$UP"; wait "$UP" 2>/dev/null
gone() { ! ip -4 -o addr show fu0 | grep -q inet && [ ! -e "$W/run/fu0.lease" ]; }
if wait_for 15 gone; then ok "server gone: the address and lease file go at expiry"; else bad "server gone: the address and lease file go at expiry"; fi
check "server gone: no route left" sh -c "! ip route show dev fu0 | grep -q ."
check "server gone: resolv.conf has no name server left" sh -c "! grep -q nameserver $W/run/resolv.conf"
check "server gone: still running, looking for a new server" kill -0 "$FP"
net_done

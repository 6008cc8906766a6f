#!/bin/bash
# The link moves to another network while its carrier is down: when the carrier comes back the
# lease is verified (INIT-REBOOT), the new network's server refuses it (NAK), and ferry drops the
# old address and routes and takes a lease on the new network. Then the server goes away for good
# and a short lease runs out: the address and routes go, the lease file too.
. "$(dirname "$0")/net.lib"
net_init net-moved "${1:-build}"

srv_ns S
veth fm0 sm0 "$S" 10.64.0.1/24
dnsmasq_on "$S" sm0 10.64.0.10 10.64.0.20 10.64.0.1 --dhcp-authoritative || bad "dnsmasq did not start"
DP=$LAST
bg "$FERRY" net --stay --cmdline "ip=:::::fm0:dhcp ferry.net.timeout=10" --run-dir "$W/run"
FP=$LAST
if wait_for 10 grep -q "ADDRESS=10.64.0" "$W/run/fm0.lease"; then ok "lease on the first network"; else bad "lease on the first network"; fi

ip -n "$S" link set sm0 down
wait_for 5 sh -c "! ip route show dev fm0 | grep -q ." && ok "carrier lost: routes withdrawn" || bad "carrier lost: routes withdrawn"
kill "$DP"; wait "$DP" 2>/dev/null
ip -n "$S" addr flush dev sm0
ip -n "$S" addr add 10.65.0.1/24 dev sm0
ip -n "$S" link set sm0 up
dnsmasq_on "$S" sm0 10.65.0.10 10.65.0.20 10.65.0.1 --dhcp-authoritative || bad "dnsmasq did not restart"
DP=$LAST
if wait_for 15 grep -q "ADDRESS=10.65.0" "$W/run/fm0.lease"; then ok "new network: a new lease"; else bad "new network: a new lease"; cat "$W/run/fm0.lease"; fi
check "the server refused the old address (NAK)" grep -q "DHCPNAK(sm0) 10.64.0" "$W/dnsmasq-sm0.log"
check "old address gone" sh -c "! ip -4 -o addr show fm0 | grep -q 10.64.0"
check "new address" sh -c "ip -4 -o addr show fm0 | grep -q 'inet 10.65.0.[12][0-9]/24'"
check "default route via the new router, metric 100" sh -c "ip route show default | grep -q 'via 10.65.0.1 dev fm0 proto dhcp .*metric 100'"
check "no route left on the old network" sh -c "! ip route | grep -q 10.64.0"
check "ferry still running" kill -0 "$FP"
net_done

#!/bin/bash
# ferry net against dnsmasq on a veth: address, routes with the metric, lease file, resolv.conf,
# classless static routes (RFC 3442) winning over option 3, and a static ip= next to it.
. "$(dirname "$0")/net.lib"
net_init net-dnsmasq "${1:-build}"

srv_ns S
veth fd0 sd0 "$S" 10.61.0.1/24
veth fd1 sd1 "$S" 10.62.0.1/24
dnsmasq_on "$S" sd0 10.61.0.10 10.61.0.20 10.61.0.1 --dhcp-option=option:dns-server,10.61.0.53 \
	--dhcp-option=option:domain-name,example.test --dhcp-option=option:mtu,1400 ||
	bad "dnsmasq did not start"

start=$(date +%s%N)
"$FERRY" net --cmdline "ip=:::::fd0:dhcp ip=10.62.0.7::10.62.0.1:255.255.255.0:box:fd1:off:10.62.0.53 ferry.net.timeout=10" \
	--run-dir "$W/run" > "$W/out" 2>&1
rc=$?
end=$(date +%s%N)
cat "$W/out"
check "exit 0 once configured" test "$rc" = 0
echo "  (took $(( (end - start) / 1000000 )) ms)"
check "fd0 has a lease from the range" sh -c "ip -4 -o addr show fd0 | grep -Eq 'inet 10.61.0.(1[0-9]|20)/24'"
check "default route via fd0 at metric 100 or 101" sh -c "ip route show default | grep -q 'via 10.61.0.1 dev fd0 proto dhcp .*metric 10[01]'"
check "subnet route carries the metric too" sh -c "ip route show 10.61.0.0/24 | grep -q 'metric 100'"
check "no metric-0 prefix route left by the kernel" sh -c "! ip route show 10.61.0.0/24 | grep -qv metric"
check "MTU 1400 from option 26" sh -c "ip link show fd0 | grep -q 'mtu 1400'"
check "static fd1 10.62.0.7/24" sh -c "ip -4 -o addr show fd1 | grep -q 'inet 10.62.0.7/24'"
check "static default via fd1 too (both ethernet: one moved to 101, none replaced)" sh -c "ip route show default | grep -q 'via 10.62.0.1 dev fd1 proto static .*metric 10[01]'"
check "two default routes, metrics 100 and 101" sh -c "test \"\$(ip route show default | grep -o 'metric [0-9]*' | sort | tr '\n' ' ')\" = 'metric 100 metric 101 '"
check "lease file METRIC is the metric in use" sh -c "cat $W/run/fd0.lease $W/run/fd1.lease | grep -x 'METRIC=10[01]' | sort | uniq | wc -l | grep -qx 2"
check "lease file" grep -Eqx "ADDRESS=10.61.0.(1[0-9]|20)" "$W/run/fd0.lease"
check "lease file: DNS and domain" sh -c "grep -qx \"DNS='10.61.0.53'\" $W/run/fd0.lease && grep -qx \"DOMAIN='example.test'\" $W/run/fd0.lease"
check "lease file is shell-sourceable" sh -c ". $W/run/fd0.lease && test \"\$METRIC\" -ge 100 && test \"\$CLASS\" = ethernet"
check "static lease file" grep -qx "METHOD=static" "$W/run/fd1.lease"
check "resolv.conf: both servers, dhcp first" sh -c "grep nameserver $W/run/resolv.conf | tr '\n' ' ' | grep -qx 'nameserver 10.61.0.53 nameserver 10.62.0.53 '"
check "resolv.conf: search" grep -qx "search example.test" "$W/run/resolv.conf"
check "ip route get picks the metric-100 link" test "$(route_dev 192.0.2.1)" = "$(ip route show default | sed -n 's/.* dev \([^ ]*\) .*metric 100.*/\1/p')"

# Classless static routes: option 121 replaces option 3 (RFC 3442).
kill $LAST; wait $LAST 2>/dev/null
ip addr flush dev fd0; ip route flush dev fd0; ip route flush dev fd1
dnsmasq_on "$S" sd0 10.61.0.30 10.61.0.40 10.61.0.1 \
	--dhcp-option=121,198.51.100.0/24,10.61.0.2,203.0.113.0/24,192.0.2.77,0.0.0.0/0,10.61.0.254 ||
	bad "dnsmasq did not restart"
"$FERRY" net --cmdline "ip=:::::fd0:dhcp ferry.net.timeout=10" --run-dir "$W/run" > "$W/out" 2>&1
check "exit 0 with classless routes" test $? = 0
check "default via the option-121 router, not option 3" sh -c "ip route show default dev fd0 | grep -q 'via 10.61.0.254'"
check "no default via the option-3 router" sh -c "! ip route show default dev fd0 | grep -q 'via 10.61.0.1 '"
check "198.51.100.0/24 via 10.61.0.2 metric 100" sh -c "ip route show 198.51.100.0/24 | grep -q 'via 10.61.0.2 dev fd0 proto dhcp .*metric 100'"
check "a router outside the subnet is added onlink" sh -c "ip route show 203.0.113.0/24 | grep -q 'via 192.0.2.77 dev fd0 .*onlink'"

# A static /32 with its router outside it (as on some hosted networks).
ip addr flush dev fd1; ip route flush dev fd1
"$FERRY" net --cmdline "ip=10.66.0.5::10.66.0.1:255.255.255.255::fd1:off ferry.net.timeout=5" --run-dir "$W/run" > "$W/out" 2>&1
check "static /32: exit 0" test $? = 0
check "static /32: default via 10.66.0.1 onlink" sh -c "ip route show default dev fd1 | grep -q 'via 10.66.0.1 .*onlink'"
net_done

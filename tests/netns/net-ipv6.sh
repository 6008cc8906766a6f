#!/bin/bash
# ferry.net.ipv6=auto against dnsmasq's router advertisements on two veths of different classes:
# SLAAC addresses (ferry's: the MAC's EUI-64, the RA's lifetimes), default and on-link prefix routes
# at the policy's metrics (ethernet 100, wifi 600, not the kernel's 1024 and 256), RDNSS in
# resolv.conf and the lease, IPv4 and IPv6 on one link at once, carrier loss withdrawing the routes; dracut's ip=IF:dhcp6 and ip=IF:auto6; and hostile RAs refused by name.
. "$(dirname "$0")/net.lib"
net_init net-ipv6 "${1:-build}"
HERE=$(cd "$(dirname "$0")" && pwd)
# slaac6 LEASE IFACE PREFIX: the lease's ADDRESS6= is a global address IFACE holds in PREFIX (the
# SLAAC address, /64), past DAD
slaac6() { a=$(sed -n 's/^ADDRESS6=//p' "$1"); case $a in "$3"*) ;; *) return 1;; esac
	ip -6 -o addr show dev "$2" scope global | grep -v tentative | grep -q "inet6 $a/64 "; }
# eui64 IFACE PREFIX: the modified EUI-64 address (RFC 4291 appendix A) of IFACE's MAC, as `ip link`
# shows it, in PREFIX/64, written as `ip` writes it
eui64() { python3 -c "
import ipaddress, sys
m = bytes.fromhex(sys.argv[2].replace(':', ''))
print(ipaddress.IPv6Address(ipaddress.IPv6Address(sys.argv[1]).packed[:8] + bytes([m[0] ^ 2]) + m[1:3] + b'\xff\xfe' + m[3:]))" \
	"$2" "$(ip -o link show dev "$1" | sed -n 's|.* link/ether \([0-9a-f:]*\) .*|\1|p')"; }
# ferry_slaac IFACE PREFIX: IFACE holds the EUI-64 address in PREFIX/64 as ferry adds it (noprefixroute:
# not the kernel's SLAAC), its valid lifetime finite and no longer than dnsmasq's RA gives (1h)
ferry_slaac() { l=$(ip -6 -o addr show dev "$1" | grep "inet6 $(eui64 "$1" "$2")/64 .*noprefixroute") &&
	lft=$(echo "$l" | sed -n 's/.* valid_lft \([0-9]*\)sec .*/\1/p') && [ -n "$lft" ] && [ "$lft" -le 3600 ]; }
if [ ! -d /proc/sys/net/ipv6 ]; then echo "skipped: net-ipv6: the kernel has no IPv6"; echo "net-ipv6: 0 passed, 0 failed"; exit 0; fi

srv_ns S
veth fd0 sd0 "$S" 10.71.0.1/24
veth fd1 sd1 "$S" 10.72.0.1/24
ip -n "$S" addr add 2001:db8:71::1/64 dev sd0 nodad
ip -n "$S" addr add 2001:db8:72::1/64 dev sd1 nodad
# fd0: IPv4 and IPv6 (SLAAC, RDNSS); fd1: IPv6 only, classed wifi.
dnsmasq_on "$S" sd0 10.71.0.10 10.71.0.20 10.71.0.1 --enable-ra --dhcp-range=2001:db8:71::,ra-only,64,1h \
	--dhcp-option=option6:dns-server,[2001:db8:71::53] || bad "dnsmasq on sd0 did not start"
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd1 --bind-interfaces --enable-ra --dhcp-range=2001:db8:72::,ra-only,64,1h \
	--dhcp-option=option6:dns-server,[2001:db8:72::53] --log-facility="$W/dnsmasq-sd1.log"

start=$(date +%s%N)
bg "$FERRY" net --stay --cmdline "ip=:::::fd0:dhcp ip=:::::fd1:dhcp ferry.linkclass=fd1:wifi ferry.net.ipv6=auto ferry.net.timeout=15" \
	--run-dir "$W/run" > "$W/out" 2>&1
FPID=$LAST
both() { grep -q '^ROUTER6=fe80::' "$W/run/fd0.lease" && grep -q '^ROUTER6=fe80::' "$W/run/fd1.lease" &&
	grep -q '^ADDRESS=10.71.0.' "$W/run/fd0.lease"; }
check "IPv4 lease and RA on fd0, RA on fd1 (within 15 s)" wait_for 15 both
echo "  (took $(( ($(date +%s%N) - start) / 1000000 )) ms)"
check "fd0: SLAAC address in 2001:db8:71::/64" wait_for 5 sh -c "ip -6 -o addr show fd0 scope global | grep -q 'inet6 2001:db8:71:0:'"
check "fd1: SLAAC address in 2001:db8:72::/64" wait_for 5 sh -c "ip -6 -o addr show fd1 scope global | grep -q 'inet6 2001:db8:72:0:'"
ip -6 -o addr show scope global | sed 's/^/    /'
check "fd0: the SLAAC address is ferry's: the EUI-64 of fd0's MAC, noprefixroute, valid_lft <= 3600 s" ferry_slaac fd0 2001:db8:71::
check "fd1: the same in 2001:db8:72::/64" ferry_slaac fd1 2001:db8:72::
ip -6 route show | sed 's/^/    /'
check "fd0: on-link prefix 2001:db8:71::/64 at metric 100 (ethernet), proto ra" sh -c "ip -6 route show 2001:db8:71::/64 dev fd0 | grep -q 'proto ra metric 100 '"
check "fd1: on-link prefix 2001:db8:72::/64 at metric 600 (wifi), proto ra" sh -c "ip -6 route show 2001:db8:72::/64 dev fd1 | grep -q 'proto ra metric 600 '"
# (the kernel ends it with the prefix's valid lifetime, also once ferry has left: RTA_EXPIRES)
# route_expires PREFIX IFACE METRIC: the route's expiry is there, and no later than dnsmasq's 1h
route_expires() { l=$(ip -6 route show "$1" dev "$2" | sed -n "s/.* metric $3 expires \([0-9]*\)sec.*/\1/p"); [ -n "$l" ] && [ "$l" -le 3600 ]; }
check "  fd0's bounded by the prefix's valid lifetime (expires, at most dnsmasq's 1h)" route_expires 2001:db8:71::/64 fd0 100
check "no prefix route at the kernel's 256 on either link (but fe80::/64)" sh -c "! ip -6 route show | grep -v '^fe80::/64 ' | grep -q 'metric 256'"
ip -6 route show default
check "fd0: IPv6 default route at metric 100 (ethernet), proto ra" sh -c "ip -6 route show default dev fd0 | grep -q 'via fe80::.* proto ra metric 100 '"
check "  bounded by the router's lifetime too (expires, at most 1h), so it ends after the handoff" route_expires default fd0 100
check "fd1: IPv6 default route at metric 600 (wifi)" sh -c "ip -6 route show default dev fd1 | grep -q 'via fe80::.* proto ra metric 600 '"
check "no kernel default route at 1024" sh -c "! ip -6 route show default | grep -q 'metric 1024'"
check "fd0 still has its IPv4 default route at 100" sh -c "ip -4 route show default dev fd0 | grep -q 'metric 100'"
check "ip route get picks fd0 (the lower metric) for IPv6" sh -c "ip -6 route get 2001:db8:99::1 | grep -q 'dev fd0'"
check "lease: PREFIX6 and DNS6 on fd0" sh -c "grep -qx 'PREFIX6=2001:db8:71::/64' $W/run/fd0.lease && grep -qx \"DNS6='2001:db8:71::53'\" $W/run/fd0.lease"
check "lease: ADDRESS6 the SLAAC address on fd0" slaac6 "$W/run/fd0.lease" fd0 2001:db8:71:0:
check "lease: ADDRESS6 the SLAAC address on fd1" slaac6 "$W/run/fd1.lease" fd1 2001:db8:72:0:
check "lease: ADDRESS6 the address ferry formed (EUI-64) on fd0 and fd1" sh -c "grep -qx ADDRESS6=$(eui64 fd0 2001:db8:71::) $W/run/fd0.lease && grep -qx ADDRESS6=$(eui64 fd1 2001:db8:72::) $W/run/fd1.lease"
check "lease: fd1 says wifi, metric 600" sh -c "grep -qx CLASS=wifi $W/run/fd1.lease && grep -qx METRIC=600 $W/run/fd1.lease"
check "lease files stay shell-sourceable" sh -c ". $W/run/fd1.lease && test \"\$PREFIX6\" = 2001:db8:72::/64"
check "resolv.conf: the RDNSS servers, the lower metric first" sh -c "grep nameserver $W/run/resolv.conf | tr '\n' ' ' | grep -qx 'nameserver 2001:db8:71::53 nameserver 2001:db8:72::53 '"
cat "$W/run/resolv.conf"

# Carrier loss on fd0: its IPv6 default route goes, fd1's carries the traffic; back: restored.
ip -n "$S" link set sd0 down
check "carrier lost: fd0's IPv6 default route withdrawn" wait_for 5 sh -c "! ip -6 route show default dev fd0 | grep -q ."
check "IPv6 traffic moves to fd1" sh -c "ip -6 route get 2001:db8:99::1 | grep -q 'dev fd1'"
check "carrier lost: fd0's on-link prefix route withdrawn too" wait_for 5 sh -c "! ip -6 route show 2001:db8:71::/64 dev fd0 | grep -q ."
check "  the SLAAC address, past DAD, stays" ferry_slaac fd0 2001:db8:71::
ip -n "$S" link set sd0 up
check "carrier back: restored at metric 100" wait_for 10 sh -c "ip -6 route show default dev fd0 | grep -q 'metric 100 '"
check "  with the rest of the router's lifetime" route_expires default fd0 100
check "  the prefix route too, at metric 100, proto ra" wait_for 10 sh -c "ip -6 route show 2001:db8:71::/64 dev fd0 | grep -q 'proto ra metric 100 '"
check "  with the rest of its lifetime" route_expires 2001:db8:71::/64 fd0 100
kill "$FPID"; wait "$FPID" 2>/dev/null
sed 's/^/    /' "$W/out"

# DHCPv6 (the RA's M flag): IA_NA, DNS (option 23), the boot file URL (option 59) in the lease.
veth fd3 sd3 "$S" 10.73.0.1/24
mkdir -p "$W/www" "$W/o"
ip -n "$S" addr add 2001:db8:73::1/64 dev sd3 nodad
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=53 --no-resolv --no-hosts \
	--host-record=boot6.test,2001:db8:73::1 --local=/boot6.test/ --log-queries --user=root --pid-file= --enable-tftp --tftp-root="$W/www" \
	--interface=sd3 --bind-interfaces --enable-ra --dhcp-range=2001:db8:73::100,2001:db8:73::1ff,64,1h \
	--dhcp-option=option6:dns-server,[2001:db8:73::1] --dhcp-option=option6:bootfile-url,http://[2001:db8:73::1]/boot.ipxe \
	--dhcp-leasefile="$W/sd3.leases" --log-facility="$W/dnsmasq-sd3.log" --log-dhcp
"$FERRY" net --cmdline "ip=:::::fd3:dhcp ferry.net.ipv6=auto ferry.net.timeout=20" --run-dir "$W/run4" > "$W/out4" 2>&1
rc=$?
sed 's/^/    /' "$W/out4"
check "DHCPv6: exit 0 once the Reply is in" test "$rc" = 0
check "DHCPv6: an address from the range, /128" sh -c "ip -6 -o addr show fd3 | grep -Eq 'inet6 2001:db8:73::1[0-9a-f]{2}/128'"
check "DHCPv6: past DAD once configured (the netboot below may use it at once)" sh -c "! ip -6 addr show fd3 | grep -q tentative"
check "DHCPv6: the lease's ADDRESS6" grep -Eqx 'ADDRESS6=2001:db8:73::1[0-9a-f]{2}' "$W/run4/fd3.lease"
check "DHCPv6: BOOTFILE from option 59" grep -qx "BOOTFILE='http://\[2001:db8:73::1\]/boot.ipxe'" "$W/run4/fd3.lease"
check "DHCPv6: DNS6 from option 23" grep -qx "DNS6='2001:db8:73::1'" "$W/run4/fd3.lease"
check "DHCPv6: resolv.conf" grep -qx "nameserver 2001:db8:73::1" "$W/run4/resolv.conf"
check "DHCPv6: the default route still from the RA (metric 101: fd0's 100 is kept, not replaced)" sh -c "ip -6 route show default dev fd3 | grep -q 'proto ra metric 101 '"

# ferry.netboot=dhcp from that IPv6-only lease: option 59's URL, HTTP to an [IPv6] literal.
mkdir -p "$W/www" "$W/o"
python3 -c "
import sys
b = bytearray(b'\0' * 0x4000)
b[0x1fe:0x200] = b'\x55\xaa'; b[0x202:0x206] = b'HdrS'
sys.stdout.buffer.write(b)" > "$W/www/vmlinuz"
printf '#!ipxe\nkernel http://[2001:db8:73::1]/vmlinuz console=ttyS0\nboot\n' > "$W/www/boot.ipxe"
bg ip netns exec "$S" sh -c "exec python3 -m http.server --bind 2001:db8:73::1 --directory $W/www 80 >/dev/null 2>$W/http.log"
wait_for 5 ip netns exec "$S" sh -c "ss -ltn | grep -q '2001:db8:73::1\]:80'" || bad "http.server did not start"
timeout -k 2 60 "$FERRY" netboot --run-dir "$W/run4" --out "$W/o" --cmdline ferry.netboot=dhcp > "$W/out5" 2>&1
rc=$?
sed 's/^/    /' "$W/out5" | tail -6
check "netboot=dhcp over DHCPv6: exit 0" test "$rc" = 0
check "  the lease's boot file URL" grep -q "the lease's boot file (fd3): http://\[2001:db8:73::1\]/boot.ipxe" "$W/out5"
check "  the kernel over HTTP to [2001:db8:73::1]" cmp "$W/www/vmlinuz" "$W/o/kernel"
check "TFTP to an [IPv6] literal" sh -c "timeout -k 2 30 $FERRY netboot --fetch tftp://[2001:db8:73::1]/vmlinuz --out $W/o/tftp >/dev/null 2>&1 && cmp $W/www/vmlinuz $W/o/tftp"
# A name with only an AAAA record, from the lease's IPv6 name server (DNS6=).
rm -rf "$W/o"; mkdir -p "$W/o"
printf '#!ipxe\nkernel http://boot6.test/vmlinuz\nboot\n' > "$W/www/name.ipxe"
timeout -k 2 60 "$FERRY" netboot --run-dir "$W/run4" --out "$W/o" --cmdline ferry.netboot=http://boot6.test/name.ipxe > "$W/out5" 2>&1
rc=$?
sed 's/^/    /' "$W/out5" | tail -5
check "AAAA: exit 0, boot6.test resolved by AAAA" sh -c "test $rc = 0 && grep -q 'boot6.test is 2001:db8:73::1' $W/out5"
check "  the kernel by name over IPv6" cmp "$W/www/vmlinuz" "$W/o/kernel"
ip link del fd3

# Stateless DHCPv6 (the O flag alone): SLAAC addresses, DNS and the boot file URL by an
# Information-request.
veth fd5 sd5 "$S" 10.75.0.1/24
ip -n "$S" addr add 2001:db8:75::1/64 dev sd5 nodad
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd5 --bind-interfaces --enable-ra --dhcp-range=2001:db8:75::,ra-stateless,64,1h \
	--dhcp-option=option6:dns-server,[2001:db8:75::53] --dhcp-option=option6:bootfile-url,tftp://[2001:db8:75::1]/boot.ipxe \
	--log-facility="$W/dnsmasq-sd5.log" --log-dhcp
bg "$FERRY" net --stay --cmdline "ip=:::::fd5:dhcp ferry.net.ipv6=auto ferry.net.timeout=20" --run-dir "$W/run7" > "$W/out7" 2>&1
FPID=$LAST
# (the RA's part joins the lease once the SLAAC address is past DAD)
stateless() { grep -qx "BOOTFILE='tftp://\[2001:db8:75::1\]/boot.ipxe'" "$W/run7/fd5.lease" && grep -q '^ROUTER6=fe80::' "$W/run7/fd5.lease"; }
check "stateless: BOOTFILE and ROUTER6 in the lease (within 20 s)" wait_for 20 stateless
kill "$FPID"; wait "$FPID" 2>/dev/null
grep -E 'fd5' "$W/out7" | sed 's/^/    /'
check "stateless: an Information-request, named" grep -q "fd5: the router asks for DHCPv6 (O flag): an Information-request" "$W/out7"
check "stateless: DNS6 from option 23" grep -qx "DNS6='2001:db8:75::53'" "$W/run7/fd5.lease"
check "  ADDRESS6 the SLAAC address (no DHCPv6 one)" slaac6 "$W/run7/fd5.lease" fd5 2001:db8:75:0:
check "stateless: a SLAAC address" wait_for 5 sh -c "ip -6 -o addr show fd5 scope global | grep -q 'inet6 2001:db8:75:0:'"
ip link del fd5

# dracut's ip=IF:dhcp6: DHCPv6 from carrier on, whatever ferry.net.ipv6= says and with no router
# at all (dnsmasq without --enable-ra): the address, no IPv4 on the link (METHOD=none, no DISCOVER).
veth fd7 sd7 "$S" 10.77.0.1/24
ip -n "$S" addr add 2001:db8:77::1/64 dev sd7 nodad
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd7 --bind-interfaces --dhcp-range=2001:db8:77::100,2001:db8:77::1ff,64,1h \
	--dhcp-option=option6:dns-server,[2001:db8:77::53] --dhcp-leasefile="$W/sd7.leases" \
	--log-facility="$W/dnsmasq-sd7.log" --log-dhcp
start=$(date +%s%N)
"$FERRY" net --cmdline "ip=fd7:dhcp6 ferry.net.ipv6=off ferry.net.timeout=15" --run-dir "$W/run9" > "$W/out9" 2>&1
rc=$?
echo "  (took $(( ($(date +%s%N) - start) / 1000000 )) ms)"
sed 's/^/    /' "$W/out9"
check "ip=fd7:dhcp6: exit 0 on DHCPv6's Reply, no router needed" test "$rc" = 0
check "  solicited at carrier, not on a router's flag" sh -c "grep -q 'fd7: DHCPv6 (ip=...:dhcp6): soliciting' $W/out9 && ! grep -q 'the router asks' $W/out9"
check "  the word wins over ferry.net.ipv6=off" grep -q 'fd7: ethernet, no IPv4, IPv6 dhcp6' "$W/out9"
check "  an address from the range, /128" sh -c "ip -6 -o addr show fd7 | grep -Eq 'inet6 2001:db8:77::1[0-9a-f]{2}/128'"
check "  past DAD when ferry says configured (not tentative: a source beyond the link)" sh -c "! ip -6 addr show fd7 | grep -q tentative"
check "  lease: METHOD=none, ADDRESS6, DNS6, no router" sh -c "grep -qx METHOD=none $W/run9/fd7.lease && grep -Eqx 'ADDRESS6=2001:db8:77::1[0-9a-f]{2}' $W/run9/fd7.lease && grep -qx \"DNS6='2001:db8:77::53'\" $W/run9/fd7.lease && grep -qx ROUTER6= $W/run9/fd7.lease"
check "  no IPv4: no DISCOVER, no IPv4 address" sh -c "! grep -qi 'discover' $W/out9 && ! ip -4 addr show fd7 | grep -q inet"
check "  resolv.conf lists the DHCPv6 server" grep -qx "nameserver 2001:db8:77::53" "$W/run9/resolv.conf"

# ip=IF:auto6 against a router that sets the M flag (a stateful range with SLAAC as well): SLAAC
# and the default route alone, no DHCPv6. ip=IF:dhcp with ip=IF:dhcp6 on another link: both families.
veth fd8 sd8 "$S" 10.78.0.1/24
ip -n "$S" addr add 2001:db8:78::1/64 dev sd8 nodad
dnsmasq_on "$S" sd8 10.78.0.10 10.78.0.20 10.78.0.1 --enable-ra --dhcp-range=2001:db8:78::100,2001:db8:78::1ff,slaac,64,1h ||
	bad "dnsmasq on sd8 did not start"
"$FERRY" net --cmdline "ip=fd8:auto6 ferry.net.timeout=15" --run-dir "$W/run10" > "$W/out10" 2>&1
rc=$?
sed 's/^/    /' "$W/out10"
check "ip=fd8:auto6: exit 0 on the RA's default route" test "$rc" = 0
check "  the default route at metric 100, proto ra" sh -c "ip -6 route show default dev fd8 | grep -q 'proto ra metric 10[0-9] '"
check "  a SLAAC address" wait_for 5 sh -c "ip -6 -o addr show fd8 scope global | grep -q 'inet6 2001:db8:78:0:'"
check "  the lease: ADDRESS6 the SLAAC address" slaac6 "$W/run10/fd8.lease" fd8 2001:db8:78:0:
check "  the M flag did not start DHCPv6: no /128, nothing logged" sh -c "! ip -6 addr show fd8 | grep -q '/128' && ! grep -q DHCPv6 $W/out10"
check "  no IPv4 either" sh -c "! ip -4 addr show fd8 | grep -q inet"
"$FERRY" net --cmdline "ip=fd8:dhcp ip=fd8:dhcp6 ferry.net.timeout=15" --run-dir "$W/run11" > "$W/out11" 2>&1
rc=$?
sed 's/^/    /' "$W/out11"
both46() { grep -q '^ADDRESS=10.78.0.' "$W/run11/fd8.lease" && grep -Eq '^ADDRESS6=2001:db8:78::1[0-9a-f]{2}$' "$W/run11/fd8.lease"; }
check "ip=fd8:dhcp ip=fd8:dhcp6: exit 0" test "$rc" = 0
check "  IPv4 lease and DHCPv6 address on one link (the lease has both)" wait_for 10 both46
check "  METHOD=dhcp" grep -qx METHOD=dhcp "$W/run11/fd8.lease"
# A device-less ip=dhcp6 with ferry.net=required: every link solicits; ready only once one has
# DHCPv6's address (not at once: no link is configured before that).
"$FERRY" net --cmdline "ip=dhcp6 ferry.net=required ferry.net.timeout=15" --run-dir "$W/run12" > "$W/out12" 2>&1
rc=$?
sed 's/^/    /' "$W/out12" | grep -E 'fd7|fd8|configured'
check "ip=dhcp6 (every link), required: exit 0" test "$rc" = 0
check "  configured only after a DHCPv6 address" sh -c "grep -E 'from DHCPv6|configured' $W/out12 | head -1 | grep -q 'from DHCPv6'"
check "  no IPv4 on any link (no DISCOVER)" sh -c "! grep -qi discover $W/out12"
ip link del fd7; ip link del fd8

# ip=IF:auto6, then at once HTTP to a server beyond the router (a third namespace): ferry says
# configured on the RA's route while the SLAAC address is still in DAD; a connection begun then
# would keep the link-local source, which the router does not forward. The fetch waits for a global
# source instead of failing the try (or, behind a router that drops silently, stalling until
# ferry.netboot.timeout=).
# (the links of the sections above leave first: their global addresses would be other sources)
ip link del fd0; ip link del fd1
srv_ns T
ip link add fd9 type veth peer name sd9 netns "$S"
ip -n "$S" addr add 2001:db8:79::1/64 dev sd9 nodad
ip -n "$S" link set sd9 up
ip -n "$S" link add st0 type veth peer name ts0 netns "$T"
ip -n "$S" addr add 2001:db8:7a::1/64 dev st0 nodad
ip -n "$S" link set st0 up
ip -n "$T" addr add 2001:db8:7a::2/64 dev ts0 nodad
ip -n "$T" link set ts0 up
ip -n "$T" -6 route add default via 2001:db8:7a::1 dev ts0
ip netns exec "$S" sysctl -qw net.ipv6.conf.all.forwarding=1
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd9 --bind-interfaces --enable-ra --dhcp-range=2001:db8:79::,ra-only,64,1h --log-facility="$W/dnsmasq-sd9.log"
mkdir -p "$W/www9"
head -c 65536 /dev/urandom > "$W/www9/blob"
bg ip netns exec "$T" sh -c "exec python3 -m http.server --bind 2001:db8:7a::2 --directory $W/www9 80 >/dev/null 2>$W/http9.log"
wait_for 5 ip netns exec "$T" sh -c "ss -ltn | grep -q '2001:db8:7a::2\]:80'" || bad "http.server in T did not start"
# The fetch from T beyond the router, timed: rc, ms; its log in out14.
fetch9() {
	start=$(date +%s%N)
	timeout -k 2 40 "$FERRY" netboot --fetch "http://[2001:db8:7a::2]/blob" --out "$W/blob9" > "$W/out14" 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	sed 's/^/    /' "$W/out14" | tail -3
}
# ip=IF:auto6 alone: configured (exit, the lease's ROUTER6=) only once the SLAAC address is past DAD,
# not on the RA's route while it is still tentative.
"$FERRY" net --cmdline "ip=fd9:auto6 ferry.net.timeout=15" --run-dir "$W/run13" > "$W/out13" 2>&1
rc=$?
addrs=$(ip -6 -o addr show dev fd9 scope global)
sed 's/^/    /' "$W/out13"
check "ip=fd9:auto6: exit 0" test "$rc" = 0
check "  a SLAAC address, past DAD when ferry says configured (not tentative)" sh -c "echo '$addrs' | grep -q 'inet6 2001:db8:79:0:' && ! echo '$addrs' | grep -q tentative"
check "  said so, before 'configured'" sh -c "grep -E 'past DAD|configured' $W/out13 | head -1 | grep -q 'fd9: global address 2001:db8:79:0:.* past DAD'"
check "  the lease: ROUTER6 and PREFIX6" sh -c "grep -q '^ROUTER6=fe80::' $W/run13/fd9.lease && grep -qx 'PREFIX6=2001:db8:79::/64' $W/run13/fd9.lease"
# The netboot below needs the address tentative again: the link down takes it (its addresses go
# with the link), and a ferry net that stays forms it anew; the fetch begins as soon as
# the RA's route is there.
ip link set fd9 down
bg "$FERRY" net --stay --cmdline "ip=fd9:auto6 ferry.net.timeout=15" --run-dir "$W/run13" > "$W/out13" 2>&1
FPID=$LAST
wait_for 15 sh -c "ip -6 route show default dev fd9 | grep -q 'proto ra'" || bad "no RA route on fd9"
ip -6 addr show dev fd9 | grep -q tentative && echo "  (the SLAAC address is still tentative: the case under test)"
fetch9
echo "  (fetch took $ms ms)"
if [ "$rc" != 0 ]; then  # what a failure needs to be understood (seen once, under CI's load)
	echo "  the fetch's exit status $rc; fd9, the router's neighbours, and ferry net's log:"
	{ ip -6 addr show dev fd9; ip -6 route show dev fd9; ip -n "$S" -6 neigh show dev sd9; tail -n 20 "$W/out13"; } |
		sed 's/^/    | /'
fi
check "HTTP beyond the router right after ip=IF:auto6: fetched" sh -c "test $rc = 0 && cmp $W/www9/blob $W/blob9"
check "  within 10 s (no stall on a link-local source)" test "$ms" -lt 10000
# Linux as the router answers a link-local source with "beyond scope" (Host is unreachable), and a
# try is spent on it; a router that drops it silently would stall the try until the timeout.
# (waiting for the source is what happens when the address is still in DAD at the connect; on a
# loaded machine DAD may be over first, and then there is nothing to wait for: either is right)
grep -q 'waiting for a global IPv6 source address' "$W/out14" && echo "  (it waited for the global source)"
check "  the first try succeeds: no unreachable, no second try" sh -c "test $rc = 0 && ! grep -q 'trying again' $W/out14"
kill "$FPID"; wait "$FPID" 2>/dev/null
# The same right after the link is up, while every address of it is still in DAD, the link-local
# one too (DAD slowed to 2 s a probe, so it surely is; the address and route set here, not by an
# RA, which comes only after the link-local DAD): the kernel then takes ::1 for the source, which
# nothing answers, and a connection begun from it stalled until ferry.netboot.timeout= (seen in CI
# under load). The fetch waits for the global source as above.
ip link set fd9 down
sysctl -qw net.ipv6.neigh.fd9.retrans_time_ms=2000 net.ipv6.conf.fd9.accept_ra=0
ip link set fd9 up
ip addr add 2001:db8:79::99/64 dev fd9
ip -6 route add default via 2001:db8:79::1 dev fd9
tent=$(ip -6 addr show dev fd9 | grep -c tentative)
fetch9
echo "  (fetch took $ms ms; $tent of fd9's addresses tentative at its start)"
check "every address of fd9 in DAD at the fetch (its link-local one too): the case under test" test "$tent" = 2
check "  fetched from the global source once DAD is over" sh -c "test $rc = 0 && cmp $W/www9/blob $W/blob9"
check "  within 12 s (no stall on ::1)" test "$ms" -lt 12000
check "  it waited for the global source, and the first try succeeded" sh -c "grep -q 'waiting for a global IPv6 source address' $W/out14 && ! grep -q 'trying again' $W/out14"
ip link del fd9

# dracut's static IPv6, ip=[addr]::[gw]:plen:host:dev:none:[dns]: the address past DAD before ferry
# says configured, the default route at the link class's metric (wifi here: 600), the name server in
# the lease and resolv.conf, and the router's RAs (another prefix) ignored, by ferry and the kernel.
veth fd10 sd10 "$S" 10.80.0.1/24
ip -n "$S" addr add 2001:db8:7b::1/64 dev sd10 nodad
ip -n "$S" addr add 2001:db8:7c::1/64 dev sd10 nodad
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd10 --bind-interfaces --enable-ra --dhcp-range=2001:db8:7c::,ra-only,64,1h --log-dhcp --log-facility="$W/dnsmasq-sd10.log"
"$FERRY" net --cmdline "ip=[2001:db8:7b::10]::[2001:db8:7b::1]:64:st6:fd10:none:[2001:db8:7b::53] ferry.linkclass=fd10:wifi ferry.net.timeout=15" \
	--run-dir "$W/run15" > "$W/out15" 2>&1
rc=$?
addrs=$(ip -6 -o addr show dev fd10 scope global)
sed 's/^/    /' "$W/out15"
check "ip=[v6]::[gw]:64::fd10:none: exit 0" test "$rc" = 0
check "  2001:db8:7b::10/64 on fd10, past DAD when ferry says configured" sh -c "echo '$addrs' | grep -q 'inet6 2001:db8:7b::10/64' && ! echo '$addrs' | grep -q tentative"
check "  the default route via 2001:db8:7b::1 at metric 600 (wifi), proto static" sh -c "ip -6 route show default dev fd10 | grep -q 'via 2001:db8:7b::1 proto static metric 600 '"
ip -6 route show dev fd10 | sed 's/^/    /'
check "  the prefix route 2001:db8:7b::/64 at metric 600 too, proto static, not the kernel's at 256" sh -c "ip -6 route show 2001:db8:7b::/64 dev fd10 | grep -q 'proto static metric 600 ' && ! ip -6 route show 2001:db8:7b::/64 | grep -q 'metric 256'"
check "  no IPv4: METHOD=none, no DISCOVER" sh -c "grep -qx METHOD=none $W/run15/fd10.lease && ! grep -qi discover $W/out15"
check "  lease: ADDRESS6, ROUTER6, PREFIX6, DNS6" sh -c "grep -qx ADDRESS6=2001:db8:7b::10 $W/run15/fd10.lease && grep -qx ROUTER6=2001:db8:7b::1 $W/run15/fd10.lease && grep -qx PREFIX6=2001:db8:7b::/64 $W/run15/fd10.lease && grep -qx \"DNS6='2001:db8:7b::53'\" $W/run15/fd10.lease"
check "  resolv.conf: the name server" grep -qx "nameserver 2001:db8:7b::53" "$W/run15/resolv.conf"
# an echo from the static address (no ping binary needed)
echo6() { python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6); s.settimeout(2); s.bind(('$1', 0))
s.sendto(bytes([128, 0, 0, 0, 0, 1, 0, 1]), ('$2', 0))
while s.recvfrom(1500)[0][0] != 129: pass"; }
check "  the router answers an echo from the static address" echo6 2001:db8:7b::10 2001:db8:7b::1
# A router solicitation of the test's own (the kernel sends none with accept_ra=0): dnsmasq answers
# with an RA for 2001:db8:7c::/64, which neither ferry nor the kernel may act on.
python3 -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.sendto(bytes([133, 0, 0, 0, 0, 0, 0, 0]), ('ff02::2', 0, 0, socket.if_nametoindex('fd10')))"
wait_for 5 grep -q 'RTR-ADVERT(sd10)' "$W/dnsmasq-sd10.log" || bad "dnsmasq sent no RA on sd10"
sleep 2
check "  RAs ignored: no SLAAC address, no proto ra or 1024 route" sh -c "! ip -6 addr show dev fd10 | grep -q 2001:db8:7c && ! ip -6 route show dev fd10 | grep -Eq 'proto ra|metric 1024'"
check "  plan: the static address, gateway and prefix route" sh -c "$FERRY plan --cmdline 'ip=[2001:db8:7b::10]::[2001:db8:7b::1]:64::fd10:none' | grep '^net: fd10: no IPv4, ipv6 static 2001:db8:7b::10/64 via 2001:db8:7b::1 ' | grep -q 'the prefix route 2001:db8:7b::/64 and the default route at the link.s metric'"
# Carrier: the route withdrawn and restored, as for IPv4 (the run above left its route: the links
# stay configured when ferry leaves).
ip -6 route del default dev fd10
ip -6 route del 2001:db8:7b::/64 dev fd10 proto static 2>/dev/null
bg "$FERRY" net --stay --cmdline "ip=[2001:db8:7b::10]::[2001:db8:7b::1]:64::fd10:none ferry.linkclass=fd10:wifi" --run-dir "$W/run16" > "$W/out16" 2>&1
FPID=$LAST
wait_for 10 test -e "$W/run16/fd10.lease"
ip -n "$S" link set sd10 down
check "static IPv6, carrier lost: the default route withdrawn" wait_for 5 sh -c "! ip -6 route show default dev fd10 | grep -q ."
check "  and the prefix route" wait_for 5 sh -c "! ip -6 route show 2001:db8:7b::/64 dev fd10 | grep -q ."
ip -n "$S" link set sd10 up
check "  carrier back: restored at 600" wait_for 10 sh -c "ip -6 route show default dev fd10 | grep -q 'proto static metric 600 '"
check "  the prefix route too, at 600" wait_for 10 sh -c "ip -6 route show 2001:db8:7b::/64 dev fd10 | grep -q 'proto static metric 600 '"
kill "$FPID"; wait "$FPID" 2>/dev/null
# Carrier lost while DAD runs, for longer than the wait's 5 s: not taken for a duplicate (the kernel
# goes on with DAD without carrier, and with nothing answering it passes).
ip -6 addr del 2001:db8:7b::10/64 dev fd10; ip -6 route del default dev fd10 2>/dev/null
ip -6 route del 2001:db8:7b::/64 dev fd10 proto static 2>/dev/null
bg "$FERRY" net --stay --cmdline "ip=[2001:db8:7b::10]::[2001:db8:7b::1]:64::fd10:none ferry.net.timeout=25" --run-dir "$W/run21" > "$W/out21" 2>&1
FPID=$LAST
wait_for 5 sh -c "ip -6 addr show dev fd10 | grep -q '2001:db8:7b::10/64 scope global tentative'"
ip -n "$S" link set sd10 down
sleep 6
# (Linux's DAD runs on without carrier and "passes" unheard, and is not repeated at carrier: the
# address must neither count then nor keep that DAD)
check "static IPv6, carrier lost during DAD: not configured without carrier, the address removed" sh -c "test ! -e $W/run21/fd10.lease && ! ip -6 addr show dev fd10 | grep -q 2001:db8:7b::10"
ip -n "$S" link set sd10 up
check "  configured once it is back" wait_for 10 grep -qx ADDRESS6=2001:db8:7b::10 "$W/run21/fd10.lease"
check "  not called a duplicate; added again at carrier, for a DAD on the link" sh -c "! grep -q 'still tentative' $W/out21 && grep -q 'fd10: carrier lost during DAD: 2001:db8:7b::10/64 (ip=) removed, added again at carrier' $W/out21"
kill "$FPID"; wait "$FPID" 2>/dev/null
grep fd10 "$W/out21" | sed 's/^/    /'
# A duplicate (the router already holds the address): DAD fails, the address removed, not configured.
ip -n "$S" addr add 2001:db8:7b::20/64 dev sd10 nodad
"$FERRY" net --cmdline "ip=[2001:db8:7b::20]::[2001:db8:7b::1]:64::fd10:none ferry.net.timeout=8" --run-dir "$W/run17" > "$W/out17" 2>&1
rc=$?
sed 's/^/    /' "$W/out17"
check "static IPv6 duplicate: exit 1, named" sh -c "test $rc = 1 && grep -q 'fd10: 2001:db8:7b::20/64 (ip=) still tentative after 5000 ms (a duplicate on the link?): removed' $W/out17"
check "  the bound says why" grep -q 'fd10: the static IPv6 address failed' "$W/out17"
check "  the address is gone" sh -c "! ip -6 addr show dev fd10 | grep -q 2001:db8:7b::20"
ip link del fd10

# dad_link IF PEER NET4 PREFIX6: a veth pair whose far end holds PREFIX6::1/64 (no DAD of its own,
# kept while its link is down) and whose near end runs DAD with 3 probes (3 to 4 s): the window a
# carrier loss during DAD needs
dad_link() {
	veth "$1" "$2" "$S" "$3"
	ip netns exec "$S" sysctl -qw "net.ipv6.conf.$2.keep_addr_on_down=1"
	ip -n "$S" addr add "$4::1/64" dev "$2" nodad
	sysctl -qw "net.ipv6.conf.$1.dad_transmits=3"
}

# dad_cut IF PEER N IP= SECONDS ADDR_RE WHAT: ferry net --stay with IP= (run dir run$N, output out$N,
# its PID in FPID), once an address matching ADDR_RE is tentative on IF (within SECONDS) the peer's
# carrier goes for 6 s: longer than the DAD wait's 5 s bound
dad_cut() {
	bg "$FERRY" net --stay --cmdline "$4 ferry.net.timeout=40" --run-dir "$W/run$3" > "$W/out$3" 2>&1
	FPID=$LAST
	wait_for "$5" sh -c "ip -6 addr show dev $1 | grep -q '$6 scope global tentative'" || bad "no $7 in DAD on $1"
	ip -n "$S" link set "$2" down
	sleep 6
}
# Carrier lost while DHCPv6's address is in DAD (3 probes: 3 to 4 s), for longer than the wait's 5 s:
# the address does not count without carrier (Linux's DAD "passes" there unheard), it is removed,
# and carrier back solicits again and waits for a DAD on the link.
dad_link fd14 sd14 10.84.0.1/24 2001:db8:60
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd14 --bind-interfaces --dhcp-range=2001:db8:60::100,2001:db8:60::1ff,64,1h \
	--dhcp-leasefile="$W/sd14.leases" --log-facility="$W/dnsmasq-sd14.log" --log-dhcp
dad_cut fd14 sd14 22 ip=fd14:dhcp6 15 "2001:db8:60::1.*/128" "DHCPv6 address"
check "DHCPv6, carrier lost during DAD: the address not counted without carrier" sh -c "! grep -q 'from DHCPv6 (valid' $W/out22 && ! grep -q '^ADDRESS6=2001' $W/run22/fd14.lease 2>/dev/null"
check "  the tentative address removed" sh -c "! ip -6 addr show dev fd14 | grep -q 2001:db8:60"
ip -n "$S" link set sd14 up
check "  carrier back: solicited again, the address in the lease" wait_for 15 grep -Eqx 'ADDRESS6=2001:db8:60::1[0-9a-f]{2}' "$W/run22/fd14.lease"
check "  past a DAD on the link, no duplicate said" sh -c "! ip -6 addr show dev fd14 | grep -q tentative && ! grep -q 'still tentative' $W/out22 && grep -q 'fd14: carrier lost during DAD: 2001:db8:60::1.*/128 from DHCPv6 removed' $W/out22"
kill "$FPID"; wait "$FPID" 2>/dev/null
grep fd14 "$W/out22" | sed 's/^/    /'
ip link del fd14
# The same for the SLAAC address's DAD (ip=IF:auto6): the RA's part (the lease, readiness) waits
# for carrier, the wait starts again then with its whole bound.
dad_link fd15 sd15 10.85.0.1/24 2001:db8:61
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd15 --bind-interfaces --enable-ra --dhcp-range=2001:db8:61::,ra-only,64,1h --log-facility="$W/dnsmasq-sd15.log"
dad_cut fd15 sd15 23 ip=fd15:auto6 20 "2001:db8:61:0:.*" "SLAAC address"
check "SLAAC, carrier lost during DAD: neither past DAD nor given up without carrier, no lease" sh -c "! grep -Eq 'fd15: (global address .* past DAD|no SLAAC address)' $W/out23 && test ! -e $W/run23/fd15.lease"
check "  the tentative address removed (its DAD without carrier would pass unheard)" sh -c "! ip -6 addr show dev fd15 | grep -q 2001:db8:61:"
ip -n "$S" link set sd15 up
check "  carrier back: waited for again, the lease and the route at the link's metric" wait_for 15 sh -c "grep -q '^ROUTER6=fe80::' $W/run23/fd15.lease && ip -6 route show default dev fd15 | grep -Eq 'proto ra metric 10[0-9] '"
check "  the lease: ADDRESS6 the SLAAC address" slaac6 "$W/run23/fd15.lease" fd15 2001:db8:61:0:
check "  said so, not given up" sh -c "grep -q 'fd15: carrier lost during DAD: 2001:db8:61:0:.*/64 (SLAAC) removed, added again at carrier' $W/out23 && ! grep -q 'no SLAAC address' $W/out23"
kill "$FPID"; wait "$FPID" 2>/dev/null
grep fd15 "$W/out23" | sed 's/^/    /'
ip link del fd15
# DAD redone at carrier: while the carrier is gone, the router takes the very address ferry formed
# (a duplicate now); carrier back, ferry adds it again and the kernel's DAD on the link finds the
# duplicate (the kernel removes the address): not counted, the RA's route alone. (The kernel's own
# SLAAC address would have kept the DAD that "passed" without carrier.)
dad_link fd16 sd16 10.86.0.1/24 2001:db8:62
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd16 --bind-interfaces --enable-ra --dhcp-range=2001:db8:62::,ra-only,64,1h --log-facility="$W/dnsmasq-sd16.log"
A16=$(eui64 fd16 2001:db8:62::)
dad_cut fd16 sd16 24 ip=fd16:auto6 20 "$A16/64" "SLAAC address"
ip -n "$S" addr add "$A16/64" dev sd16 nodad
ip -n "$S" link set sd16 up
check "SLAAC duplicate taken during the outage: DAD at carrier fails, said so" wait_for 15 grep -q "fd16: no SLAAC address in 2001:db8:62::/64 past DAD after 5000 ms ($A16: a duplicate on the link?)" "$W/out24"
check "  removed at the carrier loss, added again at carrier" grep -q "fd16: carrier lost during DAD: $A16/64 (SLAAC) removed, added again at carrier" "$W/out24"
check "  the duplicate is not on fd16 past DAD, nor in the lease" sh -c "! ip -6 -o addr show dev fd16 | grep 'inet6 $A16/' | grep -vq 'tentative' && ! grep -q '^ADDRESS6=2001' $W/run24/fd16.lease"
check "  never said past DAD" sh -c "! grep -q 'fd16: global address' $W/out24"
check "  the RA's route alone: the lease, the default and prefix routes" sh -c "grep -q '^ROUTER6=fe80::' $W/run24/fd16.lease && ip -6 route show default dev fd16 | grep -q 'proto ra' && ip -6 route show 2001:db8:62::/64 dev fd16 | grep -q 'proto ra'"
kill "$FPID"; wait "$FPID" 2>/dev/null
grep fd16 "$W/out24" | sed 's/^/    /'
ip link del fd16

# dracut's ip=either6, "if auto6 fails, then dhcp6" (every ethernet-like link, as ip=auto6): a
# router whose prefix is not autonomous (a stateful range: M flag, no A): DHCPv6 instead.
veth fd11 sd11 "$S" 10.81.0.1/24
ip -n "$S" addr add 2001:db8:7d::1/64 dev sd11 nodad
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd11 --bind-interfaces --enable-ra --dhcp-range=2001:db8:7d::100,2001:db8:7d::1ff,64,1h \
	--dhcp-leasefile="$W/sd11.leases" --log-facility="$W/dnsmasq-sd11.log"
"$FERRY" net --cmdline "ip=either6 ferry.net=required ferry.net.timeout=15" --run-dir "$W/run18" > "$W/out18" 2>&1
rc=$?
sed 's/^/    /' "$W/out18"
check "ip=either6, no autonomous prefix: exit 0" test "$rc" = 0
check "  auto6 failed, by name: DHCPv6 instead" grep -q 'fd11: ip=either6: the router advertises no autonomous /64 prefix: DHCPv6 instead' "$W/out18"
check "  DHCPv6's address (/128), past DAD" sh -c "ip -6 -o addr show fd11 | grep -Eq 'inet6 2001:db8:7d::1[0-9a-f]{2}/128' && ! ip -6 addr show fd11 | grep -q tentative"
check "  the RA's default route, no IPv4" sh -c "ip -6 route show default dev fd11 | grep -q 'proto ra' && ! ip -4 addr show fd11 | grep -q inet"
ip link del fd11
# SLAAC works: either6 is auto6, no DHCPv6.
veth fd12 sd12 "$S" 10.82.0.1/24
ip -n "$S" addr add 2001:db8:7e::1/64 dev sd12 nodad
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd12 --bind-interfaces --enable-ra --dhcp-range=2001:db8:7e::,ra-only,64,1h --log-facility="$W/dnsmasq-sd12.log"
"$FERRY" net --cmdline "ip=either6 ferry.net=required ferry.net.timeout=15" --run-dir "$W/run19" > "$W/out19" 2>&1
rc=$?
sed 's/^/    /' "$W/out19"
check "ip=either6, SLAAC: exit 0 on the SLAAC address past DAD" sh -c "test $rc = 0 && grep -q 'fd12: global address 2001:db8:7e:0:.* past DAD' $W/out19"
check "  no DHCPv6" sh -c "! grep -q DHCPv6 $W/out19 && ! ip -6 addr show fd12 | grep -q /128"
check "  the lease: ADDRESS6 the SLAAC address" slaac6 "$W/run19/fd12.lease" fd12 2001:db8:7e:0:
ip link del fd12
# No router at all (dnsmasq without --enable-ra): after 3 solicitations and an interval, DHCPv6.
veth fd13 sd13 "$S" 10.83.0.1/24
ip -n "$S" addr add 2001:db8:7f::1/64 dev sd13 nodad
bg ip netns exec "$S" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --pid-file= \
	--interface=sd13 --bind-interfaces --dhcp-range=2001:db8:7f::100,2001:db8:7f::1ff,64,1h \
	--dhcp-leasefile="$W/sd13.leases" --log-facility="$W/dnsmasq-sd13.log"
"$FERRY" net --cmdline "ip=either6 ferry.net=required ferry.net.timeout=25" --run-dir "$W/run20" > "$W/out20" 2>&1
rc=$?
sed 's/^/    /' "$W/out20"
check "ip=either6, no router: exit 0" test "$rc" = 0
check "  auto6 failed, by name: DHCPv6 instead" grep -q 'fd13: ip=either6: no router answered 3 solicitations: DHCPv6 instead' "$W/out20"
check "  DHCPv6's address (/128)" sh -c "ip -6 -o addr show fd13 | grep -Eq 'inet6 2001:db8:7f::1[0-9a-f]{2}/128'"
check "  the lease: METHOD=none, ADDRESS6" sh -c "grep -qx METHOD=none $W/run20/fd13.lease && grep -Eqx 'ADDRESS6=2001:db8:7f::1[0-9a-f]{2}' $W/run20/fd13.lease"
ip link del fd13
"$FERRY" plan --cmdline "ip=either6" > "$W/plan" 2>&1
check "plan: ip=either6 on every link" grep -q '^net: every ethernet-like link: no IPv4, ipv6 either6 ' "$W/plan"
"$FERRY" plan --cmdline "ip=eth0:either6" > "$W/plan" 2>&1
check "plan: ip=eth0:either6 refused by name" grep -q 'ip=eth0:either6: either6 only as ip=either6' "$W/plan"

# Hostile advertisements: each refused by name, no default route, ferry.net.timeout reached.
srv_ns H
ip link add fd2 type veth peer name sd2 netns "$H"
ip -n "$H" link set sd2 up
bg ip netns exec "$H" python3 "$HERE/ra-responder.py" sd2
"$FERRY" net --cmdline "ip=:::::fd2:dhcp ferry.net.ipv6=auto ferry.net.timeout=4" --run-dir "$W/run2" > "$W/out2" 2>&1
rc=$?
sed 's/^/    /' "$W/out2" | sort | uniq -c | sort -rn | head -8
check "hostile RAs: not configured, exit 1" test "$rc" = 1
check "refused: hop limit 64" grep -q 'fd2: router advertisement from fe80::.* refused: hop limit not 255' "$W/out2"
check "refused: option past the end" grep -q 'refused: option runs past the end' "$W/out2"
check "refused: RDNSS without a whole address" grep -q 'refused: RDNSS option without a whole address' "$W/out2"
check "no IPv6 default route on fd2" sh -c "! ip -6 route show default dev fd2 | grep -q ."
check "no lease file for fd2" test ! -e "$W/run2/fd2.lease"

# An RDNSS lifetime of 2 s: the server leaves resolv.conf by itself; the router stays.
ip link add fd6 type veth peer name sd6 netns "$H"
ip -n "$H" link set sd6 up
bg ip netns exec "$H" python3 "$HERE/ra-responder.py" sd6 shortdns
bg "$FERRY" net --stay --cmdline "ip=:::::fd6:dhcp ferry.net.ipv6=auto ferry.net.timeout=20" --run-dir "$W/run8" > "$W/out8" 2>&1
FPID=$LAST
check "RDNSS: the server in resolv.conf" wait_for 15 grep -qx "nameserver 2001:db8:67::53" "$W/run8/resolv.conf"
check "RDNSS: gone after its 2 s lifetime" wait_for 5 sh -c "test -s $W/run8/resolv.conf && ! grep -q 2001:db8:67::53 $W/run8/resolv.conf"
check "RDNSS: the lease keeps its router, without DNS6" sh -c "grep -q '^ROUTER6=fe80::' $W/run8/fd6.lease && grep -qx \"DNS6=''\" $W/run8/fd6.lease"
kill "$FPID"; wait "$FPID" 2>/dev/null
grep 'fd6' "$W/out8" | sed 's/^/    /'

# Hostile DHCPv6 answers behind a valid RA with the M flag: each refused by name, no address.
ip link add fd4 type veth peer name sd4 netns "$H"
ip -n "$H" link set sd4 up
bg ip netns exec "$H" python3 "$HERE/dhcp6-responder.py" sd4
"$FERRY" net --cmdline "ip=:::::fd4:dhcp ferry.net.ipv6=auto ferry.net.timeout=12" --run-dir "$W/run6" > "$W/out6" 2>&1
rc=$?
grep -v 'fd2' "$W/out6" | sed 's/^/    /' | sort -k2 | uniq -c -f1 | head -12
check "hostile DHCPv6: not configured, exit 1, said why" sh -c "test $rc = 1 && grep -q 'fd4: no DHCP offer .*, no DHCPv6 lease ([0-9]* Solicits)' $W/out6"
check "the RA's default route is still taken" grep -q 'fd4: IPv6 default route via fe80::' "$W/out6"
check "refused: a boot file URL with a newline" grep -q 'fd4: DHCPv6 Advertise from fe80::.* refused: boot file URL with a space or control character' "$W/out6"
check "refused: NoAddrsAvail" grep -q 'refused: NoAddrsAvail' "$W/out6"
check "refused: IA_NA overrun" grep -q 'refused: IA_NA option runs past its end' "$W/out6"
check "another client's Reply: ignored, not bound" sh -c "! grep -q 'from DHCPv6' $W/out6"
check "no address from the hostile server" sh -c "! ip -6 addr show fd4 | grep -q 2001:db8:66"
check "the lease has no ADDRESS6 and no BOOTFILE" sh -c "grep -qx 'ADDRESS6=' $W/run6/fd4.lease && ! grep -q BOOTFILE $W/run6/fd4.lease"

# `ferry plan` says what each link gets, the ip= word beside ferry.net.ipv6=.
"$FERRY" plan --cmdline "ip=eth0:dhcp ip=eth0:dhcp6 ip=eth1:auto6 ip=dhcp6 ferry.net.ipv6=off" > "$W/plan" 2>&1
grep '^net' "$W/plan" | sed 's/^/    /'
check "plan: eth0 dhcp and dhcp6" grep -q '^net: eth0: dhcp, ipv6 dhcp6 ' "$W/plan"
check "plan: eth1 auto6 alone, no IPv4" grep -q '^net: eth1: no IPv4, ipv6 auto6 ' "$W/plan"
check "plan: the other links dhcp6 without IPv4" grep -q '^net: every other ethernet-like link: no IPv4, ipv6 dhcp6 ' "$W/plan"
"$FERRY" plan --cmdline "ip=eth0:dhcp6x" > "$W/plan" 2>&1
check "plan: ip=eth0:dhcp6x refused by name" grep -q 'ip=eth0:dhcp6x: ' "$W/plan"

# ferry.net.ipv6 is checked.
"$FERRY" net --cmdline "ip=:::::fd2:dhcp ferry.net.ipv6=yes" --run-dir "$W/run3" > "$W/out3" 2>&1
check "ferry.net.ipv6=yes: exit 2, named" sh -c "test $? = 2 && grep -q 'ferry.net.ipv6=yes: expected auto | off' $W/out3"
net_done

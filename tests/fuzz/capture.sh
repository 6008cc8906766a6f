#!/bin/bash
# Seed inputs from live traffic, in a private network namespace (as tests/netns does): the DHCP
# frames between `ferry net` and dnsmasq, and the hostile responder's injection attempts, captured
# with tcpdump; the kernel's rtnetlink replies (link, address and route dumps) and link events
# read raw from a netlink socket. Writes into tests/fuzz/corpus/{fuzz_dhcp,fuzz_lease,fuzz_nl}/.
# usage: tests/fuzz/capture.sh [BUILD_DIR]   (root; run by hand, the results are committed)
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${FERRY_CAPTURE_NS:-}" ]; then
	B=$(cd "${1:-build}" && pwd)
	exec env FERRY_CAPTURE_NS=1 timeout -k 5 60 unshare --net --mount --fork bash "$0" "$B"
fi
. "$TOP/tests/netns/net.lib"
net_init capture "$1"
C=$TOP/tests/fuzz/corpus
mkdir -p "$C/fuzz_dhcp" "$C/fuzz_lease" "$C/fuzz_nl"

python3 - "$W/nl" <<'PY' &
import socket, struct, sys, time
# Link events while the test runs, then dumps of what ferry configured.
RTMGRP_LINK, RTMGRP_IPV4_IFADDR, RTMGRP_IPV4_ROUTE = 1, 0x10, 0x40
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE))
s.settimeout(0.5)
n, end = 0, time.time() + 8
while time.time() < end and n < 40:
    try:
        d = s.recv(65536)
    except socket.timeout:
        continue
    open("%s-event-%02d" % (sys.argv[1], n), "wb").write(d); n += 1
for i, (t, fam) in enumerate([(18, 17), (22, 2), (26, 2)]):   # GETLINK, GETADDR, GETROUTE
    q = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    q.send(struct.pack("=IHHII", 20, t, 0x301, 1, 0) + struct.pack("=Bxxx", fam))
    q.settimeout(1)
    for k in range(4):
        d = q.recv(65536)
        open("%s-dump%d-%d" % (sys.argv[1], i, k), "wb").write(d)
        if struct.unpack("=H", d[4:6])[0] == 3:   # NLMSG_DONE
            break
PY
NLPID=$!
sleep 0.3
srv_ns S
veth cd0 sd0 "$S" 10.71.0.1/24
dnsmasq_on "$S" sd0 10.71.0.10 10.71.0.20 10.71.0.1 --dhcp-option=option:dns-server,10.71.0.53 \
	--dhcp-option=option:domain-name,example.test --dhcp-option=option:mtu,1400 \
	--dhcp-option=121,192.0.2.0/24,10.71.0.2,0.0.0.0/0,10.71.0.1 || bad "dnsmasq did not start"
DNSM=$LAST
ip link set cd0 up
bg tcpdump --immediate-mode -i cd0 -U -w "$W/dhcp.pcap" udp
sleep 0.5
"$FERRY" net --cmdline "ip=::::box:cd0:dhcp ferry.net.timeout=10" --run-dir "$W/run" > "$W/out" 2>&1
check "ferry net against dnsmasq" test $? = 0
sleep 0.3; kill $LAST; wait $LAST 2>/dev/null
kill $DNSM; wait $DNSM 2>/dev/null; ip link del cd0
veth ch0 sh0 "$S" 10.81.0.1/24
bg ip netns exec "$S" python3 "$TOP/tests/netns/dhcp-responder.py" sh0 inject "$W/inject.log"
RESP=$LAST
ip link set ch0 up
bg tcpdump --immediate-mode -i ch0 -U -w "$W/inject.pcap" udp
sleep 0.5
"$FERRY" net --cmdline "ip=:::::ch0:dhcp ferry.net.timeout=5" --run-dir "$W/run" > "$W/out2" 2>&1
check "ferry net against the injecting responder" test $? = 0
sleep 0.3; kill $LAST $RESP; wait $LAST $RESP 2>/dev/null
wait $NLPID

python3 - "$W" "$C" <<'PY'
import glob, os, struct, sys
w, c = sys.argv[1], sys.argv[2]
def packets(path):
    b = open(path, "rb").read()
    assert struct.unpack("<I", b[:4])[0] == 0xa1b2c3d4 and struct.unpack("<I", b[20:24])[0] == 1
    i = 24
    while i + 16 <= len(b):
        incl = struct.unpack("<I", b[i + 8:i + 12])[0]
        yield b[i + 16:i + 16 + incl]
        i += 16 + incl
n = 0
for name in ("dhcp", "inject"):
    for k, p in enumerate(packets("%s/%s.pcap" % (w, name))):
        ip = p[14:]
        if p[12:14] != b"\x08\x00" or ip[9] != 17:
            continue
        hl = (ip[0] & 15) * 4
        sport = struct.unpack("!H", ip[hl:hl + 2])[0]
        open("%s/fuzz_dhcp/%s-%d" % (c, name, k), "wb").write(ip)
        if sport == 67:   # a server's reply: as the lease writer gets it
            open("%s/fuzz_lease/%s-%d" % (c, name, k), "wb").write(
                b"\x01" + name.encode()[:2] + b"0\0box\0\0ethernet\0/run/ferry/net\0" + ip[hl + 8:])
        n += 1
for f in sorted(glob.glob(w + "/nl-*")):
    open("%s/fuzz_nl/%s" % (c, os.path.basename(f)), "wb").write(open(f, "rb").read())
print("capture: %d DHCP frames, %d netlink datagrams" % (n, len(glob.glob(w + "/nl-*"))))
PY
net_done

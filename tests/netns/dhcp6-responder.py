#!/usr/bin/env python3
"""A hostile DHCPv6 server for tests/netns/net-ipv6.sh on IFACE: a valid RA with the M flag every
second (so the client starts DHCPv6), and to each Solicit one answer in turn that must be refused
by name, never a usable lease.
usage: dhcp6-responder.py IFACE
  url       an Advertise whose boot file URL carries a newline and a command
  noaddrs   an Advertise whose IA_NA says NoAddrsAvail
  overrun   an Advertise whose IA_NA's sub-option runs past its end
  stranger  a Reply with rapid commit for another client's id (ignored: not ours)
"""
import select, socket, struct, sys, time

IFACE = sys.argv[1]
IDX = socket.if_nametoindex(IFACE)
SERVERID = b"\x00\x03\x00\x01\x02\x00\x00\x00\x00\x66"
ADDR = socket.inet_pton(socket.AF_INET6, "2001:db8:66::5")


def opt(code, body):
    return struct.pack("!HH", code, len(body)) + body


def ia(iaid, sub):
    return opt(3, iaid + struct.pack("!II", 1800, 2880) + sub)


def answers(xid, clientid, iaid):
    head = lambda t, cid=clientid: bytes([t]) + xid + opt(1, cid) + opt(2, SERVERID)
    good_ia = ia(iaid, opt(5, ADDR + struct.pack("!II", 3600, 3600)))
    return [
        head(2) + good_ia + opt(59, b"http://[2001:db8:66::1]/x\n$(reboot)"),
        head(2) + ia(iaid, opt(13, b"\x00\x02no addresses")),
        head(2) + ia(iaid, b"\x00\x05\x00\x40" + ADDR),
        head(7, b"\x00\x03\x00\x01\x02\x99\x99\x99\x99\x99") + opt(14, b"") + good_ia,
    ]


def main():
    ra = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    ra.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, IFACE.encode())
    ra.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    pkt = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0x80, 1800, 0, 0)    # M flag, lifetime 1800
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, IFACE.encode())
    s.bind(("::", 547))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                 socket.inet_pton(socket.AF_INET6, "ff02::1:2") + struct.pack("@I", IDX))
    n, last = 0, 0
    while True:
        if time.time() - last > 1:
            last = time.time()
            try:
                ra.sendto(pkt, ("ff02::1", 0, 0, IDX))
            except OSError:
                pass  # the link-local address still tentative
        if not select.select([s], [], [], 0.2)[0]:
            continue
        msg, peer = s.recvfrom(2048)
        if len(msg) < 4 or msg[0] != 1:
            continue
        opts, off, cid, iaid = {}, 4, b"", b"\0\0\0\0"
        while off + 4 <= len(msg):
            code, ln = struct.unpack("!HH", msg[off:off + 4])
            if code == 1:
                cid = msg[off + 4:off + 4 + ln]
            if code == 3:
                iaid = msg[off + 4:off + 8]
            off += 4 + ln
        a = answers(msg[1:4], cid, iaid)
        s.sendto(a[n % len(a)], peer)
        n += 1


main()

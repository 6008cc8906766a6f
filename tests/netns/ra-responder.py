#!/usr/bin/env python3
"""Hostile router advertisements for tests/netns/net-ipv6.sh, sent to ff02::1 on IFACE every
0.3 s until killed, in turn: each is one the client must refuse by name, never a default route.
usage: ra-responder.py IFACE [shortdns]
  hop64     a valid RA at hop limit 64 (from off the link)
  overrun   a prefix option whose length runs past the end
  rdnss     an RDNSS option without a whole address
With shortdns instead: one valid RA whose RDNSS server lives 2 s, sent to the first router
solicitation, then silence (the client must drop the server by itself).
"""
import socket, struct, sys, time

IFACE = sys.argv[1]
IDX = socket.if_nametoindex(IFACE)
HDR = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)      # router lifetime 1800
PREFIX = struct.pack("!BBBBIII16s", 3, 4, 64, 0xC0, 3600, 1800, 0,
                     socket.inet_pton(socket.AF_INET6, "2001:db8:66::"))
CASES = [
    (64, HDR + PREFIX),
    (255, HDR + PREFIX[:2] + b"\x40\xc0" + b"\0" * 4),             # says 32 bytes, has 8
    (255, HDR + struct.pack("!BBHI", 25, 4, 0, 600) + b"\x20\x01" + b"\0" * 22),
]


def shortdns(s):
    rdnss = struct.pack("!BBHI", 25, 3, 0, 2) + socket.inet_pton(socket.AF_INET6, "2001:db8:67::53")
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    icmp6_filter = bytearray(b"\xff" * 32)          # block all but router solicitations (133)
    icmp6_filter[133 >> 3] &= ~(1 << (133 & 7)) & 0xff
    s.setsockopt(socket.IPPROTO_ICMPV6, 1, bytes(icmp6_filter))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,            # all-routers: hear them
                 socket.inet_pton(socket.AF_INET6, "ff02::2") + struct.pack("@I", IDX))
    s.recvfrom(1500)                              # a solicitation: one answer, then silence
    for _ in range(50):                           # (once our own link-local address is usable)
        try:
            s.sendto(HDR + rdnss, ("ff02::1", 0, 0, IDX))
            break
        except OSError:
            time.sleep(0.1)
    while True:
        time.sleep(60)


def main():
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, IFACE.encode())
    if sys.argv[2:] == ["shortdns"]:
        shortdns(s)
    i = 0
    while True:
        hops, pkt = CASES[i % len(CASES)]
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, hops)
        try:
            s.sendto(pkt, ("ff02::1", 0, 0, IDX))
        except OSError:
            pass  # the link-local address still tentative
        i += 1
        time.sleep(0.3)


main()

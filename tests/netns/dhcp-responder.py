#!/usr/bin/env python3
"""A hostile DHCP server for tests/netns/net-hostile.sh: answers on a raw packet socket.
usage: dhcp-responder.py IFACE MODE [LOG]
  garbage   every DISCOVER/REQUEST gets a burst of malformed or foreign replies, never a usable one
  nakstorm  a valid OFFER for every DISCOVER, a NAK for every REQUEST
  inject    valid OFFER/ACK whose domain/hostname try to inject lines into files
"""
import socket, struct, sys

IFACE, MODE = sys.argv[1], sys.argv[2]
LOG = open(sys.argv[3], "a", buffering=1) if len(sys.argv) > 3 else sys.stdout
SERVER = bytes([10, 81, 0, 1])
YIADDR = bytes([10, 81, 0, 50])


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(payload, bad_sum=False, frag=False):
    udp = struct.pack("!HHHH", 67, 68, 8 + len(payload), 0) + payload
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x2000 if frag else 0, 64, 17, 0,
                               SERVER, b"\xff\xff\xff\xff"))
    ip[10:12] = struct.pack("!H", csum(bytes(ip)))
    pseudo = SERVER + b"\xff\xff\xff\xff" + struct.pack("!BBH", 0, 17, len(udp))
    c = csum(pseudo + udp) or 0xFFFF
    if bad_sum:
        c ^= 0x5555
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    return bytes(ip) + udp


def reply(req, opts, op=2, xid=None, chaddr=None, yiaddr=YIADDR, magic=b"\x63\x82\x53\x63", sname=b""):
    b = bytearray(236)
    b[44:44 + len(sname)] = sname
    b[0], b[1], b[2] = op, 1, 6
    b[4:8] = xid if xid is not None else req[4:8]
    b[16:20] = yiaddr
    b[28:44] = chaddr if chaddr is not None else req[28:44]
    return bytes(b) + magic + bytes(opts)


def opt(code, data):
    return bytes([code, len(data)]) + data


def good(t):
    return (opt(53, bytes([t])) + opt(54, SERVER) + opt(51, struct.pack("!I", 600)) +
            opt(1, bytes([255, 255, 255, 0])) + opt(3, SERVER))


def garbage(req, t):
    xid = bytes(b ^ 0xFF for b in req[4:8])
    mac = bytes([0x02, 0xBA, 0xD0, 0, 0, 1]) + bytes(10)
    g = good(t)
    return [
        frame(reply(req, g + b"\xff", xid=xid)),                       # someone else's xid
        frame(reply(req, g + b"\xff", chaddr=mac)),                    # someone else's MAC
        frame(reply(req, g + b"\xff", op=1)),                          # a request, not a reply
        frame(reply(req, g + b"\xff", magic=b"\0\0\0\0")),             # no magic cookie
        frame(reply(req, g + bytes([15, 200]) + b"x" * 20)),           # option runs past the end
        frame(reply(req, g + b"\xff")[:250]),                          # truncated inside the options
        frame(reply(req, g + b"\xff")[:200]),                          # shorter than BOOTP
        frame(reply(req, g + b"\xff"), bad_sum=True),                  # bad UDP checksum
        frame(reply(req, g + b"\xff"), frag=True),                     # a fragment
        frame(reply(req, opt(53, bytes([t])) + opt(51, b"\0\0\0\x3c") + b"\xff")),     # no server id
        frame(reply(req, g + b"\xff", yiaddr=bytes(4))),               # no address
        frame(reply(req, g + b"\xff", yiaddr=bytes([224, 0, 0, 1]))),  # multicast address
        frame(reply(req, opt(53, b"\x09") + opt(54, SERVER) + b"\xff")),  # unknown message type
        frame(reply(req, (opt(53, bytes([t])) + opt(54, SERVER) + opt(121, b"\xff" * 255) +
                          opt(121, bytes([33]) + b"\0" * 8) + b"\x01\x04" + b"\xff")[:1200])),  # bad 121, subnet cut
        frame(reply(req, opt(53, bytes([t])) + opt(54, SERVER) + bytes([52, 1, 3]) + b"\xff",
                    sname=bytes([15, 200]) + b"y" * 62)),              # overload into a junk sname
    ]


def msgtype(p):
    i = 240
    while i + 1 < len(p):
        if p[i] == 0:
            i += 1
            continue
        if p[i] == 255:
            break
        if p[i] == 53 and p[i + 1] == 1:
            return p[i + 2]
        i += 2 + p[i + 1]
    return 0


def main():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    s.bind((IFACE, 0x0800))
    dest = (IFACE, 0x0800, 0, 0, b"\xff" * 6)
    while True:
        pkt, addr = s.recvfrom(2048)
        if addr[2] == socket.PACKET_OUTGOING or len(pkt) < 28 + 240 or pkt[9] != 17:
            continue
        ihl = (pkt[0] & 15) * 4
        if struct.unpack("!H", pkt[ihl + 2:ihl + 4])[0] != 67:
            continue
        req = pkt[ihl + 8:]
        t = msgtype(req)
        print("got %s" % {1: "DISCOVER", 3: "REQUEST"}.get(t, t), file=LOG)
        if MODE == "garbage":
            out = garbage(req, 2 if t == 1 else 5)
        elif MODE == "nakstorm":
            out = [frame(reply(req, good(2) + b"\xff"))] if t == 1 else \
                  [frame(reply(req, opt(53, b"\x06") + opt(54, SERVER) + b"\xff", yiaddr=bytes(4)))] * 20
        else:  # inject
            nasty = opt(15, b"evil\nnameserver 6.6.6.6") + opt(12, b"h'; reboot #") + opt(6, bytes([10, 81, 0, 53]))
            out = [frame(reply(req, good(2 if t == 1 else 5) + nasty + b"\xff"))]
        for f in out:
            s.sendto(f, dest)


main()

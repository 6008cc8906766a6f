#!/usr/bin/env python3
"""A hostile HTTP and TFTP server for tests/netns/netboot-*.sh (the tests' own, not a real peer).
usage: netboot-responder.py ADDR HTTP_PORT TFTP_PORT LOGFILE

HTTP, by path:
  /ok            200, Content-Length, 100 KiB of a pattern
  /chunked       200, chunked, 100 KiB in 1000-byte chunks
  /short         Content-Length 100000, 5000 bytes, then the connection closed
  /long          Content-Length 10, 5000 bytes
  /endless       chunked, without end (until the client hangs up)
  /loop          302 to /loop
  /hop/N         302 to ../hop/N-1 (relative); /hop/0 is /ok
  /stall         headers and 1000 bytes, then nothing
  /garbage       not HTTP
  /bighead       a header line of 100 KB
TFTP, by file name (windowsize refused; 512-byte blocks):
  dup            every DATA block sent twice (a Sorcerer's Apprentice server); ACKs counted per block
  stall          two blocks, then silence
  stranger       each DATA also sent from a second port (a stranger's transfer ID)
  wrongblock     block 1, then block 7
"""
import os, socket, struct, sys, threading, time

addr, hport, tport, logf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
PAT = bytes((i * 7 + 3) & 0xff for i in range(100 * 1024))


def log(*a):
    with open(logf, 'a') as f:
        print(*a, file=f, flush=True)


def http_client(c):
    try:
        req = b''
        while b'\r\n\r\n' not in req:
            d = c.recv(4096)
            if not d:
                return
            req += d
        path = req.split(b' ')[1].decode()
        log('http', path)
        if path == '/ok':
            c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(PAT) + PAT)
        elif path == '/chunked':
            c.sendall(b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')
            for i in range(0, len(PAT), 1000):
                part = PAT[i:i + 1000]
                c.sendall(b'%x\r\n' % len(part) + part + b'\r\n')
            c.sendall(b'0\r\n\r\n')
        elif path == '/short':
            c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n' + PAT[:5000])
        elif path == '/long':
            c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n' + PAT[:5000])
        elif path == '/endless':
            c.sendall(b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')
            chunk = b'%x\r\n' % 65536 + bytes(65536) + b'\r\n'
            while True:
                c.sendall(chunk)
        elif path == '/loop':
            c.sendall(b'HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n')
        elif path.startswith('/hop/'):
            n = int(path[5:])
            loc = b'../hop/%d' % (n - 1) if n > 0 else b'/ok'
            c.sendall(b'HTTP/1.1 301 Moved\r\nLocation: ' + loc + b'\r\nContent-Length: 0\r\n\r\n')
        elif path == '/stall':
            c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n' + PAT[:1000])
            time.sleep(30)
        elif path == '/garbage':
            c.sendall(b'SSH-2.0-OpenSSH_9.2\r\n\r\n')
        elif path == '/bighead':
            c.sendall(b'HTTP/1.1 200 OK\r\nX-Big: ' + b'a' * 100000 + b'\r\n\r\n')
        else:
            c.sendall(b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        c.close()


def http_server():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, hport))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=http_client, args=(c,), daemon=True).start()


def data(n, payload):
    return struct.pack('>HH', 3, n & 0xffff) + payload


def tftp_transfer(mode, peer):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 0))
    s.settimeout(3)
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind((addr, 0))
    other.settimeout(0.2)
    f = PAT[:20 * 512 + 100]
    blocks = [f[i:i + 512] for i in range(0, len(f), 512)]
    acks = {}
    n = 1
    while n <= len(blocks):
        if mode == 'stall' and n > 2:
            time.sleep(30)
            return
        pkt = data(n if not (mode == 'wrongblock' and n == 2) else 7, blocks[n - 1])
        s.sendto(pkt, peer)
        if mode == 'dup':
            s.sendto(pkt, peer)
        if mode == 'stranger':
            other.sendto(pkt, peer)
            try:
                d, _ = other.recvfrom(1024)
                if d[:4] == b'\0\5\0\5':
                    log('tftp stranger got error 5')
            except socket.timeout:
                pass
        try:
            d, _ = s.recvfrom(1024)
        except socket.timeout:
            log('tftp timeout at', n)
            return
        op, b = struct.unpack('>HH', d[:4])
        if op == 5:
            log('tftp client error', d[4:].rstrip(b'\0').decode(errors='replace'))
            return
        acks[b] = acks.get(b, 0) + 1
        # Count every further ACK of this block that arrives within 0.1 s (the duplicates' answers).
        s.settimeout(0.1)
        try:
            while True:
                d, _ = s.recvfrom(1024)
                op, b2 = struct.unpack('>HH', d[:4])
                acks[b2] = acks.get(b2, 0) + 1
        except socket.timeout:
            pass
        s.settimeout(3)
        if b == n:
            n += 1
    log('tftp done', mode, 'max acks per block', max(acks.values()))


def tftp_server():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, tport))
    while True:
        d, peer = s.recvfrom(2048)
        if d[:2] != b'\0\1':
            continue
        name = d[2:].split(b'\0')[0].decode(errors='replace')
        log('tftp rrq', name)
        threading.Thread(target=tftp_transfer, args=(name, peer), daemon=True).start()


threading.Thread(target=http_server, daemon=True).start()
threading.Thread(target=tftp_server, daemon=True).start()
log('ready')
while True:
    time.sleep(3600)

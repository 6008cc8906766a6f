#!/usr/bin/env python3
"""Record TPM 2.0 exchanges with swtpm for tests/unit/test_tpm.c: starts `swtpm socket --tpm2` on
loopback TCP ports in a fresh state directory, sends each command below (built here from the TCG
Part 3 layouts, independently of lib/boot/tpm.c) and prints command and response as C arrays.
usage: tests/unit/tpm/record.py > tests/unit/tpm/exchanges.h"""
import hashlib, os, socket, struct, subprocess, sys, tempfile, time

def cmd(tag, cc, body):
    return struct.pack('>HII', tag, 10 + len(body), cc) + body

PW = struct.pack('>I', 9) + struct.pack('>IHBH', 0x40000009, 0, 0, 0)

def getcap_pcrs():
    return cmd(0x8001, 0x17a, struct.pack('>III', 5, 0, 1))

def extend(pcr, digests):
    body = struct.pack('>I', pcr) + PW + struct.pack('>I', len(digests))
    for alg, d in digests:
        body += struct.pack('>H', alg) + d
    return cmd(0x8002, 0x182, body)

def pcr_read(pcr, alg):
    sel = bytearray(3); sel[pcr // 8] |= 1 << (pcr % 8)
    return cmd(0x8001, 0x17e, struct.pack('>IHB', 1, alg, 3) + bytes(sel))

k = hashlib.sha1(b'kernel').digest(), hashlib.sha256(b'kernel').digest()
cases = [
    ('getcap_pcrs', getcap_pcrs()),
    ('extend9_both', extend(9, [(0x0004, k[0]), (0x000b, k[1])])),
    ('read9_sha256', pcr_read(9, 0x000b)),
    ('extend17_locality', extend(17, [(0x000b, k[1])])),            # PCR 17: locality 4 only
    ('extend_bad_alg', extend(9, [(0x0005, k[1][:32])])),            # 0x0005 is HMAC, not a hash
    ('extend_pcr30', extend(30, [(0x000b, k[1])])),                  # no such PCR
    ('extend_bad_session', cmd(0x8002, 0x182, struct.pack('>I', 9) + struct.pack('>I', 9) +
                               struct.pack('>IHBH', 0x40000001, 0, 0, 0) + struct.pack('>I', 0))),
]

def main():
    d = tempfile.mkdtemp(prefix='ferry-tpm-rec-')
    s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
    p = subprocess.Popen(['swtpm', 'socket', '--tpm2', '--tpmstate', 'dir=' + d,
                          '--server', 'type=tcp,port=%d,bindaddr=127.0.0.1' % port,
                          '--ctrl', 'type=tcp,port=%d,bindaddr=127.0.0.1' % (port + 1),
                          '--flags', 'not-need-init,startup-clear'])
    try:
        for _ in range(50):
            try:
                c = socket.create_connection(('127.0.0.1', port)); break
            except OSError:
                time.sleep(0.1)
        print('/* Recorded by tests/unit/tpm/record.py with %s: command, then swtpm\'s response. */'
              % subprocess.run(['swtpm', '--version'], capture_output=True, text=True).stdout.strip().split(',')[0])
        for name, b in cases:
            c.sendall(b)
            hdr = c.recv(10, socket.MSG_WAITALL)
            rest = struct.unpack('>H I I', hdr)[1] - 10
            r = hdr + (c.recv(rest, socket.MSG_WAITALL) if rest else b'')
            for suffix, data in (('cmd', b), ('rsp', r)):
                print('static const unsigned char %s_%s[] = {' % (name, suffix))
                for i in range(0, len(data), 16):
                    print('\t' + ' '.join('0x%02x,' % x for x in data[i:i + 16]))
                print('};')
        c.close()
    finally:
        p.terminate(); p.wait()
        subprocess.run(['rm', '-rf', d])

main()

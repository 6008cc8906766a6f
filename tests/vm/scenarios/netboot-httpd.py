#!/usr/bin/env python3
"""One HTTP/1.1 connection on stdin/stdout: what QEMU's guestfwd=...-cmd: runs for each connection
the guest opens (libslirp spawns it with the socket as fds 0, 1 and 2, so nothing may go to stderr).
Serves the files of DIR; every request is logged to LOG.
usage: netboot-httpd.py DIR LOG"""
import http.server
import os
import sys

root, log = sys.argv[1], sys.argv[2]
logf = open(log, "a", buffering=1)
sys.stderr = logf  # a traceback must not land in the guest's TCP stream


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # Content-Length on every file, the connection kept

    def setup(self):
        self.rfile = os.fdopen(0, "rb", buffering=0)
        self.wfile = os.fdopen(1, "wb", buffering=0)

    def finish(self):
        pass

    def log_message(self, fmt, *args):
        logf.write("%d %s\n" % (os.getpid(), fmt % args))


Handler(None, ("10.0.2.15", 0), None, directory=root)

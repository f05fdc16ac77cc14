#!/usr/bin/python3
# rcode_dns.py: a DNS server that answers every query with one fixed RCODE
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: rcode_dns.py PORT RCODE|silent [--host 127.0.0.1]
#
# dnsmasq cannot produce SERVFAIL or REFUSED for a zone by itself, and an
# upstream that never answers needs something that listens without replying
# (a closed port would get ICMP back and fail at once). This is that upstream:
# dnsmasq forwards a zone here with server=/zone/127.0.0.1#PORT. It listens on
# UDP and on TCP (which is also how a test sees it is ready). "silent" reads
# queries and never answers. Python stdlib only.

import argparse
import socket
import socketserver
import struct
import sys
import threading

HEADER = struct.Struct("!HHHHHH")
QR = 0x8000
RA = 0x0080
KEEP = 0x7900  # opcode and RD, copied from the query


def question_end(message):
    """Offset just past the first question, or None when it does not parse."""
    offset = HEADER.size
    while offset < len(message):
        length = message[offset]
        if length == 0:
            end = offset + 1 + 4
            return end if end <= len(message) else None
        if length & 0xC0:
            return None
        offset += 1 + length
    return None


def reply(message, rcode):
    if len(message) < HEADER.size:
        return None
    ident, flags, qdcount, _, _, _ = HEADER.unpack_from(message)
    end = question_end(message) if qdcount >= 1 else None
    question = message[HEADER.size:end] if end else b""
    flags = QR | RA | (flags & KEEP) | rcode
    return HEADER.pack(ident, flags, 1 if question else 0, 0, 0, 0) + question


class Udp(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        answer = reply(data, self.server.rcode) if self.server.rcode is not None else None
        if answer:
            sock.sendto(answer, self.client_address)


class Tcp(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            size = self.request.recv(2, socket.MSG_WAITALL)
            if len(size) < 2:
                return
            data = self.request.recv(struct.unpack("!H", size)[0],
                                     socket.MSG_WAITALL)
            if self.server.rcode is None:
                continue
            answer = reply(data, self.server.rcode)
            if answer:
                self.request.sendall(struct.pack("!H", len(answer)) + answer)


class UdpServer(socketserver.ThreadingUDPServer):
    daemon_threads = True


class TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def parse_args(argv):
    parser = argparse.ArgumentParser(description="DNS server with one fixed RCODE")
    parser.add_argument("port", type=int)
    parser.add_argument("rcode", help="a number (2 SERVFAIL, 5 REFUSED) or 'silent'")
    parser.add_argument("--host", default="127.0.0.1")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    rcode = None if args.rcode == "silent" else int(args.rcode) & 0xF
    udp = UdpServer((args.host, args.port), Udp)
    tcp = TcpServer((args.host, args.port), Tcp)
    for server in (udp, tcp):
        server.rcode = rcode
    threading.Thread(target=udp.serve_forever, daemon=True).start()
    try:
        tcp.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
# minimal_client.py: the fewest exchanges that check what `check` checks
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: minimal_client.py HOST PORT CAFILE USER PASSWORD_FILE
#
# Greeting, EHLO, STARTTLS, a verified TLS handshake, EHLO, AUTH PLAIN, QUIT,
# strictly one after the other: the practical critical path of a check, and
# the yardstick of the benchmark. Exits 0 when the server accepted the login.

import base64
import socket
import ssl
import sys


def reply(stream):
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("server closed")
        if line[3:4] != b"-":
            return int(line[:3])


def command(stream, sock, text):
    sock.sendall(text.encode() + b"\r\n")
    return reply(stream)


def main():
    host, port, cafile, user, password_file = sys.argv[1:6]
    with open(password_file, "rb") as f:
        password = f.read().strip()

    sock = socket.create_connection((host, int(port)), timeout=10)
    stream = sock.makefile("rb")
    assert reply(stream) == 220
    assert command(stream, sock, "EHLO [127.0.0.1]") == 250
    assert command(stream, sock, "STARTTLS") == 220

    context = ssl.create_default_context(cafile=cafile)
    tls = context.wrap_socket(sock, server_hostname=host)
    stream = tls.makefile("rb")
    assert command(stream, tls, "EHLO [127.0.0.1]") == 250

    blob = base64.b64encode(b"\0" + user.encode() + b"\0" + password).decode()
    code = command(stream, tls, "AUTH PLAIN " + blob)
    command(stream, tls, "QUIT")
    tls.close()
    return 0 if code == 235 else 1


if __name__ == "__main__":
    sys.exit(main())

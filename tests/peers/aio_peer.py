#!/usr/bin/python3
# aio_peer.py: an aiosmtpd submission server for the real-peer suite
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: aio_peer.py starttls|tls PORT CERTFILE KEYFILE PASSWORD_FILE
#                    [--mechs PLAIN,LOGIN,CRAM-MD5] [--tls10-only]
#
# Listens on 127.0.0.1:PORT, offers SIZE 10240000 and AUTH, and accepts only
# "alice" with the password read from PASSWORD_FILE (read from a file so the
# secret never shows in a process listing). "starttls" offers STARTTLS and AUTH
# only after it, like a real submission port; "tls" speaks TLS from the first
# byte, like port 465. --tls10-only makes it an outdated server that speaks
# nothing newer than TLS 1.0. Runs until SIGTERM or SIGINT.
#
# Needs Debian's python3-aiosmtpd, so run it with /usr/bin/python3.

import argparse
import asyncio
import hmac
import logging
import secrets
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

USER = b"alice"
SIZE_LIMIT = 10240000
HOSTNAME = "mx.test.example"
ALL_MECHANISMS = ("PLAIN", "LOGIN", "CRAM-MD5")


class Handler:
    def __init__(self, password):
        self.password = password

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        # Only the built-in PLAIN and LOGIN mechanisms come here.
        ok = (isinstance(auth_data, LoginPassword)
              and hmac.compare_digest(auth_data.login, USER)
              and hmac.compare_digest(auth_data.password, self.password))
        # handled=False, here as for CRAM-MD5 below: aiosmtpd's default means
        # "the reply was already sent", and the client would wait forever for
        # its 535.
        return AuthResult(success=ok, handled=False)

    # aiosmtpd turns "__" into "-" and advertises this as CRAM-MD5.
    async def auth_CRAM__MD5(self, server, args):
        challenge = f"<{secrets.token_hex(8)}@{HOSTNAME}>".encode()
        response = await server.challenge_auth(challenge)
        if not isinstance(response, bytes):
            # The client cancelled; challenge_auth already answered 501.
            return AuthResult(success=False, handled=True)
        user, _, digest = response.partition(b" ")
        expected = hmac.new(self.password, challenge, "md5").hexdigest().encode()
        ok = (hmac.compare_digest(user, USER)
              and hmac.compare_digest(digest, expected))
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 OK: queued"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("starttls", "tls"))
    parser.add_argument("port", type=int)
    parser.add_argument("certfile")
    parser.add_argument("keyfile")
    parser.add_argument("password_file")
    parser.add_argument("--mechs", default=",".join(ALL_MECHANISMS),
                        help="comma-separated mechanisms to offer")
    parser.add_argument("--tls10-only", action="store_true",
                        help="offer TLS 1.0 and nothing else")
    return parser.parse_args(argv)


def excluded_mechanisms(mechs):
    wanted = set(mechs.split(","))
    unknown = wanted - set(ALL_MECHANISMS)
    if unknown:
        sys.exit(f"aio_peer: unknown mechanism(s): {', '.join(sorted(unknown))}")
    # aiosmtpd offers every built-in and handler mechanism unless excluded.
    return [m for m in ALL_MECHANISMS if m not in wanted]


def only_tls10(context):
    with warnings.catch_warnings():
        # Deprecated, and exactly the outdated server this peer plays.
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1
    # OpenSSL 3's default security level forbids TLS 1.0's SHA-1 signatures.
    context.set_ciphers("DEFAULT:@SECLEVEL=0")


async def serve(args, password):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.certfile, args.keyfile)
    if args.tls10_only:
        only_tls10(context)
    implicit = args.mode == "tls"
    handler = Handler(password)
    loop = asyncio.get_running_loop()

    def factory():
        return SMTP(handler,
                    hostname=HOSTNAME,
                    tls_context=None if implicit else context,
                    # Over implicit TLS aiosmtpd does not know the link is
                    # encrypted and would hide AUTH otherwise.
                    auth_require_tls=not implicit,
                    authenticator=handler.authenticate,
                    auth_exclude_mechanism=excluded_mechanisms(args.mechs),
                    data_size_limit=SIZE_LIMIT,
                    timeout=30,
                    loop=loop)

    server = await loop.create_server(factory, "127.0.0.1", args.port,
                                      ssl=context if implicit else None)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main(argv):
    args = parse_args(argv)
    # aiosmtpd warns about its own deprecated login_data on every success.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    excluded_mechanisms(args.mechs)
    with open(args.password_file, "rb") as f:
        password = f.read().rstrip(b"\r\n")
    asyncio.run(serve(args, password))


if __name__ == "__main__":
    main(sys.argv[1:])

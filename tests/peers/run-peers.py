#!/usr/bin/python3
# run-peers.py: mail-doctor-cli against real SMTP and TLS servers (TAP)
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-peers.py --cli PATH/TO/mail-doctor-cli [--save-dir DIR] [--keep]
#
# Creates a private network namespace, starts Postfix's smtp-sink, aiosmtpd
# (aio_peer.py) and gnutls-serv in it with a PKI made by certtool, checks each
# peer with an independent client first (so a failing CLI case can be told
# apart from a broken peer), then runs the CLI against them and asserts on its
# JSON, its text and its exit status. Every process it starts is stopped and
# the namespace removed, whatever happens.
#
# Needs root (for the namespace) and Debian's /usr/bin/python3; without root it
# skips. Packages: postfix (smtp-sink), gnutls-bin, python3-aiosmtpd, iproute2.

import sys

# The helpers live beside this file; keep the source tree free of bytecode.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import os  # noqa: E402
import itertools  # noqa: E402
import traceback  # noqa: E402

import cases  # noqa: E402
import oracles  # noqa: E402
import peerlab  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CANARY = "Canary-Pa55-ZQXJ"
WRONG_PASSWORD = "Wrong-Pa55-0000"
PYTHON = "/usr/bin/python3"

# Name-based tests reach 127.0.0.1 as mx.test.example; DNS fails at once
# (nothing listens on port 53 in the namespace) instead of after a timeout.
NETNS_ETC = {
    "hosts": "127.0.0.1\tlocalhost mx.test.example\n::1\tlocalhost\n",
    "resolv.conf": "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
}


def peer_table(pki, password_file):
    """(name, fixed port or None, argv builder) for every peer."""
    def sink(*options):
        return lambda port: ["/usr/sbin/smtp-sink", "-u", "nobody", *options,
                             f"127.0.0.1:{port}", "10"]

    def aio(mode, *options, cert="good.pem", key="srv.key"):
        return lambda port: [PYTHON, os.path.join(HERE, "aio_peer.py"), mode,
                             str(port), pki[cert], pki[key], password_file, *options]

    def gnutls(cert, key, *options):
        return lambda port: ["gnutls-serv", "--echo", "-a", "-p", str(port),
                             "--x509certfile", pki[cert], "--x509keyfile", pki[key],
                             *options]

    return [
        ("sink-healthy", None, sink()),
        ("sink-421-greeting", None, sink("-r", "CONNECT", "-b", cases.GREETING_421)),
        ("sink-421-connect", None, sink("-Q", "CONNECT")),
        ("sink-421-ehlo", None, sink("-Q", "EHLO")),
        ("sink-587", 587, sink()),
        ("sink-2525", 2525, sink()),
        ("aio-starttls", None, aio("starttls")),
        ("aio-plain", None, aio("starttls", "--mechs", "PLAIN")),
        ("aio-login", None, aio("starttls", "--mechs", "LOGIN")),
        ("aio-cram-md5", None, aio("starttls", "--mechs", "CRAM-MD5")),
        ("aio-tls-465", 465, aio("tls")),
        ("aio-starttls-tls10", None, aio("starttls", "--tls10-only", cert="rsa-good.pem",
                                         key="rsa.key")),
        ("tls-expired", None, gnutls("expired.pem", "srv.key")),
        ("tls-notyet", None, gnutls("notyet.pem", "srv.key")),
        ("tls-wrongname", None, gnutls("wrongname.pem", "srv.key")),
        ("tls-selfsigned", None, gnutls("selfsigned.pem", "srv.key")),
        ("tls-1.0-only", None, gnutls("rsa-good.pem", "rsa.key",
                                      "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.0")),
    ]


def start_peers(lab, tap, pki, password_file):
    """Starts every peer on its own port (never reused: smtp-sink sets
    SO_REUSEPORT); returns name -> port for the peers that came up."""
    ports = {}
    fresh = itertools.count(20000)
    for name, fixed, argv in peer_table(pki, password_file):
        port = fixed or next(fresh)
        peer, problems = lab.start(name, port, argv(port))
        tap.point(f"peer {name} listens on 127.0.0.1:{port}", problems,
                  peer.log_tail() if peer else ())
        if not problems:
            ports[name] = port
    return ports


def write_secret(workdir, name, text):
    path = os.path.join(workdir, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def check_pki(tap, pki):
    expected = [
        ("good.pem", None, "Verified"),
        ("expired.pem", None, "expired"),
        ("notyet.pem", None, "not yet valid"),
        ("wrongname.pem", "mx.test.example", "does not match"),
        ("selfsigned.pem", None, "issuer is unknown"),
        ("rsa-good.pem", "mx.test.example", "Verified"),
    ]
    for cert, hostname, words in expected:
        verdict = peerlab.certtool_verdict(pki, cert, hostname)
        problems = [] if words in verdict else [f"certtool says: {verdict}"]
        tap.point(f"pki: certtool confirms {cert} ({words})", problems)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mail Doctor real-peer tests")
    parser.add_argument("--cli", required=True, help="the mail-doctor-cli binary")
    parser.add_argument("--save-dir",
                        help="keep what the CLI wrote (stdout, stderr) here, for the "
                             "secrets sweep; emptied first")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (PKI, peer logs)")
    return parser.parse_args(argv)


def run(args, ns, workdir):
    tap = peerlab.Tap()
    tap.point(f"namespace {ns.name} is up with loopback only")
    lab = peerlab.Lab(ns, workdir)
    try:
        pki = peerlab.make_pki(workdir, os.path.join(HERE, "pki"))
        check_pki(tap, pki)
        canary_file = write_secret(workdir, "password", CANARY)
        wrong_file = write_secret(workdir, "wrong-password", WRONG_PASSWORD)
        ports = start_peers(lab, tap, pki, canary_file)
        env = oracles.Env(ns=ns, pki=pki, ports=ports, canary=CANARY,
                          wrong_password=WRONG_PASSWORD, greeting_421=cases.GREETING_421)
        oracles.run_all(tap, env)
        ctx = cases.Context(ns=ns, cli=os.path.abspath(args.cli), pki=pki,
                            ports=ports, canary=CANARY, canary_file=canary_file,
                            wrong_password=WRONG_PASSWORD, wrong_file=wrong_file,
                            save_dir=args.save_dir)
        cases.run_all(tap, ctx)
    except Exception:
        # Report the harness's own bug as a failed point, then still tear down
        # and print the plan, so meson shows what happened.
        tap.point("harness ran to the end", traceback.format_exc().splitlines())
    finally:
        peerlab.teardown(tap, lab, ns)
    tap.plan()
    return 0


def setup(ns):
    ns.write_etc(NETNS_ETC)


def main(argv):
    args = parse_args(argv)
    if args.save_dir:
        peerlab.fresh_dir(args.save_dir)
    return peerlab.main_in_namespace("md-peers", args.keep, setup,
                                     lambda ns, workdir: run(args, ns, workdir))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

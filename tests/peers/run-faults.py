#!/usr/bin/python3
# run-faults.py: every cause of a 421 a real peer can show, staged and named (TAP)
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-faults.py --cli PATH/TO/mail-doctor-cli [--catalogue FILE] [--save-dir DIR]
#                     [--keep]
#
# Creates a private network namespace and stages in it, with real peers, each
# fault that makes a mail server answer 421 or refuse mail (fault_cases.py):
# smtp-sink's 421 greeting, a private Postfix instance whose anvil gives its
# genuine "too many connections" 421, whose listeners offer only TLS 1.0 or a
# small SIZE, aiosmtpd answering 535, port 25 dropped by nftables, dnsmasq
# serving the blocklist zones of the app's catalogue with the client listed,
# a domain without SPF; and a healthy server that must give no findings. The
# CLI must name each cause first, with its fixes. Every process it starts is
# stopped and the namespace removed, whatever happens.
#
# Needs root (for the namespace) and Debian's /usr/bin/python3; without root it
# skips. Packages: postfix (smtpd, smtp-sink), gnutls-bin, python3-aiosmtpd,
# dnsmasq-base, nftables, bind9-dnsutils (dig), iproute2.

import sys

# The helpers live beside this file; keep the source tree free of bytecode.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import dnslab  # noqa: E402
import fault_cases  # noqa: E402
import peerlab  # noqa: E402
import postfix_lab  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
KB_DIR = os.path.join(HERE, "..", "..", "app", "core", "kb")
PYTHON = "/usr/bin/python3"
CANARY = "Canary-Pa55-ZQXJ"
WRONG_PASSWORD = "Wrong-Pa55-0000"
# As run-dns.py: GLib's AI_ADDRCONFIG lookups need an IPv4 address besides
# 127.0.0.1 (TEST-NET-2, nothing routes to it), and every name, the server's
# too, comes from the lab's DNS rather than /etc/hosts.
LAN_ADDRESS = "198.51.100.10/32"
NETNS_HOSTS = "# run-faults.py: every name comes from the lab's DNS\n"


def peer_table(pki, password_file):
    """(name, fixed port or None, argv builder) of the peers Lab starts."""
    def sink(*options):
        return lambda port: ["/usr/sbin/smtp-sink", "-u", "nobody", "-h", dnslab.SERVER,
                             *options, f"127.0.0.1:{port}", "10"]

    def aio(port):
        return [PYTHON, os.path.join(HERE, "aio_peer.py"), "starttls", str(port),
                pki["good.pem"], pki["srv.key"], password_file]

    return [
        ("sink-421", None, sink("-r", "CONNECT", "-b", fault_cases.GREETING_421)),
        ("sink-25", 25, sink()),
        ("sink-587", 587, sink()),
        ("aio-starttls", None, aio),
    ]


def postfix_listeners(pki, ports):
    """The Postfix listeners by name, each a master.cf line (recipes of
    anchors-reliability.md §3.2)."""
    tls10 = ["smtpd_tls_security_level=may",
             f"smtpd_tls_cert_file={pki['rsa-good.pem']}",
             f"smtpd_tls_key_file={pki['rsa.key']}",
             "smtpd_tls_protocols=TLSv1", "smtpd_tls_mandatory_protocols=TLSv1",
             # OpenSSL 3 refuses TLS 1.0's SHA-1 signatures at its default level.
             "smtpd_tls_ciphers=low", "tls_low_cipherlist=DEFAULT:@SECLEVEL=0"]
    return {
        # Loopback is exempt from anvil's limits unless the exceptions are
        # emptied (they default to $mynetworks).
        "postfix-busy": postfix_lab.listener(ports["postfix-busy"],
                                             "smtpd_client_event_limit_exceptions=",
                                             "smtpd_client_connection_count_limit=1"),
        "postfix-tls10": postfix_lab.listener(ports["postfix-tls10"], *tls10),
        "postfix-size": postfix_lab.listener(ports["postfix-size"],
                                             f"message_size_limit={fault_cases.SIZE_LIMIT}"),
    }


def start_peers(lab, tap, pki, password_file, fresh):
    ports = {}
    for name, fixed, argv in peer_table(pki, password_file):
        port = fixed or next(fresh)
        peer, problems = lab.start(name, port, argv(port))
        tap.point(f"peer {name} listens on 127.0.0.1:{port}", problems,
                  peer.log_tail() if peer else ())
        if not problems:
            ports[name] = port
    return ports


def listening(ns, port):
    """Whether something listens on @port, asked of the kernel: a test
    connection would count in anvil and could make the held one too many."""
    out = ns.exec_run(["ss", "-Htln", f"sport = :{port}"], check=False, text=True)
    return bool(out.stdout.strip())


def start_postfix(tap, ns, workdir, pki, fresh):
    """The private instance; returns (instance, name -> port of its listeners)."""
    wanted = {name: next(fresh) for name in ("postfix-busy", "postfix-tls10", "postfix-size")}
    lines = postfix_listeners(pki, wanted)
    base = os.path.join(workdir, "postfix")
    os.mkdir(base)
    instance = postfix_lab.Instance(ns, base, list(lines.values()))
    problems = instance.start()
    deadline = time.monotonic() + peerlab.READY_TIMEOUT
    while not problems and not all(listening(ns, p) for p in wanted.values()):
        if time.monotonic() > deadline:
            problems.append(f"not every listener of {sorted(wanted.items())} came up")
        time.sleep(peerlab.POLL_INTERVAL)
    tap.point(f"private Postfix instance in {base} listens on "
              + ", ".join(f"{n} {p}" for n, p in wanted.items()), problems,
              instance.log_tail())
    return instance, ({} if problems else wanted)


def stop_postfix(tap, instance, before):
    problems = instance.stop() if instance else []
    if before is not None and postfix_lab.host_snapshot() != before:
        problems.append(f"{postfix_lab.HOST_CONFIG} changed while the suite ran")
    tap.point(f"private Postfix stopped; {postfix_lab.HOST_CONFIG} untouched", problems,
              instance.log_tail() if instance and problems else ())


def start_dns(lab, tap, workdir, zones):
    """The lab's main resolver, plus what only these faults need."""
    dkim = dnslab.dkim_strings(dnslab.make_dkim_key(workdir))
    conf = os.path.join(workdir, "dnsmasq.conf")
    log = os.path.join(workdir, "dnsmasq-queries.log")
    with open(conf, "w") as f:
        f.write(dnslab.config("main", zones, None, dkim, log))
        f.write("\n".join(fault_cases.extra_dns_lines()) + "\n")
    address = dnslab.RESOLVERS["main"][0]
    argv = ["dnsmasq", "--keep-in-foreground", f"--conf-file={conf}", "--user=root"]
    peer, problems = lab.start("dnsmasq", 53, argv, host=address)
    tap.point(f"dnsmasq listens on {address}:53 with the catalogue's zones", problems,
              peer.log_tail() if peer else ())


def catalogue(tap, path):
    zones = dnslab.load_catalogue(path)
    names = {z.zone for z in zones}
    problems = [] if "zen.spamhaus.org" in names else [
        f"zen.spamhaus.org is not in {path}; the blocklist faults need it"]
    tap.point(f"catalogue: {len(zones)} zones served by the lab", problems)
    return zones


def write_secret(workdir, name, text):
    path = os.path.join(workdir, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mail Doctor staged 421 faults")
    parser.add_argument("--cli", required=True, help="the mail-doctor-cli binary")
    parser.add_argument("--catalogue", default=os.path.join(KB_DIR, "dnsbls.json"),
                        help="the blocklist catalogue whose zones the lab serves")
    parser.add_argument("--save-dir",
                        help="keep what the CLI wrote (stdout, stderr) here, for the "
                             "secrets sweep; emptied first")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (PKI, configs, logs)")
    return parser.parse_args(argv)


def stage_and_run(args, tap, lab, ns, workdir, state):
    pki = peerlab.make_pki(workdir, os.path.join(HERE, "pki"))
    canary_file = write_secret(workdir, "password", CANARY)
    wrong_file = write_secret(workdir, "wrong-password", WRONG_PASSWORD)
    start_dns(lab, tap, workdir, catalogue(tap, args.catalogue))
    fresh = itertools.count(20000)
    ports = start_peers(lab, tap, pki, canary_file, fresh)
    state["postfix"], postfix_ports = start_postfix(tap, ns, workdir, pki, fresh)
    ports.update(postfix_ports)
    ctx = fault_cases.Context(ns=ns, cli=os.path.abspath(args.cli), pki=pki, ports=ports,
                              canary=CANARY, wrong_password=WRONG_PASSWORD,
                              wrong_file=wrong_file,
                              postfix_log=state["postfix"].log_path,
                              save_dir=args.save_dir)
    fault_cases.run_all(tap, ctx)


def run(args, ns, workdir):
    tap = peerlab.Tap()
    tap.point(f"namespace {ns.name} is up with loopback only ({LAN_ADDRESS} on it too)")
    lab = peerlab.Lab(ns, workdir)
    # Postfix's daemons run as the postfix user under this directory.
    os.chmod(workdir, 0o711)
    state = {"postfix": None, "host": postfix_lab.host_snapshot()}
    try:
        stage_and_run(args, tap, lab, ns, workdir, state)
    except Exception:
        # Report the harness's own bug as a failed point, then still tear down
        # and print the plan, so meson shows what happened.
        tap.point("harness ran to the end", traceback.format_exc().splitlines())
    finally:
        # Also on SIGTERM (meson's timeout), so the plan shows how far it got.
        stop_postfix(tap, state["postfix"], state["host"])
        peerlab.teardown(tap, lab, ns)
        tap.plan()
    return 0


def setup(ns):
    ns.exec_run([peerlab.IP, "addr", "add", LAN_ADDRESS, "dev", "lo"])
    ns.write_etc({"hosts": NETNS_HOSTS, "resolv.conf": dnslab.resolv_conf("main")})


def main(argv):
    args = parse_args(argv)
    if args.save_dir:
        peerlab.fresh_dir(args.save_dir)
    return peerlab.main_in_namespace("md-faults", args.keep, setup,
                                     lambda ns, workdir: run(args, ns, workdir))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

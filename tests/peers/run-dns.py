#!/usr/bin/python3
# run-dns.py: mail-doctor-cli against real DNS: dnsmasq in a namespace (TAP)
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-dns.py --cli PATH/TO/mail-doctor-cli [--catalogue DNSBLS.json]
#                   [--providers PROVIDERS.json] [--keep]
#
# Creates a private network namespace whose resolv.conf (/etc/netns/NAME/)
# points at dnsmasq on 127.0.0.1, authoritative for the blocklist zones of the
# app's own catalogue and for mail domains with MX, SPF, DMARC, DKIM, MTA-STS,
# SRV and PTR records; four more dnsmasq instances on 127.0.0.2-5 are broken
# resolvers of different kinds (dnslab.RESOLVERS), and rcode_dns.py gives a
# refusing and a silent upstream. smtp-sink on 127.0.0.1:587 is the mail
# server. Every record is first checked with dig (when installed) and through
# glibc, so a failing CLI case can be told apart from a broken lab; then the
# CLI runs inside the namespace and its JSON and exit status are asserted on.
# Every process it starts is stopped and the namespace removed, whatever
# happens.
#
# Needs root (for the namespace) and Debian's /usr/bin/python3; without root it
# skips. Packages: dnsmasq-base, postfix (smtp-sink), openssl, iproute2;
# bind9-dnsutils (dig) for the self-check.

import sys

# The helpers live beside this file; keep the source tree free of bytecode.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import traceback  # noqa: E402

import dns_cases  # noqa: E402
import dnslab  # noqa: E402
import peerlab  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
KB_DIR = os.path.join(HERE, "..", "..", "app", "core", "kb")
PYTHON = "/usr/bin/python3"
# GLib asks getaddrinfo with AI_ADDRCONFIG, and glibc then answers an
# IPv4-only lookup (every blocklist question) "not found" without asking, when
# the only IPv4 address is 127.0.0.1: give the namespace one more, as any
# machine on a network has (TEST-NET-2, RFC 5737; nothing routes to it).
LAN_ADDRESS = "198.51.100.10/32"
# Not even "::1 localhost": glibc reads that line as 127.0.0.1 too, and the
# server's name (127.0.0.1) must come from the lab's PTR record.
NETNS_HOSTS = "# run-dns.py: every name comes from the lab's DNS\n"


def start_dns(lab, tap, workdir, zones, fault_zones, dkim):
    """The upstreams, then one dnsmasq per kind of resolver."""
    upstreams = [("rcode-refused", dnslab.RCODE_PORT, str(dnslab.REFUSED)),
                 ("rcode-silent", dnslab.SILENT_PORT, "silent")]
    for name, port, mode in upstreams:
        argv = [PYTHON, os.path.join(HERE, "rcode_dns.py"), str(port), mode]
        peer, problems = lab.start(name, port, argv)
        tap.point(f"{name} ({mode}) listens on 127.0.0.1:{port}", problems,
                  peer.log_tail() if peer else ())
    for kind, (address, what) in dnslab.RESOLVERS.items():
        conf = os.path.join(workdir, f"dnsmasq-{kind}.conf")
        log = os.path.join(workdir, f"dnsmasq-{kind}-queries.log")
        with open(conf, "w") as f:
            f.write(dnslab.config(kind, zones, fault_zones, dkim, log))
        argv = ["dnsmasq", "--keep-in-foreground", f"--conf-file={conf}", "--user=root"]
        peer, problems = lab.start(f"dnsmasq-{kind}", 53, argv, host=address)
        tap.point(f"dnsmasq {kind} listens on {address}:53 ({what})", problems,
                  peer.log_tail() if peer else ())


def start_smtp(lab, tap):
    argv = ["/usr/sbin/smtp-sink", "-u", "nobody", "-h", dnslab.SERVER,
            "127.0.0.1:587", "10"]
    peer, problems = lab.start("sink-587", 587, argv)
    tap.point("smtp-sink listens on 127.0.0.1:587 as mx.test.example", problems,
              peer.log_tail() if peer else ())


def self_check(tap, ns, zones, fault_zones, dkim):
    """Every record as intended, asked with dig straight from each resolver."""
    if not shutil.which("dig"):
        tap.point("dig self-check of every record # SKIP dig is not installed "
                  "(bind9-dnsutils)")
        return
    main = dnslab.RESOLVERS["main"][0]
    checks = [
        ("main: the test points of every zone (listed / not listed)", main,
         dnslab.zone_expectations(zones)),
        ("main: the lab's listings (ZEN, SpamCop, PBL, error code, DBL)", main,
         dnslab.listing_expectations(zones)),
        ("main: MX, SPF, DMARC, DKIM, MTA-STS, SRV, PTR; gmail.com refused", main,
         dnslab.mail_expectations(dkim)),
        ("faults: ZEN still answers", dnslab.RESOLVERS["faults"][0],
         dnslab.zone_expectations([z for z in zones if z.zone == dns_cases.ZEN])),
        ("nx: the test points fail (2.0.0.127 not listed)", dnslab.RESOLVERS["nx"][0],
         [(z.test_listed()[0], "A", "NXDOMAIN", []) for z in zones]),
        ("wildcard: the test points fail (1.0.0.127 listed)",
         dnslab.RESOLVERS["wildcard"][0],
         [(z.test_clean(), "A", "NOERROR", ["127.0.0.2"]) for z in zones]),
        ("public: Spamhaus answers 127.255.255.254 to everything",
         dnslab.RESOLVERS["public"][0],
         [(z.test_listed()[0], "A", "NOERROR", [dnslab.PUBLIC_RESOLVER_ERROR])
          for z in zones if z.zone.endswith(".spamhaus.org")]),
    ]
    for name, server, items in checks:
        tap.point(f"dig self-check, {name}", dnslab.check_all(ns, items, server))
    faults = dnslab.RESOLVERS["faults"][0]
    problems = ["too few IP zones in the catalogue for the faults resolver"]
    if fault_zones:
        refused, silent = fault_zones
        problems = (dnslab.expect(ns, faults, f"2.0.0.127.{refused}", "A", "REFUSED")
                    + dnslab.expect(ns, faults, f"2.0.0.127.{silent}", "A", "timeout"))
    tap.point(f"dig self-check, faults: {fault_zones and fault_zones[0]} REFUSED, "
              f"{fault_zones and fault_zones[1]} never answers", problems)


def glibc_check(tap, ns):
    """The path the app takes: glibc reading the namespace's resolv.conf and hosts."""
    ns.write_etc({"resolv.conf": dnslab.resolv_conf("main")})
    problems = []
    for key, want in ((dnslab.SERVER, "127.0.0.1"), ("127.0.0.1", dnslab.SERVER)):
        out = ns.exec_run(["getent", "hosts", key], check=False, text=True)
        if want not in out.stdout.split():
            problems.append(f"getent hosts {key}: {out.stdout.strip()!r}, want {want}")
    tap.point("glibc in the namespace: mx.test.example <-> 127.0.0.1 through the lab's DNS",
              problems)


def catalogue_point(tap, path):
    zones = dnslab.load_catalogue(path)
    names = {z.zone for z in zones}
    problems = []
    if not zones:
        problems.append(f"{path} has no zones (still a placeholder?)")
    for zone in (dns_cases.ZEN, dns_cases.SPAMCOP, dns_cases.DBL):
        if zones and zone not in names:
            problems.append(f"{zone} is not in the catalogue; the cases need it")
    kinds = [z.kind for z in zones]
    tap.point(f"catalogue: {kinds.count('ip')} IP and {kinds.count('domain')} domain "
              "zones, served by the lab", problems)
    return zones


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mail Doctor real-DNS tests")
    parser.add_argument("--cli", required=True, help="the mail-doctor-cli binary")
    parser.add_argument("--catalogue", default=os.path.join(KB_DIR, "dnsbls.json"),
                        help="the blocklist catalogue whose zones the lab serves")
    parser.add_argument("--providers", default=os.path.join(KB_DIR, "providers.json"),
                        help="the provider table the discover cases read hosts from")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (configs, query logs)")
    return parser.parse_args(argv)


def run(args, ns, workdir):
    tap = peerlab.Tap()
    tap.point(f"namespace {ns.name} is up with loopback only ({LAN_ADDRESS} on it too)")
    lab = peerlab.Lab(ns, workdir)
    try:
        zones = catalogue_point(tap, args.catalogue)
        fault_zones = dnslab.pick_fault_zones(zones)
        dkim = dnslab.dkim_strings(dnslab.make_dkim_key(workdir))
        start_dns(lab, tap, workdir, zones, fault_zones, dkim)
        start_smtp(lab, tap)
        self_check(tap, ns, zones, fault_zones, dkim)
        glibc_check(tap, ns)
        ctx = dns_cases.Context(ns=ns, cli=os.path.abspath(args.cli), zones=zones,
                                fault_zones=fault_zones, providers_path=args.providers)
        dns_cases.run_all(tap, ctx)
    except Exception:
        # Report the harness's own bug as a failed point, then still tear down
        # and print the plan, so meson shows what happened.
        tap.point("harness ran to the end", traceback.format_exc().splitlines())
    finally:
        # Also on SIGTERM (meson's timeout), so the plan shows how far it got.
        peerlab.teardown(tap, lab, ns)
        tap.plan()
    return 0


def setup(ns):
    ns.exec_run([peerlab.IP, "addr", "add", LAN_ADDRESS, "dev", "lo"])
    ns.write_etc({"hosts": NETNS_HOSTS, "resolv.conf": dnslab.resolv_conf("main")})


def main(argv):
    args = parse_args(argv)
    return peerlab.main_in_namespace("md-dns", args.keep, setup,
                                     lambda ns, workdir: run(args, ns, workdir))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
# bench-diagnosis.py: the whole diagnosis against its SMTP critical path and by hand
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-diagnosis.py CLI [--runs N] [--delay-ms MS] [--json FILE] [--keep]
#
# Builds a network namespace (md-bench-p1-PID) whose resolv.conf points at
# udp_delay_proxy.py on 127.0.0.1:53, which adds DELAY_MS each way in front
# of dnsmasq on port 5300; dnsmasq serves the lab of tests/peers/dnslab.py
# (test.example with MX, SPF, DMARC, DKIM, MTA-STS, TLS-RPT, the PTR of
# 127.0.0.1 -> mx.test.example, and the real zones of the app's blocklist
# catalogue app/core/kb/dnsbls.json). The mail server mx.test.example is
# aiosmtpd behind tests/peers/delay_proxy.py (DELAY_MS each way too):
#   587  STARTTLS + AUTH (the account under test)
#   25   the same STARTTLS server       465  aio_peer.py in implicit TLS
#   2525 nothing (refused), so net.ports sees a usual mix
# Then, N runs each (after one uncounted warm-up), it times:
#   whole     `mail-doctor-cli check` with every check on (DNS, SMTP, STARTTLS,
#             AUTH, SPF, DMARC, DKIM, MTA-STS, rDNS, blocklists for the
#             client address, the server and the domain, ports, TLS versions)
#   critical  the same CLI and peer with every non-SMTP check skipped (the
#             SKIP list of bench-check.py): the SMTP critical path
#   by hand   what a helpdesk person would type, one after the other in one
#             shell: swaks for the transaction (bench-check.py's flags), then
#             one `host` per record the diagnosis asks for (MX of the domain,
#             which the app does not ask, included as a person would; A of
#             the server; SPF, DMARC, every DKIM selector of
#             md-probe-mail-auth.c, _mta-sts and _smtp._tls TXT; PTR of the
#             server and the client; one A per blocklist zone of the
#             catalogue: the client address on the IP zones, the domain on
#             the domain zones; the app also asks the server's address and
#             two test points per zone, not done by hand), then one swaks
#             per extra port (25, 465 in TLS, 2525) up to the greeting. TLS
#             versions are not tried by hand (nobody does four openssl
#             s_client runs to ask); the row "by hand, no ports" leaves the
#             extra ports out too.
# Every series runs through `ip netns exec` (the resolv.conf of the lab is
# bind-mounted by it), so each pays its start-up once; that cost alone is
# printed too. The whole diagnosis is parsed once (--format json): every
# check id with its status and duration is printed, and a run where a check
# is missing, skipped or could not run is a broken lab, not a figure.
# Targets (performance issue, P1): whole / critical path <= 1.3 and
# whole / by hand <= 0.35.
#
# A benchmark, not a test: it reports, it does not fail on the figures.
# Needs root (namespace) and swaks, host (bind9-host), dnsmasq, certtool,
# openssl, ip, and Debian's python3-aiosmtpd: exits 77 (skipped) without.
# Everything it starts is stopped and the namespace and /etc/netns/NAME go,
# also on an error or SIGTERM.

import sys

# The helpers live in tests/peers; keep the source tree free of bytecode.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "..", "peers")
SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))
KB_DIR = os.path.join(SOURCE, "app", "core", "kb")
sys.path.insert(0, PEERS)

import dnslab  # noqa: E402
import peerlab  # noqa: E402

PYTHON = "/usr/bin/python3"
SKIPPED = 77
NS_PREFIX = "md-bench-p1"
USER = "alice"
PASSWORD = "Canary-Pa55-ZQXJ"
EMAIL = "sam@test.example"
DOMAIN = "test.example"
SERVER = dnslab.SERVER             # mx.test.example -> 127.0.0.1, and its PTR
SERVER_IP = "127.0.0.1"
CLIENT_IP = dnslab.CLIENT_CLEAN    # 192.0.2.1: on no list of the lab
SUBMISSION_PORT = 587
DNSMASQ_PORT = 5300
CLI_TIMEOUT_S = 20
RUN_LIMIT_S = 120
# bench-check.py's: every check but the SMTP session's.
SKIP = ("net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl,rep.dnsbl-server,"
        "rep.dnsbl-domain,auth.spf,auth.dkim,auth.dmarc,auth.mta-sts")
# Checks that need input this run does not give (an error message, a size).
NOT_APPLICABLE = {"error.text", "smtp.size", "smtp.send"}
TARGET_CRITICAL = 1.3
TARGET_BY_HAND = 0.35
# As bench-dnsbl.py / run-dns.py: glibc's AI_ADDRCONFIG needs an IPv4
# address besides 127.0.0.1 (TEST-NET-2, routed nowhere).
LAN_ADDRESS = "198.51.100.10/32"
RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:2 attempts:1\n"
# No 127.0.0.1 line: the server's name must come from the lab's PTR.
HOSTS = "# bench-diagnosis.py: every name comes from the lab's DNS\n"
DKIM_FALLBACK = ("default", "selector1", "selector2", "google", "k1", "k2", "k3",
                 "s1", "s2")


LabError = peerlab.LabError


def load_script(name, filename):
    """A sibling bench script as a module (its name has a dash)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# udp_delay_proxy.py's launcher and DNS probe live in bench-dnsbl.py.
bench_dnsbl = load_script("bench_dnsbl", "bench-dnsbl.py")


# --- the lab ----------------------------------------------------------------

def certtool(*args):
    subprocess.run(["certtool", *args], check=True, capture_output=True, timeout=60)


def make_pki(d):
    """A CA and a certificate for mx.test.example (and 127.0.0.1); the password."""
    p = lambda name: os.path.join(d, name)  # noqa: E731
    with open(p("ca.tmpl"), "w") as f:
        f.write('cn = "Bench CA"\nca\ncert_signing_key\nexpiration_days = 30\n')
    with open(p("srv.tmpl"), "w") as f:
        f.write(f'cn = "{SERVER}"\ndns_name = "{SERVER}"\nip_address = "{SERVER_IP}"\n'
                'tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n')
    certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", p("ca.key"))
    certtool("--generate-self-signed", "--load-privkey", p("ca.key"),
             "--template", p("ca.tmpl"), "--outfile", p("ca.pem"))
    certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", p("srv.key"))
    certtool("--generate-certificate", "--load-privkey", p("srv.key"),
             "--load-ca-certificate", p("ca.pem"), "--load-ca-privkey", p("ca.key"),
             "--template", p("srv.tmpl"), "--outfile", p("srv.pem"))
    with open(p("password"), "w") as f:
        f.write(PASSWORD)
    os.chmod(p("password"), 0o600)


def start_dnsmasq(lab, workdir, zones, dkim):
    """The lab's main resolver, moved to DNSMASQ_PORT behind the proxy."""
    conf_text = dnslab.config("main", zones, None, dkim,
                              os.path.join(workdir, "dnsmasq-queries.log"))
    conf_text = conf_text.replace("\nport=53\n", f"\nport={DNSMASQ_PORT}\n")
    if f"port={DNSMASQ_PORT}" not in conf_text:
        raise LabError("dnslab.config no longer has a port=53 line to move")
    conf = os.path.join(workdir, "dnsmasq.conf")
    with open(conf, "w") as f:
        f.write(conf_text)
    argv = ["dnsmasq", "--keep-in-foreground", f"--conf-file={conf}", "--user=root"]
    _, problems = lab.start("dnsmasq", DNSMASQ_PORT, argv)
    if problems:
        raise LabError("; ".join(problems))


def start_smtp(lab, workdir, delay_ms):
    """aiosmtpd (STARTTLS on one port, implicit TLS on another), each behind
    a TCP delay proxy on the port the world sees."""
    p = lambda name: os.path.join(workdir, name)  # noqa: E731
    starttls_port, tls_port = 10587, 10465
    peers = [("aio-starttls", starttls_port,
              [PYTHON, os.path.join(PEERS, "aio_peer.py"), "starttls", str(starttls_port),
               p("srv.pem"), p("srv.key"), p("password")]),
             ("aio-tls", tls_port,
              [PYTHON, os.path.join(PEERS, "aio_peer.py"), "tls", str(tls_port),
               p("srv.pem"), p("srv.key"), p("password")])]
    for listen, target in ((SUBMISSION_PORT, starttls_port), (25, starttls_port),
                           (465, tls_port)):
        peers.append((f"delay-{listen}", listen,
                      [PYTHON, os.path.join(PEERS, "delay_proxy.py"), str(listen),
                       str(target), str(delay_ms)]))
    for name, port, argv in peers:
        _, problems = lab.start(name, port, argv)
        if problems:
            raise LabError("; ".join(problems))


def set_up_namespace(ns):
    ns.create()
    ns.exec_run([peerlab.IP, "addr", "add", LAN_ADDRESS, "dev", "lo"])
    ns.write_etc({"resolv.conf": RESOLV_CONF, "hosts": HOSTS})
    # This process steps in too, to see its peers listen and ask the proxy.
    ns.enter()


# --- what is timed ----------------------------------------------------------

def dkim_selectors():
    """The selectors the app tries, read from its source (kept in step)."""
    path = os.path.join(SOURCE, "app", "core", "md-probe-mail-auth.c")
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return list(DKIM_FALLBACK)
    match = re.search(r"dkim_selectors\[\]\s*=\s*\{(.*?)\};", text, re.S)
    found = re.findall(r'"([^"]+)"', match.group(1)) if match else []
    return found or list(DKIM_FALLBACK)


def reverse(ip):
    return ".".join(reversed(ip.split(".")))


def by_hand_lookups(zones):
    """(type, name) of every record a person would look up, in order."""
    items = [("MX", DOMAIN), ("A", SERVER), ("TXT", DOMAIN), ("TXT", f"_dmarc.{DOMAIN}")]
    items += [("TXT", f"{s}._domainkey.{DOMAIN}") for s in dkim_selectors()]
    items += [("TXT", f"_mta-sts.{DOMAIN}"), ("TXT", f"_smtp._tls.{DOMAIN}"),
              ("PTR", SERVER_IP), ("PTR", CLIENT_IP)]
    for z in zones:
        if z.kind == "ip":
            items.append(("A", f"{reverse(CLIENT_IP)}.{z.zone}"))
        else:
            items.append(("A", f"{DOMAIN}.{z.zone}"))
    return items


def swaks_argv(p):
    """bench-check.py's swaks invocation, on the lab's submission port."""
    return ["swaks", "--server", f"{SERVER_IP}:{SUBMISSION_PORT}", "--tls",
            "--tls-verify", "--tls-ca-path", p("ca.pem"),
            "--auth", "PLAIN", "--auth-user", USER,
            "--auth-password", PASSWORD, "--quit-after", "AUTH"]


def port_probes():
    """One swaks per extra port, up to the greeting (465: TLS first)."""
    return [["swaks", "--server", f"{SERVER_IP}:25", "--quit-after", "BANNER"],
            ["swaks", "--server", f"{SERVER_IP}:465", "--tlsc", "--quit-after", "BANNER"],
            ["swaks", "--server", f"{SERVER_IP}:2525", "--quit-after", "BANNER"]]


def by_hand_script(p, lookups, ports):
    """One shell that runs it all one after the other; each step is marked so
    the output can be checked."""
    lines = ["set -u", f"echo '@@ swaks'; {shlex.join(swaks_argv(p))} 2>&1 || echo '@@ FAILED swaks'"]
    for qtype, name in lookups:
        lines.append(f"echo '@@ host {qtype} {name}'; host -W 2 -t {qtype} {shlex.quote(name)}"
                     " 2>&1 || true")
    if ports:
        for argv in port_probes():
            lines.append(f"echo '@@ port {argv[2]}'; {shlex.join(argv)} 2>&1 || true")
    return "\n".join(lines) + "\n"


def cli_argv(cli, p, skip):
    argv = [cli, "check", "--host", SERVER, "--port", str(SUBMISSION_PORT),
            "--security", "starttls", "--email", EMAIL, "--user", USER,
            "--password-file", p("password"), "--ca-file", p("ca.pem"),
            "--client-ip", CLIENT_IP, "--timeout", str(CLI_TIMEOUT_S)]
    return argv + (["--skip", skip] if skip else [])


def timed(ns, argv, ok_codes=(0,)):
    """Seconds one run inside the namespace takes; its stdout."""
    start = time.monotonic()
    result = ns.exec_run(argv, check=False, timeout=RUN_LIMIT_S, text=True,
                         errors="replace")
    elapsed = time.monotonic() - start
    if result.returncode not in ok_codes:
        raise LabError(f"{argv[0]} exited with status {result.returncode}: "
                       f"{(result.stdout + result.stderr).strip()[-800:]}")
    return elapsed, result.stdout


# --- checking that the figures mean something -------------------------------

def check_by_hand_output(out, lookups, ports):
    """Every step answered as the lab intends, so the loop is not fast by failing."""
    problems = []
    sections = {}
    for part in out.split("@@ ")[1:]:
        head, _, body = part.partition("\n")
        sections[head.strip()] = body
    swaks = sections.get("swaks", "")
    if "FAILED" in out.split("@@ host")[0] or "235 " not in swaks:
        problems.append("swaks did not log in (no 235)")
    for qtype, name in lookups:
        body = sections.get(f"host {qtype} {name}", "")
        if "timed out" in body or "SERVFAIL" in body or "REFUSED" in body or not body:
            problems.append(f"host -t {qtype} {name}: {body.strip()!r}")
    if ports:
        for port, want in (("25", "220 "), ("465", "220 "), ("2525", "refused")):
            body = sections.get(f"port {SERVER_IP}:{port}", "")
            if want not in body.lower() and want not in body:
                problems.append(f"swaks on port {port}: want {want.strip()!r}, got "
                                f"{body.strip()[-200:]!r}")
    if problems:
        raise LabError("by hand: " + "; ".join(problems))


def report_checks(report):
    """[(id, status, duration_ms, summary)] of a JSON report."""
    rows = []
    for check in report.get("checks") or []:
        rows.append((check.get("id"), check.get("status"), check.get("duration_ms"),
                     (check.get("summary") or "").strip()))
    return rows


def verify_whole(report, want_ids):
    """Problems if the whole diagnosis did not run every check."""
    rows = report_checks(report)
    got = {r[0]: r[1] for r in rows}
    problems = [f"{cid}: missing" for cid in sorted(want_ids - set(got))]
    problems += [f"{cid}: {status}" for cid, status in got.items()
                 if cid not in NOT_APPLICABLE and status in ("skip", "error")]
    return problems


def print_checks(rows):
    print("checks of the whole diagnosis (one --format json run):")
    for cid, status, duration, summary in rows:
        dur = f"{duration:6} ms" if isinstance(duration, (int, float)) else "       -  "
        print(f"  {cid:18} {status:6} {dur}  {summary[:90]}")


# --- main -------------------------------------------------------------------

def series(ns, name, argv, runs, ok_codes=(0,), verify=None):
    elapsed, out = timed(ns, argv, ok_codes)  # warm the page cache; not counted
    if verify:
        verify(out)
    times = []
    for _ in range(runs):
        elapsed, out = timed(ns, argv, ok_codes)
        times.append(elapsed)
    print(f"  {name:28} median {statistics.median(times) * 1000:7.1f} ms   runs "
          + " ".join(f"{t * 1000:.0f}" for t in times), flush=True)
    return times


def run(args, ns, workdir):
    p = lambda name: os.path.join(workdir, name)  # noqa: E731
    lab = peerlab.Lab(ns, workdir)
    zones = dnslab.load_catalogue(os.path.join(KB_DIR, "dnsbls.json"))
    if not zones:
        raise LabError("the blocklist catalogue has no zones")
    try:
        make_pki(workdir)
        dkim = dnslab.dkim_strings(dnslab.make_dkim_key(workdir))
        start_dnsmasq(lab, workdir, zones, dkim)
        round_trip = bench_dnsbl.start_proxy(lab, args.delay_ms, SERVER)
        start_smtp(lab, workdir, args.delay_ms)

        cli = os.path.abspath(args.cli)
        whole = cli_argv(cli, p, None)
        critical = cli_argv(cli, p, SKIP)
        lookups = by_hand_lookups(zones)

        # What does each series cost just to start in the namespace?
        netns_exec = statistics.median(timed(ns, ["true"])[0] for _ in range(5))

        # Once in JSON: did the whole diagnosis run every check?
        _, out = timed(ns, whole + ["--format", "json"], ok_codes=(0, 1))
        report = json.loads(out)
        rows = report_checks(report)
        print_checks(rows)
        want = {"input", "dns.host", "net.connect", "smtp.greeting", "smtp.ehlo",
                "tls.handshake", "tls.certificate", "smtp.auth"} | set(SKIP.split(","))
        problems = verify_whole(report, want)
        if problems:
            raise LabError("the whole diagnosis did not run every check: "
                           + "; ".join(problems))

        print(f"delay {args.delay_ms} ms each way (one DNS query through the proxy: "
              f"{round_trip * 1000:.1f} ms), {args.runs} runs each after one warm-up; "
              f"`ip netns exec true` alone: {netns_exec * 1000:.1f} ms", flush=True)
        all_runs = {}
        all_runs["whole"] = series(ns, "whole diagnosis", whole, args.runs, (0, 1))
        all_runs["critical_path"] = series(ns, "SMTP critical path", critical, args.runs)
        hand = by_hand_script(p, lookups, ports=True)
        all_runs["by_hand"] = series(
            ns, f"by hand ({len(lookups)} host, 3 ports)", ["sh", "-c", hand], args.runs,
            verify=lambda out: check_by_hand_output(out, lookups, True))
        hand_np = by_hand_script(p, lookups, ports=False)
        all_runs["by_hand_no_ports"] = series(
            ns, "by hand, no ports", ["sh", "-c", hand_np], args.runs,
            verify=lambda out: check_by_hand_output(out, lookups, False))
        if args.keep:
            with open(p("by-hand.sh"), "w") as f:
                f.write(hand)
    finally:
        survivors = lab.stop_all()
        if survivors:
            print(f"still running after stop: {', '.join(survivors)}")
    return {"round_trip_s": round_trip, "netns_exec_s": netns_exec, "runs": all_runs,
            "checks": rows, "lookups": lookups}


def report(args, figures):
    medians = {k: statistics.median(v) for k, v in figures["runs"].items()}
    to_critical = medians["whole"] / medians["critical_path"]
    to_hand = medians["whole"] / medians["by_hand"]
    to_hand_np = medians["whole"] / medians["by_hand_no_ports"]
    print()
    print(f"{'series':34} {'median':>10}")
    labels = {"whole": "whole diagnosis (every check)",
              "critical_path": "SMTP critical path (--skip)",
              "by_hand": "by hand: swaks + host + ports",
              "by_hand_no_ports": "by hand: swaks + host"}
    for key, label in labels.items():
        print(f"{label:34} {medians[key] * 1000:7.1f} ms")
    print(f"whole / critical path:    {to_critical:.2f} (target <= {TARGET_CRITICAL:.2f}) "
          f"{'met' if to_critical <= TARGET_CRITICAL else 'MISSED'}")
    print(f"whole / by hand:          {to_hand:.2f} (target <= {TARGET_BY_HAND:.2f}) "
          f"{'met' if to_hand <= TARGET_BY_HAND else 'MISSED'}")
    print(f"whole / by hand no ports: {to_hand_np:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"delay_ms": args.delay_ms, "runs": args.runs,
                       "dns_round_trip_ms": round(figures["round_trip_s"] * 1000, 1),
                       "netns_exec_ms": round(figures["netns_exec_s"] * 1000, 1),
                       "medians_ms": {k: round(v * 1000, 1) for k, v in medians.items()},
                       "runs_ms": {k: [round(r * 1000, 1) for r in v]
                                   for k, v in figures["runs"].items()},
                       "ratio_to_critical_path": round(to_critical, 3),
                       "ratio_to_by_hand": round(to_hand, 3),
                       "ratio_to_by_hand_no_ports": round(to_hand_np, 3),
                       "by_hand_lookups": len(figures["lookups"]),
                       "checks": [{"id": c, "status": s, "duration_ms": d}
                                  for c, s, d, _ in figures["checks"]]},
                      f, indent=2)


def missing_tools():
    tools = ("swaks", "host", "dnsmasq", "certtool", "openssl", peerlab.IP, PYTHON)
    missing = [t for t in tools if shutil.which(t) is None]
    if PYTHON not in missing and subprocess.run(
            [PYTHON, "-c", "import aiosmtpd"], capture_output=True).returncode != 0:
        missing.append("python3-aiosmtpd")
    return missing


def main():
    parser = argparse.ArgumentParser(description="whole diagnosis vs critical path vs by hand")
    parser.add_argument("cli", help="the mail-doctor-cli binary")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--delay-ms", type=int, default=25)
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (configs, query log)")
    args = parser.parse_args()

    if os.geteuid() != 0:
        print("needs root for a network namespace: skipped")
        return SKIPPED
    missing = missing_tools()
    if missing:
        print(f"not installed: {', '.join(missing)}: skipped")
        return SKIPPED

    return peerlab.bench_in_namespace(NS_PREFIX, args.keep, set_up_namespace,
                                      lambda ns, workdir: report(args, run(args, ns, workdir))
                                      or 0)


if __name__ == "__main__":
    sys.exit(main())

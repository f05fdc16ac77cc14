#!/usr/bin/python3
# bench-dead.py: how long a check of a dead server takes, against its deadline
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-dead.py CLI [--runs N] [--timeout SECONDS] [--json FILE] [--keep]
#
# Builds a network namespace (md-bench-p2-PID) in which 192.0.2.50 (TEST-NET-1,
# RFC 5737) is a local address, and nftables drops every TCP SYN sent to it:
# a server that is switched off, or behind a firewall that drops rather than
# rejects. Nothing ever answers, on any port. Inside the namespace it times
# `mail-doctor-cli check --host 192.0.2.50 --port 587 --timeout T`, N runs
# of each series:
#
#   all           net.ports and tls.versions on: every check that opens
#                 connections
#   ports-only    net.ports on, tls.versions skipped
#   no-ports      net.ports skipped, tls.versions on
#   no-followers  both skipped: the SMTP session alone
#
# The checks that need DNS (reputation, SPF, DKIM, DMARC, MTA-STS) are skipped
# in every series, and the namespace's resolv.conf points at 127.0.0.1 where
# nothing listens, so no lookup can wait (the host is an IP address anyway).
# Targets: every series ends by its deadline + 0.5 s (--timeout is the time
# limit of the whole run), and the port matrix costs one port timeout, not one
# per port: ports-only minus no-ports, and net.ports' own duration, at most
# one port timeout + 0.5 s. Every run must also exit with status 1 and a
# verdict (--format json) that says the server cannot be reached; a run in
# which the connection was refused, or answered, means the lab is broken and
# gives no figures.
#
# A benchmark, not a test: it reports the figures, it does not fail on them.
# Needs root (for the namespace) and nft (package nftables): exits 77
# (skipped) without them. Everything it starts it stops; the namespace and
# /etc/netns/NAME go, whatever happens (SIGTERM included).

import sys

# The helpers live in tests/peers; keep the source tree free of bytecode.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))

import peerlab  # noqa: E402

SKIPPED = 77
NFT = "nft"
DEAD = "192.0.2.50"
PORT = 587
# The same kind of second address as bench-dnsbl.py and run-dns.py give, so
# the namespace looks like a machine on a network (TEST-NET-2, routed nowhere).
LAN_ADDRESS = "198.51.100.10/32"
RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"
HOSTS = "127.0.0.1 localhost\n"
NFT_TABLE = "md_bench_p2"
NFT_RULESET = f"""table inet {NFT_TABLE} {{
  chain input {{
    type filter hook input priority 0; policy accept;
    ip daddr {DEAD} tcp flags & (syn | ack) == syn counter drop
  }}
}}
"""
# The checks that only ask DNS: never the subject here.
DNS_CHECKS = ("rep.client-ip", "rep.rdns", "rep.dnsbl", "rep.dnsbl-server",
              "rep.dnsbl-domain", "auth.spf", "auth.dkim", "auth.dmarc", "auth.mta-sts")
SERIES = {
    "all": (),
    "ports-only": ("tls.versions",),
    "no-ports": ("net.ports",),
    "no-followers": ("net.ports", "tls.versions"),
}
# What each port of the matrix is given at most (PORT_TIMEOUT_MS in
# app/core/md-probe-ports.c): "one timeout" in the target.
PORT_TIMEOUT_S = 5.0
SLACK_S = 0.5
# Verdict causes that say "the server cannot be reached".
UNREACHABLE = ("network-blocked", "server-down")
EXPECTED_STATUS = 1


LabError = peerlab.LabError


# --- the lab ----------------------------------------------------------------

def set_up_namespace(ns):
    ns.create()
    # No dummy interfaces on every kernel: a local address on lo is enough,
    # the SYNs to it still go through the input hook.
    ns.exec_run([peerlab.IP, "addr", "add", f"{DEAD}/32", "dev", "lo"])
    ns.exec_run([peerlab.IP, "addr", "add", LAN_ADDRESS, "dev", "lo"])
    ns.write_etc({"resolv.conf": RESOLV_CONF, "hosts": HOSTS})


def load_ruleset(ns):
    """Returns None, or why nftables cannot be used here."""
    out = subprocess.run(ns.prefix() + [NFT, "-f", "-"], input=NFT_RULESET, text=True,
                         capture_output=True, timeout=30)
    if out.returncode != 0:
        return (out.stdout + out.stderr).strip() or f"nft exited with status {out.returncode}"
    return None


def dropped_syns(ns):
    out = ns.exec_run([NFT, "-j", "list", "table", "inet", NFT_TABLE], text=True)
    for item in json.loads(out.stdout).get("nftables", []):
        for expr in item.get("rule", {}).get("expr", []):
            if "counter" in expr:
                return expr["counter"]["packets"]
    raise LabError("the drop rule has no counter")


def check_dead(ns):
    """This process (in the namespace) must see a silent server, not a refusal."""
    before = dropped_syns(ns)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.3)
        try:
            s.connect((DEAD, PORT))
            raise LabError(f"{DEAD}:{PORT} accepted a connection")
        except socket.timeout:
            pass
        except OSError as e:
            raise LabError(f"connecting to {DEAD}:{PORT} did not time out: {e}")
    if dropped_syns(ns) <= before:
        raise LabError("the SYN timed out but the drop rule did not count it")


# --- the runs ---------------------------------------------------------------

def command(cli, timeout_s, skipped):
    return [cli, "check", "--host", DEAD, "--port", str(PORT),
            "--timeout", str(timeout_s), "--format", "json",
            "--skip", ",".join(DNS_CHECKS + skipped)]


def check_of(report, check_id):
    return next((c for c in report.get("checks", []) if c.get("id") == check_id), None)


def one_run(cli, timeout_s, skipped):
    """(seconds, exit status, report) of one check."""
    argv = command(cli, timeout_s, skipped)
    start = time.monotonic()
    out = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                         timeout=timeout_s + 60)
    elapsed = time.monotonic() - start
    try:
        report = json.loads(out.stdout)
    except ValueError:
        raise LabError(f"no JSON report (exit {out.returncode}): "
                       f"{out.stderr.decode(errors='replace')[-500:]}")
    connect = check_of(report, "net.connect")
    error = (connect or {}).get("evidence", {}).get("error")
    if connect is None or connect.get("status") != "fail" or error != "timeout":
        # Refused or answered: the SYNs were not dropped, so this is no dead server.
        raise LabError(f"net.connect was not a time-out: {json.dumps(connect)}")
    return elapsed, out.returncode, report


def problems_of(status, report, skipped):
    """What is wrong with one run's outcome, apart from its time."""
    problems = []
    verdict = report.get("verdict", {})
    if status != EXPECTED_STATUS:
        problems.append(f"exit status {status}, want {EXPECTED_STATUS}")
    if verdict.get("state") != "problem-found" or verdict.get("cause") not in UNREACHABLE:
        problems.append(f"verdict {verdict.get('state')}/{verdict.get('cause')}, want "
                        f"problem-found/{' or '.join(UNREACHABLE)}")
    ports = check_of(report, "net.ports")
    if "net.ports" not in skipped:
        evidence = (ports or {}).get("evidence", {})
        states = [evidence.get(p) for p in ("25", "465", "587", "2525")]
        if ports is None or ports.get("status") == "skip" or set(states) != {"silent"}:
            problems.append(f"net.ports did not find every port silent: {json.dumps(ports)}")
    return problems


def run_series(cli, timeout_s, runs):
    results = {}
    for name, skipped in SERIES.items():
        times, ports_ms, connect_ms, problems, verdicts = [], [], [], [], set()
        for _ in range(runs):
            elapsed, status, report = one_run(cli, timeout_s, skipped)
            times.append(elapsed)
            connect_ms.append(check_of(report, "net.connect").get("duration_ms"))
            ports = check_of(report, "net.ports")
            if "net.ports" not in skipped and ports is not None:
                ports_ms.append(ports.get("duration_ms"))
            verdict = report.get("verdict", {})
            verdicts.add((verdict.get("state"), verdict.get("cause"), verdict.get("title")))
            problems += [p for p in problems_of(status, report, skipped) if p not in problems]
            statuses = results.setdefault(name, {}).setdefault("exit_statuses", [])
            statuses.append(status)
        results[name].update({
            "skipped": list(skipped), "runs": times, "connect_ms": connect_ms,
            "ports_ms": ports_ms, "problems": problems, "verdicts": sorted(verdicts),
        })
        print(f"  {name:13} median {statistics.median(times) * 1000:7.0f} ms   runs "
              + " ".join(f"{t * 1000:.0f}" for t in times)
              + (f"   net.ports itself {statistics.median(ports_ms):.0f} ms" if ports_ms else ""),
              flush=True)
    return results


# --- the report -------------------------------------------------------------

def report(args, results, syns):
    deadline = args.timeout + SLACK_S
    one_timeout = min(PORT_TIMEOUT_S, args.timeout)
    medians = {k: statistics.median(v["runs"]) for k, v in results.items()}
    met = {k: m <= deadline for k, m in medians.items()}
    every_run = {k: max(v["runs"]) <= deadline for k, v in results.items()}
    cost = medians["ports-only"] - medians["no-ports"]
    ports_own = statistics.median(results["all"]["ports_ms"]) / 1000
    one_cost_met = cost <= one_timeout + SLACK_S and ports_own <= one_timeout + SLACK_S
    verdicts = sorted({v for r in results.values() for v in map(tuple, r["verdicts"])})
    problems = sorted({f"{k}: {p}" for k, r in results.items() for p in r["problems"]})

    print(f"dead server {DEAD}:{PORT} (every SYN dropped, {syns} in all), "
          f"--timeout {args.timeout}, {args.runs} runs each, medians:")
    for name, m in medians.items():
        print(f"  {name:13} {m * 1000:7.0f} ms  (deadline + {SLACK_S} s = "
              f"{deadline * 1000:.0f} ms) {'met' if met[name] else 'MISSED'}"
              f"{'' if every_run[name] else ' (not every run)'}")
    print(f"port matrix: ports-only - no-ports = {cost * 1000:.0f} ms, net.ports itself "
          f"{ports_own * 1000:.0f} ms (target <= one port timeout {one_timeout:.1f} s + "
          f"{SLACK_S} s, 4 ports) {'met' if one_cost_met else 'MISSED'}")
    for state, cause, title in verdicts:
        print(f"verdict: {state} / {cause}: {title}")
    print(f"exit statuses: {sorted({s for r in results.values() for s in r['exit_statuses']})} "
          f"(want {EXPECTED_STATUS})")
    print("outcome: " + ("as expected" if not problems else "UNEXPECTED"))
    for p in problems:
        print(f"  {p}")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "host": DEAD, "port": PORT, "timeout_s": args.timeout, "runs": args.runs,
                "deadline_ms": round(deadline * 1000),
                "medians_ms": {k: round(m * 1000, 1) for k, m in medians.items()},
                "runs_ms": {k: [round(t * 1000, 1) for t in v["runs"]]
                            for k, v in results.items()},
                "skipped": {k: v["skipped"] for k, v in results.items()},
                "net_connect_ms": {k: v["connect_ms"] for k, v in results.items()},
                "net_ports_ms": {k: v["ports_ms"] for k, v in results.items() if v["ports_ms"]},
                "deadline_met": met,
                "deadline_met_every_run": every_run,
                "deadline_met_all_series": all(met.values()),
                "port_matrix_cost_ms": round(cost * 1000, 1),
                "port_timeout_ms": round(one_timeout * 1000),
                "port_matrix_one_timeout_met": one_cost_met,
                "exit_statuses": {k: v["exit_statuses"] for k, v in results.items()},
                "verdicts": [{"state": s, "cause": c, "title": t} for s, c, t in verdicts],
                "cause": verdicts[0][1] if len(verdicts) == 1 else [v[1] for v in verdicts],
                "unreachable_verdict": not problems,
                "problems": problems,
                "syns_dropped": syns,
            }, f, indent=2)


# --- main -------------------------------------------------------------------

def run(args, ns):
    problem = load_ruleset(ns)
    if problem is not None:
        print(f"nftables cannot be used here: {problem}: skipped")
        return SKIPPED
    # The CLI runs as this process's child, in its namespace: no `ip netns
    # exec` in the times.
    ns.enter()
    check_dead(ns)
    # Warms the page cache; not counted.
    one_run(args.cli, 1, SERIES["all"])
    results = run_series(args.cli, args.timeout, args.runs)
    report(args, results, dropped_syns(ns))
    return 0


def main():
    parser = argparse.ArgumentParser(description="mail-doctor-cli check of a dead server")
    parser.add_argument("cli", help="the mail-doctor-cli binary")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=8,
                        help="--timeout given to the check, in seconds (default 8)")
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory")
    args = parser.parse_args()

    if os.geteuid() != 0:
        print("needs root for a network namespace: skipped")
        return SKIPPED
    missing = [t for t in (NFT, peerlab.IP) if shutil.which(t) is None]
    if missing:
        print(f"not installed: {', '.join(missing)} (nftables, iproute2): skipped")
        return SKIPPED

    return peerlab.bench_in_namespace("md-bench-p2", args.keep, set_up_namespace,
                                      lambda ns, workdir: run(args, ns))


if __name__ == "__main__":
    sys.exit(main())

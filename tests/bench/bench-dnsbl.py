#!/usr/bin/python3
# bench-dnsbl.py: 25 blocklist lookups at once against one, 50 ms away
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-dnsbl.py BENCH_DNS [--runs N] [--delay-ms MS] [--keep]
#
# Builds a network namespace whose resolv.conf points at 127.0.0.1:53, where
# udp_delay_proxy.py adds DELAY_MS each way in front of dnsmasq (another
# port), which serves 25 blocklist-style names: 2.0.0.127.zone1.test to
# zone25, the odd zones listing it (127.0.0.2), the even ones not (NXDOMAIN).
# Inside the namespace it then times, N runs each: bench-dns (the app's own
# MdDns, one lookup and all 25 at once) and a sequential shell loop of 25
# `host` lookups. Prints the medians and the ratios; target: 25 at once take
# at most 1.5 x one. Every answer is counted, so a lab that answers without
# asking, or not at all, fails instead of passing for a fast resolver.
# Everything it starts it stops; the namespace and /etc/netns/NAME go.
#
# A benchmark, not a test: it reports the figures, it does not fail on them.
# Needs root (for the namespace): exits 77 (skipped) without it. Packages:
# dnsmasq-base, iproute2; bind9-host for the `host` row (skipped without).

import json
import sys

# The helpers live in tests/peers; keep the source tree free of bytecode.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))

import peerlab  # noqa: E402

PYTHON = "/usr/bin/python3"
SKIPPED = 77
N_ZONES = 25
LISTED = "127.0.0.2"
DNSMASQ_PORT = 5300
PROXY_PORT = 53
LOOKUP_TIMEOUT_MS = 5000
TARGET = 1.5
# GLib asks getaddrinfo with AI_ADDRCONFIG, and glibc then answers an
# IPv4-only lookup "not found" without asking when the only IPv4 address is
# 127.0.0.1 (see tests/peers/run-dns.py): one more address, routed nowhere.
LAN_ADDRESS = "198.51.100.10/32"
RESOLV_CONF = "nameserver 127.0.0.1\noptions timeout:2 attempts:1\n"
HOSTS = "127.0.0.1 localhost\n"
HOST_LOOP = 'for n in "$@"; do host -t A -W 2 "$n"; done'
READY_TIMEOUT_S = 10.0


LabError = peerlab.LabError


def names():
    """(name, listed) of every zone's test point."""
    return [(f"2.0.0.127.zone{i}.test", i % 2 == 1) for i in range(1, N_ZONES + 1)]


def dnsmasq_conf(entries):
    lines = ["no-resolv", "no-hosts", "no-poll", "listen-address=127.0.0.1",
             "bind-interfaces", f"port={DNSMASQ_PORT}",
             # Every other name under .test is NXDOMAIN (not REFUSED).
             "local=/test/"]
    lines += [f"host-record={name},{LISTED}" for name, listed in entries if listed]
    return "\n".join(lines) + "\n"


# --- the lab ----------------------------------------------------------------

def start_dnsmasq(lab, workdir, entries):
    conf = os.path.join(workdir, "dnsmasq.conf")
    with open(conf, "w") as f:
        f.write(dnsmasq_conf(entries))
    argv = ["dnsmasq", "--keep-in-foreground", f"--conf-file={conf}", "--user=root"]
    _, problems = lab.start("dnsmasq", DNSMASQ_PORT, argv)
    if problems:
        raise LabError("; ".join(problems))


def dns_query(name, query_id):
    header = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return header + labels + b"\0" + struct.pack("!HH", 1, 1)


def ask(name, timeout_s):
    """Seconds one A query for @name takes through the proxy, or None."""
    query_id = os.getpid() & 0xFFFF
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout_s)
        start = time.monotonic()
        s.sendto(dns_query(name, query_id), ("127.0.0.1", PROXY_PORT))
        try:
            reply = s.recv(512)
        except OSError:  # no answer in time, or nothing listening yet
            return None
        if struct.unpack("!H", reply[:2])[0] != query_id:
            return None
        return time.monotonic() - start


def start_proxy(lab, delay_ms, probe_name):
    """The delay proxy on 127.0.0.1:53; returns one query's round trip (s).

    Started by hand (it listens on UDP only, which Lab.start cannot see) but
    handed to the lab, which stops it with the others."""
    log_path = os.path.join(lab.workdir, "udp_delay_proxy.log")
    argv = [PYTHON, os.path.join(HERE, "udp_delay_proxy.py"), str(PROXY_PORT),
            str(DNSMASQ_PORT), str(delay_ms)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(lab.ns.prefix() + argv, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    lab.peers.append(peerlab.Peer("udp_delay_proxy", PROXY_PORT, proc, log_path))
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        elapsed = ask(probe_name, 0.5)
        if elapsed is not None:
            return elapsed
    raise LabError(f"no answer through the delay proxy within {READY_TIMEOUT_S:.0f} s")


def set_up_namespace(ns):
    ns.create()
    ns.exec_run([peerlab.IP, "addr", "add", LAN_ADDRESS, "dev", "lo"])
    ns.write_etc({"resolv.conf": RESOLV_CONF, "hosts": HOSTS})
    # This process steps in too, to see its peers listen and ask the proxy.
    ns.enter()


# --- the rows ---------------------------------------------------------------

COUNTS = re.compile(r"found (\d+), not found (\d+), failed (\d+), timed out (\d+)")


def check_counts(output, entries):
    """Every batch must have found the listed names and no others."""
    n_listed = sum(listed for _, listed in entries)
    want_all = (n_listed, len(entries) - n_listed)
    want_one = (1, 0) if entries[0][1] else (0, 1)
    for line in output.splitlines():
        match = COUNTS.search(line)
        if not match:
            continue
        found, not_found, failed, timed_out = map(int, match.groups())
        want = want_all if "concurrent" in line else want_one
        if failed or timed_out or (found, not_found) != want:
            raise LabError(f"bench-dns got wrong answers: {line}")


def median_of(output, label):
    match = re.search(rf"^median {re.escape(label)} ([\d.]+) ms$", output, re.M)
    if not match:
        raise LabError(f"bench-dns printed no median for {label}")
    return float(match.group(1)) / 1000


def run_bench_dns(ns, bench_dns, entries, runs):
    """(median one, median all at once), in seconds."""
    argv = [bench_dns, "--runs", str(runs), "--timeout-ms", str(LOOKUP_TIMEOUT_MS)]
    out = ns.exec_run(argv + [name for name, _ in entries], check=False, text=True,
                      timeout=300)
    if out.returncode != 0:
        raise LabError(f"bench-dns exited with status {out.returncode}: "
                       f"{(out.stdout + out.stderr).strip()[-500:]}")
    for line in out.stdout.splitlines():
        print(f"  {line}")
    check_counts(out.stdout, entries)
    return median_of(out.stdout, "one"), median_of(out.stdout, f"concurrent-{len(entries)}")


def host_loop_once(ns, entries):
    argv = ["sh", "-c", HOST_LOOP, "sh"] + [name for name, _ in entries]
    start = time.monotonic()
    out = ns.exec_run(argv, check=False, text=True, timeout=300)
    elapsed = time.monotonic() - start
    n_listed = sum(listed for _, listed in entries)
    found = out.stdout.count(f"has address {LISTED}")
    not_found = out.stdout.count("NXDOMAIN")
    if (found, not_found) != (n_listed, len(entries) - n_listed):
        raise LabError(f"host loop: found {found}, NXDOMAIN {not_found}, want "
                       f"{n_listed} and {len(entries) - n_listed}:\n{out.stdout}{out.stderr}")
    return elapsed


def run_host_loop(ns, entries, runs):
    """Median of the sequential `host` loop (s), or None without `host`."""
    if shutil.which("host") is None:
        print("host is not installed (package bind9-host): skipping the host row")
        return None
    host_loop_once(ns, entries)  # warms the page cache; not counted
    times = [host_loop_once(ns, entries) for _ in range(runs)]
    print(f"  host loop runs: {' '.join(f'{t * 1000:.0f}' for t in times)} ms")
    return statistics.median(times)


def report(args, round_trip, one, concurrent, host):
    n = N_ZONES
    print(f"delay {args.delay_ms} ms each way (one query through the proxy: "
          f"{round_trip * 1000:.1f} ms), {args.runs} runs each, medians:")
    print(f"  MdDns, one lookup:              {one * 1000:7.1f} ms")
    print(f"  MdDns, {n} lookups at once:      {concurrent * 1000:7.1f} ms")
    if host is not None:
        print(f"  host, {n} lookups one by one:    {host * 1000:7.1f} ms")
    ratio = concurrent / one
    print(f"concurrent-{n} / one: {ratio:.2f} (target <= {TARGET:.2f}) "
          f"{'met' if ratio <= TARGET else 'MISSED'}")
    if host is not None:
        print(f"concurrent-{n} / sequential host loop: {concurrent / host:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"delay_ms": args.delay_ms, "round_trip_ms": round(round_trip * 1000, 1),
                       "one_ms": round(one * 1000, 1), "concurrent_ms": round(concurrent * 1000, 1),
                       "lookups": n, "ratio": round(ratio, 3),
                       "host_loop_ms": round(host * 1000, 1) if host is not None else None},
                      f, indent=2)


# --- main -------------------------------------------------------------------

def missing_tools():
    return [t for t in ("dnsmasq", peerlab.IP) if shutil.which(t) is None]


def run(args, ns, workdir):
    entries = names()
    lab = peerlab.Lab(ns, workdir)
    try:
        start_dnsmasq(lab, workdir, entries)
        round_trip = start_proxy(lab, args.delay_ms, entries[0][0])
        one, concurrent = run_bench_dns(ns, args.bench_dns, entries, args.runs)
        host = run_host_loop(ns, entries, args.runs)
    finally:
        survivors = lab.stop_all()
        if survivors:
            print(f"still running after stop: {', '.join(survivors)}")
    report(args, round_trip, one, concurrent, host)


def main():
    parser = argparse.ArgumentParser(description="MdDns blocklist lookups, one vs many")
    parser.add_argument("bench_dns", help="the bench-dns binary")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--delay-ms", type=int, default=25)
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (configs, logs)")
    args = parser.parse_args()

    if os.geteuid() != 0:
        print("needs root for a network namespace: skipped")
        return SKIPPED
    if missing_tools():
        print(f"not installed: {', '.join(missing_tools())} (dnsmasq-base, iproute2): skipped")
        return SKIPPED

    return peerlab.bench_in_namespace("md-bench-dns", args.keep, set_up_namespace,
                                      lambda ns, workdir: run(args, ns, workdir) or 0)


if __name__ == "__main__":
    sys.exit(main())

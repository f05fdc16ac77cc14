#!/usr/bin/python3
# bench-many.py: 100 diagnoses in one process, memory and descriptors (P5)
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-many.py BENCH_MANY [--runs N] [--json FILE]
#
# Starts aiosmtpd (STARTTLS, AUTH) on 127.0.0.1 with a throwaway CA, as
# bench-check.py does but with no delay proxy (time is not measured here),
# and runs bench-many against it: N diagnoses (default 100) in one process,
# with the checks that need DNS skipped. Prints the resident memory and the
# open descriptors after the first run and after the last; the target of
# the performance issue is no growth between them. With --json the figures
# also go to FILE, for tests/bench/run.
#
# The first hundred runs also fill malloc's per-thread caches (tcache) and
# GSlice's magazines, which shows as a few hundred kB that stop growing
# after that; --plain-malloc turns both off (G_SLICE=always-malloc,
# glibc.malloc.tcache_count=0) so that what remains is what the program
# holds. The growth over the second half of the runs is printed too.
# A benchmark, not a test: it reports, it does not fail on the figures.

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "..", "peers")
PYTHON = "/usr/bin/python3"
USER = "alice"

# The PKI, the free port and the wait are bench-check.py's own.
sys.path.insert(0, HERE)
from importlib import import_module  # noqa: E402

bench_check = import_module("bench-check")


def have_aiosmtpd():
    result = subprocess.run([PYTHON, "-c", "import aiosmtpd"], capture_output=True)
    return result.returncode == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench_many")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument("--plain-malloc", action="store_true",
                        help="without malloc's thread caches and GSlice")
    args = parser.parse_args()

    if shutil.which("certtool") is None:
        print("certtool is not installed; install gnutls-bin")
        return 77
    if not have_aiosmtpd():
        print("aiosmtpd is not installed; install python3-aiosmtpd")
        return 77
    if not os.access(args.bench_many, os.X_OK):
        print(f"{args.bench_many} is not built")
        return 77
    if args.runs < 2:
        print("--runs must be at least 2: the first run is the baseline")
        return 2
    runs = args.runs

    with tempfile.TemporaryDirectory(prefix="md-bench-many-") as tmp:
        bench_check.make_pki(tmp)
        p = lambda name: os.path.join(tmp, name)
        port = bench_check.free_port()
        peer = subprocess.Popen(
            [PYTHON, os.path.join(PEERS, "aio_peer.py"), "starttls", str(port),
             p("srv.pem"), p("srv.key"), p("password")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            bench_check.wait_listening(port)
            out = p("many.json")
            env = dict(os.environ)
            if args.plain_malloc:
                env["G_SLICE"] = "always-malloc"
                env["GLIBC_TUNABLES"] = "glibc.malloc.tcache_count=0"
            result = subprocess.run(
                [args.bench_many, "--host", "127.0.0.1", "--port", str(port),
                 "--user", USER, "--password-file", p("password"),
                 "--ca-file", p("ca.pem"), "--runs", str(runs), "--quiet",
                 "--json", out],
                stderr=subprocess.PIPE, env=env, timeout=3000)
            if result.returncode != 0:
                raise SystemExit(f"bench-many failed ({result.returncode}): "
                                 f"{result.stderr.decode(errors='replace')[-1000:]}")
            with open(out) as f:
                figures = json.load(f)
        finally:
            peer.terminate()
            peer.wait(timeout=10)

    rss = figures["rss_kb_growth"]
    fds = figures["fds_growth"]
    print(f"{figures['runs']} diagnoses in one process ({figures['verdict']})")
    print(f"resident memory after run 1 {figures['rss_kb_after_first']} kB, "
          f"after run {figures['runs']} {figures['rss_kb_after_last']} kB: "
          f"{rss:+d} kB {'met' if rss <= 0 else 'MISSED'}")
    print(f"malloc in use   after run 1 {figures['heap_kb_after_first']} kB, "
          f"after run {figures['runs']} {figures['heap_kb_after_last']} kB: "
          f"{figures['heap_kb_growth']:+d} kB")
    print(f"open descriptors after run 1 {figures['fds_after_first']}, "
          f"after run {figures['runs']} {figures['fds_after_last']}: "
          f"{fds:+d} {'met' if fds <= 0 else 'MISSED'}")
    print(f"from run {figures['runs'] // 2} to run {figures['runs']}: "
          f"resident {figures['rss_kb_growth_second_half']:+d} kB, "
          f"malloc {figures['heap_kb_growth_second_half']:+d} kB, "
          f"descriptors {figures['fds_growth_second_half']:+d}")
    if figures["runs_ending_otherwise"]:
        print(f"note: {figures['runs_ending_otherwise']} runs ended otherwise than the first")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({**figures, "plain_malloc": args.plain_malloc}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# bench-check.py: how long a STARTTLS + AUTH check takes on a slow link
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-check.py CLI [--runs N] [--delay-ms MS] [--json FILE]
#
# Starts aiosmtpd (STARTTLS, AUTH) on 127.0.0.1 behind delay_proxy.py, which
# adds DELAY_MS in each direction (these kernels have no netem), and times the
# same transaction three ways, N runs each: `mail-doctor-cli check` (without
# the extra probes that open more connections), swaks, and a minimal
# sequential client doing exactly the same exchanges. Prints the medians and
# the ratios; targets: at most 1.0 x the minimal client and 0.8 x swaks;
# and one check's per-step trace (transcript times, check durations). Also
# the CPU time (user + system) the CLI spends per check (target 30 ms). With
# --json the figures also go to FILE, for tests/bench/run.
# A benchmark, not a test: it reports, it does not fail on the figures.

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "..", "peers")
PYTHON = "/usr/bin/python3"
USER = "alice"
PASSWORD = "Canary-Pa55-ZQXJ"
# swaks does one SMTP transaction; so does the check measured against it.
SKIP = ("net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl,rep.dnsbl-server,"
        "rep.dnsbl-domain,auth.spf,auth.dkim,auth.dmarc,auth.mta-sts")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, deadline_s=10.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.01)
    raise SystemExit(f"nothing listens on {port}")


def certtool(*args):
    subprocess.run(["certtool", *args], check=True, capture_output=True)


def make_pki(directory):
    ca_tmpl = os.path.join(directory, "ca.tmpl")
    srv_tmpl = os.path.join(directory, "srv.tmpl")
    with open(ca_tmpl, "w") as f:
        f.write('cn = "Bench CA"\nca\ncert_signing_key\nexpiration_days = 30\n')
    with open(srv_tmpl, "w") as f:
        f.write('cn = "localhost"\nip_address = "127.0.0.1"\ndns_name = "localhost"\n'
                'tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n')
    p = lambda name: os.path.join(directory, name)
    certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", p("ca.key"))
    certtool("--generate-self-signed", "--load-privkey", p("ca.key"),
             "--template", ca_tmpl, "--outfile", p("ca.pem"))
    certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", p("srv.key"))
    certtool("--generate-certificate", "--load-privkey", p("srv.key"),
             "--load-ca-certificate", p("ca.pem"), "--load-ca-privkey", p("ca.key"),
             "--template", srv_tmpl, "--outfile", p("srv.pem"))
    with open(p("password"), "w") as f:
        f.write(PASSWORD)


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv):
    start = time.monotonic()
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            timeout=60)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({result.returncode}): "
                         f"{result.stderr.decode(errors='replace')[-500:]}")
    return elapsed


def step_trace(argv):
    """One more check, its steps in time: the transcript's times (ms from
    the start of the diagnosis) and each check's duration. Prints them and
    returns them for the JSON, so a slow step shows where it is."""
    result = subprocess.run(argv + ["--format", "json"], capture_output=True, text=True,
                            timeout=60)
    report = json.loads(result.stdout)
    lines = [(line["t_ms"], line["dir"], line["text"]) for line in report.get("transcript", [])]
    checks = [(check["id"], check["duration_ms"]) for check in report.get("checks", [])
              if check.get("status") != "skip"]
    print("per-step trace of one check (ms from the start of the diagnosis):")
    for t_ms, direction, text in lines:
        print(f"  {t_ms:5d} {direction} {text[:60]}")
    print("  checks: " + ", ".join(f"{name} {ms} ms" for name, ms in checks))
    return {"transcript": [{"t_ms": t, "dir": d, "text": x} for t, d, x in lines],
            "checks_ms": dict(checks)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--delay-ms", type=int, default=25)
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()

    if shutil.which("swaks") is None:
        print("swaks is not installed; install swaks and libnet-ssleay-perl")
        return 77

    processes = []
    with tempfile.TemporaryDirectory(prefix="md-bench-") as tmp:
        try:
            make_pki(tmp)
            p = lambda name: os.path.join(tmp, name)
            server_port, proxy_port = free_port(), free_port()
            processes.append(subprocess.Popen(
                [PYTHON, os.path.join(PEERS, "aio_peer.py"), "starttls", str(server_port),
                 p("srv.pem"), p("srv.key"), p("password")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            processes.append(subprocess.Popen(
                [PYTHON, os.path.join(PEERS, "delay_proxy.py"), str(proxy_port),
                 str(server_port), str(args.delay_ms)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_listening(server_port)
            wait_listening(proxy_port)

            clients = {
                "mail-doctor-cli": [args.cli, "check", "--host", "127.0.0.1",
                                    "--port", str(proxy_port), "--user", USER,
                                    "--password-file", p("password"),
                                    "--ca-file", p("ca.pem"),
                                    "--skip", SKIP],
                "swaks": ["swaks", "--server", f"127.0.0.1:{proxy_port}", "--tls",
                          "--tls-verify", "--tls-ca-path", p("ca.pem"),
                          "--auth", "PLAIN", "--auth-user", USER,
                          "--auth-password", PASSWORD, "--quit-after", "AUTH"],
                "minimal": [PYTHON, os.path.join(HERE, "minimal_client.py"), "127.0.0.1",
                            str(proxy_port), p("ca.pem"), USER, p("password")],
            }

            trace = step_trace(clients["mail-doctor-cli"])

            medians = {}
            all_runs = {}
            cpu = 0.0
            for name, argv in clients.items():
                timed(argv)  # warm the page cache; not counted
                cpu_before = cpu_of_children()
                runs = [timed(argv) for _ in range(args.runs)]
                if name == "mail-doctor-cli":
                    cpu = (cpu_of_children() - cpu_before) / args.runs
                medians[name] = statistics.median(runs)
                all_runs[name] = runs
                print(f"{name:16} median {medians[name] * 1000:7.1f} ms   runs "
                      + " ".join(f"{r * 1000:.0f}" for r in runs))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=10)

    md = medians["mail-doctor-cli"]
    to_minimal = md / medians["minimal"]
    to_swaks = md / medians["swaks"]
    print(f"delay {args.delay_ms} ms each way, {args.runs} runs each")
    print(f"mail-doctor-cli / minimal client: {to_minimal:.2f} (target <= 1.00) "
          f"{'met' if to_minimal <= 1.0 else 'MISSED'}")
    print(f"mail-doctor-cli / swaks:          {to_swaks:.2f} (target <= 0.80) "
          f"{'met' if to_swaks <= 0.8 else 'MISSED'}")
    print(f"mail-doctor-cli CPU per check:    {cpu * 1000:.1f} ms (target <= 30) "
          f"{'met' if cpu <= 0.030 else 'MISSED'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"delay_ms": args.delay_ms, "runs": args.runs,
                       "medians_ms": {k: round(v * 1000, 1) for k, v in medians.items()},
                       "runs_ms": {k: [round(r * 1000, 1) for r in v]
                                   for k, v in all_runs.items()},
                       "ratio_to_minimal": round(to_minimal, 3),
                       "ratio_to_swaks": round(to_swaks, 3),
                       "cpu_per_check_ms": round(cpu * 1000, 1),
                       "trace": trace}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

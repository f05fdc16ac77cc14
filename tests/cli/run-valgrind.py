#!/usr/bin/python3
# run-valgrind.py: a few of the CLI's commands under valgrind's memcheck
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-valgrind.py CLI [--log-dir DIR]. Prints TAP. Python stdlib only.
#
# Each case runs the CLI under memcheck with --error-exitcode and
# --errors-for-leak-kinds=definite: any invalid read or write, use of an
# uninitialised value, bad free, or block definitely lost fails it, and the
# part of memcheck's log that says why is printed. The suppressions are
# GLib's own (its caches and type system) and valgrind.supp here (PCRE2's
# JIT), nothing of ours. The servers are
# local: Postfix's smtp-sink on a free port of 127.0.0.1 (no root needed; it
# drops to nobody when started as root), and a closed port; the checks that
# would need the resolver or the Internet are skipped. Without valgrind
# everything skips.

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

# The helpers live beside this file; keep the source tree free of bytecode.
sys.dont_write_bytecode = True

from clilab import SMTP_SINK, STOP_TIMEOUT, Sink, Tap, free_port, wait_listening  # noqa: E402,F401

VALGRIND = shutil.which("valgrind")
GLIB_SUPP = "/usr/share/glib-2.0/valgrind/glib.supp"
# Library noise GLib's file does not cover (PCRE2's JIT); nothing of ours.
OWN_SUPP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "valgrind.supp")
ERROR_EXIT = 99
# One SMTP conversation per check; no case may depend on the resolver.
SKIP = ("dns.mx,net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl,rep.dnsbl-server,"
        "rep.dnsbl-domain,auth.spf,auth.dkim,auth.dmarc,auth.mta-sts")
# Memcheck is some twenty times slower than the CLI alone.
CASE_TIMEOUT = 180
PASSWORD = "Canary-Pa55-valgrind-7f3a"
YAHOO_421 = ("host mta7.am0.yahoodns.net[67.195.204.72] said: 421 4.7.0 [TSS04] Messages from "
             "203.0.113.5 temporarily deferred due to unexpected volume or user complaints - "
             "4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM "
             "command)")


def memcheck(log_dir, name, cli, *args, stdin=None):
    """Runs CLI ARGS under memcheck; returns (process, problems, figures)."""
    log = os.path.join(log_dir, f"{name}.log")
    command = [VALGRIND, "--tool=memcheck", "--leak-check=full",
               "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
               f"--error-exitcode={ERROR_EXIT}", "--num-callers=40",
               "--child-silent-after-fork=yes", f"--log-file={log}"]
    if os.path.exists(GLIB_SUPP):
        command.append(f"--suppressions={GLIB_SUPP}")
    command.append(f"--suppressions={OWN_SUPP}")
    # GLib's slice allocator keeps freed blocks in caches of its own, which
    # memcheck cannot tell from leaks or reuse; plain malloc it can.
    env = {**os.environ, "G_SLICE": "always-malloc", "G_DEBUG": "gc-friendly"}
    p = subprocess.run([*command, cli, *args], input=stdin, capture_output=True,
                       timeout=CASE_TIMEOUT, env=env)
    try:
        with open(log, errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return p, [f"no memcheck log (exit {p.returncode}): "
                   f"{p.stderr.decode(errors='replace')[-500:]}"], {}

    figures = {}
    m = re.search(r"ERROR SUMMARY: ([\d,]+) errors", text)
    figures["errors"] = int(m.group(1).replace(",", "")) if m else None
    m = re.search(r"definitely lost: ([\d,]+) bytes in ([\d,]+) blocks", text)
    figures["definite_bytes"] = int(m.group(1).replace(",", "")) if m else 0
    m = re.search(r"in use at exit: ([\d,]+) bytes", text)
    figures["in_use_bytes"] = int(m.group(1).replace(",", "")) if m else 0

    problems = []
    if figures["errors"] is None:
        problems.append("memcheck wrote no error summary")
    elif figures["errors"] or figures["definite_bytes"] or p.returncode == ERROR_EXIT:
        problems.append(f"memcheck: {figures['errors']} errors, "
                        f"{figures['definite_bytes']} bytes definitely lost")
        # What memcheck said, without its banner: the errors and their stacks.
        problems += [line for line in text.splitlines()
                     if not re.match(r"==\d+== (Memcheck|Copyright|Using Valgrind|Command|"
                                     r"Parent PID|$)", line)][:150]
    return p, problems, figures


def main():
    cli = sys.argv[1]
    log_dir = None
    if "--log-dir" in sys.argv:
        log_dir = sys.argv[sys.argv.index("--log-dir") + 1]

    if VALGRIND is None:
        print("1..0 # SKIP valgrind is not installed")
        return 0

    tap = Tap()
    totals = {"errors": 0, "definite_bytes": 0, "cases": 0}

    with tempfile.TemporaryDirectory(prefix="md-valgrind-") as tmp:
        log_dir = log_dir or tmp
        os.makedirs(log_dir, exist_ok=True)

        def case(name, label, *args, check=None, stdin=None):
            try:
                p, problems, figures = memcheck(log_dir, name, cli, *args, stdin=stdin)
            except subprocess.TimeoutExpired:
                tap.point(label, [f"no answer within {CASE_TIMEOUT} s under memcheck"])
                return None
            if check is not None and not problems:
                problems = check(p)
            totals["cases"] += 1
            totals["errors"] += figures.get("errors") or 0
            totals["definite_bytes"] += figures.get("definite_bytes", 0)
            if figures:
                label += (f" ({figures['errors']} errors, {figures['definite_bytes']} bytes "
                          f"definitely lost, {figures['in_use_bytes']} bytes in use at exit)")
            tap.point(label, problems)
            return p

        def exits(*codes, out=None):
            def check(p):
                text = p.stdout.decode(errors="replace")
                problems = []
                if p.returncode not in codes:
                    problems.append(f"exit {p.returncode}, want {codes}: "
                                    f"{p.stderr.decode(errors='replace')[-300:]}")
                if out and out not in text:
                    problems.append(f"{out!r} not in the output: {text[:300]}")
                return problems
            return check

        case("version", "--version", "--version", check=exits(0, out="mail-doctor-cli"))
        case("help", "--help", "--help", check=exits(0, out="explain"))
        case("check-help", "check --help", "check", "--help", check=exits(0, out="--host"))
        case("explain-text", "explain of a 421, as text", "explain", YAHOO_421,
             check=exits(0, out="Yahoo"))
        case("explain-json", "explain of a 421, as JSON, from stdin", "explain",
             "--format", "json", "-", stdin=YAHOO_421.encode(), check=exits(0, out='"findings"'))
        case("explain-bad", "explain without a text: exit 2", "explain", check=exits(2))

        # A closed port: the check says so, and saves the report it opens again.
        saved = os.path.join(tmp, "report.json")
        case("check-closed", "check against a closed port, saved as JSON",
             "check", "--host", "127.0.0.1", "--port", str(free_port()), "--security", "none",
             "--skip", SKIP, "--timeout", "10", "--format", "json", "--output", saved,
             check=exits(1))
        if os.path.exists(saved):
            case("report-text", "report of the saved JSON, as text", "report", saved,
                 check=exits(0, out="refused"))
            case("report-html", "report of the saved JSON, as HTML", "report", saved,
                 "--format", "html", check=exits(0, out="<html"))
        else:
            tap.point("report of the saved JSON", ["check saved no report"])
        case("report-missing", "report of a missing file: exit 2",
             "report", os.path.join(tmp, "missing.json"), check=exits(2))

        # Real SMTP conversations with smtp-sink: one that turns the client
        # away with a 421, one that takes a password in plain text.
        if not os.path.exists(SMTP_SINK):
            tap.point("check against smtp-sink # SKIP smtp-sink is not installed", [])
        else:
            password_file = os.path.join(tmp, "password")
            with open(password_file, "w") as f:
                f.write(PASSWORD + "\n")
            port = free_port()
            sink = Sink(port, "-Q", "CONNECT")
            try:
                case("check-421", "check against smtp-sink answering 421, as text",
                     "check", "--host", "127.0.0.1", "--port", str(port), "--security", "none",
                     "--skip", SKIP, "--timeout", "20", check=exits(1))
            finally:
                sink.stop()
            port = free_port()
            sink = Sink(port)
            try:
                case("check-healthy", "check with a password against a healthy smtp-sink, as HTML",
                     "check", "--host", "127.0.0.1", "--port", str(port), "--security", "none",
                     "--email", "someone@example.com", "--password-file", password_file,
                     "--allow-plaintext-auth", "--skip", SKIP, "--timeout", "20",
                     "--format", "html", check=exits(0, 1))
            finally:
                sink.stop()

    print(f"# memcheck over {totals['cases']} runs: {totals['errors']} errors, "
          f"{totals['definite_bytes']} bytes definitely lost")
    tap.plan()
    return 0


if __name__ == "__main__":
    sys.exit(main())

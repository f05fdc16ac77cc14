#!/usr/bin/python3
# run-explain.py: mail-doctor-cli explain, driven as a helpdesk script would
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-explain.py CLI. Prints TAP. Python stdlib only.

import json
import subprocess
import sys
import time

YAHOO = ("host mta7.am0.yahoodns.net[67.195.204.72] said: 421 4.7.0 [TSS04] Messages from "
         "203.0.113.5 temporarily deferred due to unexpected volume or user complaints - "
         "4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM "
         "command)")
FIX_IDS = {"check-server-status", "slow-down", "verify-settings", "check-blocklists",
           "clear-outbox", "setup-sender-auth", "retry-later", "check-network",
           "update-mail-program", "app-password", "antivirus-tls", "contact-provider"}


class Tap:
    def __init__(self):
        self.n = 0

    def point(self, name, problems):
        self.n += 1
        print(f"{'not ok' if problems else 'ok'} {self.n} - {name}")
        for p in problems:
            print(f"# {p}")

    def plan(self):
        print(f"1..{self.n}")


def run(cli, *args, stdin=None):
    start = time.monotonic()
    p = subprocess.run([cli, "explain", *args], input=stdin, capture_output=True, timeout=30)
    return p, time.monotonic() - start


def explain_json(cli, text):
    p, elapsed = run(cli, "--format", "json", text)
    return p, json.loads(p.stdout) if p.returncode == 0 else None, elapsed


def check_shape(d):
    problems = []
    if d.get("version") != 1:
        problems.append(f"version {d.get('version')}")
    if len(d.get("findings", [])) != 1:
        problems.append("not exactly one finding")
    for fix in d.get("fixes", []):
        if fix.get("id") not in FIX_IDS or not fix.get("title") or not fix.get("steps"):
            problems.append(f"bad fix {fix}")
    return problems


def case(tap, cli, name, text, cause, first_fix=None, stage=None, code=None):
    p, d, _ = explain_json(cli, text)
    if d is None:
        tap.point(name, [f"exit {p.returncode}: {p.stderr.decode(errors='replace')}"])
        return
    problems = check_shape(d)
    finding = d["findings"][0] if d.get("findings") else {}
    wanted = cause if isinstance(cause, set) else {cause}
    if finding.get("cause") not in wanted:
        problems.append(f"cause {finding.get('cause')}, want one of {sorted(wanted)}")
    if first_fix and (not d["fixes"] or d["fixes"][0]["id"] != first_fix):
        problems.append(f"first fix {[f['id'] for f in d['fixes']][:1]}, want {first_fix}")
    if stage and d["input"].get("stage") != stage:
        problems.append(f"stage {d['input'].get('stage')}, want {stage}")
    if code and d["input"].get("code") != code:
        problems.append(f"code {d['input'].get('code')}, want {code}")
    tap.point(name, problems)


def main():
    cli = sys.argv[1]
    tap = Tap()
    # "unexpected volume or user complaints": both readings are Yahoo's own.
    case(tap, cli, "Yahoo TSS04 bounce: volume or complaints, during MAIL FROM", YAHOO,
         {"rate-limited", "spam-suspected"}, stage="mail", code=421)
    case(tap, cli, "Microsoft 4.7.66 pasted: an outdated TLS problem",
         "421 4.7.66 TLS version not supported", "tls-problem", code=421)
    case(tap, cli, "535 refused password: app password first",
         "535 5.7.8 Username and Password not accepted", "auth-failed",
         first_fix="app-password", code=535)
    # No reason given: "unknown" is the honest answer, not a guess.
    case(tap, cli, "multi-line 421 reply without a reason: unknown, code kept",
         "421-4.7.0 Try again later\n421 4.7.0 closing connection",
         "unknown", code=421)

    p, d, _ = explain_json(cli, "garbage ☃ with no code at all")
    problems = [] if d else [f"exit {p.returncode}"]
    if d and (d["findings"][0]["cause"] != "unknown" or d["findings"][0]["confidence"] != 0):
        problems.append(f"garbage gave {d['findings'][0]}")
    tap.point("garbage: cause unknown, confidence 0, exit 0", problems)

    p, elapsed = run(cli, "-", stdin=(("x" * 1000 + "\n") * 1024).encode() + YAHOO.encode())
    problems = [] if p.returncode == 0 else [f"exit {p.returncode}"]
    if elapsed > 5:
        problems.append(f"took {elapsed:.1f} s")
    tap.point(f"1 MB on standard input answers promptly ({elapsed:.2f} s)", problems)

    p, _ = run(cli, "-", stdin=YAHOO.encode())
    tap.point("a paste on standard input reads like the argument",
              [] if p.returncode == 0 and b"Yahoo" in p.stdout else [p.stdout.decode()[:200]])

    # A continuation line with no separator after its code must not have
    # its first character cut in two: the JSON stays valid UTF-8.
    problems = []
    for text in (b"421-a\n421\xc3\xa9 b", b"421-a\n421\xe2\x82\xac b",
                 b"421-a\n421\xf0\x9f\x98\x80 b"):
        p, _ = run(cli, "--format", "json", "-", stdin=text)
        try:
            json.loads(p.stdout.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            problems.append(f"{text!r}: {e}")
    tap.point("a continuation without its separator: the JSON stays valid UTF-8", problems)

    p, _ = run(cli)
    tap.point("no message: exit 2 with a sentence, not a raw error",
              [] if p.returncode == 2 and b"argument" in p.stderr else
              [f"exit {p.returncode}: {p.stderr.decode()}"])

    tap.plan()
    return 0


if __name__ == "__main__":
    sys.exit(main())

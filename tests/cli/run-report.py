#!/usr/bin/python3
# run-report.py: a saved report opened again, as a helpdesk does
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-report.py CLI. Prints TAP. Python stdlib only; no server needed:
# the check runs against a closed port on 127.0.0.1.

import json
import os
import socket
import subprocess
import sys
import tempfile

SKIP = ("net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl,rep.dnsbl-server,"
        "rep.dnsbl-domain,auth.spf,auth.dkim,auth.dmarc,auth.mta-sts")
HOSTILE = "<script>alert(1)</script> & \"quoted\""


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, timeout=60)


def main():
    binary = sys.argv[1]
    n = 0

    def point(name, problems):
        nonlocal n
        n += 1
        print(f"{'not ok' if problems else 'ok'} {n} - {name}")
        for p in problems:
            print(f"# {p}")

    with tempfile.TemporaryDirectory(prefix="md-report-") as tmp:
        saved = os.path.join(tmp, "report.json")
        p = cli(binary, "check", "--host", "127.0.0.1", "--port", str(closed_port()),
                "--security", "none", "--skip", SKIP, "--timeout", "10",
                "--format", "json", "--output", saved)
        point("check saves a JSON report (exit 1: the server is not there)",
              [] if p.returncode == 1 and os.path.exists(saved) else
              [f"exit {p.returncode}: {p.stderr.decode(errors='replace')[-300:]}"])

        p = cli(binary, "report", saved)
        text = p.stdout.decode(errors="replace")
        point("report FILE shows the same finding in text",
              [] if p.returncode == 0 and "net.connect" in text and "refused" in text else
              [f"exit {p.returncode}: {text[:300]}"])

        with open(saved) as f:
            doc = json.load(f)
        doc["checks"][0]["summary"] = HOSTILE
        doc["transcript"] = [{"t_ms": 1, "dir": "S", "text": "421 " + HOSTILE}]
        hostile = os.path.join(tmp, "hostile.json")
        with open(hostile, "w") as f:
            json.dump(doc, f)
        p = cli(binary, "report", hostile, "--format", "html")
        html = p.stdout.decode(errors="replace")
        problems = [] if p.returncode == 0 else [f"exit {p.returncode}"]
        if "<script" in html.lower():
            problems.append("live <script> in the HTML")
        if "&lt;script&gt;" not in html or "&amp;" not in html:
            problems.append("the server's text is not shown escaped")
        point("report --format html escapes what a server sent", problems)

        p = cli(binary, "report", os.path.join(tmp, "missing.json"))
        point("a missing file: exit 2 and a sentence",
              [] if p.returncode == 2 and p.stderr.strip() else
              [f"exit {p.returncode}: {p.stderr.decode(errors='replace')}"])

    print(f"1..{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# run-bad-input.py: what users type wrong, through the CLI, one case at a time
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-bad-input.py CLI. Prints TAP. Python stdlib only.
#
# Each case is one mistake a person makes typing a setting: the CLI must
# exit 2 at once with one plain sentence on standard error that names the
# field (never a raw GError, a crash, a hang, or anything on standard
# output), and it must never reach the network: every case points at
# 127.0.0.1 port 9, where nothing listens, with a 3 s budget. A few inputs
# that look odd but are right (IDN, IPv6 with and without brackets, an
# absolute name with its trailing dot) must be accepted instead.

import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

TIMEOUT = 10.0
# A sentence a user can read: no programmer's words in it.
RAW = re.compile(r"GError|g_[a-z_]+\(|\(null\)|CRITICAL|WARNING \*\*|Traceback|assert")
BASE = ["check", "--host", "127.0.0.1", "--port", "9", "--timeout", "3",
        "--skip", "net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl,rep.dnsbl-server,"
        "rep.dnsbl-domain,auth.spf,auth.dkim,auth.dmarc,auth.mta-sts"]

EMAIL = r"email|address|@"
HOST = r"server"
PORT = r"port"


def option_cases(files):
    """(name, argv after the command's base, field regex)"""
    cases = []

    def add(name, argv, field):
        cases.append((name, argv, field))

    # Hosts.
    for host in ["smtp example.com", " smtp.example.com", "smtp.example.com ", "\tsmtp.example.com",
                 "smtp.exa\tmple.com", "smtp.example.com\n", "smtp.example.com\r\nQUIT",
                 "smtp\x1b[31m.example.com", ".smtp.example.com",
                 "smtp..example.com", "-smtp.example.com", "smtp-.example.com",
                 "smtp.exam_ple.com", "smtp.example.com:587", "smtp://smtp.example.com",
                 "https://smtp.example.com/", "smtp.example.com/path", "sam@example.com",
                 "a" * 64 + ".example.com", ".".join(["a" * 60] * 5), "999.1.1.1",
                 "[::1", "[not-an-ip]", "[::1]:587", "1.2.3.4.5", "smtp.exämple..com",
                 "smtp!.example.com", "smtp,example.com", "*.example.com"]:
        add(f"--host {host!r}", ["--host", host], HOST)

    # Ports.
    for port in ["0", "-1", "65536", "70000", "abc", " 587", "587 ", "58 7", "5e2", "0x24b",
                 "+587", "587.0", "99999999999999999999", "", "\u0665\u0668\u0667"]:
        add(f"--port {port!r}", ["--port", port], PORT)

    # Addresses.
    for email in ["sam", "sam@", "@example.com", "sam@@example.com", "sam@example@com",
                  "\"sam@example.com", "sam \"x\"@example.com", "sam@example.com\r\nRCPT TO:<x@y>",
                  "sam@example.com\nDATA", "sam@example.com\r",
                  "s" * 320 + "@example.com", "sam@" + "e" * 320 + ".com",
                  "Sam <sam@example.com>", "sam@example", "sam@.example.com",
                  "sam@example..com", ".sam@example.com", "sam.@example.com",
                  "sa..m@example.com", "sam@example.com.", "sam@-example.com",
                  "sam@exa mple.com", "sam(comment)@example.com", "sam@[300.1.1.1]",
                  "sam@[1.2.3.4", "sam@1.2.3.4", "\tsam@example.com"]:
        add(f"--email {email!r}", ["--email", email], EMAIL)

    # Time limit, client address, message size, security.
    for timeout in ["0", "-5", "1e9", "abc", "", "99999999999"]:
        add(f"--timeout {timeout!r}", ["--timeout", timeout], r"timeout|time|seconds")
    for ip in ["1.2.3", "256.1.1.1", "example.com", "::g", "1.2.3.4/24", ""]:
        add(f"--client-ip {ip!r}", ["--client-ip", ip], r"IP|address")
    for size in ["xyz", "-5M", "5Q", "", "1e999", "5 MBB"]:
        add(f"--message-size {size!r}", ["--message-size", size], r"size|message")
    for security in ["foo", "", "TLS1.2", "ssl"]:
        add(f"--security {security!r}", ["--security", security], r"security")

    # Certificate files.
    add("--ca-file missing", ["--ca-file", os.path.join(files, "missing.pem")], r"certificate")
    add("--ca-file a folder", ["--ca-file", files], r"certificate")
    add("--ca-file empty", ["--ca-file", os.path.join(files, "empty.pem")], r"certificate")
    add("--ca-file garbage", ["--ca-file", os.path.join(files, "garbage.pem")], r"certificate")
    add("--ca-file a private key", ["--ca-file", os.path.join(files, "key.pem")], r"certificate")
    add("--ca-file binary", ["--ca-file", os.path.join(files, "binary.pem")], r"certificate")

    # Error text: empty, and the same through explain.
    add("--error-text empty", ["--error-text", ""], r"error")
    add("--password-file missing", ["--password-file", os.path.join(files, "nope")],
        r"password")
    add("--password-file and --password-stdin", ["--password-file", "x", "--password-stdin"],
        r"password")
    add("--format bad", ["--format", "xml"], r"format|text|json")
    add("--skip unknown", ["--skip", "no.such.check"], r"check|skip")
    return cases


def accepted_cases():
    """Odd-looking input that is right: not a usage error."""
    return [
        ("--host IDN", ["--host", "smtp.bücher.example"]),  # shown in both forms
        ("--host IPv6 with brackets", ["--host", "[::1]"]),
        ("--host IPv6 without brackets", ["--host", "::1"]),
        ("--host absolute name", ["--host", "localhost."]),
        ("--email IDN domain", ["--email", "sam@bücher.example"]),
    ]


HOSTILE_REPORT = {
    "version": 1,
    "account": {"email": "a@example.com", "host": "<script>alert(1)</script>", "port": 587},
    "checks": [{"id": "smtp.greeting", "status": "fail",
                "summary": "<script>alert(2)</script> \x1b[31mRED\x1b[0m \x07bell",
                "detail": "<b>x</b>"}],
    "findings": [{"cause": "server-busy", "confidence": 0.9, "checks": ["smtp.greeting"],
                  "explanation": "<img src=x onerror=alert(3)> \x1b]0;title\x07", "fixes": []}],
    "fixes": [],
    "transcript": [{"t_ms": 0, "dir": "S", "text": "421 <script>x</script> \x1b[2J"}],
}


def report_cases(files):
    """Reports a helpdesk is sent: damaged ones are refused in plain words."""
    def write(name, data):
        path = os.path.join(files, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    cases = [
        ("truncated", write("truncated.json", '{"version": 1, "checks": [')),
        ("mistyped", write("mistyped.json", '{"version": 1, "checks": "x", "findings": [], '
                                            '"fixes": [], "transcript": []}')),
        ("another version", write("v99.json", '{"version": 99, "checks": [], "findings": [], '
                                              '"fixes": [], "transcript": []}')),
        ("not JSON", write("text.json", "Subject: hello\n\nnot a report\n")),
        ("empty", write("empty.json", "")),
        ("binary", write("binary.json", bytes(range(256)) * 4)),
        ("a list, not an object", write("list.json", "[1, 2, 3]")),
        ("nested 100 000 deep", write("deep.json", "[" * 100000)),
        # json-glib takes single-quoted strings: a scan that counts only
        # double quotes would miss this nesting, and the parser overflow.
        ("nested after a single-quoted quote", write("crafted.json",
                                                     '{"a": \'"\', "b": ' + "[" * 100000)),
        ("two objects", write("two.json", "{}{}")),
        ("a comment", write("comment.json", '{"version": 1 /* c */, "checks": []}')),
        ("missing", os.path.join(files, "no-such-report.json")),
        ("a folder", files),
    ]
    big = os.path.join(files, "big.json")
    with open(big, "wb") as f:
        f.truncate(100 * 1024 * 1024)
    cases.append(("100 MB", big))
    return [(f"report {name}", ["report", path], r"report|file") for name, path in cases]


def make_files(directory):
    open(os.path.join(directory, "empty.pem"), "w").close()
    with open(os.path.join(directory, "garbage.pem"), "w") as f:
        f.write("this is not a certificate\n")
    with open(os.path.join(directory, "key.pem"), "w") as f:
        f.write("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIPrivateKeyBytesNotReal00000000000\n"
                "-----END PRIVATE KEY-----\n")
    with open(os.path.join(directory, "binary.pem"), "wb") as f:
        f.write(bytes(range(256)) * 8)


def run(cli, argv):
    try:
        p = subprocess.run([cli, *argv], capture_output=True, timeout=TIMEOUT,
                           env={**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": ""})
    except subprocess.TimeoutExpired:
        return None
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def judge_rejected(result, field):
    if result is None:
        return ["it hung"]
    status, out, err = result
    problems = []
    if status != 2:
        problems.append(f"exit {status}, want 2")
    if out:
        problems.append(f"stdout: {out[:200]!r}")
    lines = [line for line in err.splitlines() if line.strip()]
    if len(lines) != 1:
        problems.append(f"stderr has {len(lines)} lines, want one sentence: {err[:300]!r}")
    elif RAW.search(err):
        problems.append(f"not plain words: {err!r}")
    elif not re.search(field, err, re.IGNORECASE):
        problems.append(f"does not name the field ({field}): {err!r}")
    return problems


def main():
    cli = sys.argv[1]
    n = 0

    def point(name, problems):
        nonlocal n
        n += 1
        print(f"{'not ok' if problems else 'ok'} {n} - {name}")
        for p in problems:
            print(f"# {p}")

    with tempfile.TemporaryDirectory(prefix="md-bad-input-") as files:
        make_files(files)
        cases = option_cases(files)
        jobs = [(name, BASE + argv, field) for name, argv, field in cases]
        jobs += report_cases(files)
        jobs += [
            ("explain with an empty text", ["explain", ""], r"error message"),
            ("explain with only spaces", ["explain", "  \t "], r"error message"),
            ("explain with two texts", ["explain", "421", "x"], r"error message"),
            ("check without a server or an address", ["check", "--timeout", "3"],
             r"server|email"),
        ]
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda job: run(cli, job[1]), jobs))
        for (name, _, field), result in zip(jobs, results):
            point(f"rejected: {name}", judge_rejected(result, field))

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda case: run(cli, BASE + case[1]), accepted_cases()))
        for (name, _), result in zip(accepted_cases(), results):
            problems = []
            if result is None:
                problems.append("it hung")
            elif result[0] == 2:
                problems.append(f"refused: {result[2]!r}")
            elif name == "--host IDN" and not ("smtp.bücher.example" in result[1] and
                                               "smtp.xn--bcher-kva.example" in result[1]):
                problems.append("the international name is not shown in both forms")
            point(f"accepted: {name}", problems)

        # A hostile report's words are shown as words: escaped in HTML,
        # and no terminal control character reaches the terminal.
        hostile = os.path.join(files, "hostile.json")
        with open(hostile, "w") as f:
            json.dump(HOSTILE_REPORT, f)
        problems = []
        result = run(cli, ["report", "--format", "html", hostile])
        if result is None or result[0] != 0:
            problems.append(f"report --format html: {result}")
        elif re.search(r"<script|<img|onerror=alert\(3\)>", result[1], re.IGNORECASE) or \
                "&lt;script&gt;alert(1)" not in result[1]:
            problems.append("the HTML is not escaped")
        point("report --format html: markup in every field shown escaped", problems)
        problems = []
        result = run(cli, ["report", hostile])
        if result is None or result[0] != 0:
            problems.append(f"report: {result}")
        elif re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result[1]):
            problems.append("a control character reached the terminal")
        elif "RED" not in result[1]:
            problems.append("the text around the escapes is lost")
        point("report (text): terminal escapes shown as text, never sent", problems)

        # A saved report is its owner's alone.
        saved = os.path.join(files, "saved.json")
        result = run(cli, BASE + ["--format", "json", "--output", saved])
        problems = []
        if result is None or result[0] not in (0, 1):
            problems.append(f"check --output: {result}")
        elif (os.stat(saved).st_mode & 0o777) != 0o600:
            problems.append(f"mode {oct(os.stat(saved).st_mode & 0o777)}, want 0o600")
        point("check --output: the report is readable by its owner only", problems)

    print(f"1..{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

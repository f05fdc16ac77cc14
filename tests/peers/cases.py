# cases.py: what mail-doctor-cli must report against each real peer
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each case runs the CLI once inside the namespace and becomes one TAP point.
# Besides its own expectations, every JSON run must have the report's shape,
# an exit status that agrees with its findings and checks, and (with a password) no trace
# of the password in any encoding a client would put on the wire.

import base64
import json
import os
import re
import subprocess
from dataclasses import dataclass, field

DEFAULT_SKIP = "net.ports,tls.versions"
STATUSES = {"pass", "warn", "fail", "skip", "error"}
TIMEOUT = 10
# gnutls-serv is TLS only: after the handshake the greeting never comes.
TLS_ONLY_TIMEOUT = 4
USER = "alice"
GREETING_421 = "421 4.7.0 mx.test.example Error: too many connections from 127.0.0.1"


@dataclass
class Context:
    ns: object
    cli: str
    pki: dict
    ports: dict
    canary: str
    canary_file: str
    wrong_password: str
    wrong_file: str
    save_dir: str = None          # where each run's output is kept (save_run)


@dataclass
class Case:
    name: str
    peer: str
    verify: object
    security: str = "auto"
    host: str = "127.0.0.1"
    password: str = None          # "canary", "wrong", "canary-stdin" or None
    ca: bool = True
    skip: str = DEFAULT_SKIP
    fmt: str = "json"
    timeout: int = TIMEOUT
    extra: list = field(default_factory=list)


@dataclass
class Run:
    argv: list
    rc: int = None
    stdout: str = ""
    stderr: str = ""
    report: dict = None


def secret_forms(password):
    """The password as it could leak: plain, base64 (LOGIN), PLAIN's blob.
    Padding is dropped so a stripped encoding is caught too."""
    def b64(text):
        return base64.b64encode(text.encode()).decode().rstrip("=")
    return [password, b64(password), b64(f"\0{USER}\0{password}")]


def case_args(ctx, case):
    args = ["--host", case.host, "--port", str(ctx.ports[case.peer]),
            "--security", case.security]
    if case.password:
        args += ["--user", USER]
    if case.password == "canary":
        args += ["--password-file", ctx.canary_file]
    elif case.password == "wrong":
        args += ["--password-file", ctx.wrong_file]
    elif case.password == "canary-stdin":
        args += ["--password-stdin"]
    if case.ca:
        args += ["--ca-file", ctx.pki["ca.pem"]]
    if case.skip:
        args += ["--skip", case.skip]
    return args + case.extra + ["--timeout", str(case.timeout), "--format", case.fmt]


def run_cli(ctx, case):
    argv = ctx.ns.prefix() + [ctx.cli, "check"] + case_args(ctx, case)
    stdin = ctx.canary + "\n" if case.password == "canary-stdin" else None
    run = Run(argv=argv)
    try:
        p = subprocess.run(argv, input=stdin, capture_output=True, text=True,
                           errors="replace", timeout=case.timeout * 3 + 15)
        run.rc, run.stdout, run.stderr = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        run.stdout = decode(e.stdout)
        run.stderr = decode(e.stderr) + f"\n(killed: still running after {e.timeout} s)"
    except OSError as e:
        run.stderr = f"could not start: {e}"
    return run


def save_run(save_dir, name, run, fmt):
    """Keeps what the CLI wrote, for the secrets sweep (tests/secrets): its
    stdout (the report, as NAME.json, .txt or .html) and its stderr."""
    if not save_dir:
        return
    base = os.path.join(save_dir, re.sub(r"[^A-Za-z0-9.]+", "-", name).strip("-")[:90])
    suffix = {"json": "json", "text": "txt"}.get(fmt, fmt)
    for path, text in ((f"{base}.{suffix}", run.stdout), (f"{base}.{suffix}.stderr", run.stderr)):
        with open(path, "w") as f:
            f.write(text or "")


def decode(data):
    if isinstance(data, bytes):
        return data.decode(errors="replace")
    return data or ""


def shape_problems(report):
    """The JSON contract every report must follow."""
    problems = []
    if not isinstance(report, dict):
        return ["the report is not a JSON object"]
    if report.get("version") != 1:
        problems.append(f"version is {report.get('version')!r}, want 1")
    for key, kind in (("account", dict), ("checks", list), ("findings", list),
                      ("fixes", list), ("transcript", list)):
        if not isinstance(report.get(key), kind):
            problems.append(f"'{key}' is missing or not a {kind.__name__}")
    if problems:
        return problems
    if "password" in report["account"]:
        problems.append("the account has a password field")
    seen = set()
    for check in report["checks"]:
        problems += check_shape_problems(check, seen)
    for entry in report["transcript"]:
        if (not isinstance(entry, dict) or entry.get("dir") not in ("C", "S")
                or not isinstance(entry.get("text"), str)
                or not isinstance(entry.get("t_ms"), (int, float))):
            problems.append(f"bad transcript entry {entry!r}")
            break
    return problems


def check_shape_problems(check, seen):
    if not isinstance(check, dict):
        return [f"bad check {check!r}"]
    cid = check.get("id")
    problems = []
    if not isinstance(cid, str) or cid in seen:
        problems.append(f"check id {cid!r} is missing or repeated")
    seen.add(cid)
    if check.get("status") not in STATUSES:
        problems.append(f"{cid}: status {check.get('status')!r}")
    if not isinstance(check.get("summary"), str) or not check.get("summary"):
        problems.append(f"{cid}: no summary")
    if not isinstance(check.get("duration_ms"), int) or check["duration_ms"] < 0:
        problems.append(f"{cid}: duration_ms {check.get('duration_ms')!r}")
    evidence = check.get("evidence")
    if not isinstance(evidence, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in evidence.items()):
        problems.append(f"{cid}: evidence is not an object of strings: {evidence!r}")
    return problems


class Expect:
    """Collects every unmet expectation of one run (not just the first)."""

    def __init__(self, run):
        self.run = run
        self.problems = []

    def fail(self, message):
        self.problems.append(message)

    def exit_code(self, *allowed):
        if self.run.rc not in allowed:
            self.fail(f"exit status {self.run.rc}, want {' or '.join(map(str, allowed))}")

    def check(self, cid, status=None, evidence=None, one_of=None, contains=None):
        """Asserts on check @cid; evidence: exact values, one_of: allowed
        values, contains: substrings (case-insensitive)."""
        found = find_check(self.run.report, cid)
        if found is None:
            self.fail(f"{cid}: not in the report")
            return None
        if status and found["status"] != status:
            self.fail(f"{cid}: status {found['status']!r}, want {status!r}")
        got = found.get("evidence") or {}
        for key, want in (evidence or {}).items():
            if got.get(key) != want:
                self.fail(f"{cid}: evidence {key!r} is {got.get(key)!r}, want {want!r}")
        for key, allowed in (one_of or {}).items():
            if got.get(key) not in allowed:
                self.fail(f"{cid}: evidence {key!r} is {got.get(key)!r}, want one of {allowed}")
        for key, part in (contains or {}).items():
            if part.lower() not in (got.get(key) or "").lower():
                self.fail(f"{cid}: evidence {key!r} is {got.get(key)!r}, want it to contain {part!r}")
        return found

    def no_failed(self, prefixes):
        for check in checks_of(self.run.report):
            if check["status"] == "fail" and check["id"].startswith(prefixes):
                self.fail(f"{check['id']}: unexpectedly failed: {check.get('summary')}")

    def no_secrets(self, password):
        for stream, text in (("stdout", self.run.stdout), ("stderr", self.run.stderr)):
            for form in secret_forms(password):
                if form in text:
                    self.fail(f"the password leaked into {stream} as {form!r}")

    def no_client_auth(self):
        for entry in (self.run.report or {}).get("transcript") or []:
            if entry.get("dir") == "C" and entry.get("text", "").upper().startswith("AUTH"):
                self.fail(f"the client sent AUTH: {entry.get('text')!r}")

    def contract(self):
        """What holds for every JSON report."""
        try:
            self.run.report = json.loads(self.run.stdout)
        except ValueError as e:
            self.fail(f"stdout is not JSON ({e})")
            return
        shape = shape_problems(self.run.report)
        self.problems += shape
        if shape:
            return
        # The exit status follows the verdict: 0 when the server works now,
        # 1 for a problem found or one Mail Doctor cannot tell; what it only
        # noticed (a broken SPF record on a working server) is no problem.
        verdict = self.run.report.get("verdict")
        if not isinstance(verdict, dict) or verdict.get("state") not in (
                "works-now", "problem-found", "cannot-tell"):
            self.fail(f"the report has no verdict with a state: {verdict!r}")
            return
        works = verdict["state"] == "works-now"
        if "fail" in {c["status"] for c in self.run.report["checks"]
                      if c.get("id") in SENDING_PATH} and works:
            self.fail("a step of sending failed, yet the verdict is works-now")
        if not works and self.run.rc != 1:
            self.fail(f"the verdict is {verdict['state']} but the exit status is "
                      f"{self.run.rc}, want 1")
        if works and self.run.rc != 0:
            self.fail(f"the verdict is works-now but the exit status is {self.run.rc}, want 0")


# The steps of sending: one failing is never "works now".
SENDING_PATH = ("dns.host", "net.connect", "smtp.greeting", "smtp.ehlo", "tls.handshake",
                "tls.certificate", "smtp.auth", "smtp.send")


def find_check(report, cid):
    for check in checks_of(report):
        if check.get("id") == cid:
            return check
    return None


def checks_of(report):
    checks = (report or {}).get("checks") if isinstance(report, dict) else None
    return [c for c in checks or [] if isinstance(c, dict)]


def diagnostics(run):
    lines = ["command: " + " ".join(run.argv), f"exit status: {run.rc}"]
    lines += ["stderr: " + line for line in run.stderr.splitlines()[-10:]]
    if run.report is None:
        lines += ["stdout: " + line for line in run.stdout.splitlines()[:30]]
        return lines
    for check in checks_of(run.report):
        lines.append(f"check {check.get('id')} {check.get('status')} "
                     f"{json.dumps(check.get('evidence'), sort_keys=True)} "
                     f"- {check.get('summary')}")
    transcript = run.report.get("transcript") or []
    lines += [f"transcript {e.get('dir')}: {e.get('text')}" for e in transcript[-12:]
              if isinstance(e, dict)]
    return lines


def run_case(tap, ctx, case):
    if case.peer not in ctx.ports:
        tap.point(case.name, [f"peer {case.peer} did not start"])
        return
    run = run_cli(ctx, case)
    save_run(ctx.save_dir, f"{tap.count + 1:03d}-{case.name}", run, case.fmt)
    expect = Expect(run)
    if case.fmt == "json":
        expect.contract()
    if case.password:
        expect.no_secrets(ctx.wrong_password if case.password == "wrong" else ctx.canary)
    if run.rc is None:
        expect.fail("the CLI did not finish")
    elif run.report is not None or case.fmt != "json":
        case.verify(expect)
    tap.point(case.name, expect.problems, diagnostics(run))


# --- expectations -----------------------------------------------------------

def healthy_none(e):
    e.exit_code(0)
    e.check("smtp.greeting", "pass", {"code": "220"})
    e.check("smtp.ehlo", "pass")
    e.check("smtp.auth", "skip")
    e.no_failed(("smtp.", "tls."))


def healthy_auto(e):
    e.exit_code(1)
    e.check("smtp.greeting", "pass")
    e.check("tls.handshake", "fail", {"starttls": "not-offered"})


def greeting_421(e):
    e.exit_code(1)
    e.check("smtp.greeting", "fail", {"code": "421", "enhanced_code": "4.7.0"},
            contains={"text": "too many connections"})


def plain_words_421(e):
    e.exit_code(1)
    out = e.run.stdout
    if "421" not in out:
        e.fail("the text report does not mention 421")
    rest = out.replace(GREETING_421, "")
    if not re.search(r"[A-Za-z']+(?:,? [A-Za-z'-]+){3,}[.!?]", rest):
        e.fail("besides the server's own line, the text report has no sentence in plain words")


def connect_421(e):
    e.exit_code(1)
    e.check("smtp.greeting", "fail", {"code": "421", "stage": "greeting"})


def ehlo_421(e):
    e.exit_code(1)
    e.check("smtp.greeting", "pass")
    e.check("smtp.ehlo", "fail", {"code": "421", "stage": "ehlo"})


# The test CA is given with --ca-file: the report says the user's file
# vouched for the server, not the system.
BY_CA_FILE = {"verdict": "trusted", "trusted_by": "ca-file", "ca_file": "ca.pem"}


def starttls_ok(mechanism=None):
    def verify(e):
        e.check("tls.handshake", "pass", {"mode": "starttls"},
                one_of={"protocol": ("TLS 1.2", "TLS 1.3")})
        found = e.check("tls.certificate", "pass", BY_CA_FILE)
        if found and "file you gave" not in found.get("summary", ""):
            e.fail(f"tls.certificate: the summary does not name the file: {found.get('summary')!r}")
        e.check("smtp.auth", "pass", {"code": "235", **({"mechanism": mechanism} if mechanism else {})})
        e.check("smtp.size", "pass", {"limit_bytes": "10240000"})
    return verify


def auth_ok(e):
    e.check("smtp.auth", "pass", {"code": "235"})


def wrong_password(e):
    e.exit_code(1)
    e.check("tls.certificate", "pass", {"verdict": "trusted"})
    e.check("smtp.auth", "fail", {"code": "535"})


def untrusted(e):
    e.exit_code(1)
    e.check("tls.handshake", "pass")
    e.check("tls.certificate", "fail", {"verdict": "unknown-issuer"})
    e.check("smtp.auth", "skip", {"reason": "untrusted-certificate"})
    e.no_client_auth()


def plaintext_refused(e):
    e.check("smtp.greeting", "pass")
    e.check("smtp.auth", "skip", {"reason": "unencrypted"})
    e.no_client_auth()


def plaintext_by_choice(e):
    # smtp-sink answers AUTH with a bare 250, so the outcome is not a pass:
    # what counts is that the password was sent, and the report says why.
    e.check("smtp.auth", None, {"sent_unencrypted": "by-your-choice", "mechanism": "PLAIN"})


def implicit_ok(e):
    e.check("tls.handshake", "pass", {"mode": "implicit"},
            one_of={"protocol": ("TLS 1.2", "TLS 1.3")})
    e.check("tls.certificate", "pass", BY_CA_FILE)
    e.check("smtp.auth", "pass", {"code": "235"})


def text_with_password(e):
    e.exit_code(0, 1)
    if not e.run.stdout.strip():
        e.fail("the text report is empty")


def certificate(verdict, contains=None):
    def verify(e):
        e.exit_code(1)
        e.check("tls.handshake", "pass", {"mode": "implicit"})
        e.check("tls.certificate", "fail", {"verdict": verdict}, contains=contains)
    return verify


def old_tls_only(e):
    e.exit_code(1)
    e.check("tls.versions", "fail", {"TLS 1.0": "accepted", "TLS 1.2": "refused"})


def old_smtp_server(e):
    e.exit_code(1)
    e.check("smtp.greeting", "pass")
    e.check("tls.handshake", None, {"mode": "starttls", "protocol": "TLS 1.0"})
    e.check("tls.versions", "fail", {"TLS 1.0": "accepted", "TLS 1.1": "refused",
                                     "TLS 1.2": "refused", "TLS 1.3": "refused"})


def modern_tls(e):
    e.check("tls.versions", "pass", {"TLS 1.0": "refused", "TLS 1.1": "refused",
                                     "TLS 1.2": "accepted", "TLS 1.3": "accepted"})


def ports(e):
    e.check("net.ports", None, {"25": "refused", "465": "smtp-tls",
                                "587": "smtp", "2525": "smtp"})


def all_cases():
    name_host = "mx.test.example"
    return [
        Case("smtp-sink, --security none: greeting and EHLO pass, exit 0",
             "sink-healthy", healthy_none, security="none", ca=False),
        Case("smtp-sink, --security auto: no STARTTLS, tls.handshake fails (not-offered)",
             "sink-healthy", healthy_auto, ca=False),
        Case("421 greeting (smtp-sink -r CONNECT -b): code 421, enhanced 4.7.0, exit 1",
             "sink-421-greeting", greeting_421, security="none", ca=False),
        Case("421 greeting, --format text: plain words besides the server's line, exit 1",
             "sink-421-greeting", plain_words_421, security="none", ca=False, fmt="text"),
        Case("421 and close at connect (smtp-sink -Q CONNECT): smtp.greeting fails, code 421",
             "sink-421-connect", connect_421, security="none", ca=False),
        Case("421 after EHLO (smtp-sink -Q EHLO): smtp.ehlo fails, code 421, stage ehlo",
             "sink-421-ehlo", ehlo_421, security="none", ca=False),
        Case("smtp-sink offers AUTH without TLS: password never sent (skip, unencrypted)",
             "sink-healthy", plaintext_refused, security="none", ca=False, password="canary"),
        Case("smtp-sink, --allow-plaintext-auth: the password goes, the report says by choice",
             "sink-healthy", plaintext_by_choice, security="none", ca=False, password="canary",
             extra=["--allow-plaintext-auth"]),
        Case("aiosmtpd STARTTLS, right password: TLS, trusted certificate, AUTH 235, SIZE",
             "aio-starttls", starttls_ok(), host=name_host, security="starttls",
             password="canary"),
        Case("aiosmtpd STARTTLS, PLAIN only, by IP address: AUTH PLAIN 235",
             "aio-plain", starttls_ok("PLAIN"), security="starttls", password="canary"),
        Case("aiosmtpd STARTTLS, LOGIN only: AUTH LOGIN 235",
             "aio-login", starttls_ok("LOGIN"), host=name_host, security="starttls",
             password="canary"),
        Case("aiosmtpd STARTTLS, CRAM-MD5 only: AUTH CRAM-MD5 235",
             "aio-cram-md5", starttls_ok("CRAM-MD5"), host=name_host, security="starttls",
             password="canary"),
        Case("aiosmtpd STARTTLS, --password-stdin: AUTH 235",
             "aio-starttls", auth_ok, host=name_host, security="starttls",
             password="canary-stdin"),
        Case("aiosmtpd STARTTLS, wrong password: smtp.auth fails, code 535",
             "aio-starttls", wrong_password, host=name_host, security="starttls",
             password="wrong"),
        Case("aiosmtpd STARTTLS without --ca-file: unknown-issuer, password not sent",
             "aio-starttls", untrusted, host=name_host, security="starttls",
             password="canary", ca=False),
        Case("aiosmtpd STARTTLS, --format text with a password: no trace of it",
             "aio-starttls", text_with_password, host=name_host, security="starttls",
             password="canary", fmt="text"),
        Case("aiosmtpd implicit TLS on 465: mode implicit, trusted, AUTH 235",
             "aio-tls-465", implicit_ok, host=name_host, security="tls", password="canary"),
        Case("gnutls-serv, expired certificate: verdict expired",
             "tls-expired", certificate("expired", {"not_after": "2021",
                                                    "issuer": "Mail Doctor Test CA",
                                                    "subject": "mx.test.example"}),
             host=name_host, security="tls", timeout=TLS_ONLY_TIMEOUT),
        Case("gnutls-serv, not yet valid certificate: verdict not-yet-valid",
             "tls-notyet", certificate("not-yet-valid"), host=name_host, security="tls",
             timeout=TLS_ONLY_TIMEOUT),
        Case("gnutls-serv, certificate for another name: verdict name-mismatch",
             "tls-wrongname", certificate("name-mismatch"), host=name_host, security="tls",
             timeout=TLS_ONLY_TIMEOUT),
        Case("gnutls-serv, self-signed certificate: verdict self-signed",
             "tls-selfsigned", certificate("self-signed"), host=name_host, security="tls",
             timeout=TLS_ONLY_TIMEOUT),
        Case("gnutls-serv, TLS 1.0 only: tls.versions fails, 1.0 accepted, 1.2 refused",
             "tls-1.0-only", old_tls_only, host=name_host, security="tls",
             skip="net.ports", timeout=TLS_ONLY_TIMEOUT),
        Case("aiosmtpd STARTTLS, TLS 1.0 only: handshake at TLS 1.0, tls.versions fails",
             "aio-starttls-tls10", old_smtp_server, host=name_host, security="starttls",
             skip="net.ports"),
        Case("aiosmtpd STARTTLS: tls.versions passes, 1.2 and 1.3 accepted, 1.0 and 1.1 refused",
             "aio-starttls", modern_tls, host=name_host, security="starttls", skip="net.ports"),
        Case("net.ports: 587 and 2525 smtp, 465 smtp-tls, 25 refused",
             "sink-587", ports, ca=False, skip="tls.versions"),
    ]


def run_all(tap, ctx):
    for case in all_cases():
        run_case(tap, ctx, case)

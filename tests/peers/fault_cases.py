# fault_cases.py: the staged causes of a 421 and what mail-doctor-cli must name
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each fault is staged (a peer already running, plus whatever the case turns
# on for its duration: a held connection, an nftables rule), confirmed by an
# independent client (the oracle: a failing CLI point can then be told apart
# from a broken stage), and checked with the CLI twice: --format json for the
# raw checks and the findings, --format text for what a person reads first.
# Every fault becomes four TAP points.

import contextlib
import json
import re
import smtplib
import socket
import subprocess
import time
from dataclasses import dataclass

import cases
import dnslab
import oracles

SERVER = dnslab.SERVER
EMAIL = "sam@test.example"
USER = "alice"
# A domain of the lab that exists (it has an MX) but publishes no SPF.
NOSPF_DOMAIN = "nospf.test.example"
# A client on Spamhaus's list of infected machines (XBL), in the lab's range.
CLIENT_XBL = "192.0.2.96"
XBL_CODE = "127.0.0.4"
ZEN = "zen.spamhaus.org"
GREETING_421 = cases.GREETING_421
POSTFIX_421 = "421 4.7.0 mx.test.example Error: too many connections from 127.0.0.1"
SIZE_LIMIT = "1000000"
MESSAGE_SIZE = "5M"
UNAUTHENTICATED = ("421 4.7.26 This mail has been rate limited because it is "
                   "unauthenticated")
GENERIC_421 = "421 Service not available, closing transmission channel"
TIMEOUT = 10
# Port 25 is silent: the run ends at this deadline, not at the peer.
DROPPED_TIMEOUT = 3
ORACLE_TIMEOUT = 1.0
NFT_TABLE = "md_faults"
CAUSES = {"server-busy", "rate-limited", "blocklisted", "settings-wrong", "auth-failed",
          "tls-problem", "network-blocked", "server-down", "message-too-large",
          "spam-suspected", "sender-auth-missing", "unknown"}
# "variants" too, but only when a fix has steps of its own for a mail program.
FIX_KEYS = ("id", "title", "why", "steps", "verify", "effort")

# Checks a fault turns on only when it is about them: the port scan and the
# TLS version probe cost time and connections (a staged limit would count
# them), and without the lab's answers the reputation and mail-auth checks
# would ask the internet, which the sandbox never answers.
OPTIONAL_CHECKS = ("net.ports", "tls.versions", "rep.client-ip", "rep.rdns", "rep.dnsbl",
                  "rep.dnsbl-server", "rep.dnsbl-domain", "auth.spf", "auth.dkim",
                  "auth.dmarc", "auth.mta-sts")


def skipping(*wanted):
    """--skip with every optional check except @wanted."""
    return ["--skip", ",".join(c for c in OPTIONAL_CHECKS if c not in wanted)]


@dataclass
class Context:
    ns: object
    cli: str
    pki: dict
    ports: dict                   # peer name -> port
    canary: str
    wrong_password: str
    wrong_file: str
    postfix_log: str
    save_dir: str = None          # where each run's output is kept (cases.save_run)


@dataclass
class Fault:
    title: str
    peers: tuple                  # the peers the fault needs
    options: list                 # check's options, without --format
    cause: str                    # findings[0].cause; None: a healthy server
    support: str                  # a check that finding must cite
    raw: object                   # verify(expect) on the checks
    oracle: object                # (ctx) -> problems
    staged: object = None         # (ctx) -> context manager around the runs
    also: tuple = ()              # causes that must be among the findings too
    first: tuple = ()             # other causes allowed first
    timeout: int = TIMEOUT
    password: str = None          # a password the output must never show
    headline: str = "Your settings work"  # a healthy server's verdict title


# --- running ----------------------------------------------------------------

def run_cli(ctx, fault, fmt):
    argv = (ctx.ns.prefix() + [ctx.cli, "check"] + fault.options
            + ["--timeout", str(fault.timeout), "--format", fmt])
    run = cases.Run(argv=argv)
    start = time.monotonic()
    try:
        p = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                           timeout=fault.timeout * 3 + 15)
        run.rc, run.stdout, run.stderr = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        run.stdout = cases.decode(e.stdout)
        run.stderr = cases.decode(e.stderr) + f"\n(killed: still running after {e.timeout} s)"
    except OSError as e:
        run.stderr = f"could not start: {e}"
    run.elapsed = time.monotonic() - start
    return run


def notes(run):
    lines = cases.diagnostics(run) + [f"elapsed: {run.elapsed:.2f} s"]
    for f in findings_of(run.report):
        lines.append(f"finding {f.get('cause')} {f.get('confidence')} "
                     f"{f.get('checks')} {f.get('title')!r} fixes {f.get('fixes')}")
    return lines


def text_notes(run):
    return (["command: " + " ".join(run.argv), f"exit status: {run.rc}"]
            + ["stdout: " + line for line in run.stdout.splitlines()[:40]]
            + ["stderr: " + line for line in run.stderr.splitlines()[-5:]])


def fail_all(tap, fault, problem):
    for what in ("stage", "checks", "findings", "text"):
        tap.point(f"{fault.title}: {what}", [problem])


def run_fault(tap, ctx, fault):
    missing = [p for p in fault.peers if p not in ctx.ports]
    if missing:
        fail_all(tap, fault, f"peer(s) {', '.join(missing)} did not start")
        return
    with contextlib.ExitStack() as stack:
        try:
            if fault.staged:
                stack.enter_context(fault.staged(ctx))
        except (OSError, subprocess.SubprocessError) as e:
            fail_all(tap, fault, f"could not stage the fault: {e}")
            return
        tap.point(f"{fault.title}: the stage is real (independent client)",
                  guarded(fault.oracle, ctx))
        json_run = run_cli(ctx, fault, "json")
        text_run = run_cli(ctx, fault, "text")
    for run, fmt in ((json_run, "json"), (text_run, "text")):
        cases.save_run(ctx.save_dir, f"{tap.count:03d}-{fault.title}", run, fmt)
    raw = cases.Expect(json_run)
    parse_report(raw)
    if json_run.report is not None:
        fault.raw(raw)
    if fault.password:
        raw.no_secrets(fault.password)
    tap.point(f"{fault.title}: the checks show it", raw.problems, notes(json_run))
    tap.point(f"{fault.title}: {verdict_name(fault)}", verdict(fault, json_run),
              notes(json_run))
    # What the verdict said, for the log of every run, passing or not.
    v = (json_run.report or {}).get("verdict") or {}
    print(f"# verdict of {fault.title}: {v.get('state')} {v.get('cause')} "
          f"{v.get('confidence')} {v.get('title')!r}", flush=True)
    tap.point(f"{fault.title}: --format text {text_name(fault)}",
              text_problems(fault, json_run, text_run), text_notes(text_run))


def parse_report(expect):
    """The report's JSON and its shape. Not cases.Expect.contract(): its exit
    rule (1 when a check failed) is the one before findings; here the verdict
    asserts the new one (1 when there are findings)."""
    try:
        expect.run.report = json.loads(expect.run.stdout)
    except ValueError as e:
        expect.fail(f"stdout is not JSON ({e})")
        return
    expect.problems += cases.shape_problems(expect.run.report)


def guarded(check, ctx):
    try:
        return check(ctx)
    except (OSError, smtplib.SMTPException, subprocess.SubprocessError) as e:
        return [f"{type(e).__name__}: {e}"]


# --- findings ---------------------------------------------------------------

def findings_of(report):
    found = report.get("findings") if isinstance(report, dict) else None
    return [f for f in found if isinstance(f, dict)] if isinstance(found, list) else []


def fixes_of(report):
    found = report.get("fixes") if isinstance(report, dict) else None
    return [f for f in found if isinstance(f, dict)] if isinstance(found, list) else []


def finding_shape(f):
    problems = []
    where = f"finding {f.get('cause')!r}"
    if f.get("cause") not in CAUSES:
        problems.append(f"{where}: not a cause of the design")
    for key in ("title", "explanation"):
        if not isinstance(f.get(key), str) or not f[key].strip():
            problems.append(f"{where}: no {key}")
    confidence = f.get("confidence")
    if not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        problems.append(f"{where}: confidence {confidence!r}, want 0 < c <= 1")
    for key in ("checks", "fixes"):
        value = f.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{where}: {key} is not a list of ids: {value!r}")
    return problems


def plan_shape(report):
    """The fix plan: objects with every key of the contract, no id twice, and
    every fix a finding names is in it."""
    problems = []
    plan = fixes_of(report)
    ids = [x.get("id") for x in plan]
    for x in plan:
        missing = [k for k in FIX_KEYS if k not in x]
        if missing or not isinstance(x.get("title"), str) or not x["title"].strip():
            problems.append(f"fix {x.get('id')!r}: missing {missing or 'a title'}")
        if not isinstance(x.get("variants", {}), dict):
            problems.append(f"fix {x.get('id')!r}: variants is not an object")
    if len(set(ids)) != len(ids):
        problems.append(f"the fix plan repeats a fix: {ids}")
    for f in findings_of(report):
        for fix in f.get("fixes") or []:
            if fix not in ids:
                problems.append(f"finding {f.get('cause')}: fix {fix!r} is not in the plan")
    return problems


def verdict_name(fault):
    if fault.cause is None:
        return "no findings, verdict works-now, exit status 0"
    also = "".join(f" and {c}" for c in fault.also)
    first = "/".join((fault.cause,) + fault.first)
    return (f"findings[0] and the verdict are {first}{also}, citing {fault.support}, with "
            "fixes; exit status 1")


def verdict(fault, run):
    if run.report is None:
        return ["no JSON report to look at"] + ([f"exit status {run.rc}"] if run.rc else [])
    found = findings_of(run.report)
    problems = [p for f in found for p in finding_shape(f)] + plan_shape(run.report)
    problems += verdict_shape(fault, run.report.get("verdict"))
    if fault.cause is None:
        return problems + healthy_verdict(run, found)
    return problems + fault_verdict(fault, run, found)


def verdict_shape(fault, v):
    """The report's one answer: the fault's cause, or works-now for a healthy server."""
    if not isinstance(v, dict):
        return ["the report has no verdict"]
    problems = [f"verdict.{k} is missing" for k in
                ("state", "cause", "confidence", "title", "explanation", "evidence",
                 "also_noticed") if k not in v]
    if fault.cause is None:
        if v.get("state") != "works-now":
            problems.append(f"verdict {v.get('state')}/{v.get('cause')}, want works-now")
        if v.get("title") != fault.headline:
            problems.append(f"verdict title {v.get('title')!r}, want {fault.headline!r}")
        return problems
    if v.get("state") != "problem-found" or v.get("cause") not in (fault.cause,) + fault.first:
        problems.append(f"verdict {v.get('state')}/{v.get('cause')}, want problem-found/"
                        f"{fault.cause}")
    if not v.get("evidence"):
        problems.append("the verdict gives no evidence")
    return problems


def healthy_verdict(run, found):
    problems = []
    if found:
        problems.append(f"a healthy server gave findings: {[f.get('cause') for f in found]}")
    if fixes_of(run.report):
        problems.append("a healthy server gave a fix plan")
    if run.rc != 0:
        problems.append(f"exit status {run.rc}, want 0")
    return problems


def fault_verdict(fault, run, found):
    causes = [f.get("cause") for f in found]
    if not found:
        return [f"no findings, want {fault.cause} first"]
    problems = []
    if causes[0] not in (fault.cause,) + fault.first:
        problems.append(f"findings[0] is {causes[0]!r}, want {fault.cause!r}; all: {causes}")
    for cause in (fault.cause,) + fault.also:
        if cause not in causes:
            problems.append(f"{cause} is not among the findings {causes}")
    named = found[causes.index(fault.cause)] if fault.cause in causes else {}
    if named and fault.support not in (named.get("checks") or []):
        problems.append(f"the {fault.cause} finding does not cite {fault.support}: "
                        f"{named.get('checks')}")
    if not found[0].get("fixes") or not fixes_of(run.report):
        problems.append("the first finding names no fix, or the fix plan is empty")
    if run.rc != 1:
        problems.append(f"exit status {run.rc}, want 1")
    return problems


# --- the text a person reads ------------------------------------------------

WHAT_TO_DO = "What to do"


def text_name(fault):
    if fault.cause is None:
        return f"says \"{fault.headline}\", exit status 0"
    return "leads with the verdict, then what to do (fix titles numbered)"


def text_problems(fault, json_run, text_run):
    if text_run.rc is None:
        return ["the CLI did not finish"]
    text = text_run.stdout
    if fault.cause is None:
        problems = [] if fault.headline in text else [f"no {fault.headline!r}"]
        if WHAT_TO_DO in text:
            problems.append(f"a healthy server's text says {WHAT_TO_DO!r}")
        return problems + ([] if text_run.rc == 0 else [f"exit status {text_run.rc}, want 0"])
    v = (json_run.report or {}).get("verdict") or {}
    title = v.get("title")
    fix_titles = [x.get("title") for x in fixes_of(json_run.report)]
    if not title or not all(isinstance(t, str) and t for t in fix_titles):
        return ["the JSON run gave no verdict title (or untitled fixes) to look for"]
    problems = verdict_first(text, title, findings_of(json_run.report))
    problems += fixes_follow(text, text.find(title), fix_titles)
    if text_run.rc != 1:
        problems.append(f"exit status {text_run.rc}, want 1")
    return problems


def verdict_first(text, title, found):
    """The verdict's title leads, before anything a finding says."""
    first = text.find(title)
    if first < 0:
        return [f"the verdict's title {title!r} is not in the text"]
    problems = []
    for f in found:
        at = text.find(f.get("explanation") or "\0")
        if 0 <= at < first:
            problems.append(f"a finding ({f.get('cause')}) comes before the verdict {title!r}")
    return problems


def fixes_follow(text, first, fix_titles):
    """"What to do" after the cause, then the plan's first fix, numbered 1."""
    heading = text.find(WHAT_TO_DO, max(first, 0))
    if heading < 0:
        return [f"no {WHAT_TO_DO!r} after the first finding"]
    rest = text[heading:]
    if not any(t in rest for t in fix_titles):
        return [f"no fix title after {WHAT_TO_DO!r}; the plan has {fix_titles}"]
    numbered = re.search(r"^\s*1[.)]?\s+.*" + re.escape(fix_titles[0]), rest, re.MULTILINE)
    return [] if numbered else [f"the plan's first fix {fix_titles[0]!r} is not numbered 1"]


# --- staging ----------------------------------------------------------------

@contextlib.contextmanager
def held_connection(ctx):
    """One connection that Postfix has greeted, open for the whole case, so
    that anvil counts it and the CLI's is one too many."""
    sock = socket.create_connection(("127.0.0.1", ctx.ports["postfix-busy"]),
                                    timeout=TIMEOUT)
    try:
        f = sock.makefile("rb")
        greeting = oracles.read_reply(f)
        if oracles.first_code(greeting) != "220":
            raise OSError(f"the held connection was greeted with {greeting!r}")
        yield
        sock.sendall(b"QUIT\r\n")
        oracles.read_reply(f)
    finally:
        sock.close()


NFT_RULES = f"""\
table inet {NFT_TABLE} {{
  chain input {{
    type filter hook input priority 0; policy accept;
    tcp dport 25 drop
  }}
}}
"""


@contextlib.contextmanager
def port_25_dropped(ctx):
    """Drops (never rejects) every packet to port 25 in the namespace, as an
    ISP that blocks it does; the rule exists only for this case."""
    ctx.ns.exec_run(["nft", "-f", "-"], input=NFT_RULES.encode())
    try:
        yield
    finally:
        ctx.ns.exec_run(["nft", "delete", "table", "inet", NFT_TABLE], check=False)


# --- oracles ----------------------------------------------------------------

def expect_equal(what, got, want):
    return [] if got == want else [f"{what}: got {got!r}, want {want!r}"]


def greeting_is(port, line):
    replies, _ = oracles.raw_session(port, ["QUIT"])
    return expect_equal("greeting", replies[0], [line])


def sink_421_oracle(ctx):
    return greeting_is(ctx.ports["sink-421"], GREETING_421)


def postfix_busy_oracle(ctx):
    """A second connection meets anvil's genuine limit, and Postfix says so."""
    with socket.create_connection(("127.0.0.1", ctx.ports["postfix-busy"]),
                                  timeout=TIMEOUT) as s:
        f = s.makefile("rb")
        problems = expect_equal("greeting", oracles.read_reply(f), [POSTFIX_421])
        problems += expect_equal("closed after the 421", f.read(1), b"")
    if not postfix_logged(ctx, "Connection concurrency limit exceeded"):
        problems.append("the Postfix log has no 'Connection concurrency limit exceeded'")
    return problems


def postfix_logged(ctx, text):
    """Whether Postfix logged @text: smtpd hands its lines to postlogd over a
    datagram socket, so one may reach the file a moment after the reply."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        with open(ctx.postfix_log, errors="replace") as log:
            if text in log.read():
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def auth_oracle(ctx):
    problems = []
    for password, want in ((ctx.wrong_password, 535), (ctx.canary, 235)):
        with smtplib.SMTP("127.0.0.1", ctx.ports["aio-starttls"], timeout=TIMEOUT) as smtp:
            smtp.starttls(context=oracles.verifying_context(ctx))
            smtp.ehlo()
            problems += expect_equal(f"AUTH PLAIN code ({'wrong' if want == 535 else 'right'} "
                                     "password)", oracles.auth_code(smtp, "PLAIN", password),
                                     want)
    return problems


def tls10_oracle(ctx):
    problems = []
    for version, want in (("TLS1.0", True), ("TLS1.2", False), ("TLS1.3", False)):
        got = oracles.gnutls_cli_accepts(ctx, ctx.ports["postfix-tls10"], version, True)
        problems += expect_equal(f"gnutls-cli STARTTLS {version} handshake", got, want)
    return problems


def dropped_oracle(ctx):
    """Port 25 swallows the SYN (no answer at all, not a refusal); 587 greets."""
    problems = greeting_is(ctx.ports["sink-587"], f"220 {SERVER} ESMTP")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(ORACLE_TIMEOUT)
        try:
            s.connect(("127.0.0.1", 25))
            problems.append("port 25 accepted the connection")
        except socket.timeout:
            pass
        except OSError as e:
            problems.append(f"port 25 answered ({e}), want silence")
    return problems


def dns_oracle(name, qtype, status, records):
    def check(ctx):
        return dnslab.expect(ctx.ns, dnslab.RESOLVERS["main"][0], name, qtype, status, records)
    return check


def listed_oracle(client, code):
    def check(ctx):
        name = f"{dnslab.reverse(client)}.{ZEN}"
        return (dns_oracle(name, "A", "NOERROR", [code])(ctx)
                + greeting_is(ctx.ports["sink-587"], f"220 {SERVER} ESMTP"))
    return check


def policy_oracle(ctx):
    name = f"{dnslab.reverse(dnslab.CLIENT_POLICY)}.{ZEN}"
    return (dns_oracle(name, "A", "NOERROR", ["127.0.0.10"])(ctx)
            + greeting_is(ctx.ports["sink-25"], f"220 {SERVER} ESMTP"))


def size_oracle(ctx):
    with smtplib.SMTP("127.0.0.1", ctx.ports["postfix-size"], timeout=TIMEOUT) as smtp:
        smtp.ehlo()
        return expect_equal("SIZE", smtp.esmtp_features.get("size"), SIZE_LIMIT)


def nospf_oracle(ctx):
    return (dns_oracle(NOSPF_DOMAIN, "TXT", "NOERROR", [])(ctx)
            + dns_oracle(NOSPF_DOMAIN, "MX", "NOERROR", [f"10 {SERVER}"])(ctx))


def healthy_oracle(ctx):
    return greeting_is(ctx.ports["sink-587"], f"220 {SERVER} ESMTP")


# --- the raw checks ---------------------------------------------------------

def greeting_421(line):
    """The server's own words after the code, as the evidence keeps them."""
    def verify(e):
        e.check("smtp.greeting", "fail", {"code": "421", "enhanced_code": "4.7.0"},
                contains={"text": line.split(" ", 1)[1]})
    return verify


def wrong_password(e):
    e.check("tls.handshake", "pass", {"mode": "starttls"})
    e.check("tls.certificate", "pass", {"verdict": "trusted"})
    e.check("smtp.auth", "fail", {"code": "535"})


def tls10_only(e):
    e.check("tls.handshake", None, {"mode": "starttls", "protocol": "TLS 1.0"})
    e.check("tls.versions", "fail", {"TLS 1.0": "accepted", "TLS 1.1": "refused",
                                     "TLS 1.2": "refused", "TLS 1.3": "refused"})


def port_25_silent(e):
    e.check("net.connect", "fail", {"port": "25"})
    e.check("net.ports", None, {"25": "silent", "587": "smtp"})


def listed_client(code):
    def verify(e):
        found = e.check("rep.dnsbl", "fail", {"reliable": "yes"})
        value = ((found or {}).get("evidence") or {}).get(f"zone:{ZEN}") or ""
        if found and not value.startswith(f"listed {code}"):
            e.fail(f"rep.dnsbl: zone:{ZEN} is {value!r}, want 'listed {code}'")
    return verify


def policy_client_on_25(e):
    e.check("rep.dnsbl", "warn", {"reliable": "yes",
                                  f"zone:{ZEN}": "policy 127.0.0.10"})
    e.check("smtp.greeting", "pass", {"code": "220"})
    e.check("smtp.auth", "skip")


def size_limit(e):
    e.check("smtp.size", None, {"limit_bytes": SIZE_LIMIT})


def no_spf(e):
    e.check("auth.spf", "fail", {"problem": "missing"})
    # The error.text evidence keys are not fixed by the contract: look for
    # the reply's enhanced code in any of them.
    found = e.check("error.text")
    if found and found["status"] == "pass":
        e.fail("error.text passes, but the pasted reply is a deferral")
    if found and not any("4.7.26" in v for v in (found.get("evidence") or {}).values()):
        e.fail("error.text: no evidence names the enhanced code 4.7.26")


def healthy(e):
    e.check("smtp.greeting", "pass", {"code": "220"})
    e.check("smtp.ehlo", "pass")
    e.no_failed(("smtp.", "tls.", "net.", "rep.", "auth.", "error."))


def healthy_lab(e):
    healthy(e)
    e.check("rep.dnsbl", "pass", {"reliable": "yes"})
    e.check("auth.spf", "pass")


# --- the faults -------------------------------------------------------------

def account(ctx, peer, email=EMAIL, security="none"):
    """check's account options for the server @peer, reached by name."""
    return ["--email", email, "--host", SERVER, "--port", str(ctx.ports.get(peer, 0)),
            "--security", security]


def all_faults(ctx):
    tls = ["--ca-file", ctx.pki["ca.pem"]]
    login = ["--user", USER, "--password-file", ctx.wrong_file]
    return [
        Fault("1. smtp-sink greets with 421 too many connections", ("sink-421",),
              account(ctx, "sink-421") + skipping(), "server-busy",
              "smtp.greeting", greeting_421(GREETING_421), sink_421_oracle),
        Fault("2. Postfix smtpd, anvil connection limit 1, one connection held",
              ("postfix-busy",), account(ctx, "postfix-busy") + skipping(), "server-busy",
              "smtp.greeting", greeting_421(POSTFIX_421), postfix_busy_oracle,
              staged=held_connection),
        Fault("3. aiosmtpd STARTTLS answers AUTH with 535", ("aio-starttls",),
              account(ctx, "aio-starttls", security="starttls") + tls + login + skipping(),
              "auth-failed", "smtp.auth", wrong_password, auth_oracle,
              password=ctx.wrong_password),
        Fault("4. Postfix smtpd offering only TLS 1.0", ("postfix-tls10",),
              account(ctx, "postfix-tls10", security="starttls") + tls
              + skipping("tls.versions"),
              "tls-problem", "tls.versions", tls10_only, tls10_oracle),
        Fault("5. port 25 dropped by nftables, 587 answers; account on 25",
              ("sink-25", "sink-587"), account(ctx, "sink-25") + skipping("net.ports"),
              "network-blocked", "net.connect", port_25_silent, dropped_oracle,
              staged=port_25_dropped, also=("settings-wrong",), first=("settings-wrong",),
              timeout=DROPPED_TIMEOUT),
        *[Fault(f"6{n}. client {client} on the lab's {part} (ZEN {code})",
                ("sink-587",), account(ctx, "sink-587") + ["--client-ip", client]
                + skipping("rep.client-ip", "rep.dnsbl", "rep.dnsbl-server"),
                "blocklisted", "rep.dnsbl", listed_client(code), listed_oracle(client, code))
          for n, client, part, code in (("a", dnslab.CLIENT_LISTED, "SBL", "127.0.0.2"),
                                        ("b", CLIENT_XBL, "XBL", XBL_CODE))],
        Fault(f"6c. client {dnslab.CLIENT_POLICY} only on the PBL, sending on 25 "
              "without a login", ("sink-25",),
              account(ctx, "sink-25") + ["--client-ip", dnslab.CLIENT_POLICY]
              + skipping("rep.client-ip", "rep.dnsbl"),
              "settings-wrong", "rep.dnsbl", policy_client_on_25, policy_oracle),
        Fault(f"7. Postfix smtpd with SIZE {SIZE_LIMIT}, --message-size {MESSAGE_SIZE}",
              ("postfix-size",), account(ctx, "postfix-size") + skipping()
              + ["--message-size", MESSAGE_SIZE],
              "message-too-large", "smtp.size", size_limit, size_oracle),
        Fault(f"8. {NOSPF_DOMAIN} has no SPF, and a 4.7.26 unauthenticated deferral",
              ("sink-587",), account(ctx, "sink-587", email=f"sam@{NOSPF_DOMAIN}")
              + ["--error-text", UNAUTHENTICATED]
              + skipping("auth.spf", "auth.dkim", "auth.dmarc"),
              "sender-auth-missing", "auth.spf", no_spf, nospf_oracle),
        Fault("9a. healthy smtp-sink on 587", ("sink-587",),
              account(ctx, "sink-587") + skipping(), None, None, healthy, healthy_oracle),
        Fault(f"9b. healthy smtp-sink on 587, clean client {dnslab.CLIENT_CLEAN}, the "
              "lab's blocklist and SPF/DKIM/DMARC checks on", ("sink-587",),
              account(ctx, "sink-587") + ["--client-ip", dnslab.CLIENT_CLEAN]
              + skipping("rep.client-ip", "rep.dnsbl", "rep.dnsbl-server",
                         "rep.dnsbl-domain", "auth.spf", "auth.dkim", "auth.dmarc"),
              None, None, healthy_lab, healthy_oracle),
        # A generic 421 pasted, and a server that works: no cause made up.
        Fault("9c. healthy smtp-sink on 587, a pasted 421 that gives no reason",
              ("sink-587",), account(ctx, "sink-587") + skipping()
              + ["--error-text", GENERIC_421],
              None, None, healthy, healthy_oracle, headline="Your server works now"),
    ]


def extra_dns_lines():
    """dnsmasq lines appended to the lab's: the domain without SPF, and a
    client on the XBL part of ZEN (the lab itself lists only an SBL one)."""
    return [f"mx-host={NOSPF_DOMAIN},{SERVER},10",
            f"address=/{dnslab.reverse(CLIENT_XBL)}.{ZEN}/{XBL_CODE}"]


def run_all(tap, ctx):
    for fault in all_faults(ctx):
        run_fault(tap, ctx, fault)

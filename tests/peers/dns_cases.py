# dns_cases.py: what mail-doctor-cli must report against the lab's DNS
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each scenario runs the CLI once inside the namespace, with the namespace's
# resolv.conf pointing at one of dnslab.RESOLVERS, and becomes several TAP
# points: one for the report's contract, one per thing it must show. The
# evidence keys are the ones of the issue-3 contract (rep.*, auth.*).

import json
import re
import subprocess
import time
from dataclasses import dataclass

import cases
import dnslab

ZEN = "zen.spamhaus.org"
SPAMCOP = "bl.spamcop.net"
DBL = "dbl.spamhaus.org"
CHECK_TIMEOUT = 10
# The deadline cases: --timeout 8 is under what glibc alone would take for
# one silent lookup (10 s), --timeout 3 under a sensible per-lookup deadline;
# the run may overshoot --timeout by this much (process start, the report).
DEADLINE_TIMEOUTS = (8, 3)
DEADLINE_SLACK = 1.5
COULD_NOT = re.compile(r"could ?n[o']t", re.IGNORECASE)


@dataclass
class Context:
    ns: object
    cli: str
    zones: list
    fault_zones: tuple
    providers_path: str


@dataclass
class Scenario:
    title: str
    argv: list
    points: list                  # [(name, verify(expect))]
    resolver: str = "main"
    fast_resolver: bool = True    # resolv.conf timeout:1 attempts:1
    report: bool = True           # a check report (else discover's own JSON)
    limit: float = 60.0           # seconds before the harness kills the CLI


# --- running ----------------------------------------------------------------

def check_argv(email="sam@test.example", client_ip=None, timeout=CHECK_TIMEOUT):
    """check against the lab's smtp-sink by name, so DNS gives its address."""
    argv = ["check", "--host", dnslab.SERVER, "--port", "587", "--security", "none",
            "--email", email, "--skip", "net.ports,tls.versions",
            "--timeout", str(timeout), "--format", "json"]
    return argv + (["--client-ip", client_ip] if client_ip else [])


def run_cli(ctx, sc):
    ctx.ns.write_etc({"resolv.conf": dnslab.resolv_conf(sc.resolver, sc.fast_resolver)})
    argv = ctx.ns.prefix() + [ctx.cli] + sc.argv
    run = cases.Run(argv=argv)
    start = time.monotonic()
    try:
        p = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                           timeout=sc.limit)
        run.rc, run.stdout, run.stderr = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        run.stdout = cases.decode(e.stdout)
        run.stderr = cases.decode(e.stderr) + f"\n(killed: still running after {e.timeout} s)"
    except OSError as e:
        run.stderr = f"could not start: {e}"
    run.elapsed = time.monotonic() - start
    return run


def run_scenario(tap, ctx, sc):
    run = run_cli(ctx, sc)
    head = cases.Expect(run)
    if run.rc is None:
        head.fail("the CLI did not finish")
    elif sc.report:
        head.contract()
    else:
        parse_json(head)
    notes = cases.diagnostics(run) + [f"resolver: {sc.resolver} "
                                      f"({dnslab.RESOLVERS[sc.resolver][1]})",
                                      f"elapsed: {run.elapsed:.2f} s"]
    tap.point(f"{sc.title}: the CLI ran and its JSON follows the contract",
              head.problems, notes)
    for name, verify in sc.points:
        expect = cases.Expect(run)
        if run.report is None:
            expect.fail("no JSON report to look at")
        else:
            verify(expect)
        tap.point(f"{sc.title}: {name}", expect.problems, notes)


def parse_json(expect):
    """discover's JSON: an object with a list of suggestions."""
    try:
        expect.run.report = json.loads(expect.run.stdout)
    except ValueError as e:
        expect.fail(f"stdout is not JSON ({e})")
        return
    if not isinstance(expect.run.report, dict):
        expect.run.report = None
        expect.fail("the JSON is not an object")
    elif not isinstance(expect.run.report.get("suggestions"), list):
        expect.fail("the JSON has no 'suggestions' list")


# --- evidence helpers -------------------------------------------------------

def zone_values(check):
    return {k[len("zone:"):]: v for k, v in (check.get("evidence") or {}).items()
            if k.startswith("zone:")}


def zone_is(e, check, zone, prefix, exact=False):
    if check is None:
        return
    value = zone_values(check).get(zone)
    ok = value == prefix if exact else (value or "").startswith(prefix)
    if not ok:
        want = f"{prefix!r}" if exact else f"to start with {prefix!r}"
        e.fail(f"{check['id']}: evidence 'zone:{zone}' is {value!r}, want {want}")


def has_words(e, check, key, words=""):
    """Evidence @key is there, not empty, and contains @words (any case)."""
    if check is None:
        return
    value = (check.get("evidence") or {}).get(key) or ""
    if not value.strip() or words.lower() not in value.lower():
        e.fail(f"{check['id']}: evidence {key!r} is {value!r}, want it"
               + (f" to mention {words!r}" if words else " present"))


def never_listed(e, check, zones=None, words=("listed", "policy")):
    """No zone (of @zones, or any) reads as a listing."""
    if check is None:
        return
    for zone, value in zone_values(check).items():
        if (zones is None or zone in zones) and value.split(" ")[0] in words:
            e.fail(f"{check['id']}: zone:{zone} is {value!r}, which reads as a listing")


def summary_says_could_not(e, check):
    if check is not None and not COULD_NOT.search(check.get("summary") or ""):
        e.fail(f"{check['id']}: the summary {check.get('summary')!r} does not say it "
               "could not check")


def no_zones_asked(e, check):
    if check is not None and not zone_values(check):
        e.fail(f"{check['id']}: no zone:<zone> evidence at all")


# --- the check scenarios ----------------------------------------------------

def test_point_client(e):
    e.check("rep.client-ip", "pass", {"ip": "127.0.0.2", "source": "option"})
    found = e.check("rep.dnsbl", "fail", {"reliable": "yes"})
    zone_is(e, found, ZEN, "listed")
    has_words(e, found, f"meaning:{ZEN}")
    has_words(e, found, f"delist:{ZEN}", "spamhaus")


def server_not_listed(e):
    found = e.check("rep.dnsbl-server", "pass", {"reliable": "yes"})
    zone_is(e, found, ZEN, "not-listed", exact=True)
    never_listed(e, found)


def domain_not_listed(e):
    found = e.check("rep.dnsbl-domain", "pass", {"reliable": "yes"})
    zone_is(e, found, DBL, "not-listed", exact=True)
    never_listed(e, found)


def spf_pass(e):
    e.check("auth.spf", "pass", {"record": dnslab.SPF, "lookups": "0", "all": "-all",
                                 "covers_server": "yes"})


def dmarc_pass(e):
    e.check("auth.dmarc", "pass", {"record": dnslab.DMARC, "found_at": "test.example",
                                   "policy": "reject"},
            contains={"rua": "mailto:dmarc@test.example"})


def dkim_found(e):
    e.check("auth.dkim", "pass", {"selector:default": "rsa 2048"})


def mta_sts_present(e):
    e.check("auth.mta-sts", "pass", {"mta_sts": "present", "tls_rpt": "present"})


def rdns_server(e):
    e.check("rep.rdns", None, {"server_ptr": dnslab.SERVER,
                               "server_forward_confirmed": "yes",
                               "greeting_host": dnslab.SERVER,
                               "greeting_matches_ptr": "yes"})


def listed_client(e):
    found = e.check("rep.dnsbl", "fail", {"reliable": "yes"})
    for zone, reason in ((ZEN, "Listed by test SBL"), (SPAMCOP, "spamcop.net")):
        zone_is(e, found, zone, "listed 127.0.0.2")
        has_words(e, found, f"reason:{zone}", reason)
        has_words(e, found, f"delist:{zone}", zone.split(".")[-2])
        has_words(e, found, f"meaning:{zone}")


def policy_client(e):
    found = e.check("rep.dnsbl", "warn", {"reliable": "yes"})
    zone_is(e, found, ZEN, "policy 127.0.0.10", exact=True)
    has_words(e, found, f"meaning:{ZEN}", "provider")
    never_listed(e, found, words=("listed",))


def error_answer_client(e):
    found = e.check("rep.dnsbl", None, {"reliable": "yes"})
    zone_is(e, found, ZEN, f"error {dnslab.PUBLIC_RESOLVER_ERROR}", exact=True)
    never_listed(e, found)
    if found and found["status"] == "fail":
        e.fail("rep.dnsbl: fail, but the only answer was an error code")


def clean_client(e):
    found = e.check("rep.dnsbl", "pass", {"reliable": "yes"})
    zone_is(e, found, ZEN, "not-listed", exact=True)
    zone_is(e, found, SPAMCOP, "not-listed", exact=True)
    never_listed(e, found)


def spf_multiple(e):
    e.check("auth.spf", "fail", {"problem": "multiple"})


def dmarc_syntax(e):
    e.check("auth.dmarc", "fail", {"problem": "syntax"})


def spf_plus_all(e):
    e.check("auth.spf", "warn", {"all": "+all", "record": "v=spf1 +all"})


def spf_split(e):
    e.check("auth.spf", "pass", {"record": dnslab.SPF, "lookups": "0"})


def domain_listed(e):
    found = e.check("rep.dnsbl-domain", "fail", {"reliable": "yes"})
    zone_is(e, found, DBL, "listed")
    has_words(e, found, f"delist:{DBL}", "spamhaus")
    has_words(e, found, f"meaning:{DBL}")


def faults(ctx, timeout):
    refused, silent = ctx.fault_zones or ("(none)", "(none)")
    limit = timeout + DEADLINE_SLACK

    def refused_zone(e):
        found = e.check("rep.dnsbl")
        zone_is(e, found, refused, "could-not-ask", exact=True)
        zone_is(e, found, ZEN, "listed 127.0.0.2")

    def silent_zone(e):
        found = e.check("rep.dnsbl")
        zone_is(e, found, silent, "could-not-ask", exact=True)
        never_listed(e, found, {refused, silent})

    def deadline(e):
        if e.run.elapsed >= limit:
            e.fail(f"the run took {e.run.elapsed:.2f} s with --timeout {timeout}, "
                   f"want < {limit} s (glibc alone would wait 10 s per lookup)")

    return [(f"{refused} (REFUSED upstream) reads could-not-ask, ZEN still answers",
             refused_zone),
            (f"{silent} (silent upstream) reads could-not-ask", silent_zone),
            (f"the whole run ends within --timeout {timeout} (< {limit} s)", deadline)]


def fault_scenarios(ctx):
    return [Scenario(f"check --client-ip {dnslab.CLIENT_LISTED} --timeout {timeout} through "
                     "a resolver with a refusing and a silent blocklist (glibc default "
                     "timeouts)",
                     check_argv(client_ip=dnslab.CLIENT_LISTED, timeout=timeout),
                     faults(ctx, timeout), resolver="faults", fast_resolver=False,
                     limit=timeout * 3)
            for timeout in DEADLINE_TIMEOUTS]


def unreliable(e):
    found = e.check("rep.dnsbl", "error", {"reliable": "no"})
    summary_says_could_not(e, found)
    no_zones_asked(e, found)
    never_listed(e, found)


def public_resolver(e):
    found = e.check("rep.dnsbl")
    zone_is(e, found, ZEN, f"error {dnslab.PUBLIC_RESOLVER_ERROR}", exact=True)
    never_listed(e, found, {z for z in zone_values(found or {}) if "spamhaus" in z})
    zone_is(e, found, SPAMCOP, "listed 127.0.0.2")


def check_scenarios(ctx):
    listed = dnslab.CLIENT_LISTED
    return [
        Scenario("check --client-ip 127.0.0.2 (the RFC 5782 test point)",
                 check_argv(client_ip="127.0.0.2"), [
                     ("rep.dnsbl fails: ZEN lists it, with meaning and delisting page, "
                      "reliable yes", test_point_client),
                     ("rep.dnsbl-server passes: 127.0.0.1 on no list", server_not_listed),
                     ("rep.dnsbl-domain passes: test.example on no domain list",
                      domain_not_listed),
                     ("auth.spf passes: 0 lookups, -all, covers 127.0.0.1", spf_pass),
                     ("auth.dmarc passes: p=reject at test.example", dmarc_pass),
                     ("auth.dkim finds selector default, rsa 2048", dkim_found),
                     ("auth.mta-sts: MTA-STS and TLS-RPT present", mta_sts_present),
                     ("rep.rdns: server PTR mx.test.example, forward-confirmed, "
                      "matches the greeting", rdns_server),
                 ]),
        Scenario(f"check --client-ip {listed}",
                 check_argv(client_ip=listed), [
                     ("ZEN and SpamCop list it, with TXT reason and delisting page",
                      listed_client)]),
        Scenario(f"check --client-ip {dnslab.CLIENT_POLICY}",
                 check_argv(client_ip=dnslab.CLIENT_POLICY), [
                     ("only a PBL policy listing: warn, the meaning names the provider",
                      policy_client)]),
        Scenario(f"check --client-ip {dnslab.CLIENT_ERROR}",
                 check_argv(client_ip=dnslab.CLIENT_ERROR), [
                     ("ZEN answers 127.255.255.254: an error, never a listing",
                      error_answer_client)]),
        Scenario(f"check --client-ip {dnslab.CLIENT_CLEAN}",
                 check_argv(client_ip=dnslab.CLIENT_CLEAN), [
                     ("on no list: rep.dnsbl passes, reliable yes", clean_client)]),
        Scenario("check --email sam@broken.example",
                 check_argv(email="sam@broken.example", client_ip=dnslab.CLIENT_CLEAN), [
                     ("auth.spf fails: two SPF records (multiple)", spf_multiple),
                     ("auth.dmarc fails: p=maybe (syntax)", dmarc_syntax)]),
        Scenario("check --email sam@open.example",
                 check_argv(email="sam@open.example", client_ip=dnslab.CLIENT_CLEAN), [
                     ("auth.spf warns: +all", spf_plus_all)]),
        Scenario("check --email sam@split.test.example",
                 check_argv(email="sam@split.test.example", client_ip=dnslab.CLIENT_CLEAN), [
                     ("auth.spf joins a TXT record split in two strings with nothing between",
                      spf_split)]),
        Scenario(f"check --email sam@{dnslab.LISTED_DOMAIN}",
                 check_argv(email=f"sam@{dnslab.LISTED_DOMAIN}",
                            client_ip=dnslab.CLIENT_CLEAN), [
                     ("rep.dnsbl-domain fails: the Spamhaus DBL lists the domain",
                      domain_listed)]),
        *fault_scenarios(ctx),
        Scenario("check through a resolver that knows no blocklist entry",
                 check_argv(client_ip=listed), [
                     ("rep.dnsbl: error, reliable no, 'could not check', never listed",
                      unreliable)], resolver="nx"),
        Scenario("check through a resolver that lists every address",
                 check_argv(client_ip=dnslab.CLIENT_CLEAN), [
                     ("rep.dnsbl: error, reliable no, 'could not check', never listed",
                      unreliable)], resolver="wildcard"),
        Scenario("check through a public resolver that Spamhaus refuses",
                 check_argv(client_ip=listed), [
                     ("Spamhaus zones read error 127.255.255.254, never listed; "
                      "SpamCop still lists", public_resolver)], resolver="public"),
    ]


# --- discover ---------------------------------------------------------------

def suggestions(data):
    """discover's JSON: {"email", "suggestions": [{"host", "port", "source", …}]}."""
    found = data.get("suggestions") if isinstance(data, dict) else None
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []


def suggests(e, host, port=None, source=None):
    """Exit 0 (something found) and a suggestion @host:@port from @source."""
    e.exit_code(0)
    found = suggestions(e.run.report)
    for s in found:
        if (s.get("host") == host and (port is None or str(s.get("port")) == str(port))
                and (source is None or s.get("source") == source)):
            return
    e.fail(f"no suggestion {host}:{port} from {source}; got "
           + json.dumps([{k: s.get(k) for k in ("host", "port", "source")} for s in found]))


def discover_argv(email):
    return ["discover", email, "--timeout", str(CHECK_TIMEOUT), "--format", "json"]


def providers(path):
    try:
        with open(path) as f:
            entries = json.load(f).get("providers") or []
    except (OSError, ValueError):
        entries = []
    return [p for p in entries if isinstance(p, dict)]


def provider_by_domain(path, domain, fallback):
    """The host the app's provider table gives for an email @domain."""
    for p in providers(path):
        if domain in (p.get("domains") or []):
            return p.get("host") or fallback
    return fallback


def provider_by_mx(path, mx_host, fallback):
    """The host of the provider whose MX suffix matches @mx_host best."""
    best, host = "", fallback
    for p in providers(path):
        for suffix in p.get("mx_suffixes") or []:
            if (mx_host == suffix or mx_host.endswith("." + suffix)) and len(suffix) > len(best):
                best, host = suffix, p.get("host") or fallback
    return host


def discover_scenarios(ctx):
    m365 = provider_by_mx(ctx.providers_path, dnslab.HOSTED_MX, "smtp.office365.com")
    gmail = provider_by_domain(ctx.providers_path, "gmail.com", "smtp.gmail.com")

    def srv(e):
        suggests(e, dnslab.SERVER, 587, "srv-submission")
        suggests(e, dnslab.SERVER, 465, "srv-submissions")

    def by_mx(e):
        suggests(e, m365, source="mx")

    def by_table(e):
        suggests(e, gmail, source="provider")

    def by_guess(e):
        suggests(e, dnslab.GUESS_HOST, 587, "guess")
        if not any(s.get("host") == dnslab.GUESS_HOST and s.get("answered") is True
                   for s in suggestions(e.run.report)):
            e.fail("the guess is not marked as having answered EHLO")

    return [
        Scenario("discover sam@test.example",
                 discover_argv("sam@test.example"), [
                     ("finds mx.test.example by SRV: 587 (srv-submission) and 465 "
                      "(srv-submissions)", srv)], report=False),
        Scenario("discover sam@hosted.example",
                 discover_argv("sam@hosted.example"), [
                     (f"the MX names Microsoft 365: suggests {m365} (source mx)", by_mx)],
                 report=False),
        Scenario("discover sam@guess.example",
                 discover_argv("sam@guess.example"), [
                     (f"no provider, SRV or MX: a guess finds {dnslab.GUESS_HOST}:587, "
                      "which answers EHLO", by_guess)], report=False),
        Scenario("discover sam@gmail.com",
                 discover_argv("sam@gmail.com"), [
                     (f"gmail.com does not resolve here; the provider table still gives "
                      f"{gmail}", by_table)], report=False),
    ]


def run_all(tap, ctx):
    for sc in check_scenarios(ctx) + discover_scenarios(ctx):
        run_scenario(tap, ctx, sc)

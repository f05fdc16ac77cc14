# dnslab.py: the DNS of run-dns.py: dnsmasq configurations and their self-check
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Several dnsmasq instances run side by side in the namespace, one per
# loopback address, each a resolver of its own kind (RESOLVERS); a test picks
# one by writing the namespace's resolv.conf. All of them serve the same mail
# domains; they differ in how they answer the blocklist zones, which are the
# real zone names of the app's own catalogue (app/core/kb/dnsbls.json), so the
# catalogue the app ships is the one under test. Python stdlib only, plus
# openssl for the DKIM key and dig (optional) for the self-check.

import base64
import json
import re
import subprocess

LOCALHOST_PTR = "1.0.0.127.in-addr.arpa"
SERVER = "mx.test.example"
LISTED_DOMAIN = "listed.test.example"
REFUSED = 5

# name -> (listen address, what it is)
RESOLVERS = {
    "main": ("127.0.0.1", "the lab's own resolver: every record as intended"),
    "faults": ("127.0.0.2", "one blocklist refuses (REFUSED), one never answers"),
    "nx": ("127.0.0.3", "knows no blocklist entry at all (the test points fail)"),
    "wildcard": ("127.0.0.4", "says every address is on every blocklist"),
    "public": ("127.0.0.5", "a public resolver Spamhaus refuses (127.255.255.254)"),
}
RCODE_PORT = 5397
SILENT_PORT = 5398

# Client addresses (documentation range, RFC 5737) and what they stand for.
CLIENT_LISTED = "192.0.2.99"
CLIENT_POLICY = "192.0.2.98"
CLIENT_ERROR = "192.0.2.97"
CLIENT_CLEAN = "192.0.2.1"

SBL_REASON = ("Listed by test SBL, see https://check.spamhaus.org/query/ip/"
              + CLIENT_LISTED)
SPAMCOP_REASON = ("Blocked - see https://www.spamcop.net/bl.shtml?" + CLIENT_LISTED)
PUBLIC_RESOLVER_ERROR = "127.255.255.254"

IPV4 = re.compile(r"\d+\.\d+\.\d+\.\d+")

# The real test-point answer where it is not 127.0.0.2 (PBL lists it as a
# policy entry, the only kind of entry it has).
TEST_POINT = {"pbl.spamhaus.org": "127.0.0.10"}

SPF = "v=spf1 ip4:127.0.0.1 -all"
# Split inside a term: only joining the strings with nothing between them
# (RFC 7208 §3.3) gives back SPF.
SPF_SPLIT = ("v=spf1 ip4:127.0.", "0.1 -all")
DMARC = "v=DMARC1; p=reject; rua=mailto:dmarc@test.example"
DMARC_BROKEN = "v=DMARC1; p=maybe; pct=200"
MTA_STS = "v=STSv1; id=20260101T000000Z"
TLS_RPT = "v=TLSRPTv1; rua=mailto:tlsrpt@test.example"
HOSTED_MX = "hosted-example.mail.protection.outlook.com"
GUESS_HOST = "smtp.guess.example"


# --- the catalogue ----------------------------------------------------------

class Zone:
    def __init__(self, zone, kind, listed="127.0.0.2"):
        self.zone = zone
        self.kind = kind
        self.listed = listed      # the zone's own code for a listing

    def __repr__(self):
        return f"Zone({self.zone!r}, {self.kind!r}, {self.listed!r})"

    def test_listed(self):
        """(name, answer) of the test point that must be listed."""
        if self.kind == "domain":
            return f"test.{self.zone}", self.listed
        return f"2.0.0.127.{self.zone}", TEST_POINT.get(self.zone, "127.0.0.2")

    def test_clean(self):
        """The test point that must not be listed."""
        if self.kind == "domain":
            return f"invalid.{self.zone}"
        return f"1.0.0.127.{self.zone}"


def listed_code(entry):
    """The first single address the catalogue reads as a listing; each domain
    list has codes of its own (RFC 5782 §2.4 only fixes the test names)."""
    for answer in entry.get("answers") or []:
        match = answer.get("match", "") if isinstance(answer, dict) else ""
        if answer.get("kind") == "listed" and IPV4.fullmatch(match):
            return match
    return "127.0.0.2"


def load_catalogue(path):
    """The zones of the app's catalogue; [] while it is still a placeholder.

    A zone with a placeholder in its name (an API key) is left out: no real
    resolver could serve it either."""
    with open(path) as f:
        data = json.load(f)
    zones = []
    for entry in data.get("dnsbls") or []:
        zone = entry.get("zone") if isinstance(entry, dict) else None
        if not zone or not re.fullmatch(r"[a-z0-9.-]+", zone):
            continue
        kind = "domain" if entry.get("kind") == "domain" else "ip"
        zones.append(Zone(zone, kind, listed_code(entry)))
    return zones


def pick_fault_zones(zones):
    """Two IP zones for the faults resolver, never ZEN or SpamCop (the listing
    cases need them): (refused zone, silent zone), or None when too few."""
    spare = [z.zone for z in zones if z.kind == "ip" and z.zone not in
             ("zen.spamhaus.org", "bl.spamcop.net")]
    preferred = [z for z in ("b.barracudacentral.org", "psbl.surriel.com") if z in spare]
    ordered = preferred + [z for z in spare if z not in preferred]
    return (ordered[0], ordered[1]) if len(ordered) >= 2 else None


def reverse(ip):
    return ".".join(reversed(ip.split(".")))


# --- the DKIM key -----------------------------------------------------------

def make_dkim_key(workdir):
    """A fresh RSA 2048 public key, base64 DER (SubjectPublicKeyInfo)."""
    key = f"{workdir}/dkim.key"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                    "rsa_keygen_bits:2048", "-out", key],
                   check=True, capture_output=True, timeout=60)
    der = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"],
                         check=True, capture_output=True, timeout=60).stdout
    return base64.b64encode(der).decode()


def dkim_strings(public_key):
    """The DKIM record in two strings, as large keys are published."""
    text = "v=DKIM1; k=rsa; p=" + public_key
    return text[:200], text[200:]


# --- dnsmasq configuration --------------------------------------------------

def txt(name, *strings):
    quoted = ",".join('"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
                      for s in strings)
    return f"txt-record={name},{quoted}"


def base_lines(address, log_path):
    return [
        "no-resolv", "no-hosts", "no-poll", "bind-interfaces",
        f"listen-address={address}", "port=53",
        "log-queries", f"log-facility={log_path}",
        # Without local=, dnsmasq answers REFUSED for a name it does not know;
        # with it, NXDOMAIN, like a real zone. Reverse lookups too.
        "local=/in-addr.arpa/", "local=/ip6.arpa/",
    ]


def mail_domain_lines(dkim):
    """test.example and friends: MX, SPF, DMARC, DKIM, MTA-STS, SRV, PTR."""
    return [
        "local=/test.example/", "local=/broken.example/", "local=/open.example/",
        "local=/hosted.example/", "local=/guess.example/",
        # guess.example publishes nothing but a host whose name a guess would
        # try; smtp-sink answers there on 587. address= rather than
        # host-record, which would also take over 127.0.0.1's PTR.
        f"address=/{GUESS_HOST}/127.0.0.1",
        # host-record also makes the PTR 1.0.0.127.in-addr.arpa -> mx.test.example.
        f"host-record={SERVER},127.0.0.1",
        f"mx-host=test.example,{SERVER},10",
        txt("test.example", SPF),
        txt("_dmarc.test.example", DMARC),
        txt("default._domainkey.test.example", *dkim),
        txt("_mta-sts.test.example", MTA_STS),
        txt("_smtp._tls.test.example", TLS_RPT),
        f"srv-host=_submission._tcp.test.example,{SERVER},587,0,10",
        f"srv-host=_submissions._tcp.test.example,{SERVER},465,0,10",
        txt("split.test.example", *SPF_SPLIT),
        # Two SPF records (a permanent error, RFC 7208 §4.5), one with +all.
        txt("broken.example", SPF),
        txt("broken.example", "v=spf1 +all"),
        txt("_dmarc.broken.example", DMARC_BROKEN),
        txt("open.example", "v=spf1 +all"),
        f"mx-host=hosted.example,{HOSTED_MX},0",
    ]


def zone_lines(zone):
    """A healthy blocklist zone: its test points, and nothing else listed."""
    name, answer = zone.test_listed()
    return [f"local=/{zone.zone}/", f"address=/{name}/{answer}"]


def listing_lines(zones):
    """The lab's listings, on the zones of the catalogue that have them."""
    names = {z.zone for z in zones}
    lines = []

    def entry(zone, ip, answer, reason=None):
        if zone not in names:
            return
        name = f"{reverse(ip)}.{zone}"
        lines.append(f"address=/{name}/{answer}")
        if reason:
            lines.append(txt(name, reason))

    for zone in ("zen.spamhaus.org", "sbl.spamhaus.org", "sbl-xbl.spamhaus.org"):
        entry(zone, CLIENT_LISTED, "127.0.0.2", SBL_REASON)
    entry("bl.spamcop.net", CLIENT_LISTED, "127.0.0.2", SPAMCOP_REASON)
    for zone in ("zen.spamhaus.org", "pbl.spamhaus.org"):
        entry(zone, CLIENT_POLICY, "127.0.0.10")
    entry("zen.spamhaus.org", CLIENT_ERROR, PUBLIC_RESOLVER_ERROR)
    for zone in (z for z in zones if z.kind == "domain"):
        lines.append(f"address=/{LISTED_DOMAIN}.{zone.zone}/{zone.listed}")
    return lines


def blocklist_lines(kind, zones, fault_zones):
    """How the resolver of @kind answers the blocklist zones."""
    if kind == "nx":
        return [f"local=/{z.zone}/" for z in zones]
    if kind == "wildcard":
        return [f"address=/{z.zone}/127.0.0.2" for z in zones]
    if kind == "public":
        lines = []
        for z in zones:
            spamhaus = z.zone.endswith(".spamhaus.org")
            lines += ([f"address=/{z.zone}/{PUBLIC_RESOLVER_ERROR}"] if spamhaus
                      else zone_lines(z))
        return lines + [line for line in listing_lines(zones)
                        if ".spamhaus.org" not in line]
    lines = []
    for z in zones:
        if kind == "faults" and fault_zones and z.zone == fault_zones[0]:
            lines.append(f"server=/{z.zone}/127.0.0.1#{RCODE_PORT}")
        elif kind == "faults" and fault_zones and z.zone == fault_zones[1]:
            lines.append(f"server=/{z.zone}/127.0.0.1#{SILENT_PORT}")
        else:
            lines += zone_lines(z)
    return lines + listing_lines(zones)


def config(kind, zones, fault_zones, dkim, log_path):
    address = RESOLVERS[kind][0]
    lines = (base_lines(address, log_path) + mail_domain_lines(dkim)
             + blocklist_lines(kind, zones, fault_zones))
    return "\n".join(lines) + "\n"


def resolv_conf(kind, fast=True):
    """resolv.conf for the resolver of @kind. Not fast: glibc's defaults
    (5 s, twice), so only the app's own deadline can end a silent lookup."""
    text = f"nameserver {RESOLVERS[kind][0]}\n"
    return text + ("options timeout:1 attempts:1\n" if fast else "")


# --- self-check with dig ----------------------------------------------------

class Answer:
    def __init__(self, status, records):
        self.status = status      # NOERROR, NXDOMAIN, REFUSED, timeout, ...
        self.records = records    # rdata strings; a TXT record's strings joined by " | "

    def __repr__(self):
        return f"{self.status} {self.records}"


TXT_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def parse_dig(text, qtype):
    status = re.search(r"status: ([A-Z]+)", text)
    if not status:
        return Answer("timeout" if "timed out" in text or "no servers" in text
                      else "no-answer", [])
    records = []
    for line in text.splitlines():
        if not line or line.startswith(";"):
            continue
        fields = line.split(None, 4)
        if len(fields) == 5 and fields[3] == qtype:
            rdata = fields[4]
            if qtype == "TXT":
                rdata = " | ".join(TXT_STRING.findall(rdata))
            records.append(rdata.rstrip("."))
    return Answer(status.group(1), sorted(records))


def dig(ns, server, name, qtype):
    argv = ["dig", f"@{server}", "+time=1", "+tries=1", "+noall", "+comments",
            "+answer", name, qtype]
    out = ns.exec_run(argv, check=False, text=True)
    return parse_dig(out.stdout, qtype)


def expect(ns, server, name, qtype, status, records=None):
    """Problems, if @name @qtype does not come back as @status with @records."""
    got = dig(ns, server, name, qtype)
    if got.status != status or (records is not None and got.records != sorted(records)):
        want = f"{status} {sorted(records) if records is not None else ''}"
        return [f"@{server} {name} {qtype}: got {got!r}, want {want}"]
    return []


def zone_expectations(zones):
    """(name, qtype, status, records) of every test point on a healthy resolver."""
    items = []
    for z in zones:
        name, answer = z.test_listed()
        items.append((name, "A", "NOERROR", [answer]))
        items.append((z.test_clean(), "A", "NXDOMAIN", []))
    return items


def listing_expectations(zones):
    names = {z.zone for z in zones}
    items = []
    if "zen.spamhaus.org" in names:
        zen = "zen.spamhaus.org"
        items += [
            (f"{reverse(CLIENT_LISTED)}.{zen}", "A", "NOERROR", ["127.0.0.2"]),
            (f"{reverse(CLIENT_LISTED)}.{zen}", "TXT", "NOERROR", [SBL_REASON]),
            (f"{reverse(CLIENT_POLICY)}.{zen}", "A", "NOERROR", ["127.0.0.10"]),
            (f"{reverse(CLIENT_ERROR)}.{zen}", "A", "NOERROR", [PUBLIC_RESOLVER_ERROR]),
            (f"{reverse(CLIENT_CLEAN)}.{zen}", "A", "NXDOMAIN", []),
        ]
    if "bl.spamcop.net" in names:
        name = f"{reverse(CLIENT_LISTED)}.bl.spamcop.net"
        items += [(name, "A", "NOERROR", ["127.0.0.2"]),
                  (name, "TXT", "NOERROR", [SPAMCOP_REASON])]
    for z in (z for z in zones if z.kind == "domain"):
        items.append((f"{LISTED_DOMAIN}.{z.zone}", "A", "NOERROR", [z.listed]))
        items.append((f"test.example.{z.zone}", "A", "NXDOMAIN", []))
    return items


def mail_expectations(dkim):
    return [
        (SERVER, "A", "NOERROR", ["127.0.0.1"]),
        ("test.example", "MX", "NOERROR", [f"10 {SERVER}"]),
        ("test.example", "TXT", "NOERROR", [SPF]),
        ("split.test.example", "TXT", "NOERROR", [" | ".join(SPF_SPLIT)]),
        ("_dmarc.test.example", "TXT", "NOERROR", [DMARC]),
        ("default._domainkey.test.example", "TXT", "NOERROR", [" | ".join(dkim)]),
        ("_mta-sts.test.example", "TXT", "NOERROR", [MTA_STS]),
        ("_smtp._tls.test.example", "TXT", "NOERROR", [TLS_RPT]),
        ("_submission._tcp.test.example", "SRV", "NOERROR", [f"0 10 587 {SERVER}"]),
        ("_submissions._tcp.test.example", "SRV", "NOERROR", [f"0 10 465 {SERVER}"]),
        (LOCALHOST_PTR, "PTR", "NOERROR", [SERVER]),
        ("nothere.test.example", "TXT", "NXDOMAIN", []),
        ("broken.example", "TXT", "NOERROR", [SPF, "v=spf1 +all"]),
        ("_dmarc.broken.example", "TXT", "NOERROR", [DMARC_BROKEN]),
        ("open.example", "TXT", "NOERROR", ["v=spf1 +all"]),
        ("hosted.example", "MX", "NOERROR", [f"0 {HOSTED_MX}"]),
        # No upstream: the outside world does not resolve in the lab.
        ("gmail.com", "MX", "REFUSED", []),
    ]


def check_all(ns, items, server):
    problems = []
    for name, qtype, status, records in items:
        problems += expect(ns, server, name, qtype, status, records)
    return problems

# oracles.py: independent clients that confirm each peer behaves as intended
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Python's smtplib/ssl and gnutls-cli, not Mail Doctor, talk to every peer
# first. When a CLI case fails while its oracle passes, the bug is in the CLI.
# These run in this process, which has entered the namespace.

import smtplib
import socket
import ssl
import subprocess
import warnings
from dataclasses import dataclass

TIMEOUT = 10
SIZE_LINE = "10240000"
MECHANISMS = {
    "aio-starttls": ("CRAM-MD5", "LOGIN", "PLAIN"),
    "aio-plain": ("PLAIN",),
    "aio-login": ("LOGIN",),
    "aio-cram-md5": ("CRAM-MD5",),
}
CERT_PEERS = {
    "tls-expired": "expired.pem",
    "tls-notyet": "notyet.pem",
    "tls-wrongname": "wrongname.pem",
    "tls-selfsigned": "selfsigned.pem",
    "tls-1.0-only": "rsa-good.pem",
}


@dataclass
class Env:
    ns: object
    pki: dict
    ports: dict
    canary: str
    wrong_password: str
    greeting_421: str


def read_reply(f):
    """One SMTP reply (all its lines) as a list of str; [] on EOF."""
    lines = []
    while True:
        line = f.readline()
        if not line:
            return lines
        lines.append(line.decode(errors="replace").rstrip("\r\n"))
        if line[3:4] != b"-":
            return lines


def raw_session(port, commands=()):
    """Greeting, then the reply to each command, then whether the server closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        f = s.makefile("rb")
        replies = [read_reply(f)]
        for command in commands:
            s.sendall(command.encode() + b"\r\n")
            replies.append(read_reply(f))
        try:
            closed = f.read(1) == b""
        except socket.timeout:
            closed = False
        return replies, closed


def expect_equal(problems, what, got, want):
    if got != want:
        problems.append(f"{what}: got {got!r}, want {want!r}")


def sink_oracles(env):
    """name -> (description, function returning problems)."""
    def greeting_421():
        replies, _ = raw_session(env.ports["sink-421-greeting"], ["QUIT"])
        problems = []
        expect_equal(problems, "greeting", replies[0], [env.greeting_421])
        return problems

    def q_connect():
        replies, closed = raw_session(env.ports["sink-421-connect"])
        problems = []
        expect_equal(problems, "greeting code", first_code(replies[0]), "421")
        expect_equal(problems, "closed after the greeting", closed, True)
        return problems

    def q_ehlo():
        replies, closed = raw_session(env.ports["sink-421-ehlo"], ["EHLO oracle.test"])
        problems = []
        expect_equal(problems, "greeting code", first_code(replies[0]), "220")
        expect_equal(problems, "EHLO code", first_code(replies[1]), "421")
        expect_equal(problems, "closed after EHLO", closed, True)
        return problems

    return {
        "sink-healthy": ("greets with 220", healthy(env, "sink-healthy")),
        "sink-421-greeting": ("greets with the custom 421 line", greeting_421),
        "sink-421-connect": ("greets with 421 and closes", q_connect),
        "sink-421-ehlo": ("answers EHLO with 421 and closes", q_ehlo),
        "sink-587": ("greets with 220", healthy(env, "sink-587")),
        "sink-2525": ("greets with 220", healthy(env, "sink-2525")),
    }


def first_code(reply):
    return reply[0][:3] if reply else None


def healthy(env, name):
    def check():
        replies, _ = raw_session(env.ports[name], ["QUIT"])
        problems = []
        expect_equal(problems, "greeting code", first_code(replies[0]), "220")
        return problems
    return check


def verifying_context(env):
    return ssl.create_default_context(cafile=env.pki["ca.pem"])


def auth_code(smtp, mechanism, password):
    smtp.user, smtp.password = "alice", password
    authobject = {"PLAIN": smtp.auth_plain, "LOGIN": smtp.auth_login,
                  "CRAM-MD5": smtp.auth_cram_md5}[mechanism]
    try:
        return smtp.auth(mechanism, authobject, initial_response_ok=False)[0]
    except smtplib.SMTPAuthenticationError as e:
        return e.smtp_code


def starttls_oracle(env, name):
    def check():
        problems = []
        for mechanism in MECHANISMS[name]:
            for password, want in ((env.canary, 235), (env.wrong_password, 535)):
                with smtplib.SMTP("127.0.0.1", env.ports[name], timeout=TIMEOUT) as smtp:
                    smtp.starttls(context=verifying_context(env))
                    smtp.ehlo()
                    expect_equal(problems, "SIZE", smtp.esmtp_features.get("size"), SIZE_LINE)
                    expect_equal(problems, "AUTH", tuple(sorted(smtp.esmtp_features.get("auth", "").split())),
                                 MECHANISMS[name])
                    expect_equal(problems, f"{mechanism} code", auth_code(smtp, mechanism, password), want)
        return problems
    return check


def implicit_oracle(env):
    def check():
        problems = []
        with smtplib.SMTP_SSL("127.0.0.1", env.ports["aio-tls-465"], timeout=TIMEOUT,
                              context=verifying_context(env)) as smtp:
            smtp.ehlo()
            expect_equal(problems, "SIZE", smtp.esmtp_features.get("size"), SIZE_LINE)
            expect_equal(problems, "PLAIN code", auth_code(smtp, "PLAIN", env.canary), 235)
        return problems
    return check


def served_certificate(port):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    # The TLS 1.0-only peer needs the old protocol and its SHA-1 signatures.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        with context.wrap_socket(raw) as tls:
            return tls.getpeercert(binary_form=True)


def cert_oracle(env, name):
    def check():
        with open(env.pki[CERT_PEERS[name]]) as f:
            want = ssl.PEM_cert_to_DER_cert(f.read())
        got = served_certificate(env.ports[name])
        return [] if got == want else [f"serves another certificate than {CERT_PEERS[name]}"]
    return check


def gnutls_cli_accepts(env, port, version, starttls):
    argv = ["gnutls-cli", "--insecure", "-p", str(port),
            "--priority", f"NORMAL:-VERS-ALL:+VERS-{version}", "127.0.0.1"]
    if starttls:
        argv[1:1] = ["--starttls-proto=smtp"]
    result = env.ns.exec_run(argv, input=b"QUIT\r\n", check=False, timeout=TIMEOUT * 2)
    return result.returncode == 0


def versions_oracle(env, name, starttls=False):
    def check():
        problems = []
        for version, want in (("TLS1.0", True), ("TLS1.2", False), ("TLS1.3", False)):
            expect_equal(problems, f"gnutls-cli {version} handshake",
                         gnutls_cli_accepts(env, env.ports[name], version, starttls), want)
        return problems
    return check


def all_oracles(env):
    table = dict(sink_oracles(env))
    for name in MECHANISMS:
        table[name] = (f"STARTTLS with a CA-verified certificate, SIZE {SIZE_LINE}, "
                       f"AUTH {' '.join(MECHANISMS[name])}: 235 with the canary, 535 without",
                       starttls_oracle(env, name))
    table["aio-tls-465"] = ("implicit TLS, AUTH PLAIN 235 with the canary", implicit_oracle(env))
    for name in CERT_PEERS:
        table[name] = (f"serves {CERT_PEERS[name]}", cert_oracle(env, name))
    table["tls-1.0-only (versions)"] = ("gnutls-cli: TLS 1.0 accepted, 1.2 and 1.3 refused",
                                        versions_oracle(env, "tls-1.0-only"))
    table["aio-starttls-tls10"] = ("gnutls-cli STARTTLS: TLS 1.0 accepted, 1.2 and 1.3 refused",
                                   versions_oracle(env, "aio-starttls-tls10", starttls=True))
    return table


def run_all(tap, env):
    for name, (description, check) in all_oracles(env).items():
        peer = name.split(" ")[0]
        if peer not in env.ports:
            tap.point(f"oracle {name}: {description}", ["peer did not start"])
            continue
        try:
            problems = check()
        except (OSError, smtplib.SMTPException, subprocess.SubprocessError) as e:
            problems = [f"{type(e).__name__}: {e}"]
        tap.point(f"oracle {name}: {description}", problems)

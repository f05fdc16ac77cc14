#!/usr/bin/python3
# run-language.py: the CLI in the user's language, its machine output not
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-language.py CLI PO_DIR. Prints TAP. Python stdlib only; no
# server: the report comes from a check of a closed port on 127.0.0.1.
#
# For each language of PO_DIR/LINGUAS, with LANGUAGE set to it (the locale
# stays C.UTF-8, which these machines have; glibc then follows LANGUAGE):
# --help and a command's --help in that language; `explain` giving the
# translation of the very sentences it gives in English (read from the
# build's catalogue, MAIL_DOCTOR_LOCALEDIR, so the test follows it); its JSON with the
# same keys and ids as in English, only the words changed; a saved report
# shown as text and as HTML (lang attribute) in that language. The test
# environment points MAIL_DOCTOR_LOCALEDIR at the build's catalogues.

import gettext
import json
import os
import socket
import subprocess
import sys
import tempfile

TSS04 = "421 4.7.0 Try again later, closing connection. (TSS04)"
SKIP = ("net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl,rep.dnsbl-server,"
        "rep.dnsbl-domain,auth.spf,auth.dkim,auth.dmarc,auth.mta-sts")
# What the JSON holds in words; everything else must be equal across languages.
WORDS = {"explanation", "title", "why", "steps", "summary", "detail", "headline", "meaning",
         "what", "text_shown"}


def linguas(po_dir):
    with open(os.path.join(po_dir, "LINGUAS")) as f:
        return [lang for line in f for lang in line.split("#")[0].split()]


def run(cli, *args, lang=None):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE=lang or "")
    p = subprocess.run([cli, *args], capture_output=True, text=True, env=env, timeout=60)
    return p.returncode, p.stdout, p.stderr


def shape(value):
    """The JSON with its words taken out: keys, ids, codes and numbers."""
    if isinstance(value, dict):
        return {k: ("<words>" if k in WORDS else shape(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return value


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    cli, po_dir = sys.argv[1], sys.argv[2]
    n = 0

    def point(name, problems):
        nonlocal n
        n += 1
        print(f"{'not ok' if problems else 'ok'} {n} - {name}")
        for p in problems:
            print(f"# {p}")

    langs = linguas(po_dir)
    if not langs:
        print("1..0 # SKIP po/LINGUAS lists no language")
        return 0

    with tempfile.TemporaryDirectory(prefix="md-language-") as tmp:
        saved = os.path.join(tmp, "report.json")
        rc, _, err = run(cli, "check", "--host", "127.0.0.1", "--port", str(closed_port()),
                         "--security", "none", "--skip", SKIP, "--timeout", "10",
                         "--format", "json", "--output", saved)
        point("a report to show, from a check of a closed port",
              [] if os.path.exists(saved) else [f"exit {rc}: {err[-300:]}"])

        for lang in langs:
            # The build's catalogue, which the CLI reads too.
            catalogue = gettext.translation("mail-doctor",
                                            localedir=os.environ["MAIL_DOCTOR_LOCALEDIR"],
                                            languages=[lang])

            def said(english, text):
                """The problems if the translation of english is not in text."""
                translated = catalogue.gettext(english)
                if translated == english:
                    return [f"{english!r} has no {lang} translation"]
                return [] if translated in text else [f"{translated!r} is not in the output"]

            _, english_help, _ = run(cli, "--help")
            rc, out, err = run(cli, "--help", lang=lang)
            problems = said("Commands:", out + err)
            problems += [] if out + err != english_help else ["the help is the English one"]
            point(f"{lang}: mail-doctor-cli --help", problems)

            rc, out, err = run(cli, "check", "--help", lang=lang)
            point(f"{lang}: check --help describes the options in {lang}",
                  said("Read the password from a file", out + err))

            _, english_json, _ = run(cli, "explain", "--format", "json", TSS04)
            english = json.loads(english_json)
            rc, out, err = run(cli, "explain", TSS04, lang=lang)
            problems = said(english["findings"][0]["explanation"], out)
            problems += said(english["fixes"][0]["title"], out)
            point(f"{lang}: explain gives the cause and the first fix in {lang}", problems)

            rc, out, err = run(cli, "explain", "--format", "json", TSS04, lang=lang)
            try:
                translated = json.loads(out)
                problems = [] if shape(translated) == shape(english) else \
                    ["the JSON's keys or ids differ from the English ones"]
                if translated["findings"][0]["explanation"] == english["findings"][0]["explanation"]:
                    problems.append("the JSON's words are the English ones")
            except (ValueError, KeyError, IndexError) as e:
                problems = [f"not the JSON wanted: {e}: {out[:200]!r}"]
            point(f"{lang}: explain --format json: same keys and ids, words in {lang}", problems)

            rc, out, err = run(cli, "report", saved, lang=lang)
            point(f"{lang}: report shows a saved report in {lang}",
                  said("What to do, in this order:", out))

            rc, out, err = run(cli, "report", "--format", "html", saved, lang=lang)
            point(f"{lang}: report --format html says lang=\"{lang}\"",
                  [] if f'<html lang="{lang}">' in out else [f"{out[:120]!r}"])
    print(f"1..{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

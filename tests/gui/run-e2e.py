#!/usr/bin/python3
# run-e2e.py: the wizard against real SMTP peers, driven as a user would (TAP)
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-e2e.py --app BUILDDIR/app/gui/mail-doctor --schemas BUILDDIR/app/data
#                   [--artifacts DIR] [--keep]
#
# Creates a private network namespace (peerlab.py) with three smtp-sink peers
# in it: one greeting with 421 "too many connections", a healthy one, and a
# silent one that accepts and never answers. This process then steps into the
# namespace and starts there its own Xvfb, D-Bus session bus and AT-SPI bus
# (atspi_lab.py), so every socket of the test, X's and D-Bus's abstract ones
# included, lives in the namespace and disappears with it; the app runs under
# `ip netns exec`, which also gives it the namespace's /etc/hosts and
# resolv.conf (DNS fails at once: nothing answers on port 53, and no test
# needs the internet).
#
# The scenarios find every control by its role and accessible name, type with
# the AT-SPI EditableText interface, press with the Action interface, and read
# the labels the user reads:
#   1. 421 peer: Start, the account, Check, the results' headline and first
#      finding, the fix steps (Next, Back, Check again), Save report through
#      GTK's file chooser (the path typed into its Name entry), and the JSON.
#   2. healthy peer: the headline reads "Your settings work".
#   3. silent peer: Cancel on the checking page returns to the account page
#      within 2 s.
#   4. screenshots of every page (welcome, account, checking, results, fix,
#      done) in light, dark and a 360 px wide window, as PAGE-STYLE.png in
#      --artifacts (meson passes BUILDDIR/tests/gui/screenshots).
#
# Needs root (for the namespace) and Debian's /usr/bin/python3 with
# python3-pyatspi; without root it skips. Packages: postfix (smtp-sink),
# iproute2, xvfb, dbus, at-spi2-core, python3-pyatspi, imagemagick, x11-utils.

import sys

# The helpers live beside this file and in ../peers; keep the source tree free
# of bytecode.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))

import atspi_lab  # noqa: E402
import peerlab  # noqa: E402

RUN_TIMEOUT = atspi_lab.RUN_TIMEOUT
CANCEL_LIMIT = 2.0
# Light, dark, and a phone's width (the window's smallest size).
STYLES = (
    ("light", dict(size=(600, 720), dark=False)),
    ("dark", dict(size=(600, 720), dark=True)),
    ("narrow", dict(size=(360, 720), dark=False)),
)


def scenario(tap, desktop, args, ns, label, **options):
    """A wizard run inside the namespace (under `ip netns exec`)."""
    return atspi_lab.Scenario(tap, desktop, args.app, args.schemas, label,
                              prefix=ns.prefix(), **options)


# Scenario 1: the 421 peer, all the way through

def scenario_busy(tap, desktop, args, ns, ports, workdir):
    with scenario(tap, desktop, args, ns, "421 peer") as s:
        s.step("the app opens on the welcome page",
               lambda: s.app.wait_page("welcome", 10.0) and "")
        if not s.step("Start, the account typed in, Check: the results come",
                      lambda: f"the check took {s.run_check(ports['sink-421']):.1f} s"):
            return

        def headline():
            text = s.headline()
            assert re.fullmatch(r"We found (1 problem|\d+ problems)\.?", text), \
                f"the headline reads {text!r}"
            return f"headline: {text}"
        s.step("the headline says how many problems were found", headline)

        def finding():
            titles = s.findings()
            assert titles, "no finding is listed"
            assert titles[0] == "The mail server is too busy", \
                f"the first finding reads {titles[0]!r} (all: {titles})"
            return f"findings: {titles}"
        s.step("the first finding is 'The mail server is too busy'", finding)

        total = {}

        def fix():
            s.press("Fix it step by step")
            s.app.wait_page("fix", 5.0)
            text = s.app.wait_text(lambda t: re.fullmatch(r"Step 1 of \d+", t), 5.0,
                                   "'Step 1 of N'", root=s.app.page())
            total["n"] = int(text.rsplit(" ", 1)[1])
            return text
        if not s.step("Fix it step by step shows 'Step 1 of N'", fix):
            return
        s.step("Next and Back move between the steps",
               lambda: walk_steps(s, total["n"]))
        s.step("Check again shows the new result in place: still failing",
               lambda: check_again(s))
        s.step("Done, then Save report writes a JSON report that names server-busy",
               lambda: save_report(s, workdir))


def walk_steps(s, total):
    page = s.app.page()
    if total == 1:
        # One step: Next reads Done and Back is off.
        s.button("Done", root=page)
        back = s.button("Back", root=page)
        assert not s.app.enabled(back), "Back is enabled on the only step"
        return "one step only: Next reads Done, Back is off"
    s.next_step(page, 1, total)
    s.press("Back", root=page)
    s.app.wait_text(lambda t: t == f"Step 1 of {total}", 5.0, f"'Step 1 of {total}'",
                    root=page)
    return f"Step 1 -> 2 -> 1 of {total}"


def check_again(s):
    page = s.app.page()
    s.press("Check again", root=page)
    text = s.app.wait_text(lambda t: t.startswith(("Still failing", "Fixed", "Works",
                                                    "Not checked")),
                           RUN_TIMEOUT, "the result of Check again", root=page)
    assert text.startswith("Still failing"), f"the server still answers 421, yet: {text!r}"
    return text


def save_report(s, workdir):
    """Next to the last step, Done to the done page, Save report there; the
    path goes into the chooser's Name entry (GTK's own dialog: no portal)."""
    path = os.path.join(workdir, "saved-report.json")
    s.finish_steps()
    s.press("Save report", root=s.app.page())
    chooser = atspi_lab.wait_until(lambda: s.app.dialog(), 10.0, "the file chooser")
    name = s.app.find(s.P.ROLE_TEXT, "Name:", root=chooser)
    s.app.set_text(name, path)
    s.press("Save", root=chooser)
    atspi_lab.wait_until(lambda: os.path.exists(path) and os.path.getsize(path) > 0, 10.0,
                         f"{path} to be written")
    with open(path) as f:
        report = json.load(f)
    causes = [f.get("cause") for f in report.get("findings", [])]
    assert "server-busy" in causes, f"the report's findings are {causes}"
    return f"saved {path}: findings {causes}"


# Scenario 2: the healthy peer

def scenario_healthy(tap, desktop, args, ns, ports):
    with scenario(tap, desktop, args, ns, "healthy peer") as s:
        if not s.step("Start, the account typed in, Check: the results come",
                      lambda: f"the check took {s.run_check(ports['sink-healthy']):.1f} s"):
            return

        def headline():
            text = s.headline()
            assert re.fullmatch(r"Your settings work\.?", text), f"the headline reads {text!r}; " \
                f"findings: {s.findings()}"
            return f"headline: {text}"
        s.step("the headline reads 'Your settings work'", headline)


# Scenario 3: Cancel against a silent peer

def scenario_cancel(tap, desktop, args, ns, ports):
    with scenario(tap, desktop, args, ns, "silent peer") as s:
        def start():
            s.fill_account(ports["sink-silent"])
            s.press("Check")
            s.app.wait_page("checking", 5.0)
        if not s.step("Check against a server that never answers shows the checking page",
                      start):
            return

        def cancel():
            button = s.button("Cancel", root=s.app.page())
            started = time.monotonic()
            s.app.press(button)
            s.app.wait_page("account", CANCEL_LIMIT)
            return f"back on the account page after {time.monotonic() - started:.2f} s"
        s.step(f"Cancel returns to the account page within {CANCEL_LIMIT:.0f} s", cancel)


# Scenario 4: every page in every style, saved for people to look at

def scenario_screenshots(tap, desktop, args, ns, ports, style, options):
    directory = args.artifacts
    os.makedirs(directory, exist_ok=True)
    with scenario(tap, desktop, args, ns, f"screenshots, {style}", **options) as s:
        def shot(page):
            # A crossfade and a toast may still be under way.
            time.sleep(0.6)
            return s.screenshot(directory, f"{page}-{style}")

        s.step("welcome", lambda: s.app.wait_page("welcome", 10.0) and shot("welcome"))

        def account():
            s.fill_account(ports["sink-silent"])
            return shot("account")
        if not s.step("account, filled in", account):
            return

        def checking():
            s.press("Check")
            s.app.wait_page("checking", 5.0)
            # The checks that need no server finish; the others keep turning.
            time.sleep(1.5)
            path = shot("checking")
            s.press("Cancel", root=s.app.page())
            s.app.wait_page("account", CANCEL_LIMIT)
            return path
        if not s.step("checking, against the silent peer (then Cancel)", checking):
            return

        def results():
            s.type_into("Port", str(ports["sink-421"]))
            s.press("Check")
            s.app.wait_page("results", RUN_TIMEOUT)
            return shot("results")
        if not s.step("results, against the 421 peer", results):
            return

        def fix():
            s.press("Fix it step by step")
            s.app.wait_page("fix", 5.0)
            return shot("fix")
        if not s.step("fix, step 1", fix):
            return

        def done():
            s.finish_steps()
            return shot("done")
        s.step("done", done)


def main_run(args, ns, workdir):
    tap = peerlab.Tap()
    lab = peerlab.Lab(ns, workdir)
    desktop = atspi_lab.Desktop(workdir)
    try:
        ports = {}
        for name, port, argv in atspi_lab.wizard_peers():
            peer, problems = lab.start(name, port, argv)
            tap.point(f"peer {name} listens on 127.0.0.1:{port}", problems,
                      peer.log_tail() if peer else ())
            ports[name] = port
        desktop.start()
        tap.point(f"Xvfb {desktop.env['DISPLAY']}, the session bus and the AT-SPI bus are up")
        scenario_busy(tap, desktop, args, ns, ports, workdir)
        scenario_healthy(tap, desktop, args, ns, ports)
        scenario_cancel(tap, desktop, args, ns, ports)
        for style, options in STYLES:
            scenario_screenshots(tap, desktop, args, ns, ports, style, options)
    except Exception:
        tap.point("harness ran to the end", traceback.format_exc().splitlines())
    finally:
        desktop.stop()
        strays = desktop.procs.survivors()
        tap.point("every process of the desktop and the app stopped",
                  [f"still running: {strays}"] if strays else [])
        peerlab.teardown(tap, lab, ns)
    tap.plan()
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mail Doctor end-to-end tests")
    parser.add_argument("--app", required=True, help="the mail-doctor binary")
    parser.add_argument("--schemas", required=True, help="the compiled GSettings schema dir")
    parser.add_argument("--artifacts",
                        help="where the screenshots go (default: ./screenshots)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args(argv)


def setup(ns):
    ns.write_etc(atspi_lab.NETNS_ETC)


def main(argv):
    args = parse_args(argv)
    args.app = os.path.abspath(args.app)
    args.schemas = os.path.abspath(args.schemas)
    args.artifacts = os.path.abspath(args.artifacts or "screenshots")
    return peerlab.main_in_namespace("md-e2e", args.keep, setup,
                                     lambda ns, workdir: main_run(args, ns, workdir))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

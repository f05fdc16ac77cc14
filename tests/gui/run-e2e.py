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
# the AT-SPI EditableText interface, press with the Action interface (or a
# real click where a widget offers none), and read the labels the user reads:
#   1. 421 peer: Start, the account, Check, the results' headline and its
#      evidence, the fixes (Next, the window's Back, Check again), Save report through
#      GTK's file chooser (the path typed into its Name entry), and the JSON.
#   2. silent peer: Cancel on the checking page returns to the account page
#      within 2 s.
#   3. the whole story in light, dark and a 360 px wide window, with a
#      screenshot of every page as PAGE-STYLE.png in --artifacts (meson
#      passes BUILDDIR/tests/gui/screenshots): welcome, account, checking
#      (silent peer, Cancel); the 421 peer's results (one cause, no sentence
#      twice), its evidence opened (plain words, the raw values folded in
#      Technical details), fix, done (watching offered); Change settings
#      keeps the values; the healthy peer ("Your settings work", opened at
#      the top with rows closed after the page was scrolled); a closed port
#      (named; the summary says whether waiting helps; its Check again runs
#      the checks again); the silent peer ("said nothing").
#   4. watch mode, with a fake notification server (fake_notifications.py)
#      on the private session bus and a peer of its own that answers 421,
#      then, stopped and started again on the same port, works: "Tell me
#      when it works" brings the notification "Your email works again";
#      then again with the window closed while watching, which the app
#      outlives until the notification is sent, and then exits by itself.
#      Between the two, the same peer recovers while the user is on the fix
#      page: Check again says "Fixed" in place, and the summary says the mail
#      should go out again, with the cause "found before the fix".
#
#   5. secrets: a password (a canary) typed into the account page and taken
#      by an aiosmtpd peer over STARTTLS (its CA trusted as the system's
#      store); the texts of every page reached after, as the accessibility
#      tree gives them, kept in --artifacts/texts/PAGE.txt for the secrets
#      sweep (tests/secrets), and none holds the password.
#
#   6. german: the wizard under LANGUAGE=de, 360 px wide, driven by the German
#      names of its controls (from the build's catalogue) against the 421
#      peer: welcome, account, results, fix and done each show German and no
#      English text of the app's, and the window keeps its 360 px (a word
#      too long to fit would widen it); a screenshot of each page.
#
# --only SCENARIO runs one of them (busy, cancel, account, story, watch, secrets,
# german).
#
# Needs root (for the namespace) and Debian's /usr/bin/python3 with
# python3-pyatspi; without root it skips. Packages: postfix (smtp-sink),
# iproute2, xvfb, dbus, at-spi2-core, python3-pyatspi, imagemagick, x11-utils.

import sys

# The helpers live beside this file and in ../peers; keep the source tree free
# of bytecode.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import gettext  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
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


def headline_is(s, expected):
    """A step: the results' headline is the verdict's title, expected."""
    def check():
        text = s.headline()
        assert text == expected, f"the headline reads {text!r}; evidence: {s.findings()}"
        return f"headline: {text}"
    return check


def one_cause(s):
    """A step: one cause, its evidence one row, one click away."""
    def check():
        titles = s.findings()
        assert titles == ["The checks that show it"], \
            f"the evidence rows read {titles!r}, want one, 'The checks that show it'"
        return f"evidence: {titles}"
    return check


# Scenario 1: the 421 peer, all the way through

def scenario_busy(tap, desktop, args, ns, ports, workdir):
    with scenario(tap, desktop, args, ns, "421 peer") as s:
        s.step("the app opens on the welcome page",
               lambda: s.app.wait_page("welcome", 10.0) and "")
        if not s.step("Start, the account typed in, Check: the results come",
                      lambda: f"the check took {s.run_check(ports['sink-421']):.1f} s"):
            return

        s.step("the headline is the verdict: the mail server is too busy",
               headline_is(s, "The mail server is too busy"))
        s.step("the evidence that decided it is one row, one click away", one_cause(s))

        total = {}

        def fix():
            s.press("Fix it step by step")
            s.app.wait_page("fix", 5.0)
            text = s.app.wait_text(lambda t: re.fullmatch(r"Fix 1 of \d+", t), 5.0,
                                   "'Fix 1 of N'", root=s.app.page())
            total["n"] = int(text.rsplit(" ", 1)[1])
            return text
        if not s.step("Fix it step by step shows 'Fix 1 of N'", fix):
            return
        s.step("Next and the one Back move between the fixes",
               lambda: walk_steps(s, total["n"]))
        s.step("Check again shows the new result in place: still failing",
               lambda: check_again(s))
        s.step("Done, then Save report writes a JSON report that names server-busy, readable "
               "by its owner only",
               lambda: save_report(s, workdir))


def walk_steps(s, total):
    page = s.app.page()
    # One back control, the window's: the page has none of its own.
    assert not s.app.find_all(s.P.ROLE_PUSH_BUTTON, "Back", root=page), \
        "the fix page has a Back button of its own"
    if total == 1:
        s.button("Done", root=page)
        return "one fix only: Next reads Done"
    s.next_step(page, 1, total)
    s.press("Back")
    s.app.wait_text(lambda t: t == f"Fix 1 of {total}", 5.0, f"'Fix 1 of {total}'",
                    root=page)
    return f"Fix 1 -> 2 -> 1 of {total}, with the window's Back"


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
    mode = os.stat(path).st_mode & 0o777
    assert mode == 0o600, f"the report is mode {oct(mode)}: others can read it"
    return f"saved {path} (mode {oct(mode)}): findings {causes}"


PASTED_421 = "421 Service not available, closing transmission channel"
# A port nothing listens on, in the namespace: named, not "the server is down".
CLOSED_PORT = 21009


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


# Scenario 3b: the account page, as a new user fills it in, in every style

OAUTH_SAYS = "Mail Doctor can check that this server answers"
NOT_ENCRYPTED_SAYS = "Not encrypted: your password and your messages would travel readable"


def field(s, name):
    return s.app.text_of(s.app.editable(s.app.find(s.P.ROLE_TEXT, name)))


def wait_field(s, name, value, timeout=10.0):
    atspi_lab.wait_until(lambda: field(s, name) == value, timeout, f"{name!r} to read {value!r}")


def typed_mark(s, name):
    """Whether the row of the field name says "Typed by you"."""
    entry = s.app.find(s.P.ROLE_TEXT, name)
    return "Typed by you" in s.app.texts(entry)


def scenario_account(tap, desktop, args, ns, style, options):
    directory = args.artifacts
    with scenario(tap, desktop, args, ns, f"account, {style}", **options) as s:
        def shot(name):
            time.sleep(0.6)
            return s.screenshot(directory, f"{name}-{style}")

        def page():
            return s.app.page()

        def oauth():
            s.press("Start")
            s.app.wait_page("account", 5.0)
            s.type_into("Email address", "someone@outlook.com")
            wait_field(s, "Outgoing server", "smtp-mail.outlook.com")
            assert field(s, "Username") == "someone@outlook.com", \
                f"the username reads {field(s, 'Username')!r}"
            says = [t for t in s.app.texts(page()) if OAUTH_SAYS in t]
            assert len(says) == 1 and says[0].count(OAUTH_SAYS) == 1, \
                f"what Mail Doctor can test for Outlook.com, said {len(says)} times"
            return f"{said_once(s)}; {shot('account-oauth')}"
        if not s.step("someone@outlook.com: Outlook's server, the username from the address, "
                      "and once what Mail Doctor can and cannot test", oauth):
            return

        def new_address():
            s.type_into("Email address", "someone@made-up-domain.test")
            # At once, before any lookup: nothing of Outlook's is left.
            assert field(s, "Outgoing server") == "", \
                f"the server still reads {field(s, 'Outgoing server')!r}"
            assert field(s, "Port") == "", f"the port still reads {field(s, 'Port')!r}"
            assert not any(OAUTH_SAYS in t for t in s.app.texts(page())), \
                "Outlook's note is still on show"
            text = s.app.wait_text(
                lambda t: t.startswith("We could not find the settings for "
                                       "made-up-domain.test"), 15.0, "'We could not find'",
                root=page())
            assert field(s, "Outgoing server") == "", "a server appeared from nowhere"
            s.app.wait_text(lambda t: t == "To check, type your outgoing server.", 5.0,
                            "what Check still needs", root=page())
            return f"{text!r}; {shot('account-not-found')}"
        if not s.step("a new address drops Outlook's server at once; nothing found: the "
                      "fields stay empty and the page says what to type", new_address):
            return

        def typed():
            s.type_into("Outgoing server", "mail.mine.test")
            atspi_lab.wait_until(lambda: typed_mark(s, "Outgoing server"), 5.0,
                                 "'Typed by you' beside the server")
            s.type_into("Email address", "someone@gmail.com")
            wait_field(s, "Port", "587")
            assert field(s, "Outgoing server") == "mail.mine.test", \
                f"the typed server became {field(s, 'Outgoing server')!r}"
            assert field(s, "Username") == "someone@gmail.com"
            link = s.app.find(s.P.ROLE_LINK, "How to make an app password", root=page())
            return f"{s.app.describe(link)}; {shot('account-typed')}"
        if not s.step("a typed server stays through a new address, marked 'Typed by you'; "
                      "Gmail's note links to where an app password is made", typed):
            return

        def security():
            s.type_into("Outgoing server", "")
            s.type_into("Email address", "someone@made-up-domain.test")
            s.choose("Security", "Not encrypted")
            s.app.wait_text(lambda t: t.startswith(NOT_ENCRYPTED_SAYS), 5.0,
                            "the warning under Not encrypted", root=page())
            wait_field(s, "Port", "587")
            s.choose("Security", "Encrypted from the start (SSL/TLS, usually port 465)")
            wait_field(s, "Port", "465")
            assert not any(t.startswith(NOT_ENCRYPTED_SAYS) for t in s.app.texts(page()))
            s.choose("Security", "Not encrypted")
            return shot("account-security")
        if not s.step("security in words: Not encrypted warns; a choice brings its usual "
                      "port", security):
            return

        def invalid():
            s.type_into("Outgoing server", "smtp example.com")
            s.type_into("Port", "58 7")
            s.app.wait_text(lambda t: t == "The server name can’t contain spaces\n"
                                           "The port can’t contain spaces", 5.0,
                            "both fields' messages at once", root=page())
            s.app.wait_text(lambda t: t == "To check, correct the server settings.", 5.0,
                            "what Check still needs", root=page())
            assert not s.app.enabled(s.button("Check")), "Check is enabled"
            # The address too, in the same words the CLI uses (md-validate).
            s.type_into("Email address", "someone@@made-up-domain.test")
            s.app.wait_text(lambda t: t == "The email address can have only one @", 5.0,
                            "the address's message", root=page())
            s.app.wait_text(lambda t: t == "To check, correct your email address.", 5.0,
                            "what Check still needs", root=page())
            shot("account-invalid")
            # A sample of tests/cli/run-bad-input.py's inputs: the same words.
            for field, value, says in BAD_INPUT_SAMPLE:
                s.type_into(field, value)
                s.app.wait_text(lambda t, says=says: says in t.split("\n"), 5.0,
                                f"{field} {value!r}: {says!r}", root=page())
                assert not s.app.enabled(s.button("Check")), f"Check is enabled with {value!r}"
            return f"{len(BAD_INPUT_SAMPLE)} more wrong inputs, each with its sentence"
        s.step("every wrong field says why at once, the address too; beside Check, what is "
               "missing; a sample of the CLI's wrong inputs, in the same words", invalid)


# Typed into the wizard as tests/cli/run-bad-input.py gives them to the CLI:
# one core (md-validate), one sentence for both.
BAD_INPUT_SAMPLE = (
    ("Port", "0", "The port must be a number from 1 to 65535"),
    ("Port", "70000", "The port must be a number from 1 to 65535"),
    ("Port", "abc", "The port must be a number from 1 to 65535"),
    ("Outgoing server", "smtp.example.com/x",
     "Type only the server name, without a / or anything after it"),
    ("Outgoing server", "a..b", "The server name can’t have two dots in a row"),
    ("Email address", "someone", "Type the full address, like name@example.com"),
)


# Scenario 4: the whole story in every style, against each peer, with a
# screenshot of every page for people to look at

def on_screen(s, acc):
    """Whether acc takes room on screen. A closed expander's rows are still
    VISIBLE to AT-SPI, and GTK 4.8 sets no SHOWING: but a widget never
    allocated (the rows of a row closed since it was made) has no size."""
    try:
        _, _, width, height = s.app.extents(acc)
    except Exception:
        return False
    return width > 0 and height > 0


def showing_texts(s, root=None):
    """The text of every label on screen under root (the page)."""
    out = []
    for acc in s.app.find_all(s.P.ROLE_LABEL, root=root if root is not None else s.app.page()):
        if on_screen(s, acc):
            text = s.app.text_of(acc)
            if text:
                out.append(text)
    return out


def said_once(s):
    """No sentence twice on the page on show (short labels, such as a
    button's, may repeat: "Check again" on a row and on a button)."""
    texts = [t for t in showing_texts(s) if len(t.split()) > 3]
    twice = sorted({t for t in texts if texts.count(t) > 1})
    assert not twice, f"said twice on the {s.app.page_name()} page: {twice}"
    return f"{len(texts)} sentences on the {s.app.page_name()} page, each once"


def details_on_screen(s, root):
    return [a for a in s.app.find_all(s.P.ROLE_PUSH_BUTTON, "Technical details", root=root)
            if on_screen(s, a)]


def open_evidence(s):
    """Opens "The checks that show it": each check in plain words, its raw
    values folded away in Technical details. (AdwExpanderRow 1.2 tells
    AT-SPI neither that it opened nor how to open it: a click does, and
    what comes on screen tells.)"""
    page = s.app.page()
    s.app.click(s.app.find(s.P.ROLE_LIST_ITEM, "The checks that show it", root=page))
    details = atspi_lab.wait_until(lambda: details_on_screen(s, page), 5.0,
                                   "the evidence to open, with its Technical details")
    box = s.app.find(s.P.ROLE_LIST, "How Mail Doctor knows", root=page)
    texts = showing_texts(s, box)
    raw = [t for t in texts if re.fullmatch(r"[a-z_]+", t)]
    assert not raw, f"raw evidence keys on show: {raw}"
    assert not any(s.app.has_state(d, s.P.STATE_EXPANDED) for d in details), \
        "Technical details opened by itself"
    return f"{len(details)} check(s), in plain words: {texts[2:]}"


def scroll_down(s):
    """Turns the mouse wheel over the page, as a user reading on would."""
    geometry = s.app.desktop.window_geometry("Mail Doctor") or "600x720+0+0"
    size, left, top = geometry.split("+")[:3]
    width, height = (int(v) for v in size.split("x"))
    for _ in range(15):
        s.app.desktop.registry.generateMouseEvent(int(left) + width // 2,
                                                  int(top) + height // 2, "b5c")
    s.app.pump(0.5)


def headline_offset(s):
    """How far the results' headline sits below the top of the page's
    scrolled area: negative once the page is scrolled past it."""
    page = s.app.page()
    label = s.app.find_all(s.P.ROLE_LABEL, root=page)[0]
    pane = s.app.find_all(s.P.ROLE_SCROLL_PANE, root=page)[0]
    return s.app.extents(label)[1] - s.app.extents(pane)[1]


def opens_fresh(s):
    """A new run opens at the top with every row closed."""
    offset = headline_offset(s)
    assert offset >= 0, f"the headline is {-offset} px above the top: the page kept its scroll"
    opened = details_on_screen(s, s.app.page())
    assert not opened, f"{len(opened)} check row(s) open from the run before"
    return f"the headline {offset} px below the top, every row closed"


def fields(s):
    return {name: field(s, name) for name in ("Email address", "Outgoing server", "Port")}


def check_port(s, port):
    s.type_into("Port", str(port))
    s.press("Check")
    s.app.wait_page("results", RUN_TIMEOUT)


def scenario_story(tap, desktop, args, ns, ports, style, options):
    directory = args.artifacts
    os.makedirs(directory, exist_ok=True)
    with scenario(tap, desktop, args, ns, f"story, {style}", **options) as s:
        def shot(page):
            # A crossfade and a toast may still be under way.
            time.sleep(0.6)
            return s.screenshot(directory, f"{page}-{style}")

        s.step("welcome", lambda: s.app.wait_page("welcome", 10.0) and shot("welcome"))

        # What the user's mail program said, as most paste it: a 421 with
        # no reason. The checks decide; the text is one more piece of
        # evidence.
        def account():
            s.type_into("Error message", PASTED_421)
            s.fill_account(ports["sink-silent"])
            return shot("account")
        if not s.step("the error message pasted; account, filled in", account):
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

        # The 421 peer: the cause, its evidence, the fixes, the summary.
        def results():
            check_port(s, ports["sink-421"])
            headline_is(s, "The mail server is too busy")()
            one_cause(s)()
            return said_once(s) + "; " + shot("results")
        if not s.step("421 peer: one cause, each sentence once", results):
            return

        def evidence():
            note = open_evidence(s)
            return note + "; " + shot("results-evidence")
        s.step("421 peer: its evidence in plain words, the raw values folded away", evidence)

        def fix():
            # Read on down the page first: the next run must open at the top.
            scroll_down(s)
            offset = headline_offset(s)
            assert offset < 0, f"the wheel did not scroll the results (headline at {offset})"
            s.press("Fix it step by step")
            s.app.wait_page("fix", 5.0)
            return said_once(s) + "; " + shot("fix")
        if not s.step("421 peer: fix, step 1, each sentence once", fix):
            return

        def done():
            s.finish_steps()
            s.button("Tell me when it works", root=s.app.page())
            s.button("Check again", root=s.app.page())
            return said_once(s) + "; " + shot("done")
        if not s.step("421 peer: done offers watching (waiting can fix it), Check again and "
                      "Change settings", done):
            return

        # Change settings keeps what was typed; the healthy peer then works.
        def change_settings():
            s.press("Change settings", root=s.app.page())
            s.app.wait_page("account", 5.0)
            after = fields(s)
            assert after["Email address"] == atspi_lab.EMAIL and \
                after["Outgoing server"] == "127.0.0.1" and \
                after["Port"] == str(ports["sink-421"]), f"the account page reads {after}"
            return f"kept: {after}"
        if not s.step("Change settings returns to the account page with the values kept",
                      change_settings):
            return

        def healthy():
            check_port(s, ports["sink-healthy"])
            headline_is(s, "Your server works now")()
            s.app.wait_text(lambda t: t.startswith("So the error you saw was temporary"), 5.0,
                            "what the pasted 421 means now, and what to try",
                            root=s.app.page())
            note = opens_fresh(s)
            return f"{note}; {said_once(s)}; {shot('results-works')}"
        if not s.step("healthy peer, with the pasted 421: 'Your server works now', what it "
                      "means and what to try; opened at the top, rows closed", healthy):
            return

        # A closed port: named, with no offer to wait; Check again on the
        # summary runs the checks again.
        def closed():
            s.press("Back")
            s.app.wait_page("account", 5.0)
            check_port(s, CLOSED_PORT)
            headline_is(s, f"Port {CLOSED_PORT} does not take connections")()
            one_cause(s)()
            return f"{said_once(s)}; {shot('results-closed')}"
        if not s.step(f"closed port {CLOSED_PORT}: named, one cause, each sentence once",
                      closed):
            return

        def closed_done():
            s.press("Fix it step by step")
            s.app.wait_page("fix", 5.0)
            s.finish_steps()
            page = s.app.page()
            # Watching only where waiting can fix the cause, and the page
            # says which it is.
            if s.app.find_all(s.P.ROLE_PUSH_BUTTON, "Tell me when it works", root=page):
                why = s.app.wait_text(lambda t: t.startswith("It may be on your provider"), 5.0,
                                      "why watching could help", root=page)
            else:
                why = s.app.wait_text(lambda t: t.startswith("Waiting will not fix this"), 5.0,
                                      "why waiting would not help", root=page)
            return f"{why!r}; {said_once(s)}; {shot('done-closed')}"
        if not s.step("closed port: done says whether waiting can fix it", closed_done):
            return

        def check_again_done():
            s.press("Check again", root=s.app.page())
            s.app.wait_page("results", RUN_TIMEOUT)
            headline_is(s, f"Port {CLOSED_PORT} does not take connections")()
            return opens_fresh(s)
        if not s.step("closed port: Check again on the summary runs the checks again",
                      check_again_done):
            return

        def silent():
            # Back leads where the run started: the summary; its Change
            # settings to the account page.
            s.press("Back")
            s.app.wait_page("done", 5.0)
            s.press("Change settings", root=s.app.page())
            s.app.wait_page("account", 5.0)
            check_port(s, ports["sink-silent"])
            headline_is(s, "The server took the connection and said nothing")()
            one_cause(s)()
            return f"{said_once(s)}; {shot('results-silent')}"
        s.step("silent peer: 'took the connection and said nothing', one cause", silent)


# Scenario 5: watch mode, told through a fake notification server

WATCH_PORT = 21004
APP_ID = "io.github.maildoctor.MailDoctor"
APP_PATH = "/io/github/maildoctor/MailDoctor"
WORKS_AGAIN = "Your email works again"
WATCHING_TEXT = "We will tell you when your server accepts mail again"
NOTIFY_LIMIT = 15.0
# The first attempt runs at once; the next one after MD_WATCH_DEFAULT_INITIAL_MS.
WATCH_INTERVAL = 60.0
EXIT_LIMIT = 10.0


class WatchPeer:
    """One port that answers 421 or works, as the test decides: the peer is
    stopped and another one started on the same port, as a provider's
    server comes back."""

    def __init__(self, lab):
        self.lab = lab
        self.peer = None
        self.starts = 0

    def start(self, busy):
        self.stop()
        self.starts += 1
        options = ["-r", "CONNECT", "-b", atspi_lab.GREETING_421] if busy else []
        argv = ["/usr/sbin/smtp-sink", "-u", "nobody", *options, f"127.0.0.1:{WATCH_PORT}", "10"]
        name = f"sink-watch-{self.starts}-{'421' if busy else 'healthy'}"
        self.peer, problems = self.lab.start(name, WATCH_PORT, argv)
        if problems:
            raise atspi_lab.LabError(f"{name}: {'; '.join(problems)}")
        return f"{name} listens on 127.0.0.1:{WATCH_PORT}"

    def stop(self):
        if self.peer is None:
            return
        peerlab.signal_group(self.peer.proc, signal.SIGTERM)
        try:
            self.peer.proc.wait(timeout=peerlab.STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            peerlab.signal_group(self.peer.proc, signal.SIGKILL)
            self.peer.proc.wait()
        self.lab.peers.remove(self.peer)
        self.peer = None
        atspi_lab.wait_until(lambda: not peerlab.connectable(WATCH_PORT), peerlab.STOP_TIMEOUT,
                             f"port {WATCH_PORT} to be free")


class Notifications:
    """fake_notifications.py on the desktop's session bus, and what it was told."""

    def __init__(self, desktop, workdir):
        self.desktop = desktop
        self.record = os.path.join(workdir, "notifications.jsonl")
        self.proc = None

    def start(self):
        script = os.path.join(HERE, "fake_notifications.py")
        self.proc = self.desktop.procs.start("notifications", ["/usr/bin/python3", script,
                                                               self.record], self.desktop.env)
        atspi_lab.wait_until(lambda: os.path.exists(self.record) or self.proc.poll() is not None,
                             atspi_lab.START_TIMEOUT, "the notification server")
        if self.proc.poll() is not None:
            raise atspi_lab.LabError("the notification server exited: "
                                     + " | ".join(open(self.proc.md_log).read().splitlines()))

    def stop(self):
        if self.proc is not None:
            self.desktop.procs.stop(self.proc)
            self.proc = None

    def click(self):
        """The user clicks the last notification (its default action)."""
        os.kill(self.proc.pid, signal.SIGUSR1)

    def received(self):
        with open(self.record) as f:
            return [json.loads(line) for line in f if line.strip()]

    def wait_summary(self, summary, after, timeout):
        """The first notification after the first @after ones whose summary is
        @summary, waited for."""
        def look():
            found = [n for n in self.received()[after:] if n["summary"] == summary]
            return found[0] if found else None
        try:
            return atspi_lab.wait_until(look, timeout, f"a notification {summary!r}", interval=0.1)
        except atspi_lab.LabError as e:
            raise atspi_lab.LabError(f"{e}; received: {self.received()}")


def owner(desktop, name):
    """The unique name owning @name on the desktop's session bus, or None."""
    out = subprocess.run(["dbus-send", "--session", "--print-reply=literal",
                          "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus.GetNameOwner", f"string:{name}"],
                         env=desktop.procs.env(desktop.env), capture_output=True, text=True,
                         timeout=5)
    return out.stdout.strip() if out.returncode == 0 else None


def notification_server(notifications, desktop):
    notifications.start()
    fdo = owner(desktop, "org.freedesktop.Notifications")
    assert fdo, "nobody owns org.freedesktop.Notifications"
    # With org.gtk.Notifications owned, GLib would pick its gtk backend instead.
    gtk = owner(desktop, "org.gtk.Notifications")
    assert gtk is None, f"org.gtk.Notifications is owned by {gtk}"
    return f"org.freedesktop.Notifications is {fdo}; org.gtk.Notifications has no owner"


def to_done_page(s):
    """From the welcome page to the done page against the watch peer."""
    took = s.run_check(WATCH_PORT)
    s.press("Fix it step by step")
    s.app.wait_page("fix", 5.0)
    s.finish_steps()
    return f"the check took {took:.1f} s"


def watching_shown(s):
    """Whether the done page says it is watching (its note or Stop watching)."""
    page = s.app.page()
    return any(t.startswith(WATCHING_TEXT) for t in s.app.texts(page)) or \
        bool(s.app.find_all(s.P.ROLE_PUSH_BUTTON, "Stop watching", root=page))


def watch_works(s, watch_peer, notifications):
    # The peer works before the button is pressed: the first attempt runs at
    # once, and the one after it only a minute later.
    watch_peer.start(busy=False)
    after = len(notifications.received())
    started = time.monotonic()
    s.press("Tell me when it works", root=s.app.page())
    note = notifications.wait_summary(WORKS_AGAIN, after, NOTIFY_LIMIT)
    took = time.monotonic() - started
    assert f"127.0.0.1 (port {WATCH_PORT}) accepts mail again" in note["body"], \
        f"the notification does not name the server: {note['body']!r}"
    atspi_lab.wait_until(lambda: not watching_shown(s), 5.0,
                         "the done page to stop saying it is watching")
    # The page under the notification says the same, not "still stuck".
    s.app.wait_text(lambda t: t == "Your mail should go out again", 5.0,
                    "the summary to follow the watch", root=s.app.page())
    assert not s.app.find_all(s.P.ROLE_PUSH_BUTTON, "Tell me when it works",
                              root=s.app.page()), "it still offers to watch"
    return f"notified after {took:.1f} s: {note}"


def click_notification(s, notifications):
    """A click on the notification shows the results of the run that worked."""
    notifications.click()
    s.app.wait_page("results", 10.0)
    return f"headline: {s.headline()}"


def close_window(s):
    """The window's close button (its window.close action), as a user closes it."""
    window = s.app.window()
    s.app.press(s.app.find(s.P.ROLE_PUSH_BUTTON, "Close", root=window))
    atspi_lab.wait_until(lambda: not any(a.getRole() == s.P.ROLE_FRAME
                                         for a in s.app.toplevels()),
                         5.0, "the window to close")


class ClosedWatch:
    """Watching with the window closed: the app stays, tells, and leaves.

    The peer answers 421 when the button is pressed, so the first attempt,
    which runs at once, fails and the next one comes a minute later; the
    window is closed in between, and only then does the peer work again."""

    def __init__(self, s, watch_peer, notifications, directory):
        self.s = s
        self.watch_peer = watch_peer
        self.notifications = notifications
        self.directory = directory
        self.after = 0
        self.started = 0.0

    def press(self):
        self.after = len(self.notifications.received())
        self.started = time.monotonic()
        self.s.press("Tell me when it works", root=self.s.app.page())

    def says_watching(self):
        s = self.s
        atspi_lab.wait_until(lambda: watching_shown(s), 5.0,
                             "the done page to say it is watching")
        # Which server, and how the first try (at once) went.
        status = s.app.wait_text(lambda t: t.startswith(f"Watching 127.0.0.1, port {WATCH_PORT}.")
                                 and "Last try at" in t and "Next try at" in t, 10.0,
                                 "which server is watched, the last try and the next",
                                 root=s.app.page())
        time.sleep(0.6)
        return f"{status!r}; {s.screenshot(self.directory, 'done-watching-e2e')}"

    def close(self):
        # The first attempt against the local peer takes a fraction of this.
        time.sleep(max(0.0, self.started + 2.0 - time.monotonic()))
        close_window(self.s)
        time.sleep(2.0)
        proc = self.s.app.proc
        assert proc.poll() is None, f"the app exited (status {proc.returncode}) while watching"
        early = self.notifications.received()[self.after:]
        assert not early, f"notified before the server works: {early}"
        return "the window is gone; the app still runs"

    def notified(self):
        self.watch_peer.start(busy=False)
        left = self.started + WATCH_INTERVAL + NOTIFY_LIMIT - time.monotonic()
        note = self.notifications.wait_summary(WORKS_AGAIN, self.after, left)
        return f"notified {time.monotonic() - self.started:.1f} s after the button: {note}"

    def exits(self):
        proc = self.s.app.proc
        try:
            proc.wait(timeout=EXIT_LIMIT)
        except subprocess.TimeoutExpired:
            raise atspi_lab.LabError(f"the app still runs {EXIT_LIMIT:.0f} s after notifying")
        assert proc.returncode == 0, f"the app exited with status {proc.returncode}"
        return "exit status 0"

    def activated(self):
        """With the app gone, what the desktop does on a click: ActivateAction
        on the app's bus name, which D-Bus activation starts again (its
        service file, as installed, points at a wrapper that gives the
        build's binary the test's environment)."""
        s = self.s
        desktop = s.app.desktop
        env = s.app.environment()
        wrapper = os.path.join(desktop.workdir, "activate-mail-doctor.sh")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec env " +
                    " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) + " " +
                    " ".join(shlex.quote(a) for a in s.app.prefix + [s.app.binary,
                                                                      "--gapplication-service"])
                    + "\n")
        os.chmod(wrapper, 0o755)
        services = os.path.join(desktop.env["XDG_DATA_HOME"], "dbus-1", "services")
        os.makedirs(services, exist_ok=True)
        with open(os.path.join(services, f"{APP_ID}.service"), "w") as f:
            f.write(f"[D-BUS Service]\nName={APP_ID}\nExec={wrapper}\n")
        bus_env = desktop.procs.env(desktop.env)
        subprocess.run(["dbus-send", "--session", "--type=method_call", "--print-reply",
                        "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                        "org.freedesktop.DBus.ReloadConfig"], env=bus_env, check=True,
                       capture_output=True, timeout=10)
        assert owner(desktop, APP_ID) is None, "the app still owns its name"
        subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID, "--object-path",
                        APP_PATH, "--method", "org.freedesktop.Application.ActivateAction",
                        "show-watch-results", "[]", "{}"], env=bus_env, check=True,
                       capture_output=True, timeout=30)
        atspi_lab.wait_until(lambda: desktop.window_geometry("Mail Doctor"), 15.0,
                             "a window of the activated app")
        started = owner(desktop, APP_ID)
        # The new process shows the results of the run that worked, kept
        # when the watch told.
        s.app.root = atspi_lab.wait_until(lambda: self.activated_app(), 15.0,
                                          "the activated app in the accessibility registry")
        s.app.wait_page("results", 10.0)
        headline = s.headline()
        assert headline == "Your settings work", f"the activated app shows {headline!r}"
        subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID, "--object-path",
                        APP_PATH, "--method", "org.freedesktop.Application.ActivateAction",
                        "quit", "[]", "{}"], env=bus_env, capture_output=True, timeout=30)
        atspi_lab.wait_until(lambda: owner(desktop, APP_ID) is None, 10.0,
                             "the activated app to quit")
        s.app.root = None
        return f"activated as {started}: results of the run that worked ({headline!r}), then quit"

    def activated_app(self):
        registry = self.s.app.desktop.registry.getDesktop(0)
        for i in range(registry.childCount):
            try:
                app = registry.getChildAtIndex(i)
                if app is not None and app.name == "mail-doctor" and app.childCount:
                    return app
            except Exception:
                continue
        return None

    def run(self):
        s = self.s
        if not s.step("Tell me when it works, while the peer still answers 421", self.press):
            return
        s.step("the done page says it is watching: the server and port, the last try and "
               "the next", self.says_watching)
        if not s.step("the window closed while watching: the app keeps running", self.close):
            return
        if not s.step(f"the peer works again; '{WORKS_AGAIN}' comes at the next attempt "
                      f"(within {WATCH_INTERVAL + NOTIFY_LIMIT:.0f} s of the button)",
                      self.notified):
            return
        if not s.step(f"then the app exits by itself within {EXIT_LIMIT:.0f} s", self.exits):
            return
        s.step("a click on the notification then starts the app again (D-Bus activation, "
               "as DBusActivatable and the service file allow) on the results of the run "
               "that worked", self.activated)


def scenario_fixed(s, watch_peer, directory):
    """The server recovers while the user is on the fix page: Check again
    says so in place, and the summary says the mail should go out again,
    with what was found said in the past, never as if it still stood."""
    def to_fix():
        watch_peer.start(busy=True)
        took = s.run_check(WATCH_PORT)
        s.press("Fix it step by step")
        s.app.wait_page("fix", 5.0)
        return f"the check took {took:.1f} s"
    if not s.step("the 421 peer; Check, Fix it step by step", to_fix):
        return

    def recovered():
        watch_peer.start(busy=False)
        page = s.app.page()
        s.press("Check again", root=page)
        text = s.app.wait_text(lambda t: t.startswith(("Still failing", "Fixed", "Works",
                                                        "Not checked")),
                               RUN_TIMEOUT, "the result of Check again", root=page)
        assert not text.startswith(("Still failing", "Not checked")), \
            f"the server works again, yet: {text!r}"
        return text
    if not s.step("the peer works again; Check again on the fix page says so in place",
                  recovered):
        return

    def done():
        s.finish_steps()
        page = s.app.page()
        texts = s.app.texts(page)
        assert "Your mail should go out again" in texts, f"the summary reads {texts}"
        assert "What we found" not in texts, f"a cause that no longer stands: {texts}"
        i = texts.index("What we found before the fix")
        assert texts[i + 1] == "The mail server is too busy", f"the summary reads {texts}"
        assert not s.app.find_all(s.P.ROLE_PUSH_BUTTON, "Tell me when it works", root=page), \
            "watching offered for a server that works"
        s.button("Check again", root=page)
        os.makedirs(directory, exist_ok=True)
        time.sleep(0.6)
        return f"{said_once(s)}; {s.screenshot(directory, 'done-fixed-e2e')}"
    s.step("Done: 'Your mail should go out again', the cause said as found before the "
           "fix, no offer to watch", done)


def scenario_new_settings(s, watch_peer, ports, directory):
    """A new check while watching ends the watch, and says so: no
    notification will speak of the server the user moved on from."""
    def watching():
        watch_peer.start(busy=True)
        to_done_page(s)
        s.press("Tell me when it works", root=s.app.page())
        atspi_lab.wait_until(lambda: watching_shown(s), 5.0, "the done page to say it watches")
    if not s.step("the 421 peer: Tell me when it works", watching):
        return

    def new_check():
        # The window's Back, as often as it takes (each fix, then the
        # results), each time once the page has settled.
        for _ in range(12):
            page = atspi_lab.wait_until(lambda: s.app.page_name(), 5.0, "a page on show")
            if page == "account":
                break
            s.press("Back")
            # Another page, or on the fix page the fix before it.
            try:
                atspi_lab.wait_until(lambda: s.app.page_name() not in (None, page), 1.5,
                                     "another page")
            except atspi_lab.LabError:
                pass
            time.sleep(0.6)
        s.type_into("Port", str(ports["sink-healthy"]))
        s.press("Check")
        toast = s.app.wait_text(lambda t: t.startswith("Mail Doctor stopped watching 127.0.0.1"),
                                10.0, "the toast that says the watch stopped",
                                root=s.app.window())
        s.app.wait_page("results", RUN_TIMEOUT)
        headline_is(s, "Your settings work")()
        return toast
    s.step("back to the account, another port, Check: the watch stops and says so",
           new_check)


def scenario_cannot_watch(s, ports, directory):
    """STARTTLS asked of a server that offers none: waiting cannot fix a
    setting, so the summary offers no watch and says what to do instead."""
    def to_done():
        s.fill_account(ports["sink-healthy"])
        s.choose("Security", "Encrypted (STARTTLS, usually port 587)")
        s.press("Check")
        s.app.wait_page("results", RUN_TIMEOUT)
        headline = s.headline()
        s.press("Fix it step by step")
        s.app.wait_page("fix", 5.0)
        s.finish_steps()
        return f"headline: {headline}"
    if not s.step("STARTTLS against a server that offers none: Check, the fixes, Done",
                  to_done):
        return

    def no_watch():
        page = s.app.page()
        assert not s.app.find_all(s.P.ROLE_PUSH_BUTTON, "Tell me when it works", root=page), \
            "watching offered for a setting"
        why = s.app.wait_text(lambda t: t.startswith("Waiting will not fix this"), 5.0,
                              "why waiting would not help", root=page)
        s.button("Change settings", root=page)
        time.sleep(0.6)
        return f"{why!r}; {s.screenshot(directory, 'done-cannot-watch')}"
    s.step("the summary offers no watch, says why, and offers Change settings", no_watch)


def scenario_watch(tap, desktop, args, ns, lab, workdir, ports):
    notifications = Notifications(desktop, workdir)
    watch_peer = WatchPeer(lab)
    try:
        try:
            tap.point("watch: the fake notification server is up",
                      diagnostics=[notification_server(notifications, desktop)])
            tap.point(f"watch: {watch_peer.start(busy=True)} (421)")
        except (atspi_lab.LabError, AssertionError) as e:
            tap.point("watch: the notification server and the peer are up", [str(e)])
            return
        with scenario(tap, desktop, args, ns, "watch, window open") as s:
            if not s.step("Check against the 421 peer, Fix it step by step, Done",
                          lambda: to_done_page(s)):
                return
            if s.step(f"the peer works again on the same port; Tell me when it works: "
                      f"'{WORKS_AGAIN}' within {NOTIFY_LIMIT:.0f} s, naming the server, and "
                      "the done page says it works",
                      lambda: watch_works(s, watch_peer, notifications)):
                s.step("a click on the notification shows the results of the run that "
                       "worked", lambda: click_notification(s, notifications))
        with scenario(tap, desktop, args, ns, "watch, then new settings") as s:
            scenario_new_settings(s, watch_peer, ports, args.artifacts)
        with scenario(tap, desktop, args, ns, "nothing to wait for") as s:
            scenario_cannot_watch(s, ports, args.artifacts)
        with scenario(tap, desktop, args, ns, "fixed on the way") as s:
            scenario_fixed(s, watch_peer, args.artifacts)
        with scenario(tap, desktop, args, ns, "watch, window closed") as s:
            def to_done():
                watch_peer.start(busy=True)
                return to_done_page(s)
            if not s.step("the 421 peer again; Check, Fix it step by step, Done", to_done):
                return
            ClosedWatch(s, watch_peer, notifications, args.artifacts).run()
    finally:
        watch_peer.stop()
        notifications.stop()


# Scenario 5: the secrets sweep's part. A password typed into the account page
# (a canary of its own), checked against an aiosmtpd peer that takes it over
# STARTTLS; then every page the user reaches, each one's accessible texts
# (names, descriptions, text contents) kept as ARTIFACTS/texts/PAGE.txt for
# tests/secrets/scan.py, and asserted here to hold the password in no
# encoding the scanner knows.

SECRET_CANARY = "Canary-Pa55-E2E-QWX"
AUTH_USER = "alice"             # the one user aio_peer.py accepts
AUTH_PORT = 21006
STARTTLS = "Encrypted (STARTTLS, usually port 587)"
sys.path.insert(0, os.path.join(HERE, "..", "secrets"))


def start_auth_peer(tap, lab, ns, workdir):
    """aio_peer.py (STARTTLS, AUTH) with a certificate for mx.test.example
    signed by a CA of the run's own PKI; the app trusts that CA as the
    system's store: `ip netns exec` mounts /etc/netns/NAME/ssl over /etc/ssl
    for the processes it starts after this (the peer is started before)."""
    pki = peerlab.make_pki(workdir, os.path.join(HERE, "..", "peers", "pki"))
    password_file = os.path.join(workdir, "secret-password")
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(SECRET_CANARY)
    argv = ["/usr/bin/python3", os.path.join(HERE, "..", "peers", "aio_peer.py"), "starttls",
            str(AUTH_PORT), pki["good.pem"], pki["srv.key"], password_file]
    peer, problems = lab.start("aio-auth", AUTH_PORT, argv)
    tap.point(f"peer aio-auth (STARTTLS, AUTH) listens on 127.0.0.1:{AUTH_PORT}", problems,
              peer.log_tail() if peer else ())
    certs = os.path.join(ns.etc_dir, "ssl", "certs")
    os.makedirs(certs, exist_ok=True)
    with open(pki["ca.pem"]) as src, open(os.path.join(certs, "ca-certificates.crt"), "w") as dst:
        dst.write(src.read())
    if os.path.exists("/etc/ssl/openssl.cnf"):
        with open("/etc/ssl/openssl.cnf") as src, \
                open(os.path.join(ns.etc_dir, "ssl", "openssl.cnf"), "w") as dst:
            dst.write(src.read())
    return not problems


def accessible_texts(s, root):
    """Every visible accessible under root: its role, name, description and
    text, one line each (the text's own lines indented under it)."""
    lines = []
    for acc, depth in s.app.walk_with_depth(root):
        try:
            role = acc.getRoleName()
            name = acc.name or ""
            description = acc.description or ""
        except Exception:
            continue
        text = ""
        try:
            t = acc.queryText()
            text = t.getText(0, t.characterCount)
        except Exception:
            pass
        lines.append("  " * depth + f"[{role}] name={name!r} description={description!r}")
        for line in text.splitlines():
            lines.append("  " * depth + "  | " + line)
    return lines


def password_forms():
    """The canary in every encoding tests/secrets/scan.py looks for."""
    import scan
    return scan.encodings(SECRET_CANARY.encode())


def keep_texts(s, directory, page, extra=()):
    """Writes the window's (and any dialog's) texts to texts/PAGE.txt and
    asserts the password is in none of them."""
    lines = accessible_texts(s, s.app.window())
    dialog = s.app.dialog()
    if dialog is not None:
        lines += ["dialog:"] + accessible_texts(s, dialog)
    lines += list(extra)
    text = "\n".join(lines) + "\n"
    path = os.path.join(directory, f"{page}.txt")
    with open(path, "w") as f:
        f.write(text)
    data = text.encode()
    leaks = [name for name, needle in password_forms() if needle in data]
    assert not leaks, f"the password is in {path} as {leaks}"
    assert len(lines) > 5, f"only {len(lines)} accessibles on the {page} page"
    return f"{path}: {len(lines)} lines, no password"


def type_password(s, text):
    """Types into the Password row (a password entry: it may show its text
    as dots, so what it reads back is not waited for)."""
    for role in (s.P.ROLE_PASSWORD_TEXT, s.P.ROLE_TEXT):
        found = s.app.find_all(role, "Password")
        if found:
            target = s.app.editable(found[0])
            target.queryEditableText().setTextContents(text)
            s.app.pump(0.3)
            return
    raise atspi_lab.LabError("no Password field on the account page")


def expand(s, name, root):
    """Opens an expander row by a click (AdwExpanderRow offers no action)."""
    s.app.click(s.app.find(s.P.ROLE_LIST_ITEM, name, root=root))
    s.app.pump(0.5)


def clipboard_text(s):
    """What the clipboard holds, read by GTK on the test's display."""
    code = ("import gi, sys\n"
            "gi.require_version('Gtk', '4.0'); gi.require_version('Gdk', '4.0')\n"
            "from gi.repository import Gtk, Gdk, GLib\n"
            "Gtk.init(); cb = Gdk.Display.get_default().get_clipboard(); loop = GLib.MainLoop()\n"
            "out = {}\n"
            "def done(c, res):\n"
            "    out['t'] = c.read_text_finish(res); loop.quit()\n"
            "cb.read_text_async(None, done); GLib.timeout_add(5000, loop.quit); loop.run()\n"
            "sys.stdout.write(out.get('t') or '')\n")
    env = dict(s.app.desktop.env, GDK_BACKEND="x11", GSK_RENDERER="cairo", NO_AT_BRIDGE="1")
    p = subprocess.run(["/usr/bin/python3", "-c", code], env=env, capture_output=True,
                       text=True, timeout=15)
    return p.stdout


def scenario_secrets(tap, desktop, args, ns, lab, workdir):
    texts_dir = os.path.join(args.artifacts, "texts")
    peerlab.fresh_dir(texts_dir)
    started = time.monotonic()
    if not start_auth_peer(tap, lab, ns, workdir):
        return
    try:
        with scenario(tap, desktop, args, ns, "password, every page") as s:
            run_secrets(s, texts_dir, workdir)
    finally:
        shutil.rmtree(os.path.join(ns.etc_dir, "ssl"), ignore_errors=True)
    tap.point(f"password, every page: took {time.monotonic() - started:.1f} s (< 40 s)",
              [] if time.monotonic() - started < 40 else ["slower than 40 s"])


def run_secrets(s, texts_dir, workdir):
    def account():
        s.press("Start")
        s.app.wait_page("account", 5.0)
        s.type_into("Email address", atspi_lab.EMAIL)
        s.type_into("Outgoing server", "mx.test.example")
        s.choose("Security", STARTTLS)
        s.type_into("Port", str(AUTH_PORT))
        s.type_into("Username", AUTH_USER)
        type_password(s, SECRET_CANARY)
        check = s.button("Check")
        atspi_lab.wait_until(lambda: s.app.enabled(check), 5.0, "Check to be enabled")
        wait_field(s, "Port", str(AUTH_PORT))
        return f"the password typed; port {AUTH_PORT}, {STARTTLS}"
    if not s.step("the account with a password, over STARTTLS", account):
        return
    # Its own point: the walk goes on whatever it says.
    s.step("the account page's texts hold no password (the Password field's included)",
           lambda: keep_texts(s, texts_dir, "account"))

    def check():
        s.press("Check")
        atspi_lab.wait_until(lambda: s.app.page_name() in ("checking", "results"), 5.0,
                             "the checking page", interval=0.02)
        if s.app.page_name() == "checking":
            keep_texts(s, texts_dir, "checking")
        s.app.wait_page("results", RUN_TIMEOUT)
        return keep_texts(s, texts_dir, "results")
    if not s.step("Check: the results come; their texts hold no password", check):
        return

    transcript = {}

    def details():
        page = s.app.page()
        expand(s, "All checks", page)
        expand(s, "The server conversation", page)
        views = s.app.find_all(s.P.ROLE_TEXT, "The server conversation", root=page) or \
            [a for a in s.app.walk(page) if "conversation" in s.app.name_of(a)
             and a.getRole() != s.P.ROLE_LIST_ITEM]
        text = ""
        for view in views:
            try:
                t = view.queryText()
                text += t.getText(0, t.characterCount)
            except Exception:
                pass
        transcript["text"] = text
        assert re.search(r"^S: 235", text, re.M) or "235 " in text, \
            f"the conversation shows no 235 (authenticated): {text[-800:]!r}"
        assert "AUTH" in text, "the conversation shows no AUTH"
        return keep_texts(s, texts_dir, "results-details")
    s.step("All checks and the server conversation opened: AUTH answered 235; no password",
           details)

    def evidence():
        page = s.app.page()
        rows = s.app.find_all(s.P.ROLE_LIST_ITEM, "The checks that show it", root=page)
        if not rows:
            return "no evidence rows (the settings work)"
        s.app.click(rows[0])
        s.app.pump(0.5)
        return keep_texts(s, texts_dir, "results-evidence")
    s.step("the evidence opened (where there is any): no password", evidence)

    def copy():
        s.press("Copy the conversation", root=s.app.page())
        s.app.pump(0.3)
        text = clipboard_text(s)
        with open(os.path.join(texts_dir, "transcript-copy.txt"), "w") as f:
            f.write(text)
        assert "235" in text, f"the copied conversation shows no 235: {text[-400:]!r}"
        assert not [n for n, needle in password_forms() if needle in text.encode()], \
            "the copied conversation holds the password"
        return f"copied {len(text)} characters, no password"
    s.step("Copy the conversation: the clipboard holds it, without the password", copy)

    def save():
        path = os.path.join(os.path.dirname(texts_dir), "secrets-report.json")
        if os.path.exists(path):
            os.unlink(path)
        s.press("Save report", root=s.app.page())
        chooser = atspi_lab.wait_until(lambda: s.app.dialog(), 10.0, "the file chooser")
        keep_texts(s, texts_dir, "save-dialog")
        s.app.set_text(s.app.find(s.P.ROLE_TEXT, "Name:", root=chooser), path)
        s.press("Save", root=chooser)
        atspi_lab.wait_until(lambda: os.path.exists(path) and os.path.getsize(path) > 0, 10.0,
                             f"{path} to be written")
        with open(path) as f:
            report = json.load(f)
        auth = [c for c in report.get("checks", []) if c.get("id") == "smtp.auth"]
        assert auth and auth[0].get("status") == "pass", f"smtp.auth is {auth}"
        return f"saved {path}: smtp.auth {auth[0].get('status')}"
    s.step("Save report: smtp.auth passed (the password was sent and taken)", save)

    def fix_and_done():
        page = s.app.page()
        if s.app.find_all(s.P.ROLE_PUSH_BUTTON, "Fix it step by step", root=page):
            s.press("Fix it step by step", root=page)
            s.app.wait_page("fix", 5.0)
            keep_texts(s, texts_dir, "fix")
            s.finish_steps()
        else:
            return "no fix offered (the settings work): no fix or done page to reach"
        return keep_texts(s, texts_dir, "done")
    s.step("the fix and done pages: no password", fix_and_done)


# Scenario 6: the wizard in German, every page, 360 px wide

def catalogue(args, language):
    """English -> language, from the build's own catalogue (what the app reads)."""
    translation = gettext.translation("mail-doctor", localedir=args.localedir,
                                      languages=[language])
    return translation


def foreign_words(s, english, translated):
    """What the page shows that is an English text of the app's with a
    translation: a word left untranslated on screen."""
    shown = set()
    for acc in s.app.walk(s.app.page()):
        for text in (s.app.name_of(acc), s.app.text_of(acc)):
            if text:
                shown.add(text.strip())
    left = sorted(t for t in shown if t in english)
    seen = sorted(t for t in shown if t in translated)
    return left, seen


def fits(s):
    """The window kept its 360 px: GTK widens a window whose content cannot
    be narrower, as a long word without a break would make it."""
    geometry = s.app.desktop.window_geometry("Mail Doctor")
    width = int(geometry.split("x")[0])
    assert width <= 362, f"the window is {width} px wide, wanted 360: something does not fit"
    return width


def scenario_german(tap, desktop, args, ns, ports):
    translation = catalogue(args, "de")
    _ = translation.gettext
    step = lambda text: translation.pgettext("fix step", text)  # noqa: E731
    # Keys with a context read "CONTEXT\x04TEXT"; plurals are tuples.
    entries = {k.split("\x04")[-1]: v for k, v in translation._catalog.items()
               if isinstance(k, str) and k and v and k.split("\x04")[-1] != v}
    english, translated = set(entries), set(entries.values())
    directory = args.artifacts

    with scenario(tap, desktop, args, ns, "German, 360 px", size=(360, 720), language="de",
                  localedir=args.localedir) as s:
        def page_in_german(name):
            def check():
                s.app.wait_page(name, RUN_TIMEOUT)
                time.sleep(0.5)
                left, seen = foreign_words(s, english, translated)
                assert not left, f"English on the {name} page: {left}"
                assert len(seen) >= 3, f"only {seen} German texts on the {name} page"
                width = fits(s)
                shot = s.screenshot(directory, f"{name}-de-narrow")
                return f"{len(seen)} German texts, no English, {width} px; {shot}"
            return check

        if not s.step("the welcome page, in German", page_in_german("welcome")):
            return

        def account():
            s.press(_("Start"))
            s.app.wait_page("account", 5.0)
            s.type_into(_("Email address"), atspi_lab.EMAIL)
            s.type_into(_("Outgoing server"), "127.0.0.1")
            s.type_into(_("Port"), str(ports["sink-421"]))
            s.choose(_("Security"), _("Not encrypted"))
            check = s.button(_("Check"))
            atspi_lab.wait_until(lambda: s.app.enabled(check), 5.0, "Prüfen to be enabled")
            return page_in_german("account")()
        if not s.step("the account page, in German, filled in by its German names", account):
            return

        def results():
            s.press(_("Check"))
            check = page_in_german("results")()
            headline = s.headline()
            want = _("The mail server is too busy")
            assert headline == want, f"the headline reads {headline!r}, want {want!r}"
            return f"{headline!r}; {check}"
        if not s.step("Prüfen: the results, the verdict in German", results):
            return

        def fix():
            s.press(_("Fix it step by step"))
            return page_in_german("fix")()
        if not s.step("the fix page, in German", fix):
            return

        def done():
            page = s.app.page()
            for _round in range(20):
                if s.app.find_all(s.P.ROLE_PUSH_BUTTON, step("Done"), root=page):
                    break
                s.press(step("Next"), root=page)
                time.sleep(0.3)
            s.press(step("Done"), root=page)
            return page_in_german("done")()
        s.step("Weiter to the last fix, Fertig: the done page, in German", done)


def main_run(args, ns, workdir):
    tap = peerlab.Tap()
    lab = peerlab.Lab(ns, workdir)
    desktop = atspi_lab.Desktop(workdir)
    try:
        ports = atspi_lab.start_wizard_peers(tap, lab)
        desktop.start()
        tap.point(f"Xvfb {desktop.env['DISPLAY']}, the session bus and the AT-SPI bus are up")
        if args.only in (None, "busy"):
            scenario_busy(tap, desktop, args, ns, ports, workdir)
        if args.only in (None, "cancel"):
            scenario_cancel(tap, desktop, args, ns, ports)
        if args.only in (None, "account"):
            for style, options in STYLES:
                scenario_account(tap, desktop, args, ns, style, options)
        if args.only in (None, "story"):
            for style, options in STYLES:
                scenario_story(tap, desktop, args, ns, ports, style, options)
        if args.only in (None, "watch"):
            scenario_watch(tap, desktop, args, ns, lab, workdir, ports)
        if args.only in (None, "secrets"):
            scenario_secrets(tap, desktop, args, ns, lab, workdir)
        if args.only in (None, "german"):
            scenario_german(tap, desktop, args, ns, ports)
    except Exception:
        tap.point("harness ran to the end", traceback.format_exc().splitlines())
    finally:
        atspi_lab.stop_desktop(tap, desktop)
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
    parser.add_argument("--localedir",
                        help="the build's catalogues (default: BUILDDIR/po, from --app)")
    parser.add_argument("--only", choices=("busy", "cancel", "account", "story", "watch",
                                             "secrets", "german"),
                        help="run one scenario (while working on it)")
    return parser.parse_args(argv)


def setup(ns):
    ns.write_etc(atspi_lab.NETNS_ETC)


def main(argv):
    args = parse_args(argv)
    args.app = os.path.abspath(args.app)
    args.schemas = os.path.abspath(args.schemas)
    args.artifacts = os.path.abspath(args.artifacts or "screenshots")
    # BUILDDIR/app/gui/mail-doctor -> BUILDDIR/po
    args.localedir = os.path.abspath(args.localedir or os.path.join(
        os.path.dirname(args.app), "..", "..", "po"))
    return peerlab.main_in_namespace("md-e2e", args.keep, setup,
                                     lambda ns, workdir: main_run(args, ns, workdir))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

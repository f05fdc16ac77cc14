#!/usr/bin/python3
# run-keyboard.py: every page of the wizard with the keyboard alone (TAP)
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-keyboard.py --app BUILDDIR/app/gui/mail-doctor --schemas BUILDDIR/app/data
#                        [--keep]
#
# Walks the six pages the way someone who cannot use a mouse does: Tab to a
# control, Space or Return to press it, typing into the entries, the arrow
# keys in the Security list, Escape to cancel a check. On each page it presses
# Tab over and over and records where the focus lands (AT-SPI focus events),
# then asserts that every button, entry, toggle and choice of the page got
# the focus, and that each has an accessible name (not empty, and not the
# type name GTK 4.8 falls back to) that a screen reader reads once (GTK 4.8
# joins a name given in the template to the visible label that names the
# widget too: "Start Start").
#
# The peers and the namespace are run-e2e.py's (atspi_lab.start_wizard_peers):
# the checking page is seen against a server that never answers, the results
# against one that answers 421. Needs root; without it, it skips.

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers"))

import atspi_lab  # noqa: E402
import peerlab  # noqa: E402
from atspi_lab import LabError, wait_until  # noqa: E402

# The window manager's buttons that GTK draws in the header bar without one;
# under GNOME they are the compositor's, and GTK does not put them in the
# Tab chain.
WINDOW_CONTROLS = ("Minimize", "Maximize", "Close")
EVENT_SETTLE = 0.05
EVENT_WAIT = 1.5


class Keyboard:
    """Tab, Space and typing, and where the focus went.

    GTK 4.8 marks most widgets FOCUSED in the tree and says so in an event,
    but not the text inside an AdwEntryRow: that text is not in the tree, and
    when it takes the focus the only event is a focused=0 from the row's inner
    box. So the focus is the source of the last focused=1 event after a key,
    or failing that the entry row around the source of the last event."""

    def __init__(self, app):
        self.app = app
        self.P = app.pyatspi
        self.events = []
        self.focus = None
        self.P.Registry.registerEventListener(self._on_focus, "object:state-changed:focused")

    def close(self):
        self.P.Registry.deregisterEventListener(self._on_focus, "object:state-changed:focused")

    def _on_focus(self, event):
        self.events.append((event.detail1, event.source))

    def _settle(self):
        """Runs the main loop until the events of the last key have come."""
        deadline = time.monotonic() + EVENT_WAIT
        seen = -1
        while time.monotonic() < deadline and (not self.events or len(self.events) != seen):
            seen = len(self.events)
            self.app.pump(EVENT_SETTLE)

    def press(self, keysym, modifiers=0):
        """A key; returns the accessible that has the focus after it."""
        self.app.pump()
        self.events.clear()
        self.app.key(keysym, modifiers)
        self._settle()
        gained = [source for detail, source in self.events if detail == 1]
        if gained:
            self.focus = gained[-1]
        elif self.events:
            self.focus = self._entry_around(self.events[-1][1])
        return self.focus

    def _entry_around(self, acc):
        node = acc
        for _ in range(6):
            if node is None:
                break
            if node.getRole() == self.P.ROLE_TEXT:
                return node
            node = node.parent
        return acc

    def tab_to(self, role, name, limit=40):
        """Tabs until the control role named name has the focus."""
        for _ in range(limit):
            focus = self.press(atspi_lab.KEYSYM_TAB)
            if focus is not None and focus.getRole() == role and self.app.named(focus, name):
                return focus
        raise LabError(f"Tab never reached {self.app.role_name(role)} {name!r}")

    def activate(self, role, name):
        """Tab to a button, then Space, as a keyboard user presses it."""
        self.tab_to(role, name)
        self.press(atspi_lab.KEYSYM_SPACE)

    def type_into(self, name, text):
        """Tab to the entry name, select what it holds, type text."""
        entry = self.tab_to(self.P.ROLE_TEXT, name)
        self.app.key(ord("a"), atspi_lab.CONTROL_MASK)
        self.app.type_text(text)
        wait_until(lambda: self.app.text_of(entry) == text, 5.0, f"{name!r} to read {text!r}")


def control_roles(P):
    """Buttons, toggles, choices and entries, as GTK 4.8 gives their roles."""
    return {P.ROLE_PUSH_BUTTON, P.ROLE_TOGGLE_BUTTON, P.ROLE_CHECK_BOX, P.ROLE_RADIO_BUTTON,
            P.ROLE_COMBO_BOX, P.ROLE_TEXT, P.ROLE_ENTRY, P.ROLE_PASSWORD_TEXT,
            P.ROLE_SPIN_BUTTON}


def controls(app):
    """The page's controls on show: its buttons, entries, toggles and choices,
    with the header bar's, less the window manager's buttons. A control in a
    collapsed expander has no size, and is left out."""
    roles = control_roles(app.pyatspi)
    found = []
    for acc in app.walk():
        try:
            if acc.getRole() not in roles or app.name_of(acc) in WINDOW_CONTROLS:
                continue
            x, y, width, height = app.extents(acc)
        except Exception:
            continue
        if width > 0 and height > 0:
            found.append(acc)
    return found


def must_focus(app, acc):
    """Whether Tab has to reach acc: it is enabled, and focusable (a menu
    button's outer box is not; its inner button is) or editable."""
    P = app.pyatspi
    state = acc.getState()
    return state.contains(P.STATE_SENSITIVE) and (state.contains(P.STATE_FOCUSABLE) or
                                                  state.contains(P.STATE_EDITABLE))


def key_of(acc):
    return acc.path


def reads_twice(app, acc):
    """GTK 4.8 reads a widget's own name and then the label inside it that
    labels it too: "Start Start", "Port Port (leave empty for the usual one)".
    Returns the name when it does."""
    name = app.name_of(acc)
    for label in app.find_all(app.pyatspi.ROLE_LABEL, root=acc):
        text = app.text_of(label)
        if text and name.endswith(" " + text) and len(name) > len(text) + 1:
            return name
    return None


class PageCheck:
    """The points of one page: Tab reaches every control, each has a name."""

    def __init__(self, tap, app, keyboard, page):
        self.tap = tap
        self.app = app
        self.keyboard = keyboard
        self.page = page

    def run(self):
        found = controls(self.app)
        self.check_focus(found)
        self.check_names(found)

    def check_focus(self, found):
        wanted = [c for c in found if must_focus(self.app, c)]
        seen, order = set(), []
        # Rows take the focus too (a check, a step): twice round the page.
        for _ in range(2 * self.count_focusable() + 8):
            focus = self.keyboard.press(atspi_lab.KEYSYM_TAB)
            if focus is None:
                continue
            seen.add(key_of(focus))
            order.append(self.app.describe(focus))
            if all(key_of(c) in seen for c in wanted) and len(order) > len(wanted):
                break
        missing = [self.app.describe(c) for c in wanted if key_of(c) not in seen]
        self.tap.point(f"{self.page}: Tab reaches all {len(wanted)} controls",
                       [f"never focused: {m}" for m in missing],
                       ["Tab order: " + " -> ".join(order)])
        print(f"# {self.page}: Tab order: " + " -> ".join(order))
        # Rows are not among the controls checked, but a row that takes the
        # focus and says nothing is worth a look.
        silent = sorted({d for d in order if d.endswith(" ''")})
        if silent:
            print(f"# {self.page}: focusable without a name: {', '.join(silent)}")

    def count_focusable(self):
        focusable = self.app.pyatspi.STATE_FOCUSABLE
        return sum(1 for acc in self.app.walk() if self.app.has_state(acc, focusable))

    def check_names(self, found):
        unnamed, twice = [], []
        for acc in found:
            name = self.app.name_of(acc)
            if not name or atspi_lab.is_type_name(name):
                unnamed.append(f"{self.app.describe(acc)}: no name")
            elif reads_twice(self.app, acc):
                twice.append(f"reads {name!r}")
        self.tap.point(f"{self.page}: every button, entry, toggle and choice has a name",
                       unnamed)
        self.tap.point(f"{self.page}: each name is read once", twice)


def walk_pages(tap, app, keyboard, ports):
    """welcome -> account -> checking -> (Escape) account -> results -> fix -> done,
    by keyboard; each page checked on arrival."""
    P = app.pyatspi

    def arrive(page, timeout=10.0):
        app.wait_page(page, timeout)
        # The crossfade ends before the focus is looked for.
        time.sleep(0.5)
        PageCheck(tap, app, keyboard, page).run()

    arrive("welcome")
    keyboard.activate(P.ROLE_PUSH_BUTTON, "Start")
    app.wait_page("account", 5.0)
    keyboard.type_into("Email address", atspi_lab.EMAIL)
    keyboard.type_into("Outgoing server", "127.0.0.1")
    keyboard.type_into("Port", str(ports["sink-silent"]))
    choose_by_keyboard(app, keyboard, "Security", "Not encrypted")
    arrive("account")

    keyboard.activate(P.ROLE_PUSH_BUTTON, "Check")
    arrive("checking", 5.0)
    started = time.monotonic()
    keyboard.press(atspi_lab.KEYSYM_ESCAPE)
    app.wait_page("account", 2.0)
    tap.point("checking: Escape cancels the check and returns to the account page",
              [], [f"after {time.monotonic() - started:.2f} s"])

    keyboard.type_into("Port", str(ports["sink-421"]))
    keyboard.activate(P.ROLE_PUSH_BUTTON, "Check")
    arrive("results", atspi_lab.RUN_TIMEOUT)

    keyboard.activate(P.ROLE_PUSH_BUTTON, "Fix it step by step")
    arrive("fix", 5.0)

    finish_by_keyboard(app, keyboard)
    arrive("done", 5.0)


def choose_by_keyboard(app, keyboard, name, option):
    """Tab to the choice, Space opens its list, arrows and Return pick."""
    combo = keyboard.tab_to(app.pyatspi.ROLE_COMBO_BOX, name)
    keyboard.press(atspi_lab.KEYSYM_SPACE)
    app.pick_option(combo, option)


def finish_by_keyboard(app, keyboard):
    """Next (Space) until the last step, then Done."""
    P = app.pyatspi
    page = app.page()
    text = app.wait_text(lambda t: re.fullmatch(r"Fix \d+ of \d+", t), 5.0, "'Fix k of n'",
                         root=page)
    k, n = (int(v) for v in re.findall(r"\d+", text))
    if k < n:
        keyboard.tab_to(P.ROLE_PUSH_BUTTON, "Next")
        for i in range(k, n):
            keyboard.press(atspi_lab.KEYSYM_SPACE)
            app.wait_text(lambda t: t == f"Fix {i + 1} of {n}", 5.0,
                          f"'Fix {i + 1} of {n}'", root=page)
    done = app.find(P.ROLE_PUSH_BUTTON, "Done", root=page)
    if keyboard.focus is None or key_of(keyboard.focus) != key_of(done):
        keyboard.tab_to(P.ROLE_PUSH_BUTTON, "Done")
    keyboard.press(atspi_lab.KEYSYM_SPACE)


def main_run(args, ns, workdir):
    tap = peerlab.Tap()
    lab = peerlab.Lab(ns, workdir)
    desktop = atspi_lab.Desktop(workdir)
    app = None
    try:
        ports = atspi_lab.start_wizard_peers(tap, lab)
        desktop.start()
        app = atspi_lab.App(desktop, args.app, args.schemas, prefix=ns.prefix()).start()
        keyboard = Keyboard(app)
        try:
            walk_pages(tap, app, keyboard, ports)
        finally:
            keyboard.close()
    except Exception:
        lines = traceback.format_exc().splitlines()
        if app is not None and app.root is not None:
            try:
                lines += [f"page on show: {app.page_name()}"] + app.dump(app.page())
            except Exception:
                pass
            lines += ["app log:"] + app.log_tail(10)
        tap.point("the keyboard walk ran to the end", lines)
    finally:
        atspi_lab.stop_desktop(tap, desktop)
        peerlab.teardown(tap, lab, ns)
    tap.plan()
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mail Doctor keyboard-only test")
    parser.add_argument("--app", required=True, help="the mail-doctor binary")
    parser.add_argument("--schemas", required=True, help="the compiled GSettings schema dir")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    args.app = os.path.abspath(args.app)
    args.schemas = os.path.abspath(args.schemas)
    return peerlab.main_in_namespace("md-keys", args.keep,
                                     lambda ns: ns.write_etc(atspi_lab.NETNS_ETC),
                                     lambda ns, workdir: main_run(args, ns, workdir))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

# atspi_lab.py: the wizard under Xvfb, driven through the accessibility tree
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A private desktop for one test script: Xvfb on a free display, a D-Bus
# session bus, the AT-SPI bus, and Mail Doctor started on them with the
# accessibility bridge on. Widgets are found by role and accessible name, as
# a screen reader finds them, and driven with the AT-SPI Action and
# EditableText interfaces or synthesized key presses, so the tests take the
# same paths a user does.
#
# Every process started here runs in its own process group and carries a
# marker in its environment; on exit (normal, failure, SIGTERM, atexit) the
# groups are killed, and so is any marked descendant that outlived its
# parent (a bus's activated services): this process is their subreaper.
#
# Needs Debian's /usr/bin/python3 with python3-pyatspi, Xvfb, dbus-daemon,
# at-spi2-core, and ImageMagick's import for screenshots. pyatspi is imported
# only once the buses exist, because it reads their addresses at import.

import atexit
import ctypes
import os
import re
import select
import signal
import subprocess
import time
import traceback

POLL_INTERVAL = 0.05
START_TIMEOUT = 15.0
STOP_TIMEOUT = 3.0
FIRST_DISPLAY = 140
MARKER = "MD_ATSPI_LAB"
PR_SET_CHILD_SUBREAPER = 36
KEYSYM_TAB = 0xFF09
CONTROL_MASK = 1 << 2
KEYSYM_RETURN = 0xFF0D
KEYSYM_ESCAPE = 0xFF1B
KEYSYM_DOWN = 0xFF54
KEYSYM_UP = 0xFF52
KEYSYM_SPACE = 0x20


class LabError(Exception):
    """Something the harness could not do: the message says what."""


def wait_until(predicate, timeout, what, interval=POLL_INTERVAL):
    """Polls predicate() until it returns a true value, for at most timeout s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise LabError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


def _marked(pid, token):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return f"{MARKER}={token}".encode() in f.read().split(b"\0")
    except OSError:
        return False


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # The command name may hold spaces: the fields after it count.
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found


class Processes:
    """Starts processes in groups of their own and stops every one of them."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.token = f"{os.getpid()}-{time.monotonic_ns()}"
        self.procs = []
        libc = ctypes.CDLL(None, use_errno=True)
        # Orphans of ours (a bus's activated services) come back to us, so the
        # sweep in stop_all() can find them by their marker.
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        atexit.register(self.stop_all)

    def env(self, base):
        env = dict(base)
        env[MARKER] = self.token
        return env

    def start(self, name, argv, env, **kwargs):
        log_path = os.path.join(self.workdir, f"{name}.log")
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(argv, env=self.env(env), stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=log,
                                    start_new_session=True, **kwargs)
        proc.md_log = log_path
        self.procs.append(proc)
        return proc

    def stop(self, proc, timeout=STOP_TIMEOUT):
        """SIGTERM to the group, SIGKILL after timeout; returns the exit status."""
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        # Whatever it left in its group goes too.
        _signal_group(proc, signal.SIGKILL, even_if_exited=True)
        if proc in self.procs:
            self.procs.remove(proc)
        return proc.returncode

    def stop_all(self):
        """Stops every process started here, newest first, then the strays."""
        for proc in reversed(list(self.procs)):
            self.stop(proc)
        self._sweep()

    def _sweep(self):
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            strays = [p for p in _children(os.getpid()) if _marked(p, self.token)]
            for pid in strays:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self._reap()
            if not strays:
                return
            time.sleep(POLL_INTERVAL)

    @staticmethod
    def _reap():
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return

    def survivors(self):
        return [p for p in _children(os.getpid()) if _marked(p, self.token)]


def _signal_group(proc, signum, even_if_exited=False):
    if proc.poll() is not None and not even_if_exited:
        return
    try:
        os.killpg(proc.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _read_line(fd, timeout, what):
    """One line from a pipe a starting daemon writes to when it is ready."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise LabError(f"{what} did not start within {timeout:.0f} s")
        chunk = os.read(fd, 256)
        if not chunk:
            raise LabError(f"{what} exited before it was ready")
        data += chunk
    return data.decode().strip()


class Desktop:
    """Xvfb, a session bus and the AT-SPI bus, for the length of a test."""

    def __init__(self, workdir, screen="1280x800x24"):
        self.workdir = workdir
        self.screen = screen
        self.procs = Processes(workdir)
        self.env = {}
        self.registry = None

    def start(self):
        home = os.path.join(self.workdir, "home")
        runtime = os.path.join(self.workdir, "runtime")
        for d in (home, runtime):
            os.makedirs(d, mode=0o700, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "XDG_RUNTIME_DIR": runtime,
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        self.env["DISPLAY"] = self._start_xvfb()
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self._start_session_bus()
        self._start_a11y_bus()
        return self

    def _start_xvfb(self):
        # The display number is ours to choose, well above the :0 and :99 that
        # other tools take by default; Xvfb says on -displayfd when it is ready,
        # and exits at once if another server holds the number. -noreset: by
        # default the server resets when its last client leaves (the AT-SPI
        # launcher, a screenshot), and a client connecting then is refused.
        for number in range(FIRST_DISPLAY, FIRST_DISPLAY + 100):
            if os.path.exists(f"/tmp/.X{number}-lock") or \
               os.path.exists(f"/tmp/.X11-unix/X{number}"):
                continue
            r, w = os.pipe()
            try:
                proc = self.procs.start("xvfb", ["Xvfb", f":{number}", "-displayfd", str(w),
                                                 "-screen", "0", self.screen, "-nolisten", "tcp",
                                                 "-noreset"],
                                        self.env, pass_fds=(w,))
                os.close(w)
                w = None
                try:
                    return ":" + _read_line(r, START_TIMEOUT, "Xvfb")
                except LabError:
                    self.procs.stop(proc)
            finally:
                os.close(r)
                if w is not None:
                    os.close(w)
        raise LabError("found no free X display number")

    def _start_session_bus(self):
        r, w = os.pipe()
        try:
            self.procs.start("dbus-session", ["dbus-daemon", "--session", "--nofork",
                                              "--nopidfile", f"--print-address={w}"],
                             self.env, pass_fds=(w,))
            os.close(w)
            w = None
            return _read_line(r, START_TIMEOUT, "the D-Bus session bus")
        finally:
            os.close(r)
            if w is not None:
                os.close(w)

    def _a11y_bus_address(self):
        out = subprocess.run(["dbus-send", "--session", "--print-reply=literal",
                              "--dest=org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
                             env=self.procs.env(self.env), capture_output=True, text=True,
                             timeout=5)
        return out.stdout.strip() if out.returncode == 0 else None

    def _start_a11y_bus(self):
        self.procs.start("at-spi-bus", ["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
                         self.env)
        address = wait_until(self._a11y_bus_address, START_TIMEOUT, "the AT-SPI bus")
        self.env["AT_SPI_BUS_ADDRESS"] = address

    def connect(self):
        """Points this process at the buses and imports pyatspi; returns it."""
        for key in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS"):
            os.environ[key] = self.env[key]
        os.environ.pop("NO_AT_BRIDGE", None)
        # libatspi warns that GTK 4.8 has no cache object to read; under a
        # test environment's fatal-warnings that would abort the harness.
        os.environ.pop("G_DEBUG", None)
        import pyatspi
        self.registry = pyatspi.Registry
        return pyatspi

    def screenshot(self, path, geometry=None):
        """The screen (or a WxH+X+Y part of it) as PNG at path."""
        argv = ["import", "-window", "root"]
        if geometry:
            argv += ["-crop", geometry, "+repage"]
        subprocess.run(argv + [path], env=self.procs.env(self.env), check=True,
                       capture_output=True, timeout=30)
        return path

    def window_geometry(self, title):
        """WxH+X+Y of the top-level X window named title, from xwininfo."""
        out = subprocess.run(["xwininfo", "-root", "-tree"], env=self.procs.env(self.env),
                             capture_output=True, text=True, timeout=10).stdout
        for line in out.splitlines():
            if f'"{title}"' not in line:
                continue
            for part in line.split():
                if "x" in part and "+" in part and part[0].isdigit():
                    size, x, y = part.split("+")[:3]
                    if size != "1x1":
                        return f"{size}+{x}+{y}"
        return None

    def stop(self):
        self.procs.stop_all()


def write_settings(config_home, values):
    """Pre-writes the keyfile GSettings backend (values are GVariant text)."""
    directory = os.path.join(config_home, "glib-2.0", "settings")
    os.makedirs(directory, exist_ok=True)
    lines = ["[io/github/maildoctor/MailDoctor]"]
    lines += [f"{key}={value}" for key, value in values.items()]
    with open(os.path.join(directory, "keyfile"), "w") as f:
        f.write("\n".join(lines) + "\n")


# The wizard's pages, by the type name GTK 4.8 gives their accessibles.
PAGE_NAMES = {
    "MdWelcomePage": "welcome",
    "MdAccountPage": "account",
    "MdCheckingPage": "checking",
    "MdResultsPage": "results",
    "MdFixPage": "fix",
    "MdDonePage": "done",
}


def is_page_name(name):
    return name in PAGE_NAMES


def is_type_name(name):
    """True for the names GTK 4.8 makes up from a type (GtkLabel, AdwGizmo)."""
    return bool(re.fullmatch(r"(Gtk|Adw|Md)[A-Z][A-Za-z]+", name or ""))


class App:
    """One run of mail-doctor on a Desktop, found in the AT-SPI registry."""

    def __init__(self, desktop, binary, schema_dir, size=None, dark=False, prefix=(),
                 language=None, localedir=None):
        self.desktop = desktop
        self.binary = binary
        self.schema_dir = schema_dir
        self.size = size
        self.dark = dark
        self.language = language      # LANGUAGE, with the build's catalogues in localedir
        self.localedir = localedir
        self.prefix = list(prefix)
        self.proc = None
        self.root = None
        self.pyatspi = None

    def environment(self):
        env = dict(self.desktop.env)
        env.update({
            "GTK_A11Y": "atspi",
            "GSETTINGS_BACKEND": "keyfile",
            "GSETTINGS_SCHEMA_DIR": self.schema_dir,
            # No portal runs here: the file chooser is GTK's own dialog, and
            # the style comes from ADW_DEBUG_COLOR_SCHEME alone.
            "GTK_USE_PORTAL": "0",
            "ADW_DISABLE_PORTAL": "1",
            "GSK_RENDERER": "cairo",
            "GIO_USE_VFS": "local",
            "GIO_USE_PROXY_RESOLVER": "dummy",
            "ADW_DEBUG_COLOR_SCHEME": "prefer-dark" if self.dark else "prefer-light",
            # English, unless the scenario asks for a language.
            "LANGUAGE": self.language or "",
        })
        if self.language:
            env["MAIL_DOCTOR_LOCALEDIR"] = self.localedir
        return env

    def start(self, name="mail-doctor"):
        """Starts the app; its output goes to name.log in the desktop's dir."""
        settings = {}
        if self.size:
            settings["window-width"] = str(self.size[0])
            settings["window-height"] = str(self.size[1])
        write_settings(self.desktop.env["XDG_CONFIG_HOME"], settings)
        self.pyatspi = self.desktop.connect()
        self.proc = self.desktop.procs.start(name, self.prefix + [self.binary],
                                             self.environment())
        self.root = wait_until(self._find_in_registry, START_TIMEOUT,
                               "the app in the accessibility registry")
        # libatspi caches what it read and mends the cache from the app's
        # events, which arrive only while this process runs the GLib main
        # loop; it mostly does not, so a cached tree would go stale (rows
        # gone, pages empty). Every question goes to the app instead.
        from gi.repository import Atspi
        self.root.set_cache_mask(Atspi.Cache.NONE)
        return self

    def _find_in_registry(self):
        if self.proc.poll() is not None:
            raise LabError(f"mail-doctor exited with status {self.proc.returncode}: "
                           + " | ".join(self.log_tail()))
        desktop = self.desktop.registry.getDesktop(0)
        for i in range(desktop.childCount):
            try:
                app = desktop.getChildAtIndex(i)
                if app is not None and app.get_process_id() == self.proc.pid and app.childCount:
                    return app
            except Exception:
                continue
        return None

    def log_tail(self, lines=20):
        try:
            with open(self.proc.md_log, errors="replace") as f:
                return f.read().splitlines()[-lines:]
        except OSError:
            return []

    def stop(self):
        if self.proc is None:
            return None
        status = self.desktop.procs.stop(self.proc)
        self.proc = None
        self.root = None
        return status

    # The tree
    #
    # GTK 4.8 sets SHOWING on no widget but the window, and keeps the pages a
    # GtkStack hides in the tree (with stale extents), so "on show" is worked
    # out here: a stack's page on show is the one its window finds at points
    # over the stack (GetAccessibleAtPoint), and searches skip the others.
    # Widgets that are not visible are skipped too.
    # Unnamed widgets are named after their type (GtkLabel, AdwGizmo) by
    # GTK 4.8; is_type_name() tells such a name from a real one.

    def toplevels(self):
        children = [self.root.getChildAtIndex(i) for i in range(self.root.childCount)]
        return [c for c in children if c is not None]

    def window(self):
        """The wizard's window: the app's first frame."""
        for acc in self.toplevels():
            if acc.getRole() == self.pyatspi.ROLE_FRAME:
                return acc
        raise LabError("the app shows no window")

    def dialog(self):
        """The newest top-level other than the wizard's window (a file
        chooser, a message dialog), or None."""
        main = self.window()
        others = [a for a in self.toplevels() if a != main]
        return others[-1] if others else None

    def visible(self, acc):
        try:
            return acc.getState().contains(self.pyatspi.STATE_VISIBLE)
        except Exception:
            return False

    def extents(self, acc):
        e = acc.queryComponent().getExtents(self.pyatspi.WINDOW_COORDS)
        return e.x, e.y, e.width, e.height

    def page(self):
        """The wizard page on show (its Md*Page accessible), or None."""
        window = self.window()
        # Below the header bar.
        for point in self.points_in(window, top_margin=40):
            acc = self.at_point(window, *point)
            while acc is not None and acc.getRole() != self.pyatspi.ROLE_FRAME:
                if is_page_name(self.name_of(acc)):
                    return acc
                acc = acc.parent
        return None

    def page_name(self):
        """The page on show as the wizard names it: welcome, account, ..."""
        page = self.page()
        return PAGE_NAMES.get(self.name_of(page)) if page is not None else None

    def wait_page(self, name, timeout):
        return wait_until(lambda: self.page_name() == name, timeout, f"the {name} page",
                          interval=0.1)

    def walk(self, root=None):
        """Every visible accessible under root (default: the window), depth
        first, in tree order, less the pages of each GtkStack not on show."""
        for acc, _ in self.walk_with_depth(root):
            yield acc

    def walk_with_depth(self, root=None):
        root = root if root is not None else self.window()
        top = self.toplevel_of(root)
        stack = [(root, 0)]
        while stack:
            acc, depth = stack.pop()
            yield acc, depth
            try:
                children = [acc.getChildAtIndex(i) for i in range(acc.childCount)]
            except Exception:
                continue
            children = [c for c in children if c is not None and self.visible(c)]
            stack.extend((c, depth + 1) for c in reversed(self.on_show(top, acc, children)))

    def toplevel_of(self, acc):
        """The window or dialog acc is in (a child of the application)."""
        node = acc
        while node is not None:
            parent = node.parent
            if parent is None or parent.getRole() == self.pyatspi.ROLE_APPLICATION:
                return node
            node = parent
        return acc

    def on_show(self, top, parent, children):
        """children, or of a GtkStack's pages only the one on show: the one
        its window finds at points over the stack (GTK 4.8 answers
        GetAccessibleAtPoint usefully on a window only). A stack scrolled
        out of view keeps all its pages."""
        if sum(1 for c in children if self.name_of(c) == "GtkStackPage") < 2:
            return children
        for point in self.points_in(parent):
            acc = self.at_point(top, *point)
            while acc is not None and acc not in children:
                acc = acc.parent
            if acc is not None:
                return [acc]
        return children

    def points_in(self, acc, top_margin=0):
        """Points over acc, down three columns every 40 px: GTK 4.8 finds
        nothing at a point on a widget it leaves out of the tree (an icon,
        a margin), so one point is not enough."""
        try:
            x, y, width, height = self.extents(acc)
        except Exception:
            return []
        return [(x + width * column // 4, y + dy)
                for dy in range(top_margin + 20, height, 40)
                for column in (2, 1, 3)]

    def at_point(self, top, x, y):
        try:
            return top.queryComponent().getAccessibleAtPoint(x, y, self.pyatspi.WINDOW_COORDS)
        except Exception:
            return None

    def find_all(self, role=None, name=None, root=None):
        """Visible accessibles with role whose name is name (see name_matches)."""
        found = []
        for acc in self.walk(root):
            try:
                if role is not None and acc.getRole() != role:
                    continue
                if name is not None and not self.named(acc, name):
                    continue
            except Exception:
                continue
            found.append(acc)
        return found

    def named(self, acc, wanted):
        """Whether acc's accessible name is wanted. GTK 4.8 joins the name a
        widget is given to the text of the label inside it that labels it too
        (a button's own text, an entry row's title): the Start button reads
        "Start Start". That form counts as wanted as well, and so does GTK's
        own dialogs' "_Save Save", mnemonic and all."""
        name = re.sub(r"_(?=\w)", "", self.name_of(acc))
        if name == wanted:
            return True
        if not name.startswith(wanted + " "):
            return False
        rest = name[len(wanted) + 1:]
        return any(self.text_of(label) == rest
                   for label in self.find_all(self.pyatspi.ROLE_LABEL, root=acc))

    def find(self, role, name, timeout=5.0, root=None, index=0):
        """The index-th visible accessible with role and name, waited for."""
        def look():
            found = self.find_all(role, name, root)
            return found[index] if len(found) > index else None
        return wait_until(look, timeout, f"{self.role_name(role)} named {name!r}",
                          interval=0.1)

    def role_name(self, role):
        return str(role).split("ROLE_")[-1].lower() if role is not None else "anything"

    def texts(self, root=None):
        """The text of every visible label under root, in tree order."""
        out = []
        for acc in self.find_all(self.pyatspi.ROLE_LABEL, root=root):
            text = self.text_of(acc)
            if text:
                out.append(text)
        return out

    def text_of(self, acc):
        """The text acc shows; "" for one that went away meanwhile (a page
        rebuilds its rows while a test reads them)."""
        try:
            t = acc.queryText()
            return t.getText(0, t.characterCount)
        except NotImplementedError:
            name = self.name_of(acc)
            return "" if is_type_name(name) else name
        except Exception:
            return ""

    def name_of(self, acc):
        try:
            return acc.name or ""
        except Exception:
            return ""

    def wait_text(self, predicate, timeout, what, root=None):
        """Waits for a visible label whose text satisfies predicate; returns it."""
        def look():
            for text in self.texts(root):
                if predicate(text):
                    return text
            return None
        return wait_until(look, timeout, what, interval=0.2)

    def popover_options(self, combo):
        """The options of a combo row whose list is open, or None."""
        popovers = [a for a in self.walk(combo) if a.name == "GtkPopover"]
        return self.texts(popovers[0]) if popovers else None

    def in_popover(self, acc, root):
        node = acc
        while node is not None and node != root:
            if self.name_of(node) == "GtkPopover":
                return True
            node = node.parent
        return False

    def combo_value(self, combo):
        """The option shown in the combo row: its one-item list, or, where
        the row shows the choice as its subtitle (use-subtitle), the label
        after the title."""
        lists = [a for a in self.find_all(self.pyatspi.ROLE_LIST, root=combo)
                 if not self.in_popover(a, combo)]
        if lists:
            texts = self.texts(lists[0])
            return texts[0] if texts else None
        texts = self.texts(combo)
        return texts[1] if len(texts) > 1 else None

    def pick_option(self, combo, option):
        """In the list of combo, which Space has just opened: the arrows to
        option, then Return."""
        name = self.name_of(combo)
        options = wait_until(lambda: self.popover_options(combo), 3.0,
                             f"the list of {name!r} to open")
        if option not in options:
            raise LabError(f"{name!r} offers {options}, not {option!r}")
        moves = options.index(option) - options.index(self.combo_value(combo))
        for _ in range(abs(moves)):
            self.key(KEYSYM_DOWN if moves > 0 else KEYSYM_UP)
        self.key(KEYSYM_RETURN)
        wait_until(lambda: self.combo_value(combo) == option, 3.0,
                   f"{name!r} to read {option!r}")

    def has_state(self, acc, state):
        return acc.getState().contains(state)

    def enabled(self, acc):
        return self.has_state(acc, self.pyatspi.STATE_SENSITIVE)

    # Doing things

    def press(self, acc):
        """Presses a button (or activates a row) through its AT-SPI action."""
        action = acc.queryAction()
        names = [action.getName(i) for i in range(action.nActions)]
        for wanted in ("click", "activate", "press"):
            if wanted in names:
                action.doAction(names.index(wanted))
                return
        raise LabError(f"{acc.name!r} offers no click action (it offers {names})")

    def editable(self, acc):
        """acc or the first descendant that takes text (an AdwEntryRow's GtkText)."""
        for node in self.walk(acc):
            try:
                node.queryEditableText()
                return node
            except NotImplementedError:
                continue
        raise LabError(f"{acc.name!r} holds nothing editable")

    def set_text(self, acc, text):
        """Replaces the text of an entry (or the entry inside a row)."""
        target = self.editable(acc)
        target.queryEditableText().setTextContents(text)
        wait_until(lambda: self.text_of(target) == text, 3.0,
                   f"{acc.name!r} to read {text!r}")

    def click(self, acc):
        """A real mouse click in the middle of acc (GTK 4.8 implements no
        Component.GrabFocus, so this is how a test puts the focus somewhere).
        Without a window manager the window sits at the screen's origin, so
        window coordinates are screen coordinates, offset by the X window's
        position from xwininfo to be sure."""
        x, y, width, height = self.extents(acc)
        geometry = self.desktop.window_geometry("Mail Doctor") or "0x0+0+0"
        left, top = (int(v) for v in geometry.split("+")[1:3])
        self.desktop.registry.generateMouseEvent(left + x + width // 2, top + y + height // 2,
                                                 "b1c")

    def key(self, keysym, modifiers=0):
        """Presses and releases keysym, with the X modifier mask held."""
        registry = self.desktop.registry
        if modifiers:
            registry.generateKeyboardEvent(modifiers, None, self.pyatspi.KEY_LOCKMODIFIERS)
        try:
            registry.generateKeyboardEvent(keysym, None, self.pyatspi.KEY_SYM)
        finally:
            if modifiers:
                registry.generateKeyboardEvent(modifiers, None,
                                               self.pyatspi.KEY_UNLOCKMODIFIERS)

    def type_text(self, text):
        self.desktop.registry.generateKeyboardEvent(0, text, self.pyatspi.KEY_STRING)

    def pump(self, seconds=0.0):
        """Runs the GLib main loop (where AT-SPI events arrive) for seconds."""
        from gi.repository import GLib
        context = GLib.MainContext.default()
        deadline = time.monotonic() + seconds
        while True:
            while context.iteration(False):
                pass
            if time.monotonic() >= deadline:
                return
            time.sleep(0.01)

    def describe(self, acc):
        """'role name' of acc, for messages."""
        try:
            return f"{acc.getRoleName()} {acc.name!r}"
        except Exception:
            return "(gone)"

    def dump(self, root=None):
        """The tree on show as indented 'role name' lines, for diagnostics."""
        return ["  " * depth + self.describe(acc) for acc, depth in self.walk_with_depth(root)]

    def screenshot(self, path):
        """The app's window (the whole screen if it cannot be found)."""
        geometry = self.desktop.window_geometry("Mail Doctor")
        return self.desktop.screenshot(path, geometry)


# The wizard as a user drives it, shared by run-e2e.py and run-keyboard.py

EMAIL = "sam@example.test"
GREETING_421 = "421 4.7.0 mx.test.example Error: too many connections from 127.0.0.1"
RUN_TIMEOUT = 60.0
# What `ip netns exec` gives the app in place of /etc/hosts and resolv.conf:
# DNS fails at once (nothing answers on port 53), and no test needs the
# internet.
NETNS_ETC = {
    "hosts": "127.0.0.1\tlocalhost mx.test.example\n::1\tlocalhost\n",
    "resolv.conf": "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
}


def wizard_peers():
    """(name, port, argv) of the smtp-sink peers the scenarios use; each port
    is fresh (smtp-sink sets SO_REUSEPORT, so a reused one could share its
    connections with a leftover)."""
    def sink(port, *options):
        return ["/usr/sbin/smtp-sink", "-u", "nobody", *options, f"127.0.0.1:{port}", "10"]

    return [
        ("sink-421", 21001, sink(21001, "-r", "CONNECT", "-b", GREETING_421)),
        ("sink-healthy", 21002, sink(21002)),
        # Accepts and says nothing for 10 minutes: a server that hangs.
        ("sink-silent", 21003, sink(21003, "-W", "connect:600")),
    ]


def start_wizard_peers(tap, lab):
    """Starts wizard_peers() in lab (a peerlab.Lab), one TAP point each, and
    returns their ports by name; a peer that did not start fails its point
    and its scenario then fails where it connects."""
    ports = {}
    for name, port, argv in wizard_peers():
        peer, problems = lab.start(name, port, argv)
        tap.point(f"peer {name} listens on 127.0.0.1:{port}", problems,
                  peer.log_tail() if peer else ())
        ports[name] = port
    return ports


def stop_desktop(tap, desktop):
    """Stops the desktop and the app, and says whether anything outlived them."""
    desktop.stop()
    strays = desktop.procs.survivors()
    tap.point("every process of the desktop and the app stopped",
              [f"still running: {strays}"] if strays else [])


class Scenario:
    """One run of the wizard as a user drives it; its TAP points (through
    tap, a peerlab.Tap) say what the user saw."""

    def __init__(self, tap, desktop, binary, schema_dir, label, **app_options):
        self.tap = tap
        self.label = label
        self.app = App(desktop, binary, schema_dir, **app_options)
        self.P = None

    def __enter__(self):
        self.app.start(re.sub(r"\W+", "-", self.label))
        self.P = self.app.pyatspi
        return self

    def __exit__(self, *exc):
        log = self.app.proc.md_log if self.app.proc is not None else None
        self.app.stop()
        if log is not None:
            # GLib's criticals are programming errors even when the page
            # looks right; the tests run the app without fatal-warnings so
            # that one does not hide the rest of the walk.
            with open(log, errors="replace") as f:
                bad = [line for line in f if re.search(r"-(CRITICAL|WARNING) \*\*", line)]
            # Each message once, without the process id and the time.
            self.point("the app logged no critical or warning", sorted(set(
                re.sub(r" \*\*: [\d:.]+:", " **:", line.split(": ", 1)[-1]).strip()
                for line in bad)))
        return False

    def point(self, name, problems=(), diagnostics=()):
        self.tap.point(f"{self.label}: {name}", problems, diagnostics)

    def step(self, name, action):
        """Runs action(); an exception fails the point with the page's tree
        as diagnostics. Returns whether it passed."""
        try:
            note = action()
        except (LabError, AssertionError) as e:
            self.point(name, [str(e)], self.page_dump())
            return False
        except Exception:
            self.point(name, traceback.format_exc().splitlines(), self.page_dump())
            return False
        self.point(name, [], [note] if note else [])
        if note:
            print(f"# {note}")
        return True

    def page_dump(self):
        try:
            lines = [f"page on show: {self.app.page_name()}"] + self.app.dump(self.app.page())
            dialog = self.app.dialog()
            if dialog is not None:
                lines += ["dialog:"] + self.app.dump(dialog)
        except Exception as e:
            lines = [f"(no tree: {e})"]
        return lines + ["app log:"] + self.app.log_tail(10)

    # What a user does

    def button(self, name, **kwargs):
        return self.app.find(self.P.ROLE_PUSH_BUTTON, name, **kwargs)

    def press(self, name, **kwargs):
        button = self.button(name, **kwargs)
        wait_until(lambda: self.app.enabled(button), 5.0, f"{name!r} to be enabled")
        self.app.press(button)

    def type_into(self, name, text):
        self.app.set_text(self.app.find(self.P.ROLE_TEXT, name), text)

    def choose(self, name, option):
        """Picks option in the combo row name. AdwComboRow offers no AT-SPI
        action, so a click puts the focus on it and the keys do the rest."""
        combo = self.app.find(self.P.ROLE_COMBO_BOX, name)
        self.app.click(combo)
        self.app.key(KEYSYM_SPACE)
        self.app.pick_option(combo, option)

    def fill_account(self, port):
        self.press("Start")
        self.app.wait_page("account", 5.0)
        # Discovery leaves alone what the user typed, so no need to wait for it.
        self.type_into("Email address", EMAIL)
        self.type_into("Outgoing server", "127.0.0.1")
        self.type_into("Port", str(port))
        self.choose("Security", "Not encrypted")
        check = self.button("Check")
        wait_until(lambda: self.app.enabled(check), 5.0, "Check to be enabled")

    def run_check(self, port):
        self.fill_account(port)
        started = time.monotonic()
        self.press("Check")
        # Against a local peer the checks may be over before the checking page
        # is looked at.
        wait_until(lambda: self.app.page_name() in ("checking", "results"), 5.0,
                   "the checking page", interval=0.02)
        self.app.wait_page("results", RUN_TIMEOUT)
        return time.monotonic() - started

    def headline(self):
        """The results page's title: its status page's first label."""
        labels = self.app.texts(self.app.page())
        return labels[0] if labels else ""

    def findings(self):
        """The titles of the rows that show the verdict's evidence, in order
        (first label of each row)."""
        found = self.app.find_all(self.P.ROLE_LIST, "How Mail Doctor knows",
                                  root=self.app.page())
        if not found:
            return []
        rows = [found[0].getChildAtIndex(i) for i in range(found[0].childCount)]
        titles = []
        for row in rows:
            texts = self.app.texts(row) if row is not None else []
            if texts:
                titles.append(texts[0])
        return titles

    def screenshot(self, directory, name):
        path = os.path.join(directory, f"{name}.png")
        self.app.screenshot(path)
        return path

    # The fix steps

    def current_step(self, page):
        """(k, n) of the "Fix k of n" the fix page shows."""
        text = self.app.wait_text(lambda t: re.fullmatch(r"Fix \d+ of \d+", t), 5.0,
                                  "'Fix k of n'", root=page)
        k, n = re.findall(r"\d+", text)
        return int(k), int(n)

    def next_step(self, page, k, n):
        """Next, then waits for the step after k to be shown."""
        self.press("Next", root=page)
        self.app.wait_text(lambda t: t == f"Fix {k + 1} of {n}", 5.0,
                           f"'Fix {k + 1} of {n}'", root=page)

    def finish_steps(self):
        """Next to the last step, whose button reads Done; Done to the done page."""
        page = self.app.page()
        k, n = self.current_step(page)
        for i in range(k, n):
            self.next_step(page, i, n)
        self.press("Done", root=page)
        self.app.wait_page("done", 5.0)

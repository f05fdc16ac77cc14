#!/usr/bin/python3
# bench-gui.py: how fast the wizard shows its first frame, and its memory
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-gui.py MAIL_DOCTOR SCHEMA_DIR [--runs N]
#
# Starts mail-doctor N times (default 7) on a private Xvfb with a session bus
# and the AT-SPI bus (tests/gui/atspi_lab.py), as on a desktop, where GTK
# always talks to the accessibility bus. For each start it measures:
#   - first frame: from just before exec to the first XDamage report on the
#     app's mapped top-level window, i.e. the moment GTK first draws into it.
#     The X server itself says when, so nothing is polled; Damage reports
#     a drawing, not a map, which is what a person sees as the window.
#   - map: from exec to the window's MapNotify, for comparison.
#   - resident memory: VmRSS from /proc/PID/status once the app is idle (its
#     CPU time has not moved for 0.5 s), and its anonymous part (RssAnon):
#     the rest is mostly library pages shared with every other GTK app.
# Two series: as a desktop starts it, and with OpenGL forced (CONFIGURATIONS).
# Prints every run and the medians against the targets (300 ms, 60 MB). A
# benchmark, not a test: it reports, it does not fail on the figures. The
# first run is the coldest this machine gives (the file cache is not dropped:
# that would slow everyone else's work on it).
#
# Needs libX11 and libXdamage (GTK's own dependencies), Xvfb, dbus-daemon,
# at-spi2-core; no root.

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import json  # noqa: E402
import ctypes  # noqa: E402
import os  # noqa: E402
import select  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gui"))

import atspi_lab  # noqa: E402

TARGET_MS = 300
TARGET_MB = 60
FRAME_TIMEOUT = 20.0
IDLE_SPAN = 0.5
IDLE_TIMEOUT = 10.0
MIN_SIZE = 200
# GDK 4.8 sets up OpenGL when it opens an X display even when GSK draws with
# cairo; under Xvfb that is Mesa's llvmpipe, whose LLVM alone is about 45 MB
# of resident pages. On GTK older than 4.14 the app leaves GL out itself when
# the machine has no GPU (app/gui/main.c), as later GTK avoids llvmpipe:
# the first series is what a desktop without a GPU gets, Xvfb's case. The
# second forces GL as a GPU desktop would set it up, to show what the
# graphics stack costs apart from the app. Each series: (key, label, env).
CONFIGURATIONS = (
    ("desktop", "as a desktop starts it (no GPU under Xvfb: the app leaves GL out)", {}),
    ("forced-gl", "GL forced (GSK_RENDERER=gl: Mesa llvmpipe under Xvfb)",
     {"GSK_RENDERER": "gl"}),
)

# Xlib's numbers (X.h, Xdamage.h).
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
CREATE_NOTIFY = 16
MAP_NOTIFY = 19
CONFIGURE_NOTIFY = 22
X_DAMAGE_NOTIFY = 0
X_DAMAGE_REPORT_NON_EMPTY = 3


class XEvent(ctypes.Structure):
    """The fields of the few events read here, over Xlib's 192-byte union:
    CreateNotify, ConfigureNotify and MapNotify have the window at 40 (and
    the first two its size at 56), XDamageNotify has the drawable at 32."""
    _fields_ = [("type", ctypes.c_int), ("_pad0", ctypes.c_int),
                ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("_pad1", ctypes.c_int), ("display", ctypes.c_void_p),
                ("w32", ctypes.c_ulong), ("w40", ctypes.c_ulong),
                ("x", ctypes.c_int), ("y", ctypes.c_int),
                ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("_rest", ctypes.c_long * 16)]


ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


class XWatch:
    """Watches the root window of a display for new top-levels and the first
    drawing into each."""

    def __init__(self, display):
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.damage = ctypes.CDLL("libXdamage.so.1")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x11.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        self.x11.XPending.argtypes = [ctypes.c_void_p]
        self.x11.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(XEvent)]
        self.x11.XConnectionNumber.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.damage.XDamageQueryExtension.argtypes = [ctypes.c_void_p,
                                                      ctypes.POINTER(ctypes.c_int),
                                                      ctypes.POINTER(ctypes.c_int)]
        self.damage.XDamageCreate.restype = ctypes.c_ulong
        self.damage.XDamageCreate.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int]
        # A window may be gone before its Damage is made (GTK's short-lived
        # helper windows): Xlib's default handler would exit the process.
        self.on_error = ERROR_HANDLER(lambda display, event: 0)
        self.x11.XSetErrorHandler(self.on_error)

        self.dpy = self.x11.XOpenDisplay(display.encode())
        if not self.dpy:
            raise atspi_lab.LabError(f"cannot open display {display}")
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self.damage.XDamageQueryExtension(self.dpy, ctypes.byref(event_base),
                                                 ctypes.byref(error_base)):
            raise atspi_lab.LabError("the X server has no Damage extension")
        self.damage_notify = event_base.value + X_DAMAGE_NOTIFY
        root = self.x11.XDefaultRootWindow(self.dpy)
        self.x11.XSelectInput(self.dpy, root, SUBSTRUCTURE_NOTIFY_MASK)
        self.x11.XSync(self.dpy, 0)
        self.fd = self.x11.XConnectionNumber(self.dpy)

    def close(self):
        self.x11.XCloseDisplay(self.dpy)

    def first_frame(self, started, timeout):
        """(ms to the map, ms to the first drawing) of the next top-level
        window at least MIN_SIZE square, counted from started."""
        sizes, mapped_at = {}, {}
        deadline = started + timeout
        event = XEvent()
        while time.monotonic() < deadline:
            if not self.x11.XPending(self.dpy):
                select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
                continue
            self.x11.XNextEvent(self.dpy, ctypes.byref(event))
            now = time.monotonic()
            if event.type == CREATE_NOTIFY:
                sizes[event.w40] = (event.width, event.height)
                self.damage.XDamageCreate(self.dpy, event.w40, X_DAMAGE_REPORT_NON_EMPTY)
            elif event.type == CONFIGURE_NOTIFY:
                sizes[event.w40] = (event.width, event.height)
            elif event.type == MAP_NOTIFY:
                mapped_at[event.w40] = now
            elif event.type == self.damage_notify and event.w32 in mapped_at:
                width, height = sizes.get(event.w32, (0, 0))
                if width >= MIN_SIZE and height >= MIN_SIZE:
                    return ((mapped_at[event.w32] - started) * 1000, (now - started) * 1000)
        raise atspi_lab.LabError(f"no window was drawn within {timeout:.0f} s")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def memory_when_idle(pid):
    """(VmRSS, RssAnon) in MB once the process's CPU time stands still for
    IDLE_SPAN. The rest of VmRSS is mostly the libraries' pages, which every
    GTK app on the desktop shares."""
    deadline = time.monotonic() + IDLE_TIMEOUT
    last = cpu_ticks(pid)
    while time.monotonic() < deadline:
        time.sleep(IDLE_SPAN)
        now = cpu_ticks(pid)
        if now == last:
            break
        last = now
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon"):
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["RssAnon"]


def one_start(desktop, watch, app, extra_env, run):
    env = app.environment()
    env.update(extra_env)
    started = time.monotonic()
    proc = desktop.procs.start(f"mail-doctor-{run}", [app.binary], env)
    try:
        map_ms, frame_ms = watch.first_frame(started, FRAME_TIMEOUT)
        rss, anon = memory_when_idle(proc.pid)
    finally:
        desktop.procs.stop(proc)
    return map_ms, frame_ms, rss, anon


def series(desktop, watch, app, key, label, extra_env, runs, figures):
    print(f"# {label}")
    results = []
    for run in range(1, runs + 1):
        map_ms, frame_ms, rss, anon = one_start(desktop, watch, app, extra_env, run)
        results.append((map_ms, frame_ms, rss, anon))
        print(f"run {run}: mapped {map_ms:6.1f} ms, first frame {frame_ms:6.1f} ms, "
              f"RSS {rss:5.1f} MB (of which anonymous {anon:5.1f} MB)")
        sys.stdout.flush()
    figures[key] = dict(report(label, results), label=label)


def report(label, results):
    frame = statistics.median(r[1] for r in results)
    mapped = statistics.median(r[0] for r in results)
    rss = statistics.median(r[2] for r in results)
    anon = statistics.median(r[3] for r in results)
    print(f"{label}: median of {len(results)} starts: mapped {mapped:.1f} ms, "
          f"first frame {frame:.1f} ms (target <= {TARGET_MS} ms: "
          f"{'met' if frame <= TARGET_MS else 'MISSED'}), RSS {rss:.1f} MB "
          f"(target <= {TARGET_MB} MB: {'met' if rss <= TARGET_MB else 'MISSED'}; "
          f"anonymous {anon:.1f} MB)")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return {"first_frame_ms": round(frame, 1), "mapped_ms": round(mapped, 1),
            "rss_mb": round(rss, 1), "anon_mb": round(anon, 1), "starts": len(results)}


def main(argv):
    parser = argparse.ArgumentParser(description="Mail Doctor GUI start-up benchmark")
    parser.add_argument("app", help="the mail-doctor binary")
    parser.add_argument("schemas", help="the compiled GSettings schema dir")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", help="write the medians here too")
    args = parser.parse_args(argv)
    figures = {}
    # meson's timeout sends SIGTERM: unwind, so that the finally below stops
    # the desktop.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    workdir = tempfile.mkdtemp(prefix="md-bench-gui-")
    desktop = atspi_lab.Desktop(workdir)
    try:
        desktop.start()
        atspi_lab.write_settings(desktop.env["XDG_CONFIG_HOME"], {})
        app = atspi_lab.App(desktop, os.path.abspath(args.app), os.path.abspath(args.schemas))
        watch = XWatch(desktop.env["DISPLAY"])
        try:
            for key, label, extra_env in CONFIGURATIONS:
                series(desktop, watch, app, key, label, extra_env, args.runs, figures)
        finally:
            watch.close()
    finally:
        desktop.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

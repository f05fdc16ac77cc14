# clilab.py: what the CLI scripts share: TAP, a free port, smtp-sink
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Python stdlib only. smtp-sink listens on a free port of 127.0.0.1, so no
# root is needed (as root it drops to nobody), and each one is stopped by
# its own PID.

import os
import socket
import subprocess
import sys
import time

SMTP_SINK = "/usr/sbin/smtp-sink"
READY_TIMEOUT = 5.0
STOP_TIMEOUT = 3.0


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def point(self, name, problems):
        self.n += 1
        self.failed += bool(problems)
        print(f"{'not ok' if problems else 'ok'} {self.n} - {name}")
        for p in problems:
            for line in str(p).splitlines() or [""]:
                print(f"# {line}")
        sys.stdout.flush()

    def plan(self):
        print(f"1..{self.n}")


def free_port():
    # smtp-sink sets SO_REUSEPORT, so a leaked one would share the port
    # silently; a plain bind fails on a port that any listener holds.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.01)
    return False


class Sink:
    """smtp-sink on 127.0.0.1:port; extra options script its replies."""

    def __init__(self, port, *options):
        user = ["-u", "nobody"] if os.geteuid() == 0 else []
        self.proc = subprocess.Popen([SMTP_SINK, *user, *options, f"127.0.0.1:{port}", "10"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_listening(port):
            self.stop()
            raise RuntimeError(f"smtp-sink did not listen on port {port}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

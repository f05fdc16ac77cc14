#!/usr/bin/python3
# run-watch.py: mail-doctor-cli watch against Postfix's smtp-sink
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-watch.py CLI. Prints TAP. Python stdlib only.
#
# smtp-sink answers 421 at the greeting, then is restarted healthy on the
# same port while watch runs. It needs no root: it listens on a free port
# of 127.0.0.1 (and drops to nobody only when started as root). A listener
# in this process that never greets holds watch in its first run. Every
# smtp-sink and every CLI started here is stopped by its own PID.

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

# The helpers live beside this file; keep the source tree free of bytecode.
sys.dont_write_bytecode = True

from clilab import SMTP_SINK, STOP_TIMEOUT, Sink, Tap, free_port, wait_listening  # noqa: E402,F401

# One SMTP conversation per attempt; no test may depend on the resolver.
SKIP = ("dns.mx,net.ports,tls.versions,rep.client-ip,rep.rdns,rep.dnsbl,rep.dnsbl-server,"
        "rep.dnsbl-domain,auth.spf,auth.dkim,auth.dmarc,auth.mta-sts")
LINE_TIMEOUT = 20.0
# The restarted server must be noticed within the wait in progress (at
# most 4 s with --interval 1 by then) plus an attempt.
RECOVER_TIMEOUT = 10.0
PROMPT = 2.0


class Silent:
    """Accepts connections on 127.0.0.1:port and never says a word."""

    def __init__(self, port):
        self.sock = socket.create_server(("127.0.0.1", port))
        self.conns = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        try:
            while True:
                self.conns.append(self.sock.accept()[0])
        except OSError:
            pass

    def stop(self):
        for conn in self.conns:
            conn.close()
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(STOP_TIMEOUT)


class Watch:
    """The CLI's watch, its stderr read line by line as it comes."""

    def __init__(self, cli, port, *extra, security="none"):
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [cli, "watch", "--host", "127.0.0.1", "--port", str(port), "--security", security,
             "--skip", SKIP, "--timeout", "5", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stderr:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_line(self, prefix):
        with self.cond:
            return self.cond.wait_for(
                lambda: any(line.startswith(prefix) for line in self.lines), LINE_TIMEOUT)

    def wait_text(self, text):
        with self.cond:
            return self.cond.wait_for(
                lambda: any(text in line for line in self.lines), LINE_TIMEOUT)

    def finish(self, timeout):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(STOP_TIMEOUT)
        return self.proc.returncode, self.proc.stdout.read()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def attempts(self):
        return [line for line in self.lines if line.startswith("Attempt ")]


def test_recovers(tap, cli, tmp):
    port = free_port()
    report = os.path.join(tmp, "report.json")
    problems = []
    sink = Sink(port, "-Q", "CONNECT")
    watch = Watch(cli, port, "--interval", "1", "--format", "json", "--output", report)
    try:
        if not watch.wait_line("Attempt 2,"):
            problems.append("no second attempt")
        sink.stop()
        sink = Sink(port)
        restarted = time.monotonic()
        status, out = watch.finish(RECOVER_TIMEOUT + 5)
        took = time.monotonic() - restarted
    finally:
        watch.kill()
        sink.stop()

    failing = [a for a in watch.attempts() if "still failing" in a]
    if status != 0:
        problems.append(f"exit {status}, want 0")
    if took > RECOVER_TIMEOUT:
        problems.append(f"took {took:.1f} s after the restart")
    if "Your server accepts mail again" not in out:
        problems.append(f"stdout {out!r}")
    if len(failing) < 2 or not all("421" in a and "next try in" in a for a in failing):
        problems.append("attempt lines do not say 421 and when the next try is")
    if not any("1 second" in a for a in failing) or not any("2 seconds" in a for a in failing):
        problems.append("the waits did not start at 1 s and double")
    if not watch.attempts() or "it works" not in watch.attempts()[-1]:
        problems.append("the last attempt line does not say it works")
    # What is watched, when each try was and when the next one is.
    if f"Watching 127.0.0.1, port {port}:" not in "\n".join(watch.lines):
        problems.append("stderr does not say which server and port it watches")
    if not all(re.match(r"Attempt \d+, \d\d:\d\d:\d\d: ", a) for a in watch.attempts()):
        problems.append("an attempt line does not give its time")
    if not all(re.search(r"next try in .*, at \d\d:\d\d:\d\d$", a) for a in failing):
        problems.append("a failing attempt does not give the next try's time")
    try:
        with open(report) as f:
            checks = {c["id"]: c["status"] for c in json.load(f)["checks"]}
        if checks.get("smtp.greeting") != "pass":
            problems.append(f"the report's smtp.greeting is {checks.get('smtp.greeting')}")
    except (OSError, ValueError, KeyError) as e:
        problems.append(f"report: {e}")
    tap.point("watch: 421 at the greeting, then healthy on the same port: exit 0",
              problems + (watch.lines if problems else []))


def test_interrupt(tap, cli):
    port = free_port()
    problems = []
    sink = Sink(port, "-Q", "CONNECT")
    watch = Watch(cli, port, "--interval", "60")
    try:
        if not watch.wait_line("Attempt 1,"):
            problems.append("no first attempt")
        watch.proc.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        status, out = watch.finish(PROMPT + 5)
        took = time.monotonic() - interrupted
    finally:
        watch.kill()
        sink.stop()

    if status != 1:
        problems.append(f"exit {status}, want 1")
    if took > PROMPT:
        problems.append(f"took {took:.1f} s to stop")
    if "Stopped: still not working" not in out:
        problems.append(f"stdout {out!r}")
    if watch.attempts() and "next try in 1 minute" not in watch.attempts()[0]:
        problems.append(f"first wait: {watch.attempts()[0]}")
    tap.point("watch: Ctrl+C during the wait stops it at once with exit 1",
              problems + (watch.lines if problems else []))


def test_interrupt_first_run(tap, cli, tmp):
    port = free_port()
    report = os.path.join(tmp, "interrupted.json")
    problems = []
    server = Silent(port)
    watch = Watch(cli, port, "--format", "json", "--output", report)
    try:
        if not watch.wait_text("net.connect"):
            problems.append("the first run did not connect")
        watch.proc.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        status, out = watch.finish(PROMPT + 5)
        took = time.monotonic() - interrupted
    finally:
        watch.kill()
        server.stop()

    # As check and discover do: stopped before the end, nothing was found.
    if status != 2:
        problems.append(f"exit {status}, want 2")
    if took > PROMPT:
        problems.append(f"took {took:.1f} s to stop")
    if not any("Stopped before the check finished" in line for line in watch.lines):
        problems.append("stderr does not say it stopped")
    if out or os.path.exists(report):
        problems.append(f"a half-finished run was reported: stdout {out!r}, "
                        f"report written: {os.path.exists(report)}")
    if watch.attempts():
        problems.append("it watched after Ctrl+C")
    tap.point("watch: Ctrl+C in the first run stops it with exit 2 and no report",
              problems + (watch.lines if problems else []))


def test_nothing_to_watch(tap, cli):
    port = free_port()
    problems = []
    sink = Sink(port)
    # The pasted 421 is a finding, but no check fails that could recover.
    watch = Watch(cli, port, "--error-text", "421 4.7.0 Too many connections from your IP")
    try:
        status, out = watch.finish(LINE_TIMEOUT)
    finally:
        watch.kill()
        sink.stop()

    if status != 1:
        problems.append(f"exit {status}, want 1 as check gives")
    if "Your settings work" in out or "no failing check to watch" not in out:
        problems.append(f"stdout {out!r}")
    if watch.attempts():
        problems.append("it watched with nothing failing")
    tap.point("watch: a finding with nothing to watch is a problem: exit 1",
              problems + (watch.lines if problems else []))


def test_cannot_wait(tap, cli):
    """STARTTLS asked of a server that offers none: waiting cannot fix a
    setting, so watch refuses, unless --anyway."""
    port = free_port()
    problems = []
    sink = Sink(port)
    watch = Watch(cli, port, security="starttls")
    try:
        status, out = watch.finish(LINE_TIMEOUT)
    finally:
        watch.kill()
        sink.stop()
    said = "\n".join(watch.lines)
    if status != 2:
        problems.append(f"exit {status}, want 2")
    if "Waiting will not fix what Mail Doctor found" not in said or "--anyway" not in said:
        problems.append("stderr does not say why waiting would not help, nor --anyway")
    if watch.attempts():
        problems.append("it watched a setting")
    tap.point("watch: a cause waiting cannot fix (no STARTTLS): exit 2, in a plain sentence",
              problems + (watch.lines if problems else []))

    problems = []
    sink = Sink(port)
    watch = Watch(cli, port, "--anyway", "--interval", "1", security="starttls")
    try:
        if not watch.wait_line("Attempt 1,"):
            problems.append("no attempt with --anyway")
    finally:
        watch.kill()
        sink.stop()
    tap.point("watch --anyway: watches it all the same",
              problems + (watch.lines if problems else []))


def test_healthy(tap, cli):
    port = free_port()
    problems = []
    sink = Sink(port)
    watch = Watch(cli, port)
    try:
        status, out = watch.finish(LINE_TIMEOUT)
    finally:
        watch.kill()
        sink.stop()

    if status != 0:
        problems.append(f"exit {status}, want 0")
    if "Your settings work" not in out:
        problems.append(f"stdout {out!r}")
    if watch.attempts():
        problems.append("it watched a healthy server")
    tap.point("watch: a healthy server needs no watching: exit 0",
              problems + (watch.lines if problems else []))


def test_bad_intervals(tap, cli):
    for args in (["--interval", "0"], ["--interval", "10", "--max-interval", "5"],
                 ["--max-interval", "100000"]):
        p = subprocess.run([cli, "watch", "--host", "127.0.0.1", *args],
                           capture_output=True, text=True, timeout=10)
        problems = [] if p.returncode == 2 and "interval" in p.stderr else [
            f"exit {p.returncode}, stderr {p.stderr!r}"]
        tap.point(f"watch {' '.join(args)}: bad usage", problems)


def main():
    cli = sys.argv[1]
    tap = Tap()
    test_bad_intervals(tap, cli)
    if not shutil.which(SMTP_SINK):
        print("# smtp-sink (package postfix) is not installed: the peer tests are skipped")
        tap.point("watch against smtp-sink # SKIP smtp-sink is not installed", [])
    else:
        with tempfile.TemporaryDirectory() as tmp:
            test_recovers(tap, cli, tmp)
            test_interrupt_first_run(tap, cli, tmp)
        test_interrupt(tap, cli)
        test_nothing_to_watch(tap, cli)
        test_healthy(tap, cli)
        test_cannot_wait(tap, cli)
    tap.plan()


if __name__ == "__main__":
    main()

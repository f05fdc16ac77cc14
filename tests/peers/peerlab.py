# peerlab.py: a network namespace full of real peers, for run-peers.py
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Everything here runs as root inside one network namespace that holds only a
# loopback interface: peers can bind any port without meeting the host's
# services, and gnutls-serv, which always binds every interface, stays private.
# Python stdlib only.

import ctypes
import tempfile
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
IP = "/usr/sbin/ip"
READY_TIMEOUT = 10.0
STOP_TIMEOUT = 3.0
POLL_INTERVAL = 0.01


class Tap:
    """TAP producer: one line per test point, the plan at the end."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def point(self, name, problems=(), diagnostics=()):
        self.count += 1
        if problems:
            self.failed += 1
        print(f"{'not ok' if problems else 'ok'} {self.count} - {name}")
        for line in list(problems) + list(diagnostics if problems else ()):
            for part in str(line).splitlines() or [""]:
                print(f"# {part}")
        sys.stdout.flush()

    def plan(self):
        print(f"1..{self.count}")
        sys.stdout.flush()


class Namespace:
    """A named network namespace that this process can also step into."""

    def __init__(self, name):
        self.name = name
        self.etc_dir = f"/etc/netns/{name}"
        self.created = False
        self.home_fd = None
        self.libc = ctypes.CDLL(None, use_errno=True)

    def create(self):
        subprocess.run([IP, "netns", "add", self.name], check=True,
                       capture_output=True)
        self.created = True
        self.exec_run([IP, "link", "set", "lo", "up"])

    def write_etc(self, files):
        """Files that `ip netns exec` bind-mounts over /etc/ for processes it starts."""
        os.makedirs(self.etc_dir, exist_ok=True)
        for name, text in files.items():
            with open(os.path.join(self.etc_dir, name), "w") as f:
                f.write(text)

    def prefix(self):
        return [IP, "netns", "exec", self.name]

    def exec_run(self, argv, **kwargs):
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("check", True)
        kwargs.setdefault("timeout", 30)
        return subprocess.run(self.prefix() + argv, **kwargs)

    def _setns(self, fd):
        if self.libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns: {os.strerror(err)}")

    def enter(self):
        """Moves this (single-threaded) process in, so its own sockets see the peers."""
        self.home_fd = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open(f"/run/netns/{self.name}", os.O_RDONLY)
        try:
            self._setns(fd)
        finally:
            os.close(fd)

    def leave(self):
        if self.home_fd is None:
            return
        self._setns(self.home_fd)
        os.close(self.home_fd)
        self.home_fd = None

    def pids(self):
        if not self.created:
            return []
        out = subprocess.run([IP, "netns", "pids", self.name],
                             capture_output=True, text=True).stdout
        return [int(p) for p in out.split() if p.isdigit()]

    def destroy(self):
        """Kills whatever is left inside (a backstop), then removes all traces."""
        self.leave()
        for pid in self.pids():
            if pid != os.getpid():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.created:
            subprocess.run([IP, "netns", "del", self.name], capture_output=True)
            self.created = False
        shutil.rmtree(self.etc_dir, ignore_errors=True)

    def exists(self):
        out = subprocess.run([IP, "netns", "list"], capture_output=True,
                             text=True).stdout
        return any(line.split()[:1] == [self.name] for line in out.splitlines())


def connectable(port, host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


class Peer:
    def __init__(self, name, port, proc, log_path, host="127.0.0.1"):
        self.name = name
        self.port = port
        self.proc = proc
        self.log_path = log_path
        self.host = host

    def log_tail(self, lines=15):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read().splitlines()[-lines:]
        except OSError:
            return []


class Lab:
    """Starts peers inside the namespace and stops every one of them."""

    def __init__(self, namespace, workdir):
        self.ns = namespace
        self.workdir = workdir
        self.peers = []

    def start(self, name, port, argv, host="127.0.0.1"):
        """Starts argv, which must listen on host:port (TCP; a DNS server
        listens on TCP too); returns (peer, problems)."""
        # smtp-sink sets SO_REUSEPORT: a leftover on the same port would
        # silently take half the connections, so insist the port is unused.
        if connectable(port, host):
            return None, [f"port {host}:{port} is already in use in the namespace"]
        log_path = os.path.join(self.workdir, f"{name}.log")
        with open(log_path, "wb") as log:
            # ip netns exec execs the command in place, so the PID we keep is
            # the peer's own; a new session lets us signal anything it forks.
            proc = subprocess.Popen(self.ns.prefix() + argv, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        peer = Peer(name, port, proc, log_path, host)
        self.peers.append(peer)
        return peer, self.wait_ready(peer)

    def wait_ready(self, peer):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if peer.proc.poll() is not None:
                return [f"{peer.name} exited with status {peer.proc.returncode} before listening"]
            if connectable(peer.port, peer.host):
                return []
            time.sleep(POLL_INTERVAL)
        return [f"{peer.name} did not listen on {peer.host}:{peer.port} "
                f"within {READY_TIMEOUT:.0f} s"]

    def stop_all(self):
        """SIGTERM every peer's process group, then SIGKILL what is still there."""
        for peer in self.peers:
            signal_group(peer.proc, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for peer in self.peers:
            try:
                peer.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                signal_group(peer.proc, signal.SIGKILL)
                peer.proc.wait()
        survivors = [p.name for p in self.peers if p.proc.poll() is None]
        self.peers = []
        return survivors


def signal_group(proc, signum):
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass


def certtool(args, cwd):
    subprocess.run(["certtool"] + args, cwd=cwd, check=True,
                   capture_output=True, timeout=60)


def make_pki(workdir, templates):
    """A CA and server certificates for every verdict; returns name -> path.

    Generated on each run (under a second) rather than committed, so nothing
    expires in the repository and no key is ever checked in."""
    d = os.path.join(workdir, "pki")
    os.makedirs(d)

    def tmpl(name):
        return ["--template", os.path.join(templates, f"{name}.tmpl")]

    def signed(key, template, out):
        certtool(["--generate-certificate", "--load-privkey", key,
                  "--load-ca-certificate", "ca.pem", "--load-ca-privkey", "ca.key",
                  *tmpl(template), "--outfile", out], d)

    ecdsa = ["--key-type=ecdsa", "--curve=secp256r1"]
    certtool(["--generate-privkey", *ecdsa, "--outfile", "ca.key"], d)
    certtool(["--generate-self-signed", "--load-privkey", "ca.key", *tmpl("ca"),
              "--outfile", "ca.pem"], d)
    certtool(["--generate-privkey", *ecdsa, "--outfile", "srv.key"], d)
    # An RSA key, like the old servers that still speak only TLS 1.0 (kb §3.7).
    certtool(["--generate-privkey", "--key-type=rsa", "--bits=2048",
              "--outfile", "rsa.key"], d)
    for name in ("good", "expired", "notyet", "wrongname"):
        signed("srv.key", name, f"{name}.pem")
    signed("rsa.key", "good", "rsa-good.pem")
    certtool(["--generate-self-signed", "--load-privkey", "srv.key",
              *tmpl("selfsigned"), "--outfile", "selfsigned.pem"], d)
    names = ("ca.pem", "ca.key", "srv.key", "rsa.key", "good.pem", "expired.pem",
             "notyet.pem", "wrongname.pem", "rsa-good.pem", "selfsigned.pem")
    return {n: os.path.join(d, n) for n in names}


def certtool_verdict(pki, cert, hostname=None):
    """certtool's own verdict on a fixture, as the oracle for the fixtures."""
    args = ["certtool", "--verify", "--load-ca-certificate", pki["ca.pem"],
            "--infile", pki[cert]]
    if hostname:
        args += ["--verify-hostname", hostname]
    out = subprocess.run(args, capture_output=True, text=True, timeout=30)
    for line in (out.stdout + out.stderr).splitlines():
        if "verification output" in line:
            return line.split(":", 1)[1].strip()
    return (out.stdout + out.stderr).strip()


def fresh_dir(path):
    """An empty directory at path: what an earlier run kept there is gone."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


SKIP_LINE = "1..0 # SKIP needs root for a network namespace"


def teardown(tap, lab, ns):
    """Stops every process of @lab, removes @ns, and reports anything left."""
    survivors = lab.stop_all()
    listening = ns.exec_run(["ss", "-Htlnu"], check=False).stdout.decode().strip()
    ns.destroy()
    problems = [f"still running: {name}" for name in survivors]
    if listening:
        problems.append(f"still listening after stop:\n{listening}")
    if ns.exists():
        problems.append(f"namespace {ns.name} still listed by ip netns list")
    if os.path.exists(ns.etc_dir):
        problems.append(f"{ns.etc_dir} still exists")
    tap.point("teardown: every process stopped, namespace and /etc/netns entry gone",
              problems)


def _on_sigterm(signum, frame):
    # meson's timeout sends SIGTERM: unwind so the finally blocks clean up.
    raise SystemExit(128 + signum)


class LabError(Exception):
    """The lab is broken: no figure it gives would mean anything."""


def _on_sigterm_once(signum, frame):
    # As _on_sigterm, and no second signal may cut the clean-up short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def bench_in_namespace(prefix, keep, setup, run):
    """For the benchmarks (tests/bench): returns run(ns, workdir), in a
    namespace that setup(ns) created and prepared.

    A broken lab (LabError, an OS or a subprocess error) gives no figures
    and 1. Whatever happens, SIGTERM included, the namespace and the
    temporary directory (unless @keep) are removed."""
    signal.signal(signal.SIGTERM, _on_sigterm_once)
    workdir = tempfile.mkdtemp(prefix=f"{prefix}-")
    ns = Namespace(f"{prefix}-{os.getpid()}")
    try:
        setup(ns)
        return run(ns, workdir)
    except (LabError, OSError, ValueError, subprocess.SubprocessError) as e:
        print(f"no figures, the lab failed: {e}")
        return 1
    finally:
        # Also kills whatever is left inside (a CLI cut short by SIGTERM).
        ns.destroy()
        if keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main_in_namespace(prefix, keep, setup, run):
    """Runs run(ns, workdir) in a fresh namespace that setup(ns) prepared.

    Without root (or ip), prints a TAP skip. Whatever happens, the namespace
    and the temporary directory (unless @keep) are removed."""
    if os.geteuid() != 0 or not shutil.which(IP):
        print(SKIP_LINE)
        return 0
    signal.signal(signal.SIGTERM, _on_sigterm)
    ns = Namespace(f"{prefix}-{os.getpid()}")
    try:
        ns.create()
        setup(ns)
        ns.enter()
    except (OSError, subprocess.CalledProcessError):
        ns.destroy()
        print(SKIP_LINE)
        return 0
    workdir = tempfile.mkdtemp(prefix=f"{prefix}-")
    try:
        return run(ns, workdir)
    finally:
        ns.destroy()
        if keep:
            print(f"# kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

# postfix_lab.py: a private Postfix instance for run-faults.py
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The real smtpd, with its anvil, for the 421s and the outdated TLS only it
# produces genuinely. Everything lives under one temporary directory: its own
# config_directory, queue_directory, data_directory and log file, started
# with `postfix -c DIR start` inside the namespace. The host's /etc/postfix
# is only read (postfix-script and postfix-files live there), and a snapshot
# of it before and after proves it. Recipes: anchors-reliability.md §3.2.
# Python stdlib only.

import os

POSTFIX = "/usr/sbin/postfix"
HOST_CONFIG = "/etc/postfix"
START_TIMEOUT = 30

# One smtpd per listener; -o settings differ, main.cf is shared.
MAIN_CF = """\
compatibility_level = 3.6
config_directory = {base}/conf
queue_directory = {base}/queue
data_directory = {base}/data
maillog_file = {base}/postfix.log
maillog_file_prefixes = {base}
myhostname = mx.test.example
mydomain = test.example
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
smtpd_banner = $myhostname ESMTP
# The lab's PTR is not what these cases are about; skip the lookups.
smtpd_peername_lookup = no
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
"""

# chroot "n" everywhere: Debian's "y" needs files copied into the queue
# directory by its init script, which this instance never runs.
SERVICES = """\
anvil     unix  -       -       n       -       1       anvil
postlog   unix-dgram n  -       n       -       1       postlogd
proxymap  unix  -       -       n       -       -       proxymap
rewrite   unix  -       -       n       -       -       trivial-rewrite
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
"""


def listener(port, *options):
    """A master.cf line: smtpd on 127.0.0.1:@port with -o @options."""
    args = " ".join(f"-o {o}" for o in options)
    return f"127.0.0.1:{port} inet n - n - - smtpd {args}".rstrip()


def host_snapshot():
    """(path, mtime, size) of everything under the host's Postfix configuration."""
    found = []
    for root, dirs, files in os.walk(HOST_CONFIG):
        for name in sorted(dirs + files):
            path = os.path.join(root, name)
            st = os.lstat(path)
            found.append((path, st.st_mtime_ns, st.st_size))
    return sorted(found)


class Instance:
    """A Postfix instance of its own under @base, run in namespace @ns."""

    def __init__(self, ns, base, listeners):
        self.ns = ns
        self.base = base
        self.conf = os.path.join(base, "conf")
        self.log_path = os.path.join(base, "postfix.log")
        self.listeners = listeners
        self.started = False

    def write(self):
        # The queue directory must exist before postfix chdirs into it; its
        # subdirectories are made by post-install, owned by the postfix user.
        # The daemons run as that user, so the path to it must be searchable.
        os.chmod(self.base, 0o755)
        for name in ("conf", "queue"):
            os.makedirs(os.path.join(self.base, name), mode=0o755)
        with open(os.path.join(self.conf, "main.cf"), "w") as f:
            f.write(MAIN_CF.format(base=self.base))
        with open(os.path.join(self.conf, "master.cf"), "w") as f:
            f.write("\n".join(self.listeners) + "\n" + SERVICES)

    def command(self, verb):
        return self.ns.exec_run([POSTFIX, "-c", self.conf, verb], check=False,
                                text=True, timeout=START_TIMEOUT)

    def start(self):
        """Problems, if the instance did not start."""
        self.write()
        result = self.command("start")
        self.started = result.returncode == 0
        if self.started:
            return []
        return [f"postfix -c {self.conf} start: status {result.returncode}",
                *result.stderr.splitlines()[-5:]]

    def stop(self):
        """Problems, if the instance did not stop. postfix stop waits for
        the master to exit, and the master stops its children."""
        if not self.started:
            return []
        result = self.command("stop")
        self.started = False
        if result.returncode != 0:
            return [f"postfix -c {self.conf} stop: status {result.returncode}",
                    *result.stderr.splitlines()[-5:]]
        running = self.command("status")
        if running.returncode == 0:
            return ["postfix status: the master is still running after stop"]
        return []

    def log_tail(self, lines=15):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read().splitlines()[-lines:]
        except OSError:
            return []

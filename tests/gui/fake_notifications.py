#!/usr/bin/python3
# fake_notifications.py: a desktop notification server that only takes notes
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: fake_notifications.py RECORD
#
# Owns org.freedesktop.Notifications on the session bus that
# DBUS_SESSION_BUS_ADDRESS names and answers as a notification daemon does
# (Notify returns a fresh id), so that run-e2e.py can see what the app told
# the user without a real desktop. Each Notify is appended to RECORD as one
# JSON line {"app_name", "summary", "body", "id", "actions"}; RECORD is
# created, empty, once the name is ours, which is how the harness knows the
# server is ready. SIGUSR1 clicks the last notification: it emits
# ActionInvoked with its "default" action, as a desktop does.
# It never owns org.gtk.Notifications: GLib 2.74 picks GNotification's
# freedesktop backend for an app outside a sandbox exactly when that name
# has no owner, and the freedesktop backend is what this server speaks.
#
# Needs Debian's /usr/bin/python3 with python3-gi. Runs until SIGTERM.

import json
import signal
import sys

import gi

gi.require_version("Gio", "2.0")
gi.require_version("GLib", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE_XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" name="app_name" direction="in"/>
      <arg type="u" name="replaces_id" direction="in"/>
      <arg type="s" name="app_icon" direction="in"/>
      <arg type="s" name="summary" direction="in"/>
      <arg type="s" name="body" direction="in"/>
      <arg type="as" name="actions" direction="in"/>
      <arg type="a{sv}" name="hints" direction="in"/>
      <arg type="i" name="expire_timeout" direction="in"/>
      <arg type="u" name="id" direction="out"/>
    </method>
    <method name="CloseNotification">
      <arg type="u" name="id" direction="in"/>
    </method>
    <method name="GetCapabilities">
      <arg type="as" name="capabilities" direction="out"/>
    </method>
    <method name="GetServerInformation">
      <arg type="s" name="name" direction="out"/>
      <arg type="s" name="vendor" direction="out"/>
      <arg type="s" name="version" direction="out"/>
      <arg type="s" name="spec_version" direction="out"/>
    </method>
    <signal name="NotificationClosed">
      <arg type="u" name="id"/>
      <arg type="u" name="reason"/>
    </signal>
    <signal name="ActionInvoked">
      <arg type="u" name="id"/>
      <arg type="s" name="action_key"/>
    </signal>
  </interface>
</node>
"""
# The spec's reason for a notification closed by a call to CloseNotification.
CLOSED_BY_CALL = 3


class Server:
    def __init__(self, record):
        self.record = record
        self.last_id = 0
        self.loop = GLib.MainLoop()
        self.info = Gio.DBusNodeInfo.new_for_xml(INTERFACE_XML).interfaces[0]

    def on_bus(self, connection, name):
        connection.register_object(PATH, self.info, self.on_call, None, None)

    def on_name(self, connection, name):
        # Only now can a client reach us by name: the harness may go on.
        open(self.record, "a").close()
        print(f"owns {name}", flush=True)

    def on_lost(self, connection, name):
        print(f"could not own {name}", flush=True)
        self.loop.quit()

    def on_call(self, connection, sender, path, interface, method, params, invocation):
        handler = getattr(self, f"do_{method}", None)
        if handler is None:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)
            return
        invocation.return_value(handler(connection, params.unpack()))

    def do_Notify(self, connection, args):
        app_name, replaces_id, _icon, summary, body, actions = args[:6]
        if replaces_id == 0:
            self.last_id += 1
            replaces_id = self.last_id
        self.connection = connection
        self.shown = replaces_id
        with open(self.record, "a") as f:
            f.write(json.dumps({"app_name": app_name, "summary": summary, "body": body,
                                "id": replaces_id, "actions": list(actions)}) + "\n")
        print(f"Notify {summary!r} from {app_name!r}", flush=True)
        return GLib.Variant("(u)", (replaces_id,))

    def click(self):
        """The user clicks the last notification (SIGUSR1)."""
        if getattr(self, "shown", None) is not None:
            self.connection.emit_signal(None, PATH, NAME, "ActionInvoked",
                                        GLib.Variant("(us)", (self.shown, "default")))
            print(f"clicked {self.shown}", flush=True)
        return GLib.SOURCE_CONTINUE

    def do_CloseNotification(self, connection, args):
        connection.emit_signal(None, PATH, NAME, "NotificationClosed",
                               GLib.Variant("(uu)", (args[0], CLOSED_BY_CALL)))
        return None

    def do_GetCapabilities(self, connection, args):
        return GLib.Variant("(as)", (["actions", "body"],))

    def do_GetServerInformation(self, connection, args):
        return GLib.Variant("(ssss)", ("Mail Doctor test", "The Mail Doctor authors",
                                       "1.0", "1.2"))

    def run(self):
        Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.DO_NOT_QUEUE,
                         self.on_bus, self.on_name, self.on_lost)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, self.stop)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGUSR1, self.click)
        self.loop.run()

    def stop(self):
        self.loop.quit()
        return GLib.SOURCE_REMOVE


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: fake_notifications.py RECORD")
    Server(sys.argv[1]).run()

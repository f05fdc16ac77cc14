#!/bin/sh
# run-keyring.sh: runs one test against a real secret service of its own
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-keyring.sh TEST-PROGRAM [ARGS...]
#
# Starts a private D-Bus session bus and gnome-keyring-daemon on it, with a
# login keyring made fresh in a temporary home, then runs the test with
# MD_TEST_KEYRING=1. The test never sees the user's own bus or keyring, and
# whatever this script started is stopped on the way out, whatever happens.
# Without gnome-keyring the test runs without MD_TEST_KEYRING and skips.

set -u

# How long each part may take to come up: tenths of a second.
START_TENTHS=100

if ! command -v gnome-keyring-daemon >/dev/null 2>&1 ||
   ! command -v dbus-daemon >/dev/null 2>&1 ||
   ! command -v dbus-send >/dev/null 2>&1
then
  exec "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/md-keyring-XXXXXX") || exit 1
bus_pid=
keyring_pid=
test_pid=

stop ()
{
  # The keyring before the bus: it would otherwise notice the bus go and
  # log it. The test is there only when this script itself was stopped.
  for pid in $test_pid $keyring_pid $bus_pid
  do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Prints why in TAP, so that meson shows it, and fails the test.
bail ()
{
  echo "Bail out! $1"
  cat "$tmp"/*.log 2>/dev/null | sed 's/^/# /'
  exit 1
}

# Waits until the command given succeeds, for at most START_TENTHS.
wait_for ()
{
  tenths=0
  until "$@"
  do
    tenths=$((tenths + 1))
    [ "$tenths" -le "$START_TENTHS" ] || return 1
    sleep 0.1
  done
}

mkdir -m 700 "$tmp/home" "$tmp/run" || bail "cannot make a temporary home"

# Our own bus on a socket in the temporary directory: never the session's.
dbus-daemon --session --nofork --nosyslog \
  --address="unix:path=$tmp/bus" --print-address=3 \
  3>"$tmp/address" 2>"$tmp/bus.log" &
bus_pid=$!
wait_for test -s "$tmp/address" || bail "the private D-Bus session did not start"
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$tmp/address")
export DBUS_SESSION_BUS_ADDRESS

# The login keyring is created, and unlocked, with the password read from
# stdin; a file keeps the daemon's process id ours, unlike a pipe. The
# daemon is a peer, not code under test: the tests' G_DEBUG would make it
# abort on its own warnings (replacing an item logs one), and the malloc
# checks are for our code.
printf '%s' "md-test-keyring" >"$tmp/login-password"
env -u GNOME_KEYRING_CONTROL -u SSH_AUTH_SOCK -u G_DEBUG -u G_ENABLE_DIAGNOSTIC \
  -u MALLOC_CHECK_ -u MALLOC_PERTURB_ \
  HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_RUNTIME_DIR="$tmp/run" \
  gnome-keyring-daemon --foreground --unlock --components=secrets \
  <"$tmp/login-password" >"$tmp/keyring.log" 2>&1 &
keyring_pid=$!

secrets_owned ()
{
  kill -0 "$keyring_pid" 2>/dev/null || bail "gnome-keyring-daemon stopped"
  dbus-send --session --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
wait_for secrets_owned || bail "the secret service did not start"

# In the background, so that a signal to this script stops everything at
# once instead of waiting for the test to end.
MD_TEST_KEYRING=1 "$@" &
test_pid=$!
wait "$test_pid"
status=$?
test_pid=
exit "$status"

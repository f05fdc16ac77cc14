#!/usr/bin/python3
# check-install.py: what `meson install` puts where a distribution expects it
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-install.py BUILDDIR APP_ID PREFIX BINDIR DATADIR LOCALEDIR LINGUAS
#
# Installs the build into a scratch directory (meson install --destdir, no
# rebuild) and checks, as TAP, that every file a desktop, a software centre,
# D-Bus, GSettings and gettext look for is there and is what they expect:
# both programs executable; the desktop file, the D-Bus service (its Exec
# the installed program, its Name the app ID), the metainfo naming the
# desktop file, both icons (the symbolic one too) under the app ID, the
# schema whose ID is the app ID, and one catalogue per language of
# po/LINGUAS, whose words the desktop file and the metainfo carry too.
# Also that nothing else was installed, so that a file added without a
# check here is noticed. The scratch directory goes in any case.

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def expected_files(app_id, bindir, datadir, localedir, linguas):
    files = {
        os.path.join(bindir, "mail-doctor"): "the wizard",
        os.path.join(bindir, "mail-doctor-cli"): "the command-line tool",
        os.path.join(datadir, "applications", app_id + ".desktop"): "desktop file",
        os.path.join(datadir, "dbus-1", "services", app_id + ".service"): "D-Bus service",
        os.path.join(datadir, "metainfo", app_id + ".metainfo.xml"): "AppStream metainfo",
        os.path.join(datadir, "icons", "hicolor", "scalable", "apps", app_id + ".svg"):
            "scalable icon",
        os.path.join(datadir, "icons", "hicolor", "symbolic", "apps", app_id + "-symbolic.svg"):
            "symbolic icon",
        os.path.join(datadir, "glib-2.0", "schemas", app_id + ".gschema.xml"): "settings schema",
    }
    for lang in linguas:
        files[os.path.join(localedir, lang, "LC_MESSAGES", "mail-doctor.mo")] = \
            f"{lang} translation"
    return files


def check_contents(root, app_id, bindir, datadir, linguas):
    def at(*parts):
        return os.path.join(root, *parts)

    for program in ("mail-doctor", "mail-doctor-cli"):
        path = at(bindir, program)
        check(os.access(path, os.X_OK), f"{program} is executable")

    service = read(at(datadir, "dbus-1", "services", app_id + ".service"))
    check(f"Name={app_id}\n" in service, "the D-Bus service is named after the app ID")
    check(f"Exec={os.path.join('/', bindir, 'mail-doctor')} --gapplication-service" in service,
          "the D-Bus service starts the installed wizard as a service", service)

    desktop = read(at(datadir, "applications", app_id + ".desktop"))
    check("DBusActivatable=true" in desktop, "the desktop file says it is D-Bus activatable")
    check(f"Icon={app_id}\n" in desktop, "the desktop file's icon is the app ID")

    metainfo_text = read(at(datadir, "metainfo", app_id + ".metainfo.xml"))
    for lang in linguas:
        check(f"Comment[{lang}]=" in desktop, f"the desktop file speaks {lang} (from po/{lang}.po)")
        check(f'xml:lang="{lang}"' in metainfo_text, f"the metainfo speaks {lang}")

    metainfo = ET.parse(at(datadir, "metainfo", app_id + ".metainfo.xml")).getroot()
    launchable = metainfo.find("launchable")
    check(metainfo.findtext("id") == app_id, "the metainfo's ID is the app ID")
    check(launchable is not None and launchable.text == app_id + ".desktop",
          "the metainfo launches the installed desktop file")

    schema = ET.parse(at(datadir, "glib-2.0", "schemas", app_id + ".gschema.xml")).getroot()
    ids = [s.get("id") for s in schema.findall("schema")]
    check(ids == [app_id], "the schema's ID is the app ID", repr(ids))
    check(all("@" not in (s.get("path") or "") for s in schema.findall("schema")),
          "the schema's path is filled in")


def main(argv):
    builddir, app_id, prefix, bindir, datadir, localedir, linguas = argv[1:8]
    linguas = linguas.split()
    # Relative to the destination root, the way a package lays them out.
    bindir, datadir, localedir = (os.path.join(prefix, d).lstrip("/")
                                  for d in (bindir, datadir, localedir))

    root = tempfile.mkdtemp(prefix="md-install-")
    try:
        result = subprocess.run(["meson", "install", "-C", builddir, "--destdir", root,
                                 "--no-rebuild", "--quiet"], capture_output=True, text=True)
        check(result.returncode == 0, "meson install --destdir succeeds",
              result.stdout + result.stderr)
        if result.returncode == 0:
            expected = expected_files(app_id, bindir, datadir, localedir, linguas)
            installed = {os.path.relpath(os.path.join(d, f), root)
                         for d, _, names in os.walk(root) for f in names}
            for path, what in expected.items():
                check(path in installed, f"the {what} is at /{path}")
            extra = sorted(installed - set(expected))
            check(not extra, "nothing else is installed", "\n".join(extra))
            if all(path in installed for path in expected):
                check_contents(root, app_id, bindir, datadir, linguas)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(f"1..{len(results)}")
    for number, (ok, what, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {number} - {what}")
        if not ok and detail:
            for line in detail.strip().splitlines():
                print(f"# {line}")
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

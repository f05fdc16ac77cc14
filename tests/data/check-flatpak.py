#!/usr/bin/env python3
# check-flatpak.py SOURCE_DIR -- offline checks of the Flatpak manifests.
#
# These machines cannot reach Flathub, so the manifests in SOURCE_DIR/flatpak
# cannot be built here; this script checks only what can be checked offline,
# for the release and the .Devel manifest alike:
#   - the file parses as JSON;
#   - the app id and the command are the expected ones;
#   - the runtime and SDK are GNOME's, at a pinned numeric version (not
#     "master" or "stable", which would change under us);
#   - finish-args is exactly the agreed set of permissions (passwords,
#     notifications and file choosing go through portals, so nothing more);
#   - every source is reproducible: a local dir/file/patch that exists, an
#     archive/file with a sha256, or a git source pinned to a commit;
#   - when flatpak-builder is installed, it accepts the manifest
#     (--show-manifest parses it without downloading anything).
# It prints TAP and always exits 0: failures are "not ok" lines.

import json
import os
import re
import shutil
import subprocess
import sys

APP_ID = "io.github.maildoctor.MailDoctor"
MANIFESTS = {APP_ID + ".json": APP_ID, APP_ID + ".Devel.json": APP_ID + ".Devel"}
FINISH_ARGS = {"--share=network", "--share=ipc", "--socket=wayland",
               "--socket=fallback-x11", "--device=dri"}
FLATPAK_BUILDER = "/usr/bin/flatpak-builder"

results = []  # (ok, description, reasons)


def check(description, reasons):
    results.append((not reasons, description, reasons))


def all_modules(modules):
    for module in modules:
        yield module
        if isinstance(module, dict):
            yield from all_modules(module.get("modules", []))


def source_problems(manifest_dir, modules):
    problems = []
    for module in all_modules(modules):
        if not isinstance(module, dict):
            problems.append(f"module {module!r} is not inline")
            continue
        name = module.get("name", "?")
        for source in module.get("sources", []):
            kind = source.get("type") if isinstance(source, dict) else None
            if kind in ("dir", "file", "patch") and "path" in source:
                if not os.path.exists(os.path.join(manifest_dir, source["path"])):
                    problems.append(f"{name}: {source['path']} does not exist")
            elif kind in ("archive", "file"):
                if not re.fullmatch(r"[0-9a-f]{64}", str(source.get("sha256", ""))):
                    problems.append(f"{name}: {kind} source without a sha256")
            elif kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", str(source.get("commit", ""))):
                    problems.append(f"{name}: git source not pinned to a commit")
            else:
                problems.append(f"{name}: unchecked source {source!r}")
    return problems


def check_manifest(flatpak_dir, filename, app_id):
    path = os.path.join(flatpak_dir, filename)
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        reasons = [] if isinstance(manifest, dict) else ["not a JSON object"]
    except (OSError, ValueError) as e:
        manifest, reasons = None, [str(e)]
    check(f"{filename} parses as JSON", reasons)
    if reasons:
        return

    reasons = []
    for key, want in (("id", app_id), ("command", "mail-doctor")):
        if manifest.get(key) != want:
            reasons.append(f"{key} is {manifest.get(key)!r}, not {want!r}")
    check(f"{filename}: id and command", reasons)

    reasons = []
    for key, want in (("runtime", "org.gnome.Platform"), ("sdk", "org.gnome.Sdk")):
        if manifest.get(key) != want:
            reasons.append(f"{key} is {manifest.get(key)!r}, not {want!r}")
    version = manifest.get("runtime-version")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", str(version)):
        reasons.append(f"runtime-version {version!r} is not a pinned number")
    check(f"{filename}: GNOME runtime at a pinned version", reasons)

    args = manifest.get("finish-args", [])
    reasons = [f"extra {a}" for a in sorted(set(args) - FINISH_ARGS)]
    reasons += [f"missing {a}" for a in sorted(FINISH_ARGS - set(args))]
    if len(args) != len(set(args)):
        reasons.append("duplicated finish-args")
    check(f"{filename}: finish-args are exactly the agreed set", reasons)

    check(f"{filename}: every source is local or pinned",
          source_problems(flatpak_dir, manifest.get("modules", [])))

    description = f"{filename}: flatpak-builder --show-manifest"
    if not os.path.exists(FLATPAK_BUILDER):
        results.append((True, description + " # SKIP flatpak-builder is not installed", []))
        return
    # --show-manifest takes no --state-dir and creates .flatpak-builder/ in
    # its cwd: remove it afterwards unless it was there before.
    state_dir = os.path.join(flatpak_dir, ".flatpak-builder")
    had_state_dir = os.path.exists(state_dir)
    try:
        run = subprocess.run([FLATPAK_BUILDER, "--show-manifest", filename],
                             cwd=flatpak_dir, capture_output=True, text=True,
                             timeout=60)
        reasons = [] if run.returncode == 0 else \
            [f"exit status {run.returncode}"] + run.stderr.strip().splitlines()[-5:]
    except subprocess.TimeoutExpired:
        reasons = ["timed out after 60 s"]
    if not had_state_dir:
        shutil.rmtree(state_dir, ignore_errors=True)
    check(description, reasons)


def main():
    if len(sys.argv) != 2:
        print("usage: check-flatpak.py SOURCE_DIR", file=sys.stderr)
        return 2
    flatpak_dir = os.path.join(sys.argv[1], "flatpak")
    for filename, app_id in MANIFESTS.items():
        check_manifest(flatpak_dir, filename, app_id)
    for n, (ok, description, reasons) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {description}")
        for reason in reasons:
            print(f"# {reason}")
    print(f"1..{len(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

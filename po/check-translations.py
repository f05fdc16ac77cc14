#!/usr/bin/python3
# check-translations.py: every language of po/LINGUAS, at least 95 % translated
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-translations.py SOURCE_ROOT [--minimum PERCENT]
#
# Extracts the messages from the sources as they are now (xgettext over
# po/POTFILES.in, with the keywords of meson's glib preset), so that a
# string added since the catalogue was last updated counts as untranslated;
# merges each language's .po with them and runs `msgfmt --check
# --statistics`. TAP: one point per language, failing on any msgfmt error
# (a placeholder that does not match, a broken plural) or below the minimum.

import argparse
import os
import re
import subprocess
import sys
import tempfile

# meson's i18n.gettext(preset: 'glib')
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
    "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format", "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]


def linguas(po_dir):
    with open(os.path.join(po_dir, "LINGUAS")) as f:
        return [lang for line in f for lang in line.split("#")[0].split()]


def statistics(po, pot):
    """(translated, fuzzy, untranslated, msgfmt's complaints)"""
    with tempfile.NamedTemporaryFile(suffix=".po") as merged:
        subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged.name, po, pot],
                       check=True)
        result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull,
                                 merged.name], capture_output=True, text=True)
    counts = {}
    for kind in ("translated", "fuzzy", "untranslated"):
        match = re.search(rf"(\d+) {kind} messages?", result.stderr)
        counts[kind] = int(match.group(1)) if match else 0
    errors = result.stderr if result.returncode != 0 else ""
    return counts["translated"], counts["fuzzy"], counts["untranslated"], errors


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("source_root")
    parser.add_argument("--minimum", type=float, default=95.0)
    args = parser.parse_args(argv)
    po_dir = os.path.join(args.source_root, "po")
    langs = linguas(po_dir)

    with tempfile.TemporaryDirectory(prefix="md-po-") as tmp:
        pot = os.path.join(tmp, "mail-doctor.pot")
        subprocess.run(["xgettext", *XGETTEXT_ARGS, "--package-name=mail-doctor",
                        "--directory", args.source_root,
                        "--files-from", os.path.join(po_dir, "POTFILES.in"), "-o", pot],
                       check=True, cwd=args.source_root)
        print(f"1..{max(len(langs), 1)}")
        if not langs:
            print("ok 1 # SKIP po/LINGUAS lists no language")
            return 0
        failed = False
        for number, lang in enumerate(langs, 1):
            translated, fuzzy, untranslated, errors = statistics(
                os.path.join(po_dir, f"{lang}.po"), pot)
            total = translated + fuzzy + untranslated
            percent = 100.0 * translated / total if total else 0.0
            ok = not errors and percent >= args.minimum
            failed |= not ok
            print(f"{'ok' if ok else 'not ok'} {number} - {lang}: {translated} of {total} "
                  f"translated ({percent:.1f} %), {fuzzy} fuzzy, {untranslated} untranslated; "
                  f"at least {args.minimum:.0f} % wanted")
            for line in errors.splitlines():
                print(f"# {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
# check-reports.py: fails on any report a sanitizer wrote into DIR
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-reports.py DIR. ASan, LeakSanitizer and UBSan write their
# reports as DIR/asan.EXE.PID and DIR/ubsan.EXE.PID (the 'asan' test setup's
# log_path). Each one is printed, then renamed to *.seen, so that the next
# run starts clean and the report stays there to be read again.

import glob
import os
import sys

directory = sys.argv[1]
found = sorted(p for pattern in ("asan.*", "ubsan.*")
               for p in glob.glob(os.path.join(directory, pattern))
               if not p.endswith(".seen"))
for path in found:
    print(f"==== {path}")
    with open(path, errors="replace") as f:
        sys.stdout.write(f.read())
    os.replace(path, path + ".seen")
print(f"{len(found)} sanitizer reports in {directory}")
if found:
    # GLib and GTK have no frame pointers: ASan's fast unwinder often stops at
    # g_malloc. The slow one gives the whole stack.
    print("for whole stacks, run the test again with "
          "ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0 (much slower)")
sys.exit(1 if found else 0)

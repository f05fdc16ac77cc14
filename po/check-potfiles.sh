#!/bin/sh
# check-potfiles.sh SRCDIR: lists the sources with strings marked for
# translation that po/POTFILES.in leaves out, and fails if there are any.
cd "$1" || exit 2
missing=$(
  { grep -lE '\b(_|N_|C_|NC_)[[:space:]]*\(|g_dn?gettext' app/core/*.c app/cli/*.c app/gui/*.c
    grep -l 'translatable="yes"' ui/*.ui ui/gtk/*.ui
    # The knowledge base's texts, written out by po/kb-strings.py.
    echo po/kb-strings.h
  } 2>/dev/null | sort -u | while read -r file; do
    grep -qxF "$file" po/POTFILES.in || echo "$file"
  done
)
if [ -n "$missing" ]; then
  echo "Missing from po/POTFILES.in:"
  echo "$missing"
  exit 1
fi
echo "po/POTFILES.in lists every source with translatable strings"

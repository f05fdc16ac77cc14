#!/usr/bin/python3
# scan.py: the secrets sweep: no canary password, in any encoding, in what the suite wrote
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: scan.py [--canary TEXT]... [--tests-dir DIR] [--require PATH[|PATH...]]...
#                [--min-files N] [--min-bytes N] PATH...
#        scan.py --self-test
#
# The canaries are every string matching CANARY_RE in the files under
# --tests-dir (the tests' sources, default: the directory above this one),
# plus each --canary. Every file under each PATH (recursively; text or
# binary; a .gz is read decompressed too, and a .json, or a file of JSON
# lines such as meson's testlog.json, is read decoded too, so an escape JSON
# allows cannot hide a canary) is searched for each canary as:
#   plain; base64 at each of the three byte alignments (the stable core of
#   the encoding, so a canary inside a bigger blob such as AUTH PLAIN's
#   "\0user\0password" is found too); base64url where it differs; hex, lower
#   and upper case; percent-encoding (the usual form where it differs, and
#   every byte escaped); JSON, C and HTML escapes where they differ.
# Each hit is printed as FILE:OFFSET:ENCODING (the canary itself is never
# printed, only which one and a masked context), then how many files and
# bytes were read. Exits 1 on any hit, and also when fewer than --min-files
# files or --min-bytes bytes were read or a --require'd path (any one of its
# |-separated alternatives) is missing: an empty sweep proves nothing.
#
# --self-test plants every encoding of a made-up canary in files of every
# kind (plain, binary, .gz, .json with escapes) and checks each is found,
# and that a clean file gives no hit. Python stdlib only.

import argparse
import base64
import gzip
import html
import json
import os
import re
import sys
import tempfile
import urllib.parse
import zlib

CANARY_RE = re.compile(rb"Canary-Pa55-[A-Za-z0-9-]*[A-Za-z0-9]")
HERE = os.path.dirname(os.path.abspath(__file__))
CONTEXT = 32
# Files read to collect the canaries: text sources only.
SOURCE_SUFFIXES = (".c", ".h", ".py", ".sh", ".build", ".json", ".txt", ".md", ".tmpl",
                   ".ui", ".in", "")


# --- the canaries and their encodings ------------------------------------------

def collect_canaries(tests_dir):
    """{canary bytes: first file that names it} for every canary under tests_dir."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(tests_dir):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", ".git"))
        for name in sorted(filenames):
            if os.path.splitext(name)[1] not in SOURCE_SUFFIXES:
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            for m in CANARY_RE.finditer(data):
                found.setdefault(m.group(0), os.path.relpath(path, tests_dir))
    return found


def b64_core(secret, align, alphabet=None):
    """The part of base64(X + secret + Y) that is the same whatever X and Y
    are, for len(X) % 3 == align: the characters whose 6 bits all come from
    the secret."""
    data = b"\0" * align + secret + b"\0" * 3
    encoded = base64.b64encode(data, altchars=alphabet)
    start_bit, end_bit = 8 * align, 8 * (align + len(secret))
    first = -(-start_bit // 6)          # ceil
    last = end_bit // 6                 # exclusive
    return encoded[first:last]


def c_escape(text):
    out = []
    for byte in text.encode():
        ch = chr(byte)
        if ch in '\\"':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7f:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out).encode()


def encodings(secret):
    """[(encoding name, needle bytes)] for a canary, each needle once."""
    text = secret.decode()
    forms = [("plain", secret)]
    for align in range(3):
        forms.append((f"base64/{align}", b64_core(secret, align)))
    for align in range(3):
        forms.append((f"base64url/{align}", b64_core(secret, align, b"-_")))
    forms += [
        ("hex", secret.hex().encode()),
        ("HEX", secret.hex().upper().encode()),
        ("percent", urllib.parse.quote(text, safe="").encode()),
        ("percent-plus", urllib.parse.quote_plus(text, safe="").encode()),
        ("percent-all", "".join(f"%{b:02X}" for b in secret).encode()),
        ("percent-all-lower", "".join(f"%{b:02x}" for b in secret).encode()),
        ("json", json.dumps(text)[1:-1].encode()),
        ("json-utf8", json.dumps(text, ensure_ascii=False)[1:-1].encode()),
        ("c", c_escape(text)),
        ("html", html.escape(text).encode()),
    ]
    # A needle once, named after every encoding that gives it ("base64/0+base64url/0").
    names = {}
    for name, needle in forms:
        if len(needle) >= 6:
            names.setdefault(needle, []).append(name)
    return [("+".join(n), needle) for needle, n in names.items()]


# --- the search ------------------------------------------------------------------

class Sweep:
    def __init__(self, canaries):
        # [(canary label, encoding, needle)]
        self.needles = []
        for i, (secret, origin) in enumerate(sorted(canaries.items())):
            for name, needle in encodings(secret):
                self.needles.append((f"canary#{i + 1} ({origin})", name, needle))
        self.files = 0
        self.bytes = 0
        self.hits = []

    def mask(self, data):
        for _, _, needle in self.needles:
            data = data.replace(needle, b"<" + b"*" * 3 + b">")
        return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}"
                       for ch in data.decode("latin-1"))

    def search(self, where, data, offset_base=0, how=""):
        for label, name, needle in self.needles:
            start = 0
            while True:
                at = data.find(needle, start)
                if at < 0:
                    break
                context = self.mask(data[max(0, at - CONTEXT):at + len(needle) + CONTEXT])
                self.hits.append((where, offset_base + at, name + how, label, context))
                start = at + 1

    def scan_file(self, path, data=None, shown=None):
        """Searches a file; a gzip's contents too (counted in bytes, not files)."""
        shown = shown or path
        if data is not None:
            self.bytes += len(data)
        else:
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as e:
                self.hits.append((shown, 0, "unreadable", str(e), ""))
                return
            self.files += 1
            self.bytes += len(data)
        self.search(shown, data)
        lower = path.lower()
        if lower.endswith(".gz") or data[:2] == b"\x1f\x8b":
            try:
                inner = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                inner = None
            if inner is not None:
                self.scan_file(path[:-3] if lower.endswith(".gz") else path + "~",
                               inner, shown + "!gunzip")
                return
        if lower.endswith((".json", ".jsonl")) or data[:1] in (b"{", b"["):
            self.scan_json(shown, data)

    def scan_json(self, shown, data):
        """The strings of a JSON document, or of each line of JSON lines,
        decoded: whatever escapes the writer chose."""
        try:
            docs = [(0, json.loads(data))]
        except ValueError:
            docs = []
            offset = 0
            for line in data.split(b"\n"):
                try:
                    docs.append((offset, json.loads(line)))
                except ValueError:
                    pass
                offset += len(line) + 1
        for offset, doc in docs:
            for path, text in strings_of(doc):
                encoded = text.encode("utf-8", "surrogatepass")
                self.search(shown, encoded, offset, f" (decoded JSON string at {path})")

    def scan_path(self, path):
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    full = os.path.join(dirpath, name)
                    if os.path.isfile(full):
                        self.scan_file(full)
        elif os.path.isfile(path):
            self.scan_file(path)


def strings_of(doc, path="$"):
    if isinstance(doc, str):
        yield path, doc
    elif isinstance(doc, dict):
        for key, value in doc.items():
            yield f"{path}.{key}[key]", str(key)
            yield from strings_of(value, f"{path}.{key}")
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from strings_of(value, f"{path}[{i}]")


# --- the self-test ---------------------------------------------------------------

def self_test():
    """Plants each encoding of a made-up canary and checks it is found."""
    import random
    rng = random.Random(4242)
    # Built here, never written whole in a source file, so the sweep of the
    # tests' sources does not collect it.
    secret = ("Canary" + "-Pa55-" + "SelfTest-" + "".join(
        rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))).encode()
    # Quotes, a backslash, a non-ASCII letter and bytes whose base64 has + and /.
    other = ("Canary" + "-Pa55-" + "Quote\"Back\\slash-é?>~?>~?>~").encode()
    sweep = Sweep({secret: "self-test", other: "self-test"})
    names = {n for s in (secret, other) for name, _ in encodings(s) for n in name.split("+")}
    problems = []
    planted = 0

    def junk(n):
        return bytes(rng.randrange(256) for _ in range(n))

    with tempfile.TemporaryDirectory(prefix="md-secrets-selftest-") as tmp:
        cases = []   # (file name, bytes, encoding expected)
        for which, s in (("a", secret), ("b", other)):
            for name, needle in encodings(s):
                cases.append((f"{which}-{name.replace('/', '_')}.bin",
                              junk(37) + needle + junk(41), name.split("+")[0]))
            # The real thing, as a client sends it: base64 of the whole blob.
            for prefix in (b"", b"x", b"\0alice\0", b"\0al\0", b"user:"):
                blob = base64.b64encode(prefix + s + b"\r\n" * (len(prefix) % 2))
                cases.append((f"{which}-blob-{len(prefix)}.txt",
                              b"C: AUTH PLAIN " + blob + b"\r\n",
                              f"base64/{len(prefix) % 3}"))
                url = base64.urlsafe_b64encode(b"?" * len(prefix) + s).rstrip(b"=")
                cases.append((f"{which}-url-{len(prefix)}.txt", url,
                              f"base64url/{len(prefix) % 3}"))
            # Inside a gzip, and inside JSON that escapes every character.
            cases.append((f"{which}-log.txt.gz", gzip.compress(b"line\n" + s + b"\n"), "plain"))
            escaped = "".join(f"\\u{ord(c):04x}" for c in s.decode())
            cases.append((f"{which}-report.json",
                          f'{{"transcript": ["{escaped}"]}}'.encode(), "plain"))
            lines = b'{"name": "t", "stdout": "ok"}\n' + \
                f'{{"stdout": "x\\u00{s[0]:02x}{escaped[6:]}"}}\n'.encode()
            cases.append((f"{which}-testlog.json", lines, "plain"))
        for name, data, _ in cases:
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        clean = os.path.join(tmp, "clean.txt")
        with open(clean, "wb") as f:
            f.write(b"Canary-Pa55 without its tail, " + secret[:-1] + b"? no: "
                    + base64.b64encode(b"alice") + junk(4096))
        sweep.scan_path(tmp)
        by_file = {}
        for where, offset, how, label, context in sweep.hits:
            by_file.setdefault(os.path.basename(where.split("!")[0]), []).append(how)
        for name, _, want in cases:
            planted += 1
            got = by_file.get(name, [])
            if not any(want in h.split(" ")[0].split("+") for h in got):
                problems.append(f"{name}: {want} not found (found: {got})")
        if "clean.txt" in by_file:
            problems.append(f"clean.txt: false hits {by_file['clean.txt']}")
        if sweep.files != len(cases) + 1:
            problems.append(f"read {sweep.files} files, planted {len(cases) + 1}")
    found = {n for hits in by_file.values() for h in hits for n in h.split(" ")[0].split("+")}
    missing = names - found
    if missing:
        problems.append(f"encodings never found: {sorted(missing)}")
    for p in problems:
        print(f"self-test: FAIL {p}")
    print(f"self-test: {planted} planted files, {len(names)} encodings "
          f"({', '.join(sorted(names))}), {len(problems)} problem(s)")
    return 1 if problems else 0


# --- main ------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description="Mail Doctor's secrets sweep")
    parser.add_argument("paths", nargs="*", help="files and directories to search")
    parser.add_argument("--canary", action="append", default=[],
                        help="a further canary password")
    parser.add_argument("--tests-dir", default=os.path.dirname(HERE),
                        help="where the canaries are collected from (default: tests/)")
    parser.add_argument("--require", action="append", default=[], metavar="PATH[|PATH...]",
                        help="a path that must exist (one of the alternatives)")
    parser.add_argument("--min-files", type=int, default=1)
    parser.add_argument("--min-bytes", type=int, default=1)
    parser.add_argument("--self-test", action="store_true",
                        help="plant every encoding and check each is found")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    if args.self_test:
        return self_test()
    canaries = collect_canaries(args.tests_dir)
    for extra in args.canary:
        canaries.setdefault(extra.encode(), "--canary")
    problems = []
    if not canaries:
        problems.append(f"no canary found under {args.tests_dir}")
    for alternatives in args.require:
        if not any(os.path.exists(p) for p in alternatives.split("|")):
            problems.append(f"expected source missing: {alternatives}")
    sweep = Sweep(canaries)
    for path in args.paths:
        if os.path.exists(path):
            before = sweep.files
            sweep.scan_path(path)
            print(f"# {path}: {sweep.files - before} file(s)")
        else:
            print(f"# {path}: not there")
    for where, offset, how, label, context in sweep.hits:
        print(f"{where}:{offset}:{how}: {label}: ...{context}...")
    encodings_checked = sorted({n for _, name, _ in sweep.needles for n in name.split("+")})
    print(f"# canaries: {len(canaries)} ("
          + ", ".join(f"#{i + 1} from {o}" for i, o in enumerate(
              v for _, v in sorted(canaries.items()))) + ")")
    print(f"# encodings: {len(encodings_checked)} ({', '.join(encodings_checked)}); "
          f"{len(sweep.needles)} needles")
    print(f"# scanned {sweep.files} files, {sweep.bytes} bytes; {len(sweep.hits)} hit(s)")
    if sweep.files < args.min_files:
        problems.append(f"only {sweep.files} files scanned, want at least {args.min_files}")
    if sweep.bytes < args.min_bytes:
        problems.append(f"only {sweep.bytes} bytes scanned, want at least {args.min_bytes}")
    for p in problems:
        print(f"FAIL: {p}")
    return 1 if sweep.hits or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

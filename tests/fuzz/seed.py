#!/usr/bin/python3
# seed.py: writes the seed corpus of each fuzz target, from the knowledge
# base and the tests, so that no binary seeds are committed.
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: seed.py OUTDIR   (writes OUTDIR/<target>/seed-<hash>)

import hashlib
import json
import os
import re
import sys

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))

LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
ESCAPE = re.compile(r'\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)')
SIMPLE = {'n': b'\n', 'r': b'\r', 't': b'\t', '0': b'\0', '\\': b'\\', '"': b'"', "'": b"'"}


def read(path):
    with open(os.path.join(TOP, path), encoding='utf-8') as f:
        return f.read()


def unescape(text):
    """The bytes of a C string literal's body."""
    out = b''
    pos = 0
    for m in ESCAPE.finditer(text):
        out += text[pos:m.start()].encode('utf-8')
        esc = m.group(1)
        if esc[0] == 'x':
            out += bytes([int(esc[1:], 16)])
        elif esc[0] in '01234567' and esc != '0':
            out += bytes([int(esc, 8) & 0xff])
        else:
            out += SIMPLE.get(esc, esc.encode('utf-8'))
        pos = m.end()
    return out + text[pos:].encode('utf-8')


def literals(path):
    """Every string literal of a C file, adjacent ones joined, as bytes."""
    source = read(path)
    # Join "a" "b" across whitespace, as the compiler does.
    joined = re.sub(r'"\s*\n\s*"', '', source)
    return [unescape(m.group(1)) for m in LITERAL.finditer(joined)]


def c_documents(path):
    """The static const char NAME[] = "..." "..."; documents of a C file."""
    docs = []
    for m in re.finditer(r'static const char \w+\[\]\s*=(.*?);\n', read(path), re.S):
        docs.append(b''.join(unescape(s) for s in LITERAL.findall(m.group(1))))
    return docs


def kb_texts():
    kb = json.loads(read('app/core/kb/replies.json'))
    texts = []
    for rule in kb['rules']:
        code = str(rule.get('code') or 550)
        enhanced = rule.get('enhanced') or '5.7.1'
        for marker in rule.get('markers', []):
            texts.append(f'{code} {enhanced} {marker}')
    for row in kb['enhanced_codes']:
        texts.append('550 ' + row['code'].replace('X', '5') + '.0 rejected')
    for row in kb['reply_codes']:
        texts.append(row['code'] + ' ' + row['explanation'])
    corpus = json.loads(read('tests/data/replies-corpus.json'))
    texts += [r['text'] for r in corpus['replies']]
    return [t.encode('utf-8') for t in texts]


def as_wire(text):
    """A pasted text as a server would send it, if it holds a reply."""
    m = re.search(rb'\b([2-5][0-9][0-9])[ -](.*)', text)
    if m is None:
        return None
    lines = m.group(2).replace(b'\r', b'').split(b'\n')
    code = m.group(1)
    wire = b''
    for i, line in enumerate(lines):
        wire += code + (b' ' if i == len(lines) - 1 else b'-') + line + b'\r\n'
    return wire


EHLO = (b'220 mx.example.com ESMTP\r\n'
        b'250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n'
        b'250-8BITMIME\r\n250-STARTTLS\r\n250-AUTH=LOGIN PLAIN\r\n250-AUTH LOGIN PLAIN XOAUTH2\r\n'
        b'250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n250-DSN\r\n250 SMTPUTF8\r\n')

ACCOUNTS = [
    b'sam@example.org\nsmtp.example.org\n587\nsam\n192.0.2.1\n550 5.7.1 denied\n\n10M\nstarttls',
    b'sam@b\xc3\xbccher.example\n[2001:db8::25]\n465\n\n2001:db8::1\n\n\n12 MB\ntls',
    b'\nsmtp.example.org.\n25\nuser\n\n\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nauto',
    b'"a b"@example.net\nsmtp://x\n0587\n\nnot an ip\n\n\n5M\nnone',
]


def mail_auth_records():
    records = set()
    pattern = re.compile(r'v=(?:spf1|DMARC1|DKIM1|STSv1|TLSRPTv1)[^"]*')
    for path in ('tests/peers/dnslab.py', 'tests/peers/dns_cases.py'):
        if os.path.exists(os.path.join(TOP, path)):
            records.update(m.group(0).encode('utf-8') for m in pattern.finditer(read(path)))
    records.update(s for s in literals('tests/core/test-mail-auth.c')
                   if re.search(rb'v=|p=|k=|rua=|pct=|ip4:|include:|all', s))
    return records


def seeds():
    texts = kb_texts()
    reply_literals = literals('tests/core/test-reply.c') + literals('tests/core/test-reader.c')
    wires = [w for w in (as_wire(t) for t in texts) if w is not None]
    wires += [s for s in reply_literals if re.match(rb'[0-9]{3}[ -]', s)] + [EHLO]
    records = mail_auth_records()

    out = {
        'fuzz-reply': [bytes([step]) + w for w in wires for step in (0, 3)],
        'fuzz-reader': [b'\x03\x01\x07\x20' + w for w in wires] + [b'\x00' + EHLO,
                                                                   b'\x02\x05\x00' + EHLO],
        'fuzz-interpret': [bytes([i % 10]) + t for i, t in enumerate(texts)]
                          + [b'\x02' + s for s in literals('tests/core/test-interpret.c')],
        'fuzz-spf': [r for r in records if b'spf' in r.lower() or b'all' in r],
        'fuzz-mail-auth': sorted(records),
        'fuzz-report': c_documents('tests/core/test-report.c'),
        'fuzz-account': ACCOUNTS + [s + b'\n' + s + b'\n587' for s in
                                    literals('tests/core/test-account.c')[:200]],
    }
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: seed.py OUTDIR')
    for target, items in seeds().items():
        directory = os.path.join(sys.argv[1], target)
        os.makedirs(directory, exist_ok=True)
        for item in items:
            name = 'seed-' + hashlib.sha1(item).hexdigest()
            with open(os.path.join(directory, name), 'wb') as f:
                f.write(item)
        print(f'{target}: {len(items)} seeds')


if __name__ == '__main__':
    main()

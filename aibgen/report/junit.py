"""JUnit XML: one test case per file, failing with its error findings.

The counts the root elements carry are known only at the end, so the test cases are
written to a spooled temporary file as results arrive (in memory while small, on disk
beyond 256 KiB) and copied out in small chunks after the header: memory stays flat
however many files.
"""
from __future__ import annotations

import tempfile
from xml.sax.saxutils import escape, quoteattr

from aibgen.report.finding import Finding, Totals

SPOOL = 256 * 1024  # kept in memory up to this size
CHUNK = 64 * 1024  # copied out this much at a time


def stream_junit(results, write) -> Totals:
    """Write the JUnit report for ``results``, ``(file, findings)`` in the order files were given."""
    totals, failures = Totals(), 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL, mode="w+", encoding="utf-8", newline="") as spool:
        for name, found in results:
            totals.add(found)
            failures += any(f.severity == "error" for f in found)
            spool.write(_case("<stdin>" if name == "-" else name, found))
        write('<?xml version="1.0" encoding="UTF-8"?>\n'
              f'<testsuites name="aibgen" tests="{totals.files}" failures="{failures}">\n'
              f'  <testsuite name="aibgen validate" tests="{totals.files}" failures="{failures}">\n')
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            write(chunk)
    write("  </testsuite>\n</testsuites>\n")
    return totals


def _case(name: str, found: list[Finding]) -> str:
    out = [f"    <testcase classname=\"aibgen.validate\" name={quoteattr(_text(name))}>"]
    errs = [f for f in sorted(found, key=Finding.sort_key) if f.severity == "error"]
    if errs:
        body = "\n".join(f"{f.file}:{f.line}:{f.column}: {f.rule} {f.message}" for f in errs)
        out.append(f"      <failure message={quoteattr(f'{len(errs)} error(s)')} type=\"aibgen\">{_xml(body)}</failure>")
    others = [f for f in found if f.severity != "error"]
    if others:
        out.append("      <system-out>" + _xml("\n".join(f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} "
                                                        f"{f.message}" for f in others)) + "</system-out>")
    out.append("    </testcase>")
    return "\n".join(out) + "\n"


def _xml(text: str) -> str:
    return escape(_text(text))


def _text(text: str) -> str:
    """``text`` without what XML cannot hold: control characters dropped, half surrogate pairs as ``\\ud800``-style escapes."""
    if text.isprintable():
        return text
    return "".join(ch if ch in "\t\n\r" or 0x20 <= ord(ch) < 0xD800 or ord(ch) > 0xDFFF
                   else f"\\u{ord(ch):04x}" if ord(ch) >= 0xD800 else "" for ch in text)

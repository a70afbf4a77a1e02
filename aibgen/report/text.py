"""The text report: ``file:line:col: severity RULE message [pointer]``, one finding a line."""
from __future__ import annotations

import re

from aibgen.report.finding import Finding, Totals

# C0 and C1 controls (newlines and ESC among them), DEL, and the Unicode marks that
# reorder or break lines (bidi overrides and isolates, line and paragraph separators)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_KEPT = re.compile(r"\x1b\[[0-9;]*m|\r?\n|\t")


def printable(text: str) -> str:
    """``text`` with every control character as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def printable_lines(text: str) -> str:
    """:func:`printable` for each line of a text meant to span lines."""
    return "\n".join(printable(line) for line in text.split("\n"))


def terminal_text(text: str) -> str:
    """Text from elsewhere (a build log) made safe for a terminal: newlines, tabs and colours
    (SGR sequences, ``ESC [ ... m``) kept, every other control character visible."""
    parts, last = [], 0
    for m in _KEPT.finditer(text):
        parts += [printable(text[last:m.start()]), m.group()]
        last = m.end()
    return "".join(parts) + printable(text[last:])


def _escape(m: re.Match) -> str:
    ch = m.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return named.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def to_text(findings: list[Finding], color: bool = False) -> str:
    """``file:line:col: severity RULE message`` lines."""
    colors = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
    lines = []
    for f in sorted(findings, key=Finding.sort_key):
        sev = f"{colors[f.severity]}{f.severity}\x1b[0m" if color else f.severity
        where = f" [{printable(f.pointer)}]" if f.pointer else ""
        lines.append(f"{printable(f.file)}:{f.line}:{f.column}: {sev} {f.rule} {printable(f.message)}{where}")
    return "\n".join(lines) + ("\n" if lines else "")


def stream_text(results, write, color: bool = False) -> Totals:
    """Write text lines file by file as ``results`` (``(file, findings)``) arrive."""
    totals = Totals()
    for _, found in results:
        totals.add(found)
        if found:
            write(to_text(found, color))
    return totals

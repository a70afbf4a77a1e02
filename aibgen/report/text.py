"""The text report: ``file:line:col: severity RULE message [pointer]``, one finding a line."""
from __future__ import annotations

from aibgen.report.finding import Finding, Totals


def to_text(findings: list[Finding], color: bool = False) -> str:
    """``file:line:col: severity RULE message`` lines."""
    colors = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
    lines = []
    for f in sorted(findings, key=Finding.sort_key):
        sev = f"{colors[f.severity]}{f.severity}\x1b[0m" if color else f.severity
        where = f" [{f.pointer}]" if f.pointer else ""
        lines.append(f"{f.file}:{f.line}:{f.column}: {sev} {f.rule} {f.message}{where}")
    return "\n".join(lines) + ("\n" if lines else "")


def stream_text(results, write, color: bool = False) -> Totals:
    """Write text lines file by file as ``results`` (``(file, findings)``) arrive."""
    totals = Totals()
    for _, found in results:
        totals.add(found)
        if found:
            write(to_text(found, color))
    return totals

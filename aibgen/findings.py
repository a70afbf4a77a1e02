"""Findings (what a check reports) and their text and JSON renderings."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem in one document, located by JSON pointer and by file position."""

    rule: str
    severity: str
    message: str
    pointer: str = ""
    file: str = ""
    line: int = 1
    column: int = 1

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.pointer, self.message)

    def as_dict(self) -> dict:
        """The DESIGN.md JSON shape of a finding."""
        d = asdict(self)
        return {k: d[k] for k in ("file", "line", "column", "rule", "severity", "message", "pointer")}


def summary(findings: list[Finding], files: int) -> dict:
    """Counts for the JSON report."""
    return {"files": files,
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings)}


def to_text(findings: list[Finding], color: bool = False) -> str:
    """``file:line:col: severity RULE message`` lines."""
    colors = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
    lines = []
    for f in sorted(findings, key=Finding.sort_key):
        sev = f"{colors[f.severity]}{f.severity}\x1b[0m" if color else f.severity
        where = f" [{f.pointer}]" if f.pointer else ""
        lines.append(f"{f.file}:{f.line}:{f.column}: {sev} {f.rule} {f.message}{where}")
    return "\n".join(lines) + ("\n" if lines else "")


def to_json(findings: list[Finding], files: int) -> str:
    """The DESIGN.md JSON report."""
    report = {"findings": [f.as_dict() for f in sorted(findings, key=Finding.sort_key)],
              "summary": summary(findings, files)}
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"

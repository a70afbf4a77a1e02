"""A finding: one problem in one document, located by JSON pointer and by file position."""
from __future__ import annotations

from typing import NamedTuple


class Finding(NamedTuple):
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
        return {"file": self.file, "line": self.line, "column": self.column, "rule": self.rule,
                "severity": self.severity, "message": self.message, "pointer": self.pointer}


class Totals:
    """Running counts for a streamed report."""

    def __init__(self) -> None:
        self.files = self.errors = self.warnings = 0

    def add(self, findings: list[Finding]) -> None:
        self.files += 1
        self.errors += sum(f.severity == "error" for f in findings)
        self.warnings += sum(f.severity == "warning" for f in findings)

    def as_dict(self) -> dict:
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings}


def summary(findings: list[Finding], files: int) -> dict:
    """Counts for the JSON report."""
    totals = Totals()
    totals.add(findings)
    totals.files = files
    return totals.as_dict()

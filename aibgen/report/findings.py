"""Findings (what a check reports) and their text and JSON renderings."""
from __future__ import annotations

import json
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


def summary(findings: list[Finding], files: int) -> dict:
    """Counts for the JSON report."""
    totals = Totals()
    totals.add(findings)
    totals.files = files
    return totals.as_dict()


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
    """The DESIGN.md JSON report: one object, one finding per line."""
    parts: list[str] = []
    stream_json([("", findings)], parts.append, files)
    return "".join(parts)





def to_sarif(findings: list[Finding], rules: dict, version: str) -> str:
    """A SARIF 2.1.0 log with one run, for code-scanning services."""
    used = sorted({f.rule for f in findings})
    index = {rid: i for i, rid in enumerate(used)}
    level = {"error": "error", "warning": "warning", "info": "note"}
    run = {
        "tool": {"driver": {
            "name": "aibgen", "version": version, "informationUri": "https://pypi.org/project/aibgen/",
            "rules": [_sarif_rule(rules.get(rid), rid) for rid in used]}},
        "results": [{
            "ruleId": f.rule, "ruleIndex": index[f.rule], "level": level[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.file)},
                "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}},
                "logicalLocations": [{"fullyQualifiedName": f.pointer or "/", "kind": "object"}]}],
        } for f in sorted(findings, key=Finding.sort_key)],
    }
    log = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(rule, rid: str) -> dict:
    if rule is None:
        return {"id": rid}
    level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity]
    return {"id": rid, "name": rid, "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.explain}, "defaultConfiguration": {"level": level},
            "help": {"text": rule.explain}}


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/")) if path else "stdin"


def to_junit(findings: list[Finding], files: list[str]) -> str:
    """JUnit XML: one test case per file, failing with its error findings."""
    from xml.sax.saxutils import quoteattr

    by_file: dict[str, list[Finding]] = {name: [] for name in files}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    errors = sum(1 for fs in by_file.values() if any(f.severity == "error" for f in fs))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="aibgen" tests="{len(by_file)}" failures="{errors}">',
           f'  <testsuite name="aibgen validate" tests="{len(by_file)}" failures="{errors}">']
    for name, fs in by_file.items():
        out.append(f"    <testcase classname=\"aibgen.validate\" name={quoteattr(name)}>")
        errs = [f for f in sorted(fs, key=Finding.sort_key) if f.severity == "error"]
        if errs:
            body = "\n".join(f"{f.file}:{f.line}:{f.column}: {f.rule} {f.message}" for f in errs)
            out.append(f"      <failure message={quoteattr(f'{len(errs)} error(s)')} type=\"aibgen\">{_xml(body)}</failure>")
        others = [f for f in fs if f.severity != "error"]
        if others:
            out.append("      <system-out>" + _xml("\n".join(f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} "
                                                            f"{f.message}" for f in others)) + "</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def _xml(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape("".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20))


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


def stream_text(results, write, color: bool = False) -> Totals:
    """Write text lines file by file as ``results`` (``(file, findings)``) arrive."""
    totals = Totals()
    for _, found in results:
        totals.add(found)
        if found:
            write(to_text(found, color))
    return totals


def stream_json(results, write, files: int | None = None) -> Totals:
    """Write the DESIGN.md JSON report file by file as ``results`` arrive."""
    totals = Totals()
    write('{"findings": [')
    first = True
    for _, found in results:
        totals.add(found)
        if not found:
            continue
        rows = json.dumps([f.as_dict() for f in sorted(found, key=Finding.sort_key)], ensure_ascii=False)[1:-1]
        # one finding per line; '}, {"file"' cannot occur inside a JSON string (quotes are escaped there)
        write(("\n  " if first else ",\n  ") + rows.replace('}, {"file"', '},\n  {"file"'))
        first = False
    if files is not None:
        totals.files = files
    write(("\n]" if not first else "]") + f',\n "summary": {json.dumps(totals.as_dict())}}}\n')
    return totals

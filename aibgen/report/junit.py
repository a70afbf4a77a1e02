"""JUnit XML: one test case per file, failing with its error findings."""
from __future__ import annotations

from aibgen.report.finding import Finding


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

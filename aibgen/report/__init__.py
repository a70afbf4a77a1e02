"""Findings and the report formats of ``aibgen validate``.

:data:`FORMATS` is the registry: each format is a function
``(results, write, files, color) -> Totals`` that writes the report for ``results``, an
iterable of ``(file, findings)`` in the order the files were given, through ``write``.
Text and JSON are written file by file as results arrive; SARIF and JUnit need every
finding before they can start.
"""
from __future__ import annotations

from typing import Callable, Iterable

from aibgen.report.finding import Finding, Totals

Results = Iterable[tuple[str, list[Finding]]]
Format = Callable[[Results, Callable[[str], object], list[str], bool], Totals]


def _text(results: Results, write, files: list[str], color: bool) -> Totals:
    from aibgen.report.text import stream_text

    return stream_text(results, write, color)


def _json(results: Results, write, files: list[str], color: bool) -> Totals:
    from aibgen.report.json_report import stream_json

    return stream_json(results, write)


def _sarif(results: Results, write, files: list[str], color: bool) -> Totals:
    from aibgen import __version__
    from aibgen.report.sarif import to_sarif
    from aibgen.rules import load_builtin

    findings, totals = _collect(results)
    write(to_sarif(findings, load_builtin(), __version__))
    return totals


def _junit(results: Results, write, files: list[str], color: bool) -> Totals:
    from aibgen.report.junit import to_junit

    findings, totals = _collect(results)
    write(to_junit(findings, [("<stdin>" if p == "-" else p) for p in files]))
    return totals


def _collect(results: Results) -> tuple[list[Finding], Totals]:
    totals, findings = Totals(), []
    for _, found in results:
        totals.add(found)
        findings.extend(found)
    return findings, totals


FORMATS: dict[str, Format] = {"text": _text, "json": _json, "sarif": _sarif, "junit": _junit}

"""Findings and the report formats of ``aibgen validate``.

:data:`FORMATS` is the registry: each format is a function
``(results, write, files, color) -> Totals`` that writes the report for ``results``, an
iterable of ``(file, findings)`` in the order the files were given, through ``write``.
Every format is written file by file as results arrive, so memory stays flat however many
files there are: SARIF puts each run's results before its tool (whose rule list grows
with them), JUnit spools its test cases because its header carries the counts.
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
    from aibgen.report.sarif import stream_sarif
    from aibgen.rules import load_builtin

    return stream_sarif(results, write, load_builtin(), __version__)


def _junit(results: Results, write, files: list[str], color: bool) -> Totals:
    from aibgen.report.junit import stream_junit

    return stream_junit(results, write)


FORMATS: dict[str, Format] = {"text": _text, "json": _json, "sarif": _sarif, "junit": _junit}

"""SARIF 2.1.0, for code-scanning services, written as the results arrive.

The log is written result by result, so memory stays flat however many files are checked:
the run's ``results`` come first and its ``tool`` (whose ``driver.rules`` lists each rule a
result used, in order of first use, so that ``ruleIndex`` is known when a result is
written) comes last. JSON objects are unordered, so this is the same log SARIF consumers
read; the text is indented as ``json.dumps(log, indent=2)`` would indent it.
"""
from __future__ import annotations

import json

from aibgen.report.finding import Finding, Totals

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def stream_sarif(results, write, rules: dict, version: str) -> Totals:
    """Write a SARIF 2.1.0 log with one run as ``results`` (``(file, findings)``) arrive."""
    totals, index = Totals(), {}
    write(f'{{\n  "$schema": "{SCHEMA}",\n  "version": "2.1.0",\n  "runs": [\n    {{\n      "results": [')
    first = True
    for _, found in results:
        totals.add(found)
        if not found:
            continue
        rows = [_dumps(_result(f, index.setdefault(f.rule, len(index))), 8) for f in sorted(found, key=Finding.sort_key)]
        write(("\n" if first else ",\n") + ",\n".join(rows))
        first = False
    tool = {"driver": {"name": "aibgen", "version": version, "informationUri": "https://pypi.org/project/aibgen/",
                       "rules": [_rule(rules.get(rid), rid) for rid in index]}}
    write(("]" if first else "\n      ]") + f',\n      "tool": {_dumps(tool, 6).lstrip()}\n    }}\n  ]\n}}\n')
    return totals


def _result(f: Finding, index: int) -> dict:
    return {"ruleId": f.rule, "ruleIndex": index, "level": _LEVEL[f.severity], "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.file)},
                "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}},
                "logicalLocations": [{"fullyQualifiedName": f.pointer or "/", "kind": "object"}]}]}


def _dumps(value, indent: int) -> str:
    """``value`` as indented JSON, every line shifted right by ``indent`` spaces."""
    pad = " " * indent
    return pad + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)


def _rule(rule, rid: str) -> dict:
    if rule is None:
        return {"id": rid}
    return {"id": rid, "name": rid, "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.explain}, "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "help": {"text": rule.explain}}


def _uri(path: str) -> str:
    """The URI of a file: its path, percent-encoded (a name that is not UTF-8 keeps its own bytes)."""
    from urllib.parse import quote

    if not path:
        return "stdin"
    path = path.replace("\\", "/")
    try:
        return quote(path.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return quote(path.encode("utf-8", "surrogatepass"))

"""SARIF 2.1.0, for code-scanning services."""
from __future__ import annotations

import json

from aibgen.report.finding import Finding


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

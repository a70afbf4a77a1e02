"""``aibgen validate`` as a library call: read template JSON, find the shape, check it.

Shapes: the bare imageTemplates resource; an ARM deployment template with one or more
imageTemplates in ``resources``; the ``properties`` object alone.
"""
from __future__ import annotations

import json
from pathlib import Path

from aibgen import resources
from aibgen.check import check_schema
from aibgen.errors import InputError
from aibgen.findings import Finding
from aibgen.locate import Positions
from aibgen.render import RESOURCE_TYPE


def read(path: str) -> tuple[str, str]:
    """(display name, text) of a file, or of stdin for ``-``."""
    import sys

    if path == "-":
        raw = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if p.is_dir():
            raise InputError(f"{path}: is a directory; pass template JSON files")
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        name = path
    from aibgen.yamlsrc import decode

    return name, decode(raw, name, InputError)


def templates(doc) -> list[tuple[str, dict, bool]]:
    """``(pointer, resource, properties_only)`` for every image template in ``doc``."""
    if not isinstance(doc, dict):
        return []
    if isinstance(doc.get("resources"), list):
        found = []
        for i, res in enumerate(doc["resources"]):
            if isinstance(res, dict) and str(res.get("type", "")).lower() == RESOURCE_TYPE.lower():
                found.append((f"/resources/{i}", res, False))
        return found
    if "source" in doc and "distribute" in doc and "properties" not in doc:
        return [("", doc, True)]
    return [("", doc, False)]


def validate_text(name: str, text: str, api_version: str | None = None) -> list[Finding]:
    """Findings for one JSON document."""
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        return [Finding("AIB001", "error", f"not valid JSON: {exc.msg}", "", name, exc.lineno, exc.colno)]
    found = templates(doc)
    if not found:
        return [Finding("AIB002", "error", "no Image Builder template found: expected an imageTemplates resource, "
                        "an ARM template with one, or its properties object", "", name)]
    findings = []
    for base, res, props_only in found:
        version = api_version or (resources.latest_api_version() if props_only else str(res.get("apiVersion", "")))
        body = {"location": "westus2", "identity": {}, "properties": res} if props_only else res
        for f in check_schema(body, version):
            ptr = f.pointer[len("/properties"):] if props_only else f.pointer
            findings.append(Finding(f.rule, f.severity, f.message, base + ptr, name))
    if findings:
        pos = Positions(text)
        findings = [Finding(f.rule, f.severity, f.message, f.pointer, name, *pos.lookup(f.pointer)) for f in findings]
    return findings


def validate_file(path: str, api_version: str | None = None) -> list[Finding]:
    """Findings for one file (``-`` reads stdin)."""
    name, text = read(path)
    return validate_text(name, text, api_version)

"""Which apiVersion a template is checked against, and AIB003/AIB005/AIB008 about its own.

``--api-version`` wins; else the document's stable version; a retired preview is checked
against its stable successor, an unknown version against the nearest older stable one,
and an ARM expression or a missing value against the newest.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aibgen import resources
from aibgen.check.shapes import Template
from aibgen.check.values import is_expression, placeholder
from aibgen.rules import finding

if TYPE_CHECKING:
    from aibgen.check.engine import Options

RETIRED = {"2018-02-01-preview": "2020-02-14", "2019-02-01-preview": "2020-02-14", "2019-05-01-preview": "2020-02-14"}


def resolve_version(t: Template, opts: Options) -> str:
    """The apiVersion to check ``t`` against; notes about it go into ``t.findings``."""
    stable = resources.api_versions()
    if opts.api_version:
        return opts.api_version
    if t.properties_only:
        return stable[-1]
    value = t.resource.get("apiVersion")
    where = "/apiVersion"
    if value is None:
        t.findings.append(finding("AIB003", f"no apiVersion; checked against {stable[-1]}", where))
        return stable[-1]
    if not isinstance(value, str):
        t.findings.append(finding("AIB003", f"apiVersion must be text such as \"{stable[-1]}\"; "
                                  f"checked against {stable[-1]}", where))
        return stable[-1]
    if is_expression(value) and isinstance(literal(value, t.arm), str):
        value = literal(value, t.arm)
    if placeholder(value):  # reported once, as AIB004 (the placeholder is the cause)
        return stable[-1]
    if is_expression(value):
        t.findings.append(finding("AIB008", f"apiVersion is an ARM expression; checked against {stable[-1]} "
                                  "(pass --api-version to choose)", where))
        return stable[-1]
    if value in stable:
        return value
    if value in RETIRED:
        t.findings.append(finding("AIB005", f"apiVersion {value} is a retired preview; move to {RETIRED[value]} "
                                  f"or newer (newest: {stable[-1]})", where))
        return RETIRED[value]
    older = [v for v in stable if v <= value[:10]]
    nearest = older[-1] if older else stable[0]
    t.findings.append(finding("AIB003", f"apiVersion {value!r} is not a stable Image Builder version "
                              f"(known: {', '.join(stable)}); checked against {nearest}", where))
    return nearest


_REFERENCE = re.compile(r"\[\s*(parameters|variables)\(\s*'([^']+)'\s*\)\s*\]")


def literal(expr: str, arm: dict | None):
    """The literal value an ARM expression ``[parameters('x')]`` (its default) or
    ``[variables('v')]`` stands for in the deployment template ``arm``, else None."""
    m = _REFERENCE.fullmatch(expr)
    if m is None or not isinstance(arm, dict):
        return None
    kind, name = m.groups()
    table = arm.get(kind)
    entry = table.get(name) if isinstance(table, dict) else None
    if kind == "parameters":
        value = entry.get("defaultValue") if isinstance(entry, dict) else None
    else:
        value = entry
    return None if isinstance(value, str) and is_expression(value) else value

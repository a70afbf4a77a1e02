"""Deterministic JSON text in the API's key order (files are written by :mod:`aibgen.output`).

Same inputs give byte-identical output whatever the hash seed, platform or locale:
object keys follow the order the API specification documents them in (free-form maps
such as tags keep the order they were written in), two-space indent, UTF-8, one
trailing newline.
"""
from __future__ import annotations

import json

from aibgen import resources
from aibgen.sources.schemawalk import applicable, child


def ordered(doc, api_version: str):
    """``doc`` with object keys in the order of the apiVersion's schema."""
    schema = resources.schema(api_version)
    return _order(doc, schema, schema["$defs"])


def _order(value, node: dict, defs: dict):
    node = applicable(node, value, defs)
    if isinstance(value, dict):
        props = node.get("properties", {})
        keys = [k for k in props if k in value] + [k for k in value if k not in props]
        return {k: _order(value[k], child(node, k) or {}, defs) for k in keys}
    if isinstance(value, list):
        return [_order(v, child(node, 0) or {}, defs) for v in value]
    return value


def dumps(doc) -> str:
    """The canonical JSON text of ``doc``."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

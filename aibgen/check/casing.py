"""Values whose spelling alone is wrong: type names in the wrong case, upper-case checksums.

A source, customizer, validator or distributor ``type`` that matches one allowed name of
its apiVersion's schema but for case (``sharedImage``) means that name; so does the
resource type (ARM reads it case-insensitively). A ``sha256Checksum`` of 64 hexadecimal
digits in upper case is the same number in lower case, the form Image Builder compares.
"""
from __future__ import annotations

import re

from aibgen import resources
from aibgen.facts.resource_ids import RESOURCE_TYPE
from aibgen.sources.pointers import escape
from aibgen.sources.schemawalk import child, follow, node_at

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
# (pointer of the list or object, is a list) whose items carry a discriminating ``type``
_TYPED = (("/properties/source", False), ("/properties/customize", True),
          ("/properties/validate/inVMValidations", True), ("/properties/distribute", True))


def type_names(resource: dict, version: str, properties_only: bool = False) -> list[tuple[str, str]]:
    """``(pointer, canonical name)`` for each type name that differs from an allowed one only in case."""
    out = []
    kind = resource.get("type")
    if not properties_only and isinstance(kind, str) and kind != RESOURCE_TYPE and kind.lower() == RESOURCE_TYPE.lower():
        out.append(("/type", RESOURCE_TYPE))
    schema = resources.schema(version)
    for ptr, item in _typed_items(resource):
        name = item.get("type")
        allowed = _allowed(schema, resource, ptr)
        same = [a for a in allowed if a.lower() == name.lower()]
        if name not in allowed and len(same) == 1:
            out.append((f"{ptr}/type", same[0]))
    return out


def checksums(resource: dict, version: str) -> list[tuple[str, str]]:
    """``(pointer, lower-case value)`` for each upper-case hexadecimal ``sha256Checksum`` the
    schema of ``version`` has there (customizers, validators, an optimize workload): decided by
    the place in the template, not by the key's name, so a tag named so keeps its value."""
    out = []
    schema = resources.schema(version)
    stack: list[tuple[object, list]] = [(resource.get("properties"), ["properties"])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            value = node.get("sha256Checksum")
            if isinstance(value, str) and _HEX64.fullmatch(value) and value != value.lower() \
                    and _has_checksum(schema, resource, path):
                out.append(("/" + "/".join(escape(str(t)) for t in path + ["sha256Checksum"]), value.lower()))
        pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack += [(value, path + [key]) for key, value in pairs if isinstance(value, (dict, list))]
    return sorted(out)


def _has_checksum(schema: dict, resource: dict, path: list) -> bool:
    """True when the schema describes the object at ``path`` with a ``sha256Checksum`` property."""
    node = node_at(schema, resource, path)
    return node is not None and "sha256Checksum" in node.get("properties", {})


def _typed_items(resource: dict):
    props = resource.get("properties")
    for ptr, is_list in _TYPED:
        node = props
        for token in ptr.split("/")[2:]:
            node = node.get(token) if isinstance(node, dict) else None
        items = (enumerate(node) if isinstance(node, list) else ()) if is_list else [(None, node)]
        for i, item in items:
            if isinstance(item, dict) and isinstance(item.get("type"), str):
                yield (ptr if i is None else f"{ptr}/{i}"), item


def _allowed(schema: dict, resource: dict, ptr: str) -> list[str]:
    """The type names the schema allows for the item at ``ptr``."""
    path = [int(t) if t.isdigit() else t for t in ptr.split("/")[1:]]
    node = node_at(schema, resource, path, branch=False)
    if node is None:
        return []
    defs = schema.get("$defs", {})
    member = follow(child(node, "type") or {}, defs)
    names = list(member.get("enum") or ())
    for part in node.get("allOf", ()):
        const = part.get("if", {}).get("properties", {}).get("type", {}).get("const")
        if isinstance(const, str) and const not in names:
            names.append(const)
    return names

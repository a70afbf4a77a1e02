"""Walk a bundled JSON Schema along a document: which schema node describes a value.

The generated schemas dispatch polymorphic objects (sources, customizers, distributors,
...) with ``allOf`` parts of ``if``/``then``: the branch whose ``const`` discriminators
match the value applies. Output key order and "which apiVersion has this property" both
ask the same question, so both come here.
"""
from __future__ import annotations


def follow(node: dict, defs: dict) -> dict:
    """``node`` with its ``$ref`` chain followed."""
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def applicable(node: dict, value, defs: dict) -> dict:
    """``node`` with ``$ref`` followed and the ``if``/``then`` branch that ``value`` matches taken."""
    node = follow(node, defs)
    if isinstance(value, dict):
        for part in node.get("allOf", ()):
            cond = part.get("if", {}).get("properties", {})
            if "if" in part and all(value.get(k) == c.get("const") for k, c in cond.items()):
                return applicable(part["then"], value, defs)
    return node


def child(node: dict, key) -> dict | None:
    """The schema of ``node``'s member ``key`` (an index for arrays), or None if it has none."""
    if isinstance(key, int):
        items = node.get("items")
        return items if isinstance(items, dict) else None
    props = node.get("properties", {})
    if key in props:
        return props[key]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def node_at(schema: dict, doc, path: list, branch: bool = True) -> dict | None:
    """The schema node that describes ``doc`` at ``path`` (keys and indexes), or None.

    With ``branch=False`` the last node is not narrowed to the ``if``/``then`` branch its
    value matches, so its discriminators and their branches can be read.
    """
    defs = schema.get("$defs", {})
    node, value = schema, doc
    for key in path:
        node = child(applicable(node, value, defs), key)
        if node is None:
            return None
        value = _member(value, key)
    return applicable(node, value, defs) if branch else follow(node, defs)


def allows(node: dict, key: str, value, defs: dict) -> bool:
    """True when the (unnarrowed) schema ``node`` accepts ``value`` as its discriminator ``key``."""
    member = follow(child(node, key) or {}, defs)
    if value in (member.get("enum") or ()) or member.get("const", object()) == value:
        return True
    return any(part.get("if", {}).get("properties", {}).get(key, {}).get("const", object()) == value
               for part in node.get("allOf", ()))


def _member(value, key):
    if isinstance(value, dict):
        return value.get(key)
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    return None

"""Limits on a parsed JSON text beyond what ``json`` checks: nesting depth, key length, and the
non-JSON constants Python's parser accepts (``NaN``, ``Infinity``).
"""
from __future__ import annotations

MAX_DEPTH = 200
MAX_KEY = 64 * 1024  # characters in one object key


class NotJson(ValueError):
    """Something Python's json reads that JSON does not have (NaN, Infinity), or will not be read."""

    def __init__(self, message: str, needle: str) -> None:
        super().__init__(message)
        self.needle = needle


def no_constant(literal: str):
    raise NotJson(f"{literal} is not a JSON number; write a number, or a string", literal)


def long_keys(doc) -> None:
    """Refuse keys past MAX_KEY characters: pointers to what lies below them would fill memory."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            long = next((k for k in node if len(k) > MAX_KEY), None)
            if long is not None:
                raise NotJson(f"a key of {len(long):,} characters; keys in a template are short names", '"' + long[:64])
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def depth(value, level: int = 0) -> int:
    stack = [(value, level)]
    deepest = 0
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > MAX_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node if isinstance(v, (dict, list)))
    return deepest

"""List parameters as ARM array parameters: a list the profile turns item by item into a list
of the template (region names into ``targetRegions`` objects) becomes an ARM ``map()``.

aibgen renders the profile with the list holding zero, one and two unique tokens. When the
only difference between those renders is one list of the template that holds, after fixed
items, one entry per element, each the same shape with the element in it, that list is
written as ``[concat(<fixed items>, map(parameters('x'), lambda('item', <entry>)))]``
(wrapped in ``if(empty(parameters('x')), <what an empty list gives>, ...)`` when an empty
list gives something else). The render with the real value must then match what the
expression gives, or the parameter stays fixed.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from aibgen.sources.pointers import escape

Render = Callable[[dict], dict]
ITEM = "item"


def element(name: str, i: int) -> str:
    """The token standing for element ``i`` of list parameter ``name``."""
    return f"__aibgen.element.{name}.{i}.'__"


def as_map(render: Render, base: dict, name: str, real: list, substitute) -> tuple[str, Callable] | None:
    """``(pointer, expression maker)`` for list parameter ``name``, or None when it cannot be mapped.

    ``base`` are the values (other parameters may be tokens); the maker takes a function that
    turns a JSON value with tokens into an ARM expression body, with ``element(name, 0)``
    standing for the lambda variable."""
    a, b = element(name, 0), element(name, 1)
    try:
        two, one, none = (render(dict(base, **{name: v})) for v in ([a, b], [a], []))
    except Exception:  # noqa: BLE001 - the profile cannot take tokens as elements
        return None
    where = _differences(one, two, "")
    if len(where) != 1:
        return None
    ptr = where[0]
    got1, got2 = _at(one, ptr), _at(two, ptr)
    if not (isinstance(got1, list) and isinstance(got2, list) and got1 and len(got2) == len(got1) + 1):
        return None
    fixed, entry = got1[:-1], got1[-1]
    if got2[:-1] != got1 or got2[-1] != substitute(entry, {a: b}) or _mentions(fixed, a):
        return None
    empty = _differences(one, none, "")
    if not _within(empty, ptr) or (empty and _missing(none, ptr)):
        return None
    otherwise = _at(none, ptr) if empty and _at(none, ptr) != fixed else None
    if not _matches(render, base, name, real, one, ptr, fixed, entry, otherwise, substitute):
        return None

    def make(expression: Callable[[object], str]) -> str:
        body = f"map(parameters('{name}'), lambda('{ITEM}', {expression(entry)}))"
        if fixed:
            body = f"concat({expression(fixed)}, {body})"
        if otherwise is not None:
            body = f"if(empty(parameters('{name}')), {expression(otherwise)}, {body})"
        return f"[{body}]"

    return ptr, make


def _matches(render, base, name, real, one, ptr, fixed, entry, otherwise, substitute) -> bool:
    """Whether the render with the real list is what the expression gives for it."""
    try:
        got = render(dict(base, **{name: real}))
    except Exception:  # noqa: BLE001
        return False
    if not _within(_differences(one, got, ""), ptr):
        return False
    want = otherwise if not real and otherwise is not None else \
        fixed + [substitute(entry, {element(name, 0): v}) for v in real]
    return _at(got, ptr) == want


def _differences(x, y, ptr: str) -> list[str]:
    """Pointers of the smallest parts where ``x`` and ``y`` differ (a list of another length as a whole)."""
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y):
            return [ptr]
        return [d for k in x for d in _differences(x[k], y[k], f"{ptr}/{escape(k)}")]
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        return [d for i, (u, v) in enumerate(zip(x, y)) for d in _differences(u, v, f"{ptr}/{i}")]
    return [] if x == y and type(x) is type(y) else [ptr]


def _within(pointers: list[str], ptr: str) -> bool:
    """Whether every pointer is ``ptr`` or below it."""
    return all(p == ptr or p.startswith(ptr + "/") for p in pointers)


def _at(doc, ptr: str):
    for token in ptr.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(doc, list):
            doc = doc[int(token)]
        elif isinstance(doc, dict) and token in doc:
            doc = doc[token]
        else:
            return None
    return doc


def _missing(doc, ptr: str) -> bool:
    parent, _, key = ptr.rpartition("/")
    holder = _at(doc, parent)
    return isinstance(holder, dict) and key.replace("~1", "/").replace("~0", "~") not in holder


def _mentions(value, tok: str) -> bool:
    return tok in json.dumps(value)


def put(doc, ptr: str, value) -> None:
    """Set the value at ``ptr`` (which exists) in ``doc``."""
    parent, _, key = ptr.rpartition("/")
    holder = _at(doc, parent)
    key = key.replace("~1", "/").replace("~0", "~")
    holder[int(key) if isinstance(holder, list) else key] = value

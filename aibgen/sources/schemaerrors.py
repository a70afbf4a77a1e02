"""Turn jsonschema validation errors into one-sentence messages a person can act on."""
from __future__ import annotations

from aibgen.errors import did_you_mean
from aibgen.sources.pointers import escape, pointer

_TYPES = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
          "number": "a number", "boolean": "true or false", "null": "null"}


def show(value: object) -> str:
    """A short rendering of a value for messages."""
    import json

    text = quote(value[:60], None) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def quote(text: str, limit: int | None = 160) -> str:
    """``text`` in single quotes for a message, control characters escaped (a trailing
    newline shows as ``\\n``); a text longer than ``limit`` is cut in the middle with ``…``
    so that both ends (where a resource id names its type and name) stay visible."""
    if limit is not None and len(text) > limit:
        head = (limit - 1) * 2 // 3
        text = text[:head] + "…" + text[len(text) - (limit - 1 - head):]
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        text = "".join(_ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c) for c in text)
    return f"'{text}'"


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def kind(value: object) -> str:
    """The JSON type name of a value, e.g. ``text`` or ``a list``."""
    for name, py in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                     ("array", list), ("object", dict)):
        if isinstance(value, py):
            return _TYPES[name]
    return _TYPES["null"]


def got(value: object) -> str:
    """A value for "must be ..., not ...": ``null`` or ``true`` alone (the value names its
    kind), else its kind and the value, e.g. ``text 'abc'``."""
    return show(value) if value is None or isinstance(value, bool) else f"{kind(value)} {show(value)}"


def unexpected(error) -> list[str]:
    """Property names an ``additionalProperties: false`` error is about."""
    known = set(error.schema.get("properties", {}))
    return [k for k in error.instance if k not in known]


def describe(error) -> tuple[str, str]:
    """``(pointer, message)`` for one jsonschema error (not additionalProperties)."""
    v, inst, sch = error.validator, error.instance, error.schema
    where = pointer(error.absolute_path)
    name = _name(list(error.absolute_path))
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return where + "/" + escape(missing), f"missing required property '{missing}'"
    if v == "type":
        want = sch["type"] if isinstance(sch["type"], list) else [sch["type"]]
        wants = " or ".join(_TYPES.get(t, t) for t in want)
        return where, f"{name} must be {wants}, not {got(inst)}"
    if v == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        hint = did_you_mean(str(inst), map(str, error.validator_value))
        return where, f"{name} is {show(inst)}{hint}; allowed: {allowed}"
    if v == "const":
        return where, f"{name} must be {show(error.validator_value)}"
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        return where, f"{name} must be {word} {error.validator_value}, got {show(inst)}"
    if v == "pattern":
        return where, f"{name} {show(inst)} does not match the required format {error.validator_value}"
    if v == "minItems":
        return where, f"{name} needs at least {error.validator_value} item(s)"
    if v == "not" and sch.get("readOnly"):
        return where, f"{name} is read-only: the service sets it and ignores the value given here; remove it"
    if v == "propertyNames":
        return where, f"{name} has a key that is not a valid name ({error.message})"
    return where, error.message


def _name(path: list) -> str:
    """How a message names the value at ``path``: ``'sku'``, ``item 2 of 'inline'``, ``the document``."""
    if not path:
        return "the document"
    last = path[-1]
    if isinstance(last, int):
        of = f" of {quote(path[-2], 60)}" if len(path) > 1 and isinstance(path[-2], str) else ""
        return f"item {last + 1}{of}"
    return quote(str(last), 60)

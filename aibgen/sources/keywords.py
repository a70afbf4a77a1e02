"""Compiled checks for the JSON Schema keywords about one value: required, enum, const,
minimum, maximum, pattern and minItems (mixed into :class:`aibgen.sources.validator.Validator`).

Messages are jsonschema's, word for word. One deliberate difference: ``pattern`` reads
``$`` as JSON Schema (ECMA 262) does, the end of the text, where Python's ``re`` would also
accept a newline before it; ``"abc\\n"`` does not match ``^[a-z]+$``.
"""
from __future__ import annotations

import re


class UnsupportedSchema(ValueError):
    """The schema uses something the compiled validator does not implement."""


class SchemaError:
    """One error, with the ``jsonschema.ValidationError`` attributes aibgen uses (``context``: anyOf's branches)."""

    __slots__ = ("validator", "validator_value", "instance", "schema", "absolute_path", "message", "context")

    def __init__(self, validator, value, instance, schema, path, message, context=()):
        self.validator, self.validator_value, self.instance = validator, value, instance
        self.schema, self.absolute_path, self.message = schema, path, message
        self.context = context


def ecma_pattern(pattern: str) -> re.Pattern:
    """``pattern`` compiled so that a final ``$`` means the end of the text, as in JSON Schema."""
    if pattern.endswith("$") and not _escaped(pattern, len(pattern) - 1):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _escaped(text: str, index: int) -> bool:
    """True when the character at ``index`` follows an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


class ValueKeywords:
    """The keyword compilers for single values; each returns ``check(instance, path, errors)``."""

    def _k_required(self, node, value, where):
        def run(inst, path, errors):
            if type(inst) is dict:
                for key in value:
                    if key not in inst:
                        errors.append(SchemaError("required", value, inst, node, path, f"{key!r} is a required property"))
        return run

    def _k_enum(self, node, value, where):
        def run(inst, path, errors):
            if not any(_equal(inst, v) for v in value):
                errors.append(SchemaError("enum", value, inst, node, path, f"{inst!r} is not one of {value!r}"))
        return run

    def _k_const(self, node, value, where):
        def run(inst, path, errors):
            if not _equal(inst, value):
                errors.append(SchemaError("const", value, inst, node, path, f"{value!r} was expected"))
        return run

    def _k_minimum(self, node, value, where):
        def run(inst, path, errors):
            if type(inst) in (int, float) and inst < value:
                errors.append(SchemaError("minimum", value, inst, node, path, f"{inst!r} is less than the minimum of {value!r}"))
        return run

    def _k_maximum(self, node, value, where):
        def run(inst, path, errors):
            if type(inst) in (int, float) and inst > value:
                errors.append(SchemaError("maximum", value, inst, node, path, f"{inst!r} is greater than the maximum of {value!r}"))
        return run

    def _k_pattern(self, node, value, where):
        search = ecma_pattern(value).search

        def run(inst, path, errors):
            if type(inst) is str and not search(inst):
                errors.append(SchemaError("pattern", value, inst, node, path, f"{inst!r} does not match {value!r}"))
        return run

    def _k_minItems(self, node, value, where):
        if type(value) is not int or value < 0:
            raise UnsupportedSchema(f"{where}: minItems must be a non-negative integer, not {value!r}")
        words = "should be non-empty" if value == 1 else "is too short"

        def run(inst, path, errors):
            if type(inst) is list and len(inst) < value:
                errors.append(SchemaError("minItems", value, inst, node, path, f"{inst!r} {words}"))
        return run


def _equal(a, b) -> bool:
    """JSON equality: booleans are not numbers, containers compare deeply."""
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return a == b

"""Compiled JSON Schema validation for the schemas aibgen bundles: API (per apiVersion), profile, config.

A schema becomes nested Python closures once per process; they report every error the way
``jsonschema`` does (same keyword, instance path, schema node and message), about ten times
faster and without importing it (tests/test_compiled.py and tests/test_profile_schema.py
compare the two). A keyword outside :data:`KEYWORDS` is refused when the schema is compiled
(:class:`UnsupportedSchema`, naming it and where it is), never silently skipped.
"""
from __future__ import annotations

import re
from typing import Callable, Iterator

from aibgen.sources.keywords import SchemaError, UnsupportedSchema, ValueKeywords, _equal  # noqa: F401
from aibgen.sources.pointers import escape

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ANNOTATIONS = frozenset({"description", "default", "readOnly", "writeOnly", "title", "examples", "deprecated", "$comment"})
ROOT_ONLY = frozenset({"$schema", "$id", "$defs"})
KEYWORDS = frozenset({"$ref", "type", "properties", "additionalProperties", "propertyNames", "required", "enum",
                      "const", "not", "minimum", "maximum", "pattern", "minItems", "items", "allOf", "anyOf",
                      "if", "then", "else"})
_DEF_REF = re.compile(r"^#/\$defs/([^/~]+)$")
Check = Callable[[object, tuple, list], None]  # check(instance, path, errors): appends the instance's errors
_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda v: type(v) is dict, "array": lambda v: type(v) is list, "string": lambda v: type(v) is str,
    "integer": lambda v: (type(v) is int) or (type(v) is float and v.is_integer()),
    "number": lambda v: type(v) in (int, float), "boolean": lambda v: type(v) is bool, "null": lambda v: v is None,
}


class Validator(ValueKeywords):
    """``Validator(schema).iter_errors(doc)`` yields every :class:`SchemaError`; raises :class:`UnsupportedSchema`."""

    def __init__(self, schema: dict) -> None:
        if schema.get("$schema", DRAFT) != DRAFT:
            raise UnsupportedSchema(f"#/$schema: only Draft 2020-12 ({DRAFT}) is supported, not {schema['$schema']!r}")
        self.defs = schema.get("$defs", {})
        self.compiled: dict[str, Check | None] = {}
        for name in self.defs:  # every definition, used or not, must be supported
            self._ref(name, f"#/$defs/{name}")
        self.root = self._node(schema, "#", root=True)

    def iter_errors(self, instance) -> Iterator[SchemaError]:
        errors: list = []
        self.root(instance, (), errors)
        return iter(errors)

    def _node(self, node, where: str, root: bool = False) -> Check:
        if not isinstance(node, dict):
            raise UnsupportedSchema(f"{where}: a {type(node).__name__} schema is not supported; use an object")
        skipped = ANNOTATIONS | ROOT_ONLY if root else ANNOTATIONS
        return _all([self._keyword(node, k, f"{where}/{k}") for k in node if k not in skipped])

    def _keyword(self, node: dict, key: str, where: str) -> Check | None:
        if key not in KEYWORDS:
            raise UnsupportedSchema(f"{where}: schema keyword {key!r} is not supported by the compiled validator")
        return getattr(self, "_k_" + key.lstrip("$"))(node, node[key], where)

    def _ref(self, name: str, where: str) -> Check:
        if name not in self.defs:
            raise UnsupportedSchema(f"{where}: no definition '#/$defs/{name}'")
        if name not in self.compiled:
            self.compiled[name] = None  # break cycles: resolved at call time
            self.compiled[name] = self._node(self.defs[name], f"#/$defs/{name}")
        compiled = self.compiled
        return lambda inst, path, errors: compiled[name](inst, path, errors)

    def _k_ref(self, node, value, where):
        match = _DEF_REF.match(value) if isinstance(value, str) else None
        if match is None:
            raise UnsupportedSchema(f"{where}: only references of the form '#/$defs/Name' are supported, not {value!r}")
        return self._ref(match.group(1), where)

    def _k_type(self, node, value, where):
        names = value if isinstance(value, list) else [value]
        unknown = [n for n in names if n not in _TYPES]
        if unknown:
            raise UnsupportedSchema(f"{where}: unknown type {unknown[0]!r}")
        tests = [_TYPES[n] for n in names]
        shown = ", ".join(repr(n) for n in names)

        def run(inst, path, errors):
            if not any(t(inst) for t in tests):
                errors.append(SchemaError("type", value, inst, node, path, f"{inst!r} is not of type {shown}"))
        return run

    def _k_properties(self, node, value, where):
        children = {k: self._node(v, f"{where}/{escape(k)}") for k, v in value.items()}
        get = {k: c for k, c in children.items() if c is not _anything}.get

        def run(inst, path, errors):
            if type(inst) is dict:
                for key, item in inst.items():
                    child = get(key)
                    if child is not None:
                        child(item, path + (key,), errors)
        return run

    def _k_additionalProperties(self, node, value, where):
        known = frozenset(node.get("properties", {}))
        if value is False:
            def closed(inst, path, errors):
                if type(inst) is dict and not known.issuperset(inst):
                    extra = sorted((k for k in inst if k not in known), key=str)
                    names, verb = ", ".join(repr(k) for k in extra), "was" if len(extra) == 1 else "were"
                    errors.append(SchemaError("additionalProperties", False, inst, node, path,
                                              f"Additional properties are not allowed ({names} {verb} unexpected)"))
            return closed
        child = _anything if value is True else self._node(value, where)
        if child is _anything:
            return None

        def extra(inst, path, errors):
            if type(inst) is dict:
                for key, item in inst.items():
                    if key not in known:
                        child(item, path + (key,), errors)
        return extra

    def _k_propertyNames(self, node, value, where):
        child = self._node(value, where)

        def run(inst, path, errors):  # each name is checked as a string at the mapping's path
            if type(inst) is dict:
                for key in inst:
                    child(key, path, errors)
        return run

    def _k_not(self, node, value, where):
        holds = self._predicate(value, where)

        def run(inst, path, errors):
            if holds(inst):
                errors.append(SchemaError("not", value, inst, node, path, f"{inst!r} should not be valid under {value!r}"))
        return run

    def _k_items(self, node, value, where):
        child = self._node(value, where)

        def run(inst, path, errors):
            if type(inst) is list:
                for i, item in enumerate(inst):
                    child(item, path + (i,), errors)
        return run

    def _k_allOf(self, node, value, where):
        return _all([self._node(p, f"{where}/{i}") for i, p in enumerate(value)])

    def _k_anyOf(self, node, value, where):
        parts = [self._node(p, f"{where}/{i}") for i, p in enumerate(value)]

        def run(inst, path, errors):
            failed: list = []  # jsonschema stops at the first branch that holds
            for part in parts:
                trial: list = []
                part(inst, path, trial)
                if not trial:
                    return
                failed += trial
            errors.append(SchemaError("anyOf", value, inst, node, path,
                                      f"{inst!r} is not valid under any of the given schemas", failed))
        return run

    def _k_if(self, node, value, where):
        """``then`` applies where ``if`` holds, ``else`` where it does not; their errors are their own."""
        test, base = self._predicate(value, where), where[: -len("if")]
        then, other = (self._node(node[k], base + k) if k in node else _anything for k in ("then", "else"))
        if other is _anything:  # the common case (no else), kept lean: it runs for every list item
            def run(inst, path, errors):
                if test(inst):
                    then(inst, path, errors)
            return run
        return lambda inst, path, errors: (then if test(inst) else other)(inst, path, errors)

    def _k_then(self, node, value, where):
        """Applied by ``if``; without an ``if`` beside it, ignored as jsonschema does (but still compiled)."""
        if "if" not in node:
            self._node(value, where)

    _k_else = _k_then

    def _predicate(self, schema: dict, where: str) -> Callable[[object], bool]:
        """Whether an instance is valid under ``schema`` (an ``if`` or a ``not``)."""
        found = _discriminator(schema)
        if found is not None:  # the discriminator test of every bundled schema, made cheap
            key, wants = found
            if all(type(w) is str for w in wants):
                wanted = frozenset(wants)  # text equals only text
                return lambda inst: type(inst) is not dict or (type(inst.get(key)) is str and inst[key] in wanted)
            return lambda inst: type(inst) is not dict or (key in inst and any(_equal(inst[key], w) for w in wants))
        check = self._node(schema, where)

        def valid(inst):
            trial: list = []
            check(inst, (), trial)
            return not trial
        return valid


def _anything(inst, path, errors) -> None:
    """The check of a schema with no assertions (``{}``, or annotations only)."""


def _all(checks: list) -> Check:
    """One check that runs ``checks`` (``None`` for nothing to check) in order."""
    checks = [c for c in checks if c is not None and c is not _anything]
    if len(checks) <= 1:
        return checks[0] if checks else _anything

    def run(inst, path, errors):
        for check in checks:
            check(inst, path, errors)
    return run


def _discriminator(schema) -> tuple[str, list] | None:
    """``(key, allowed values)`` for ``{"properties": {key: {"const"|"enum": ...}}, "required": [key]}``."""
    props = schema.get("properties") if isinstance(schema, dict) and len(schema) == 2 else None
    if not isinstance(props, dict) or len(props) != 1 or schema.get("required") != list(props):
        return None
    sub = next(iter(props.values()))
    if isinstance(sub, dict) and len(sub) == 1 and ("const" in sub or isinstance(sub.get("enum"), list)):
        return next(iter(props)), sub["enum"] if "enum" in sub else [sub["const"]]
    return None

"""A compiled validator for the JSON Schemas aibgen generates from the API specification.

The bundled schemas use a small set of Draft 2020-12 keywords; this module turns one
into nested Python closures once per process and then reports *every* error the way
``jsonschema`` does (same keyword, instance path, instance, schema node and message
shape), about ten times faster. The test suite checks it against ``jsonschema`` on every
rule case and the real-world corpus. An unsupported keyword is refused at compile time,
so a generator change cannot be silently ignored.
"""
from __future__ import annotations

import re
from typing import Callable

ANNOTATIONS = frozenset({"description", "default", "readOnly", "title", "$schema", "$id", "$defs", "$comment"})
_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "integer": lambda v: (type(v) is int) or (type(v) is float and v.is_integer()),
    "number": lambda v: type(v) in (int, float),
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
}


class SchemaError:
    """One validation error, with the attributes of ``jsonschema.ValidationError`` aibgen uses."""

    __slots__ = ("validator", "validator_value", "instance", "schema", "absolute_path", "message")

    def __init__(self, validator, value, instance, schema, path, message):
        self.validator, self.validator_value, self.instance = validator, value, instance
        self.schema, self.absolute_path, self.message = schema, path, message


Check = Callable[[object, tuple, list], None]


class Validator:
    """``Validator(schema).iter_errors(doc)`` yields every :class:`SchemaError`."""

    def __init__(self, schema: dict) -> None:
        self.defs = schema.get("$defs", {})
        self.compiled: dict[str, Check] = {}
        self.root = self._node(schema)

    def iter_errors(self, instance):
        errors: list = []
        self.root(instance, (), errors)
        return iter(errors)

    # -- compilation --------------------------------------------------------------------
    def _node(self, node: dict) -> Check:
        checks = [self._keyword(node, k) for k in node if k not in ANNOTATIONS and k not in ("then", "if")]
        checks = [c for c in checks if c is not None]
        if len(checks) == 1:
            return checks[0]

        def run(inst, path, errors):
            for check in checks:
                check(inst, path, errors)
        return run

    def _keyword(self, node: dict, key: str) -> Check | None:
        build = getattr(self, "_k_" + key.lstrip("$"), None)
        if build is None:
            raise ValueError(f"schema keyword {key!r} is not supported by the compiled validator")
        return build(node, node[key])

    def _ref(self, name: str) -> Check:
        if name not in self.compiled:
            self.compiled[name] = None  # break cycles: resolved at call time
            self.compiled[name] = self._node(self.defs[name])
        compiled = self.compiled

        def run(inst, path, errors):
            compiled[name](inst, path, errors)
        return run

    def _k_ref(self, node, value):
        return self._ref(value.rsplit("/", 1)[-1])

    def _k_type(self, node, value):
        names = value if isinstance(value, list) else [value]
        tests = [_TYPES[n] for n in names]
        shown = ", ".join(repr(n) for n in names)

        def run(inst, path, errors):
            if not any(t(inst) for t in tests):
                errors.append(SchemaError("type", value, inst, node, path, f"{inst!r} is not of type {shown}"))
        return run

    def _k_properties(self, node, value):
        children = {k: self._node(v) for k, v in value.items()}
        get = children.get

        def run(inst, path, errors):
            if type(inst) is dict:
                for key, item in inst.items():
                    child = get(key)
                    if child is not None:
                        child(item, path + (key,), errors)
        return run

    def _k_additionalProperties(self, node, value):
        known = frozenset(node.get("properties", {}))
        if value is False:
            def closed(inst, path, errors):
                if type(inst) is dict and not known.issuperset(inst):
                    errors.append(SchemaError("additionalProperties", False, inst, node, path,
                                              "Additional properties are not allowed"))
            return closed
        if value is True:
            return None
        child = self._node(value)

        def extra(inst, path, errors):
            if type(inst) is dict:
                for key, item in inst.items():
                    if key not in known:
                        child(item, path + (key,), errors)
        return extra

    def _k_required(self, node, value):
        def run(inst, path, errors):
            if type(inst) is dict:
                for key in value:
                    if key not in inst:
                        errors.append(SchemaError("required", value, inst, node, path, f"'{key}' is a required property"))
        return run

    def _k_enum(self, node, value):
        def run(inst, path, errors):
            if not any(_equal(inst, v) for v in value):
                errors.append(SchemaError("enum", value, inst, node, path, f"{inst!r} is not one of {value!r}"))
        return run

    def _k_const(self, node, value):
        def run(inst, path, errors):
            if not _equal(inst, value):
                errors.append(SchemaError("const", value, inst, node, path, f"{value!r} was expected"))
        return run

    def _k_not(self, node, value):
        sub = self._node(value)

        def run(inst, path, errors):
            trial: list = []
            sub(inst, path, trial)
            if not trial:
                errors.append(SchemaError("not", value, inst, node, path, f"{inst!r} should not be valid under {value!r}"))
        return run

    def _k_minimum(self, node, value):
        def run(inst, path, errors):
            if type(inst) in (int, float) and inst < value:
                errors.append(SchemaError("minimum", value, inst, node, path, f"{inst!r} is less than the minimum of {value!r}"))
        return run

    def _k_maximum(self, node, value):
        def run(inst, path, errors):
            if type(inst) in (int, float) and inst > value:
                errors.append(SchemaError("maximum", value, inst, node, path, f"{inst!r} is greater than the maximum of {value!r}"))
        return run

    def _k_pattern(self, node, value):
        search = re.compile(value).search

        def run(inst, path, errors):
            if type(inst) is str and not search(inst):
                errors.append(SchemaError("pattern", value, inst, node, path, f"{inst!r} does not match {value!r}"))
        return run

    def _k_items(self, node, value):
        child = self._node(value)

        def run(inst, path, errors):
            if type(inst) is list:
                for i, item in enumerate(inst):
                    child(item, path + (i,), errors)
        return run

    def _k_allOf(self, node, value):
        parts = [self._conditional(p) if "if" in p else self._node(p) for p in value]

        def run(inst, path, errors):
            for part in parts:
                part(inst, path, errors)
        return run

    def _conditional(self, part: dict) -> Check:
        if set(part) - {"if", "then"}:
            raise ValueError("only if/then parts are supported inside allOf")
        test = self._predicate(part["if"])
        then = self._node(part["then"])

        def run(inst, path, errors):
            if test(inst):
                then(inst, path, errors)
        return run

    def _predicate(self, schema: dict) -> Callable[[object], bool]:
        props = schema.get("properties", {})
        if set(schema) == {"properties", "required"} and len(props) == 1:
            (key, sub), = props.items()
            if set(sub) == {"const"} and schema["required"] == [key]:
                want = sub["const"]
                return lambda inst: type(inst) is not dict or (key in inst and _equal(inst[key], want))
        check = self._node(schema)

        def valid(inst):
            trial: list = []
            check(inst, (), trial)
            return not trial
        return valid


def _equal(a, b) -> bool:
    """JSON equality: booleans are not numbers, containers compare deeply."""
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return a == b

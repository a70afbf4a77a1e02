"""A compiled validator for the JSON Schemas aibgen generates from the API specification.

The bundled schemas use a small set of Draft 2020-12 keywords (:data:`KEYWORDS`, plus
``if``/``then`` pairs as the parts of an ``allOf``); this module turns one into nested
Python closures once per process and then reports *every* error the way ``jsonschema``
does (same keyword, instance path, schema node and message), about ten times faster.
tests/test_compiled.py checks it against ``jsonschema`` on every rule case, golden
template and real-world corpus file.

Anything else is refused when the schema is compiled (:class:`UnsupportedSchema`, naming
the keyword and where it is), so a generator change cannot be silently ignored: a
keyword the validator skipped would make it accept templates ``jsonschema`` rejects.
"""
from __future__ import annotations

import re
from typing import Callable, Iterator

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ANNOTATIONS = frozenset({"description", "default", "readOnly", "writeOnly", "title", "examples",
                         "deprecated", "$comment"})
ROOT_ONLY = frozenset({"$schema", "$id", "$defs"})
KEYWORDS = frozenset({"$ref", "type", "properties", "additionalProperties", "required", "enum", "const",
                      "not", "minimum", "maximum", "pattern", "items", "allOf"})
_HINTS = {"if": "; 'if'/'then' is supported only as an allOf part holding exactly 'if' and 'then'",
          "then": "; 'if'/'then' is supported only as an allOf part holding exactly 'if' and 'then'"}
_DEF_REF = re.compile(r"^#/\$defs/([^/~]+)$")
_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "integer": lambda v: (type(v) is int) or (type(v) is float and v.is_integer()),
    "number": lambda v: type(v) in (int, float),
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
}


class UnsupportedSchema(ValueError):
    """The schema uses something the compiled validator does not implement."""


class SchemaError:
    """One validation error, with the attributes of ``jsonschema.ValidationError`` aibgen uses."""

    __slots__ = ("validator", "validator_value", "instance", "schema", "absolute_path", "message")

    def __init__(self, validator, value, instance, schema, path, message):
        self.validator, self.validator_value, self.instance = validator, value, instance
        self.schema, self.absolute_path, self.message = schema, path, message


Check = Callable[[object, tuple, list], None]


class Validator:
    """``Validator(schema).iter_errors(doc)`` yields every :class:`SchemaError`.

    Raises :class:`UnsupportedSchema` for a schema that uses anything it does not implement.
    """

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

    # -- compilation --------------------------------------------------------------------
    def _node(self, node, where: str, root: bool = False) -> Check:
        if not isinstance(node, dict):
            raise UnsupportedSchema(f"{where}: a {type(node).__name__} schema is not supported; use an object")
        skipped = ANNOTATIONS | ROOT_ONLY if root else ANNOTATIONS
        checks = [self._keyword(node, k, f"{where}/{k}") for k in node if k not in skipped]
        checks = [c for c in checks if c is not None]
        if len(checks) == 1:
            return checks[0]

        def run(inst, path, errors):
            for check in checks:
                check(inst, path, errors)
        return run

    def _keyword(self, node: dict, key: str, where: str) -> Check | None:
        if key not in KEYWORDS:
            raise UnsupportedSchema(f"{where}: schema keyword {key!r} is not supported by the compiled "
                                    f"validator{_HINTS.get(key, '')}")
        return getattr(self, "_k_" + key.lstrip("$"))(node, node[key], where)

    def _ref(self, name: str, where: str) -> Check:
        if name not in self.defs:
            raise UnsupportedSchema(f"{where}: no definition '#/$defs/{name}'")
        if name not in self.compiled:
            self.compiled[name] = None  # break cycles: resolved at call time
            self.compiled[name] = self._node(self.defs[name], f"#/$defs/{name}")
        compiled = self.compiled

        def run(inst, path, errors):
            compiled[name](inst, path, errors)
        return run

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
        children = {k: self._node(v, f"{where}/{_escape(k)}") for k, v in value.items()}
        get = children.get

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
                    names = ", ".join(repr(k) for k in extra)
                    verb = "was" if len(extra) == 1 else "were"
                    errors.append(SchemaError("additionalProperties", False, inst, node, path,
                                              f"Additional properties are not allowed ({names} {verb} unexpected)"))
            return closed
        if value is True:
            return None
        child = self._node(value, where)

        def extra(inst, path, errors):
            if type(inst) is dict:
                for key, item in inst.items():
                    if key not in known:
                        child(item, path + (key,), errors)
        return extra

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

    def _k_not(self, node, value, where):
        sub = self._node(value, where)

        def run(inst, path, errors):
            trial: list = []
            sub(inst, path, trial)
            if not trial:
                errors.append(SchemaError("not", value, inst, node, path, f"{inst!r} should not be valid under {value!r}"))
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
        search = re.compile(value).search

        def run(inst, path, errors):
            if type(inst) is str and not search(inst):
                errors.append(SchemaError("pattern", value, inst, node, path, f"{inst!r} does not match {value!r}"))
        return run

    def _k_items(self, node, value, where):
        child = self._node(value, where)

        def run(inst, path, errors):
            if type(inst) is list:
                for i, item in enumerate(inst):
                    child(item, path + (i,), errors)
        return run

    def _k_allOf(self, node, value, where):
        parts = [self._conditional(p, f"{where}/{i}") if isinstance(p, dict) and ("if" in p or "then" in p)
                 else self._node(p, f"{where}/{i}") for i, p in enumerate(value)]

        def run(inst, path, errors):
            for part in parts:
                part(inst, path, errors)
        return run

    def _conditional(self, part: dict, where: str) -> Check:
        """An ``allOf`` part ``{"if": ..., "then": ...}``: ``then`` applies where ``if`` holds."""
        for key in ("if", "then"):
            if key not in part:
                raise UnsupportedSchema(f"{where}: an allOf part with 'if' or 'then' must hold both; '{key}' is missing")
        extra = sorted(set(part) - {"if", "then"} - ANNOTATIONS)
        if extra:
            raise UnsupportedSchema(f"{where}/{extra[0]}: schema keyword {extra[0]!r} is not supported next to "
                                    "'if'/'then' by the compiled validator")
        test = self._predicate(part["if"], f"{where}/if")
        then = self._node(part["then"], f"{where}/then")

        def run(inst, path, errors):
            if test(inst):
                then(inst, path, errors)
        return run

    def _predicate(self, schema: dict, where: str) -> Callable[[object], bool]:
        props = schema.get("properties", {}) if isinstance(schema, dict) else {}
        if isinstance(schema, dict) and set(schema) == {"properties", "required"} and len(props) == 1:
            (key, sub), = props.items()
            if isinstance(sub, dict) and set(sub) == {"const"} and schema["required"] == [key]:
                want = sub["const"]  # the discriminator test of every bundled schema, made cheap
                return lambda inst: type(inst) is not dict or (key in inst and _equal(inst[key], want))
        check = self._node(schema, where)

        def valid(inst):
            trial: list = []
            check(inst, (), trial)
            return not trial
        return valid


def _escape(key: str) -> str:
    """A property name as an RFC 6901 pointer segment (for schema locations)."""
    return key.replace("~", "~0").replace("/", "~1")


def _equal(a, b) -> bool:
    """JSON equality: booleans are not numbers, containers compare deeply."""
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return a == b

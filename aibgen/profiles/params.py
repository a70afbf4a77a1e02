"""Profile parameters: their types, and turning raw values into checked, typed values.

Values arrive, lowest precedence first, from a parameter's ``default``, a ``--values``
YAML file, ``--set key=value`` and interactive prompts. Text from the command line or a
prompt is parsed according to the parameter's type; values from YAML must already have
the right shape. Values are data: they are never rendered as templates themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from aibgen.facts import regions, resource_ids
from aibgen.errors import ParameterError, did_you_mean

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass
class Parameter:
    """One declared parameter of a profile."""

    name: str
    type: str = "string"
    default: object = None
    required: bool = False
    help: str = ""
    example: object = None
    choices: list = field(default_factory=list)
    resource: str | None = None
    items: str = "string"
    origin: str = ""

    def describe_type(self) -> str:
        """Short type text for listings, e.g. ``resource-id(subnet)``."""
        if self.type == "resource-id":
            return f"resource-id({self.resource})"
        if self.type == "choice":
            return "choice(" + "|".join(map(str, self.choices)) + ")"
        if self.type == "list":
            return f"list({self.items})"
        return self.type

    def as_dict(self) -> dict:
        """The parameter as plain data, for ``catalog show --format json``."""
        return {"name": self.name, "type": self.describe_type(), "default": self.default,
                "required": self.required, "example": self.example, "help": self.help}


def from_profile(name: str, spec: dict, origin: str) -> Parameter:
    """Build a :class:`Parameter` from its (already schema-checked) profile mapping."""
    p = Parameter(name=name, origin=origin, **{k.replace("-", "_"): v for k, v in spec.items()})
    if p.default is not None:
        p.default = coerce(p, p.default, f"{origin}: default of '{name}'")
    return p


def coerce(p: Parameter, value: object, where: str) -> object:
    """Check ``value`` (from YAML) against the parameter's type and normalise it."""
    if isinstance(value, str):
        _check_text(value, where)
    check = _CHECKS[p.type]
    return check(p, value, where)


def parse(p: Parameter, text: str, where: str) -> object:
    """Parse command-line or prompt ``text`` according to the parameter's type."""
    _check_text(text, where)
    if p.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", text.strip()):
            raise ParameterError(f"{where}: '{p.name}' must be a whole number of at most 18 digits, got '{text[:40]}'")
        return coerce(p, int(text), where)
    if p.type == "boolean":
        low = text.strip().lower()
        if low not in _TRUE | _FALSE:
            raise ParameterError(f"{where}: '{p.name}' must be true or false, got '{text}'")
        return low in _TRUE
    if p.type == "object" or (p.type == "list" and text.lstrip().startswith("[")):
        return coerce(p, _json_text(p, text, where), where)
    if p.type == "list":
        items = [part.strip() for part in text.split(",") if part.strip()]
        return coerce(p, [parse(_item_param(p), item, where) for item in items], where)
    if p.type == "choice" and p.choices and not isinstance(p.choices[0], str):
        for choice in p.choices:
            if str(choice) == text:
                return choice
    return coerce(p, text, where)


def _json_text(p: Parameter, text: str, where: str) -> object:
    """A mapping (or list) given on the command line as JSON text."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        want = "a JSON object such as {\"key\": \"value\"}" if p.type == "object" else "a JSON list or a,b,c"
        raise ParameterError(f"{where}: '{p.name}' must be {want}, got '{text[:40]}'") from None


def _check_text(text: str, where: str) -> None:
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ParameterError(f"{where}: value is not valid Unicode text (unpaired surrogate or undecodable bytes)")


def _type_error(p: Parameter, value: object, where: str, want: str) -> ParameterError:
    shown = repr(value) if not isinstance(value, str) else f"'{value}'"
    return ParameterError(f"{where}: '{p.name}' must be {want}, got {shown}")


def _string(p, value, where):
    if not isinstance(value, str):
        raise _type_error(p, value, where, "text")
    return value


def _integer(p, value, where):
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(p, value, where, "a whole number")
    return value


def _boolean(p, value, where):
    if not isinstance(value, bool):
        raise _type_error(p, value, where, "true or false")
    return value


def _choice(p, value, where):
    if value not in p.choices:
        allowed = ", ".join(map(str, p.choices))
        hint = did_you_mean(str(value), map(str, p.choices))
        raise ParameterError(f"{where}: '{p.name}' must be one of {allowed}; got '{value}'{hint}")
    return value


def _object(p, value, where):
    if not isinstance(value, dict):
        raise _type_error(p, value, where, "a mapping")
    return value


def _list(p, value, where):
    if not isinstance(value, list):
        raise _type_error(p, value, where, f"a list of {p.items}")
    inner = _item_param(p)
    return [coerce(inner, v, f"{where} item {i + 1}") for i, v in enumerate(value)]


def _region(p, value, where):
    name = regions.region_name(_string(p, value, where))
    if name is None:
        hint = regions.region_hint(value)
        raise ParameterError(f"{where}: '{value}' is not a region where Image Builder runs{hint}; "
                             "see 'aibgen catalog regions'")
    return name


def _azure_region(p, value, where):
    text = _string(p, value, where)
    name = regions.azure_region_name(text)
    if name is not None:
        return name
    if not regions.plausible(text):
        raise ParameterError(f"{where}: '{value}' cannot be an Azure region name; write e.g. westus2 or 'West US 2'")
    return text  # a region aibgen does not know yet: the template check warns (AIB405)


def _resource_id(p, value, where):
    _string(p, value, where)
    if not resource_ids.is_resource_id(p.resource, value):
        raise ParameterError(f"{where}: '{value}' is not the resource id of {resource_ids.kind_name(p.resource)}; "
                             f"expected {resource_ids.resource_id_form(p.resource)}")
    return value


def _item_param(p: Parameter) -> Parameter:
    return Parameter(name=p.name, type=p.items if p.items in _CHECKS else "string",
                     resource=p.resource, choices=p.choices)


_CHECKS = {"string": _string, "integer": _integer, "boolean": _boolean, "choice": _choice,
           "list": _list, "object": _object, "region": _region, "azure-region": _azure_region, "resource-id": _resource_id}


def parse_assignment(text: str) -> tuple[str, str]:
    """Split a ``--set key=value`` argument."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ParameterError(f"--set '{text}': expected KEY=VALUE, e.g. --set location=westus2")
    return key.strip(), value


def bind(params: dict[str, Parameter], sources: list[tuple[str, dict]], sets: list[str]) -> tuple[dict, list[str]]:
    """Combine defaults, value files and ``--set``; return (values, names still missing).

    ``sources`` is a list of ``(file name, mapping)`` from ``--values`` files.
    """
    values = {n: p.default for n, p in params.items() if p.default is not None}
    for fname, mapping in sources:
        for key, value in mapping.items():
            p = _known(params, key, fname)
            values[key] = coerce(p, value, fname)
    for text in sets:
        key, raw = parse_assignment(text)
        p = _known(params, key, "--set")
        values[key] = parse(p, raw, f"--set {key}")
    missing = [n for n, p in params.items() if p.required and n not in values]
    return values, missing


def _known(params: dict[str, Parameter], key: str, where: str) -> Parameter:
    if key not in params:
        hint = did_you_mean(key, params)
        known = ", ".join(sorted(params)) or "none"
        raise ParameterError(f"{where}: unknown parameter '{key}'{hint}; this profile has: {known}")
    return params[key]

"""A profile parameter from an ARM template parameter: type, default, choices, description.

ARM types map to profile types: ``string``/``securestring`` → string (region or
resource-id where the value is used as one and its default is one), ``int`` → integer,
``bool`` → boolean, ``array`` → list (items from the default), ``object``/
``secureObject`` → object; ``allowedValues`` become choices. A default that is itself an
ARM expression (``[resourceGroup().location]``) cannot be evaluated: the parameter is then
required, and the note says so.
"""
from __future__ import annotations

from aibgen.check.values import is_expression
from aibgen.convert.roles import Role
from aibgen.facts import regions, resource_ids

_TYPES = {"string": "string", "securestring": "string", "int": "integer", "bool": "boolean",
          "array": "list", "object": "object", "secureobject": "object"}
ZERO_SUB = "00000000-0000-0000-0000-000000000000"
_MADE_UP = {"string": "value", "integer": 0, "boolean": False, "list": [], "object": {}}


def spec_of(name: str, entry: dict, role: Role) -> tuple[dict, bool, list[str]]:
    """``(profile parameter spec, example made up?, notes)`` of ARM parameter ``name``."""
    notes: list[str] = []
    arm_type = str(entry.get("type", "string")).lower()
    ptype = _TYPES.get(arm_type)
    if ptype is None:
        notes.append(f"ARM parameter '{name}' has type {entry.get('type')!r}, which ARM does not define; "
                     "imported as text")
        ptype = "string"
    spec: dict = {"type": ptype}
    default = entry.get("defaultValue")
    if default is not None and has_expression(default):
        notes.append(f"the default of ARM parameter '{name}' is an ARM expression ({str(default)[:60]}); "
                     "the parameter is required instead")
        default = None
    allowed = entry.get("allowedValues")
    if isinstance(allowed, list) and allowed and ptype in ("string", "integer"):
        spec = {"type": "choice", "choices": list(allowed)}
    elif isinstance(allowed, list) and allowed and ptype == "list":
        spec["items"], spec["choices"] = "choice", list(allowed)
    elif ptype == "list":
        spec["items"] = _items(default)
    elif ptype == "string":
        spec = _typed(spec, default, role)
    if arm_type.startswith("secure"):
        notes.append(f"ARM parameter '{name}' is {entry.get('type')}: a profile parameter is not secret, and its "
                     "value is written into the rendered template")
    bounds = [k for k in ("minValue", "maxValue", "minLength", "maxLength") if k in entry]
    if bounds:
        notes.append(f"ARM parameter '{name}' has {', '.join(bounds)}, which profile parameters do not carry")
    meta = entry.get("metadata")
    help_text = meta.get("description") if isinstance(meta, dict) else None
    if isinstance(help_text, str) and help_text.strip():
        spec["help"] = " ".join(help_text.split())
    else:
        spec["help"] = f"ARM parameter '{name}' of the imported template."
    if default is not None:
        spec["default"] = default
        return spec, False, notes
    spec["required"] = True
    spec["example"] = _example(spec, name, role)
    return spec, True, notes


def _typed(spec: dict, default, role: Role) -> dict:
    """A string used as a region or resource id is typed so, when its default is one (or it has none)."""
    if role.kind == "region" and (default is None or regions.region_name(str(default)) == default):
        return {"type": "region"}
    if role.kind and role.kind != "region" and (default is None or resource_ids.is_resource_id(role.kind, str(default))):
        return {"type": "resource-id", "resource": role.kind}
    return spec


def _items(default) -> str:
    if not isinstance(default, list) or not default:
        return "string"
    kinds = {type(v) for v in default}
    if kinds == {str}:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer"
    return "object" if kinds == {dict} else "string"


def _example(spec: dict, name: str, role: Role):
    """A made-up example that fits the parameter's type."""
    if spec["type"] == "choice":
        return spec["choices"][0]
    if spec["type"] == "region":
        return "westus2"
    if spec["type"] == "resource-id":
        form = resource_ids.resource_id_form(spec["resource"])
        return (form.replace("<guid>", ZERO_SUB).replace("<x.y.z|latest>", "1.0.0")
                .replace("<", "").replace(">", ""))
    if spec["type"] == "string" and role.example:
        return role.example
    if spec["type"] == "string" and role.url:
        return f"https://example.com/{name}"
    if spec["type"] == "list" and spec.get("items") == "choice":
        return [spec["choices"][0]]
    return _MADE_UP.get(spec["type"], "value") if spec["type"] != "string" else name


def has_expression(value) -> bool:
    """True when ``value`` is, or holds, an ARM expression."""
    if isinstance(value, str):
        return is_expression(value)
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return any(has_expression(v) for v in items)

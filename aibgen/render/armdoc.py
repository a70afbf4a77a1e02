"""The parts of an ARM deployment template around the image template: each parameter's
declaration, the outputs, and a deployment parameters file for the template."""
from __future__ import annotations

from collections.abc import Callable

from aibgen.facts.resource_ids import RESOURCE_TYPE

_ARM_TYPES = {"string": "string", "region": "string", "resource-id": "string", "choice": "string",
              "integer": "int", "boolean": "bool", "list": "array", "object": "object"}


def is_expression(text: object) -> bool:
    """True for a string ARM evaluates: ``[...]`` but not the ``[[`` escape."""
    return isinstance(text, str) and text.startswith("[") and text.endswith("]") and not text.startswith("[[")


def expression_body(value) -> str | None:
    """``value`` as the body of an ARM expression: an expression without its brackets, a
    string as a quoted literal; None for anything else or an empty string."""
    if not isinstance(value, str) or not value:
        return None
    return value[1:-1] if is_expression(value) else "'" + value.replace("'", "''") + "'"


def literal(text: str) -> str:
    """``text`` as ARM must be given it to read it literally: a string that starts with ``[``
    and ends with ``]`` would be evaluated as an expression, so its first ``[`` is doubled."""
    return "[" + text if text.startswith("[") and text.endswith("]") else text


def map_text(value: object, change: Callable[[str], object]) -> object:
    """``value`` with ``change`` applied to every string in it, keys of dicts included."""
    if isinstance(value, dict):
        return {map_text(k, change): map_text(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [map_text(v, change) for v in value]
    return change(value) if isinstance(value, str) else value


PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"


def parameters_file(template: dict, values: dict, names: frozenset) -> dict:
    """A deployment parameters file giving ``template``'s parameters in ``names`` their values;
    a value for a parameter the template keeps fixed is an error (a deployment cannot set it)."""
    from aibgen.errors import ParameterError

    fixed = template["metadata"]["fixedParameters"]
    stray = sorted(n for n in names if n in fixed)
    if stray:
        n = stray[0]
        raise ParameterError(f"parameter '{n}' is fixed in the ARM template, since {fixed[n]['why']}; a parameters "
                             f"file cannot set it: render the ARM template with --set {n}=...")
    given = {n: {"value": values[n]} for n in template["parameters"] if n in names and n in values}
    return {"$schema": PARAMETERS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": given}


def declaration(p, value: object, baked: bool, location: bool, bounds: dict | None = None) -> dict:
    """The ARM parameter for profile Parameter ``p``: its profile default (a required one has
    none), or with ``baked`` the value given; the template's location defaults to the
    resource group's; ``bounds`` (minimum, maximum of the schema where an int goes) become
    minValue and maxValue."""
    out = {"type": _ARM_TYPES.get(p.type, "string")}
    if location and not baked:
        out["defaultValue"] = "[resourceGroup().location]"
    elif baked:
        out["defaultValue"] = map_text(value, literal)
    elif not p.required and p.default is not None:
        out["defaultValue"] = map_text(p.default, literal)
    if p.type == "choice":
        out["allowedValues"] = list(p.choices)
        out["type"] = "int" if all(isinstance(c, int) for c in p.choices) else "string"
    if out["type"] == "int":
        out.update({arm: bounds[key] for key, arm in (("minimum", "minValue"), ("maximum", "maxValue"))
                    if key in (bounds or {})})
    if p.help:
        out["metadata"] = {"description": p.help}
    return out


def schema_bounds(resource: dict, names: list[str]) -> dict[str, dict]:
    """For each parameter used whole where the resource's schema bounds an integer, those bounds."""
    from aibgen import resources as bundled
    from aibgen.sources.schemawalk import node_at

    version = resource.get("apiVersion") if isinstance(resource, dict) else None
    if version not in bundled.api_versions():
        return {}
    schema, found = bundled.schema(version), {}

    def walk(value, path: list) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + [k])
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + [i])
        elif isinstance(value, str) and value.startswith("[parameters('") and value.endswith("')]"):
            node = node_at(schema, resource, path) or {}
            limits = {k: node[k] for k in ("minimum", "maximum") if isinstance(node.get(k), int)}
            name = value[len("[parameters('"):-len("')]")]
            if limits and name in names:
                found.setdefault(name, {}).update(limits)

    walk(resource, [])
    return found


def outputs(resource: object) -> dict:
    """The image template's resource id and name, and the runOutputName of each distributor."""
    if not isinstance(resource, dict) or "name" not in resource:
        return {}
    name = resource["name"]
    arg = expression_body(str(name))
    out = {"imageTemplateId": {"type": "string", "value": f"[resourceId('{RESOURCE_TYPE}', {arg})]"},
           "imageTemplateName": {"type": "string", "value": name}}
    distribute = (resource.get("properties") or {}).get("distribute") or []
    names = [d.get("runOutputName") for d in distribute if isinstance(d, dict) and "runOutputName" in d]
    if names:
        out["runOutputNames"] = {"type": "array", "value": names}
    return out

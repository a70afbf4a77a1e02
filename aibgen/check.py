"""Check an Image Builder template dict against the bundled schema of its apiVersion.

Schema errors become findings with stable rule ids:

* AIB003 - the apiVersion is not one aibgen knows;
* AIB101 - unknown property (with did-you-mean);
* AIB102 - property that needs a newer apiVersion (names the first version that has it);
* AIB103 - read-only property set;
* AIB104 - missing required property;
* AIB105 - wrong type;
* AIB106 - value not among the allowed values;
* AIB107 - value out of range or not in the required format.
"""
from __future__ import annotations

from functools import lru_cache

from aibgen import resources
from aibgen.errors import did_you_mean
from aibgen.findings import Finding
from aibgen.jsonerrors import describe, pointer, unexpected
from aibgen.yamlsrc import escape

_RULE_OF = {"required": "AIB104", "type": "AIB105", "enum": "AIB106", "const": "AIB106",
            "not": "AIB103", "minimum": "AIB107", "maximum": "AIB107", "pattern": "AIB107",
            "minItems": "AIB107"}
_DISCRIMINATORS = ("type", "scheme")


@lru_cache(maxsize=None)
def validator(api_version: str):
    """The compiled schema validator for one apiVersion (built once per process)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(resources.schema(api_version))


def check_schema(doc: dict, api_version: str) -> list[Finding]:
    """Schema findings for a bare imageTemplates resource ``doc``."""
    if api_version not in resources.api_versions():
        known = ", ".join(resources.api_versions())
        return [Finding("AIB003", "error", f"apiVersion '{api_version}' is not a stable Image Builder API version; "
                        f"use one of {known}", "/apiVersion")]
    findings: list[Finding] = []
    for error in validator(api_version).iter_errors(doc):
        findings.extend(_findings(error, doc, api_version))
    return sorted(set(findings), key=lambda f: (f.pointer, f.rule, f.message))


def _findings(error, doc: dict, api_version: str) -> list[Finding]:
    if error.validator == "additionalProperties":
        return [_unknown(error, key, doc, api_version) for key in unexpected(error)]
    if error.validator == "enum" and error.absolute_path and error.absolute_path[-1] in _DISCRIMINATORS:
        newer = _introduced(list(error.absolute_path)[:-1], doc, "")
        if newer and newer > api_version:
            return [_needs(pointer(error.absolute_path), f"{error.absolute_path[-1]} '{error.instance}'",
                           newer, api_version)]
    where, message = describe(error)
    return [Finding(_RULE_OF.get(error.validator, "AIB100"), "error", message, where)]


def _unknown(error, key: str, doc: dict, api_version: str) -> Finding:
    path = list(error.absolute_path)
    where = pointer(path) + "/" + escape(key)
    newer = _introduced(path, doc, "." + key)
    if newer and newer > api_version:
        return _needs(where, f"'{key}'", newer, api_version)
    hint = did_you_mean(key, error.schema.get("properties", {}))
    return Finding("AIB101", "error", f"unknown property '{key}'{hint}", where)


def _needs(where: str, what: str, newer: str, current: str) -> Finding:
    return Finding("AIB102", "error", f"{what} needs apiVersion {newer} or newer (this template uses {current}); "
                   f"raise apiVersion or remove it", where)


def _introduced(path: list, doc: dict, suffix: str) -> str | None:
    """First apiVersion that has the property at ``path`` + ``suffix`` in ``doc``."""
    index = resources.schema("versions")["introduced"]
    key, node = "", doc
    for part in path:
        node = node[part] if isinstance(node, (dict, list)) else None
        key = key + "[]" if isinstance(part, int) else (f"{key}.{part}" if key else str(part))
        key = _with_subtype(key, node, index)
    full = key + suffix if key else suffix.lstrip(".")
    return index.get(full) or index.get(full.replace("[]", ""))


def _with_subtype(key: str, node, index: dict) -> str:
    if isinstance(node, dict):
        for disc in _DISCRIMINATORS:
            value = node.get(disc)
            if isinstance(value, str):
                base = key[:-2] if key.endswith("[]") else key
                if f"{base}[{value}]" in index:
                    return f"{base}[{value}]"
    return key

"""Schema findings (AIB1xx): the template against the bundled JSON Schema of its apiVersion.

The compiled validator (:mod:`aibgen.sources.validator`) reports every error; each becomes
a finding of the rule its keyword maps to (:data:`RULE_OF`). An unknown property, or a
discriminator value (``type`` of a customizer, ``scheme`` of versioning) the version does
not allow, is AIB102 when a later apiVersion's schema has it at that place (read from the
schemas themselves) and AIB101/AIB106 otherwise. ARM expressions and placeholders are
unknown values, so errors about them are skipped.

One cause, one finding: a range error on a value a rule checks with a better message
(:data:`COVERED`) is left to that rule, and a missing required property is not reported
when the object has a misspelling of it (the AIB101 finding names both).
"""
from __future__ import annotations

from aibgen import memo, resources
from aibgen.check.values import is_unknown
from aibgen.errors import did_you_mean
from aibgen.report.finding import Finding
from aibgen.rules import finding
from aibgen.sources.schemaerrors import describe, pointer, unexpected
from aibgen.sources.schemawalk import allows, node_at
from aibgen.sources.pointers import escape

RULE_OF = {"required": "AIB104", "type": "AIB105", "enum": "AIB106", "const": "AIB106",
           "not": "AIB103", "minimum": "AIB107", "maximum": "AIB107", "pattern": "AIB107",
           "minItems": "AIB107"}
DISCRIMINATORS = ("type", "scheme")
# (path from the resource root, keywords) whose errors a rule reports with its documented
# meaning: buildTimeoutInMinutes 0 or 6-960 (AIB510), osDiskSizeGB 0 or more (AIB512).
COVERED = {("properties", "buildTimeoutInMinutes"): ("minimum", "maximum"),
           ("properties", "vmProfile", "osDiskSizeGB"): ("minimum",)}


def validator(api_version: str, part: str = "resource"):
    """The compiled schema validator for one apiVersion (built once per process)."""
    from aibgen.sources.validator import Validator

    return memo.get("validator", (api_version, part), lambda: Validator(schema_for(api_version, part)))


def schema_for(api_version: str, part: str = "resource") -> dict:
    """The bundled schema of an apiVersion, or (``part='properties'``) of its properties object."""
    schema = resources.schema(api_version)
    if part == "properties":
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/ImageTemplateProperties"}
    return schema


def check_schema(doc: dict, api_version: str, part: str = "resource") -> list[Finding]:
    """Schema findings for a resource (or, with ``part='properties'``, a properties object)."""
    findings: list[Finding] = []
    root = doc if part == "resource" else {"properties": doc}
    prefix = [] if part == "resource" else ["properties"]
    for error in validator(api_version, part).iter_errors(doc):
        if is_unknown(error.instance) and error.validator != "additionalProperties":
            continue
        path = prefix + list(error.absolute_path)
        if error.validator in COVERED.get(tuple(path), ()) or _misspelt(error):
            continue
        findings.extend(_findings(error, root, api_version, path))
    return sorted(set(findings), key=lambda f: (f.pointer, f.rule, f.message))


def _findings(error, root: dict, api_version: str, path: list) -> list[Finding]:
    """The findings for one schema error at ``path`` (from the resource root)."""
    if error.validator == "additionalProperties":
        return [_unknown(error, root, api_version, path, key) for key in unexpected(error)]
    if error.validator == "enum" and path and path[-1] in DISCRIMINATORS:
        newer = first_version_with(root, path[:-1], api_version,
                                   lambda node, defs: allows(node, path[-1], error.instance, defs), branch=False)
        if newer:
            return [_needs(pointer(error.absolute_path), f"{path[-1]} '{error.instance}'", newer, api_version)]
    where, message = describe(error)
    return [finding(RULE_OF.get(error.validator, "AIB100"), message, where)]


def _misspelt(error) -> bool:
    """True for a missing required property that the object has under a misspelt name."""
    if error.validator != "required" or not isinstance(error.instance, dict) or "'" not in error.message:
        return False
    missing = error.message.split("'")[1]
    known = error.schema.get("properties", {})
    hint = f" (did you mean '{missing}'?)"  # exactly what the AIB101 finding on the misspelling says
    return any(did_you_mean(key, known) == hint for key in error.instance if key not in known)


def _unknown(error, root: dict, api_version: str, path: list, key: str) -> Finding:
    where = pointer(error.absolute_path) + "/" + escape(key)
    newer = first_version_with(root, path, api_version, lambda node, defs: key in node.get("properties", {}))
    if newer:
        return _needs(where, f"'{key}'", newer, api_version)
    hint = did_you_mean(key, error.schema.get("properties", {}))
    return finding("AIB101", f"unknown property '{key}'{hint}", where)


def _needs(where: str, what: str, newer: str, current: str) -> Finding:
    return finding("AIB102", f"{what} needs apiVersion {newer} or newer (this template uses {current}); "
                   f"raise apiVersion or remove it", where)


def first_version_with(root: dict, path: list, after: str, has, branch: bool = True) -> str | None:
    """The first apiVersion after ``after`` whose schema node at ``path`` in ``root`` satisfies
    ``has(node, defs)``."""
    for version in resources.api_versions():
        if version > after:
            schema = resources.schema(version)
            node = node_at(schema, root, path, branch)
            if node is not None and has(node, schema.get("$defs", {})):
                return version
    return None

"""The shapes a template comes in: the bare resource, an ARM deployment template, or properties only.

ARM templates may nest ``Microsoft.Resources/deployments`` and, from languageVersion 2.0
(compiled Bicep), key resources by symbolic name; every imageTemplates resource found is a
:class:`Template` with the pointer of its place in the document.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aibgen.facts.resource_ids import RESOURCE_TYPE
from aibgen.sources.pointers import escape


@dataclass
class Template:
    """One image template found in a document."""

    base: str
    resource: dict
    properties_only: bool = False
    findings: list = field(default_factory=list)


def templates(doc) -> list[Template]:
    """Every image template in ``doc``: ARM template, bare resource or properties object."""
    if not isinstance(doc, dict):
        return []
    if isinstance(doc.get("resources"), (list, dict)) and "properties" not in doc:
        return list(_arm_templates(doc, ""))
    if isinstance(doc.get("properties"), dict) or "identity" in doc or "location" in doc:
        return [Template("", doc)]
    if any(k in doc for k in ("source", "distribute", "customize")):
        return [Template("", {"properties": doc}, properties_only=True)]
    return []


def _arm_templates(doc: dict, base: str):
    listed = doc.get("resources") or []
    # languageVersion 2.0 (e.g. compiled Bicep) keys resources by symbolic name
    pairs = listed.items() if isinstance(listed, dict) else enumerate(listed)
    for i, res in pairs:
        if not isinstance(res, dict):
            continue
        i = escape(i) if isinstance(i, str) else i
        kind = str(res.get("type", "")).lower()
        if kind == RESOURCE_TYPE.lower():
            yield Template(f"{base}/resources/{i}", res)
        elif kind == "microsoft.resources/deployments":
            inner = (res.get("properties") or {}).get("template") if isinstance(res.get("properties"), dict) else None
            if isinstance(inner, dict):
                yield from _arm_templates(inner, f"{base}/resources/{i}/properties/template")

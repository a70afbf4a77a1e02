"""The shapes a template comes in: the bare resource, an ARM deployment template, or properties only.

ARM templates may nest ``Microsoft.Resources/deployments`` and, from languageVersion 2.0
(compiled Bicep), key resources by symbolic name; every imageTemplates resource found is a
:class:`Template` with the pointer of its place in the document and the deployment
template around it (whose parameters and variables may give the apiVersion). ARM reads a
resource's own keys case-insensitively, so ``Type`` or ``ApiVersion`` are checked as
``type`` and ``apiVersion`` and findings keep the spelling of the document.
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
    arm: dict | None = None  # the deployment template that holds the resource, if any
    renamed: dict[str, str] = field(default_factory=dict)  # canonical resource key -> as written

    def written(self, ptr: str) -> str:
        """``ptr`` (into the canonical resource) with its first key spelt as the document spells it."""
        head, sep, rest = ptr[1:].partition("/")
        return f"/{self.renamed[head]}{sep}{rest}" if head in self.renamed else ptr

    def in_document(self, ptr: str) -> str:
        """``ptr`` (into the canonical resource) as a pointer into the whole document."""
        ptr = self.written(ptr)
        if self.properties_only and ptr.startswith("/properties"):
            ptr = ptr[len("/properties"):]
        return self.base + ptr


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


def is_deployment(doc) -> bool:
    """True for an ARM deployment template (``$schema`` of one, or ``contentVersion`` and ``resources``)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("resources"), (list, dict)):
        return False
    schema = doc.get("$schema")
    return "contentVersion" in doc or (isinstance(schema, str) and "deploymentTemplate" in schema)


def shapes_of(doc) -> list[str]:
    """Every shape a document's top level looks like; more than one means it mixes them."""
    if not isinstance(doc, dict):
        return []
    looks = [("an ARM deployment template", is_deployment(doc)),
             ("an imageTemplates resource", "properties" in doc or "identity" in doc),
             ("a properties object", any(k in doc for k in ("source", "distribute", "customize")))]
    return [name for name, yes in looks if yes]


def _arm_templates(doc: dict, base: str):
    listed = doc.get("resources") or []
    # languageVersion 2.0 (e.g. compiled Bicep) keys resources by symbolic name
    pairs = listed.items() if isinstance(listed, dict) else enumerate(listed)
    for i, res in pairs:
        if not isinstance(res, dict):
            continue
        i = escape(i) if isinstance(i, str) else i
        res, renamed = _canonical(res)
        kind = str(res.get("type", "")).lower()
        if kind == RESOURCE_TYPE.lower():
            yield Template(f"{base}/resources/{i}", res, arm=doc, renamed=renamed)
        elif kind == "microsoft.resources/deployments":
            inner = (res.get("properties") or {}).get("template") if isinstance(res.get("properties"), dict) else None
            if isinstance(inner, dict):
                yield from _arm_templates(inner, f"{base}/resources/{i}/properties/template")


# ARM reads the names of a resource's own properties case-insensitively ("Type", "ApiVersion")
RESOURCE_KEYS = ("type", "apiVersion", "name", "location", "tags", "identity", "properties", "dependsOn",
                 "condition", "copy", "comments", "scope")
_CANONICAL = {k.lower(): k for k in RESOURCE_KEYS}


def _canonical(res: dict) -> tuple[dict, dict[str, str]]:
    """``res`` with its ARM resource-level keys spelt canonically, and what was renamed."""
    renamed = {_CANONICAL[k.lower()]: k for k in res if k.lower() in _CANONICAL and k != _CANONICAL[k.lower()]}
    if not renamed:
        return res, {}
    back = {v: k for k, v in renamed.items()}
    return {back.get(k, k): v for k, v in res.items()}, renamed

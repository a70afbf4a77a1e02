"""Read-only members of an image template at one apiVersion: those the service sets itself.

Read from the bundled schema of that version, where every property the official API marks
``readOnly`` refuses any value (``not: {}`` with ``readOnly``): the compiled validator's
errors of that kind are the members to drop. Nothing here lists field names.
"""
from __future__ import annotations

from aibgen.check.schema import validator
from aibgen.sources.pointers import pointer


def read_only(resource: dict, version: str, properties_only: bool = False) -> list[str]:
    """Pointers (into ``resource``) of the read-only members it sets, at ``version``."""
    part, doc, prefix = ("properties", resource["properties"], "/properties") if properties_only else \
        ("resource", resource, "")
    found = {prefix + pointer(e.absolute_path) for e in validator(version, part).iter_errors(doc)
             if e.validator == "not" and isinstance(e.schema, dict) and e.schema.get("readOnly")}
    return sorted(found)

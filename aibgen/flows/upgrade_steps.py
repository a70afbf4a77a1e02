"""The steps of ``aibgen upgrade``, each a pass over every image template of the document.

In order:

1. keys a retired preview named differently (``script`` → ``scriptUri``, see
   :mod:`aibgen.facts.previews`);
2. type names in the case the target's schema spells them (``sharedImage`` → ``SharedImage``);
3. the identity given with ``--identity``, for a template that has none;
4. where the target has ``targetRegions`` for a SharedImage distributor (read from its
   schema), ``replicationRegions`` becomes ``targetRegions`` (one ``{"name": region}`` per
   region, written where the region stands, with the distributor's ``storageAccountType``
   moved into each; comments in the list stay); a list given as one ARM expression stays as
   it is (the target still accepts it);
5. read-only members (the target schema's ``readOnly``) are removed;
6. ``apiVersion`` becomes the target, as a literal even where it was an ARM expression:
   the properties are now written for that version and no other.

Each step returns :class:`~aibgen.sources.textedit.Op` changes and a line for each (None for
a part of the change a later line of the same step names).
"""
from __future__ import annotations

from dataclasses import dataclass

from aibgen import resources
from aibgen.check.casing import type_names
from aibgen.check.readonly import read_only
from aibgen.check.shapes import Template, templates
from aibgen.facts.previews import RENAMED_KEYS
from aibgen.flows.rewrite import Draft
from aibgen.sources.pointers import escape, resolve, tokens
from aibgen.sources.schemawalk import node_at
from aibgen.sources.textedit import Op


@dataclass(frozen=True)
class Plan:
    """One template's move: the apiVersion it is written for, and the target."""

    source: str
    target: str


def run(draft: Draft, plans: list[Plan], identity: str | None) -> list[str]:
    """Make every step on every template of ``draft``; a line for each change."""
    notes: list[str] = []
    for step in (_renamed_keys, _type_names, _identity, _regions, _read_only, _api_version):
        ops: list[Op] = []
        for t, plan in zip(templates(draft.doc), plans):
            for op, note in step(t, plan, identity):
                ops.append(op)
                if note is None:  # a part of the change the next line names
                    continue
                where = f"{op.pointer}/{escape(op.key)}" if op.kind == "insert" else op.pointer
                notes.append(f"{where or '/'}: {note}")
        draft.change(ops)
    return notes


def _items(t: Template, key: str):
    props = t.resource.get("properties")
    items = props.get(key) if isinstance(props, dict) else None
    for i, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, dict):
            yield f"/properties/{key}/{i}", item


def _renamed_keys(t: Template, plan: Plan, identity):
    renames = {kind.lower(): keys for kind, keys in RENAMED_KEYS.get(plan.source, {}).items()}
    for ptr, item in _items(t, "customize"):
        kind = item.get("type")
        for old, new in renames.get(kind.lower() if isinstance(kind, str) else "", {}).items():
            if old in item and new not in item:
                yield Op("rename", t.in_document(f"{ptr}/{old}"), item[old], key=new), \
                    f"{old} → {new} (renamed after {plan.source})"


def _type_names(t: Template, plan: Plan, identity):
    for ptr, name in type_names(t.resource, plan.target, t.properties_only):
        yield Op("set", t.in_document(ptr), name), f"'{resolve(t.resource, tokens(ptr))}' → '{name}'"


def _identity(t: Template, plan: Plan, identity):
    if identity and not t.properties_only and "identity" not in t.resource:
        anchor = next((k for k in ("location", "apiVersion", "name", "type") if k in t.resource), next(iter(t.resource)))
        value = {"type": "UserAssigned", "userAssignedIdentities": {identity: {}}}
        yield Op("insert", t.base, value, key="identity", after=t.renamed.get(anchor, anchor)), \
            "added (--identity)"


def _regions(t: Template, plan: Plan, identity):
    """Each region of the list becomes ``{"name": region, ...}`` where it stands, and the key
    ``targetRegions``: the comments in and around the list stay where they are."""
    for ptr, item in _shared_images(t, plan):
        regions = item.get("replicationRegions")
        if "targetRegions" in item or not isinstance(regions, list):
            continue
        extra = {"storageAccountType": item["storageAccountType"]} if "storageAccountType" in item else {}
        at = t.in_document(f"{ptr}/replicationRegions")
        for i, region in enumerate(regions):
            yield Op("set", f"{at}/{i}", {"name": region, **extra}), None
        yield Op("rekey", at, key="targetRegions"), \
            "replicationRegions → targetRegions" + (", storageAccountType on each region" if extra else "")
        if extra:
            yield Op("delete", t.in_document(f"{ptr}/storageAccountType")), "moved into targetRegions"


def stranded_storage_types(t: Template, plan: Plan) -> list[str]:
    """Pointers of distributor-level storageAccountType values that no list of regions can carry
    over: there is no replicationRegions, or it is an empty list."""
    return [f"{ptr}/storageAccountType" for ptr, item in _shared_images(t, plan)
            if "storageAccountType" in item and item.get("replicationRegions", []) == [] and "targetRegions" not in item]


def _shared_images(t: Template, plan: Plan):
    """SharedImage distributors whose target schema has targetRegions."""
    schema = resources.schema(plan.target)
    for ptr, item in _items(t, "distribute"):
        if str(item.get("type", "")).lower() != "sharedimage":
            continue
        fixed = dict(item, type="SharedImage")  # as step 2 spells it
        node = node_at(schema, {"properties": {"distribute": [fixed]}}, ["properties", "distribute", 0])
        if node is not None and "targetRegions" in node.get("properties", {}):
            yield ptr, item


def _read_only(t: Template, plan: Plan, identity):
    for ptr in read_only(t.resource, plan.target, t.properties_only):
        yield Op("delete", t.in_document(ptr)), "removed (read-only: the service sets it)"


def _api_version(t: Template, plan: Plan, identity):
    if t.properties_only:
        return
    value = t.resource.get("apiVersion")
    if value == plan.target:
        return
    if "apiVersion" in t.resource:
        yield Op("set", t.in_document("/apiVersion"), plan.target), f"{value} → {plan.target}"
    else:
        anchor = "type" if "type" in t.resource else next(iter(t.resource))
        yield Op("insert", t.base, plan.target, key="apiVersion", after=t.renamed.get(anchor, anchor)), \
            f"added ({plan.target})"


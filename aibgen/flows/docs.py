"""``aibgen catalog docs`` as data: one record per profile, in one JSON-ready document.

The document is what ``--format json`` writes, and the Markdown pages
(:mod:`aibgen.report.catalog_docs`) are made from it, so both always say the same. For each
profile: description, origin, parameters, the extends chain, every step and distributor with
the partial that writes it and the profile line that adds it, the profiles that extend it,
and (concrete profiles) the template rendered with the example values. Everything is sorted
or in the order the profile gives, and paths are shown relative to their roots
(:mod:`aibgen.flows.pathnames`), so the same catalog gives the same bytes on any machine.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from aibgen.errors import AibgenError
from aibgen.flows import pathnames
from aibgen.flows.examples import Example, descendants, is_abstract, parents, render_example
from aibgen.flows.summary import distribution, source
from aibgen.profiles.load import load_file
from aibgen.profiles.resolve import Profile
from aibgen.profiles.roots import Catalog

GENERATOR = "aibgen catalog docs"
PHASES = (("source", "sources", "/source"), ("customize", "customizers", "/customize"),
          ("validate", "validators", "/validate/inVMValidations"), ("distribute", "distributors", "/distribute"))


@dataclass
class _Context:
    catalog: Catalog
    names: pathnames.PathNames
    origins: dict[str, str]  # root label -> how it is shown
    owners: dict[str, str]  # profile file -> profile name
    below: dict[str, list[str]]


def catalog_docs(catalog: Catalog, cwd: Path | None = None,
                 progress: Callable[[int, int], None] | None = None) -> dict:
    """The documentation of every profile of ``catalog``, as one JSON-ready document
    (``progress(done, total)`` is called after each profile)."""
    ctx = _Context(catalog, pathnames.for_catalog(catalog, cwd),
                   {r.label: pathnames.root_label(r, cwd) for r in catalog.roots},
                   {str(entry.path): name for name, entry in catalog.profiles.items()}, descendants(catalog))
    records = []
    for name in sorted(catalog.profiles):
        records.append(_record(ctx, render_example(catalog, name)))
        if progress is not None:
            progress(len(records), len(catalog.profiles))
    return {"generator": GENERATOR, "roots": [ctx.origins[r.label] for r in catalog.roots], "profiles": records}


def to_json(doc: dict) -> str:
    """The document as ``--format json`` writes it."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def is_document(raw: bytes) -> bool:
    """Whether ``raw`` is a document of this command: JSON of exactly its top-level keys, with
    ``generator`` naming it and a list of roots and of profile records (so aibgen replaces
    such a file, and no other)."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return (isinstance(doc, dict) and list(doc) == ["generator", "roots", "profiles"]
            and doc["generator"] == GENERATOR and isinstance(doc["roots"], list)
            and all(isinstance(r, str) for r in doc["roots"]) and isinstance(doc["profiles"], list)
            and all(isinstance(p, dict) and isinstance(p.get("name"), str) for p in doc["profiles"]))


def _record(ctx: _Context, ex: Example) -> dict:
    catalog, entry, prof = ctx.catalog, ctx.catalog.profiles[ex.name], ex.profile
    data = prof.data if prof else _raw(catalog, ex.name)
    return {
        "name": ex.name, "abstract": is_abstract(catalog, ex.name),
        "description": str(data.get("description") or ""), "origin": ctx.origins[entry.root],
        "file": ctx.names.file(entry.path), "shadows": [ctx.origins.get(s, s) for s in entry.shadows],
        "os": data.get("os"), "apiVersion": (ex.doc or {}).get("apiVersion") or data.get("apiVersion"),
        "extends": parents(catalog)[ex.name], "chain": prof.chain if prof else [ex.name],
        "descendants": [{"name": n, "abstract": is_abstract(catalog, n)} for n in ctx.below[ex.name]],
        "parameters": _parameters(prof) if prof else [],
        "source": source(ex.doc, data), "distribution": distribution(ex.doc, data),
        "steps": _steps(ctx, prof) if prof else [],
        "resolved": prof is not None, "template": ex.doc, "error": ctx.names.show(ex.error),
    }


def _raw(catalog: Catalog, name: str) -> dict:
    """The profile's own data when it cannot be resolved (or nothing, when it cannot be read)."""
    try:
        data = load_file(catalog.profiles[name]).data
    except AibgenError:
        return {}
    return data if isinstance(data, dict) else {}


def _parameters(prof: Profile) -> list[dict]:
    examples = prof.data.get("examples") or {}
    out = []
    for p in prof.params.values():
        row = p.as_dict()
        row.update(required=bool(p.required and p.default is None), example=examples.get(p.name, p.example))
        out.append(row)
    return out


def _steps(ctx: _Context, prof: Profile) -> list[dict]:
    """Source, customizers, validators and distributors: partial, and the profile line adding each."""
    steps = []
    for phase, kind, ptr in PHASES:
        for at, item in _phase_items(prof.data, phase, ptr):
            file, line, _ = prof.where(at)
            use = str(item.get("use", ""))
            partial = ctx.catalog.partials.get(f"{kind}/{use}")
            steps.append({"phase": phase, "name": _text(item.get("name")), "partial": f"{kind}/{use}",
                          "partialOrigin": ctx.origins[partial.root] if partial else None,
                          "when": _text(item.get("when")), "profile": ctx.owners.get(file),
                          "file": ctx.names.file(file), "line": line})
    return steps


def _phase_items(data: dict, phase: str, ptr: str) -> list[tuple[str, dict]]:
    """(profile pointer, item) of each item of one phase."""
    if phase == "source":
        return [(ptr, data["source"])] if isinstance(data.get("source"), dict) else []
    node: object = data
    for key in ptr.strip("/").split("/"):
        node = node.get(key) if isinstance(node, dict) else None
    items = node if isinstance(node, list) else []
    return [(f"{ptr}/{i}", item) for i, item in enumerate(items) if isinstance(item, dict)]


def _text(value) -> str | None:
    return None if value is None else str(value)

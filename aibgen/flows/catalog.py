"""``aibgen catalog list`` and ``catalog show`` as data: one row per profile, one record per profile."""
from __future__ import annotations

from aibgen.profiles.load import load_file
from aibgen.profiles.resolve import Profile
from aibgen.profiles.roots import Catalog


def list_rows(catalog: Catalog) -> list[dict]:
    """Every profile, by name: abstract or not, description, origin root, file, roots it shadows."""
    rows = []
    for name, entry in sorted(catalog.profiles.items()):
        data = load_file(entry).data
        rows.append({"name": name, "abstract": bool(data.get("abstract")),
                     "description": data.get("description", ""), "origin": entry.root,
                     "path": str(entry.path), "shadows": entry.shadows})
    return rows


def describe(prof: Profile) -> dict:
    """What ``catalog show`` reports about a resolved profile."""
    return {"name": prof.name, "description": prof.data.get("description", ""),
            "abstract": prof.abstract, "file": prof.file, "extends": prof.chain[:-1],
            "apiVersion": prof.data.get("apiVersion"), "os": prof.data.get("os"),
            "parameters": [p.as_dict() for p in prof.params.values()]}

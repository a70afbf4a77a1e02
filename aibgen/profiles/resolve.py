"""A resolved profile: ``extends`` linearised and merged, with provenance and parameters.

The result is a :class:`Profile`: merged plain data, the position (file, line, column)
of every value it came from, and its typed parameters. Ancestors are applied once each,
parents before children and left to right, so a diamond's shared base is not applied
twice; see :mod:`aibgen.profiles.merge` for how values combine.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from aibgen import memo
from aibgen.errors import ProfileError, did_you_mean
from aibgen.profiles import params as params_mod
from aibgen.profiles.load import load_file
from aibgen.profiles.merge import Where, merge
from aibgen.profiles.roots import Catalog
from aibgen.sources import yamlsrc
from aibgen.sources.pointers import escape, nearest

Position = tuple  # (file, line, column)


@dataclass
class Profile:
    """A resolved profile: merged data, provenance and parameters."""

    name: str
    file: str
    data: dict
    positions: dict[str, Position]
    params: dict[str, params_mod.Parameter]
    chain: list[str] = field(default_factory=list)

    @property
    def abstract(self) -> bool:
        return bool(self.data.get("abstract"))

    def examples(self) -> dict:
        """The documented example values: each parameter's ``example``, then the ``examples`` key."""
        merged = {n: p.example for n, p in self.params.items() if p.example is not None}
        merged.update(self.data.get("examples") or {})
        return merged

    def where(self, pointer: str) -> Position:
        """(file, line, column) of the closest located value at or above ``pointer``."""
        return nearest(self.positions, pointer, (self.file, 1, 1))


def resolve(catalog: Catalog, name: str) -> Profile:
    """Load profile ``name`` and everything it extends, merged."""
    data, positions, chain = _resolve(catalog, name, ())
    entry = catalog.profile(name)
    prof = Profile(name, str(entry.path), data, positions, {}, chain)
    prof.params = _parameters(prof)
    return prof


def standalone(name: str, doc: yamlsrc.Located) -> Profile:
    """The profile of one document that extends nothing (e.g. one being written)."""
    if doc.data.get("extends"):
        raise ProfileError(f"{doc.file}: a standalone profile cannot extend others")
    positions = {p: (doc.file,) + tuple(pos) for p, pos in doc.positions.items()}
    data = {k: v for k, v in doc.data.items() if k != "abstract"}
    data["abstract"] = bool(doc.data.get("abstract"))
    prof = Profile(name, doc.file, data, positions, {}, [name])
    prof.params = _parameters(prof)
    return prof


def _resolve(catalog: Catalog, name: str, seen: tuple) -> tuple[dict, dict, list]:
    """Merge the profile's ancestors, each applied once (parents before children, left to
    right, so a diamond's shared base is not applied twice), then the profile itself."""
    order: list[tuple[str, yamlsrc.Located]] = []
    _linearize(catalog, name, (), order)
    data: dict = {}
    where = Where()
    for i, (_, doc) in enumerate(order[:-1]):  # the ancestors, merged once for all their descendants
        docs = tuple(d for _, d in order[: i + 1])  # kept with the result: their ids stay theirs
        data, where, _ = memo.get("merged", tuple(map(id, docs)),
                                  lambda d=data, w=where, doc=doc, docs=docs: _apply(d, w, doc) + (docs,))
    data, where = _apply(data, where, order[-1][1])  # a fresh top-level dict: safe to add to
    data["abstract"] = bool(order[-1][1].data.get("abstract"))
    return data, where.flat(), [n for n, _ in order]


def _apply(data: dict, where: Where, doc: yamlsrc.Located) -> tuple[dict, Where]:
    """``doc`` merged onto what its ancestors made (neither input is changed)."""
    own = Where.of({p: (doc.file,) + pos for p, pos in doc.positions.items()})
    body = {k: v for k, v in doc.data.items() if k not in ("extends", "abstract")}
    return merge(data, where, body, own)


def _linearize(catalog: Catalog, name: str, stack: tuple, order: list) -> None:
    entry = catalog.profile(name)
    if name in stack:
        chain = [_extends_line(catalog, n) for n in stack[stack.index(name):]]
        raise ProfileError(f"'extends' forms a cycle: {' → '.join(chain + [str(entry.path)])}")
    if any(n == name for n, _ in order):
        return
    doc = load_file(entry)
    parents = doc.data.get("extends") or []
    parents = [parents] if isinstance(parents, str) else parents
    for i, parent in enumerate(parents):
        if parent not in catalog.profiles:
            hint = did_you_mean(parent, catalog.profiles)
            where = doc.where("/extends" + (f"/{i}" if isinstance(doc.data["extends"], list) else ""))
            raise ProfileError(f"{where}: extends unknown profile '{parent}'{hint}")
        _linearize(catalog, parent, stack + (name,), order)
    order.append((name, doc))


def _extends_line(catalog: Catalog, name: str) -> str:
    """``file:line`` of a profile's ``extends`` key."""
    doc = load_file(catalog.profile(name))
    line = doc.position("/extends")[0]
    return f"{doc.file}:{line}"


def _parameters(prof: Profile) -> dict[str, params_mod.Parameter]:
    specs = dict(prof.data.get("parameters") or {})
    specs.setdefault("name", {"type": "string", "help": "Name of the image template resource."})
    result = {}
    for pname, spec in specs.items():
        file, line, col = prof.where(f"/parameters/{escape(pname)}")
        spec = dict(spec)
        if pname == "name" and "default" not in spec:
            spec["default"] = prof.name
        try:
            result[pname] = params_mod.from_profile(pname, spec, f"{file}:{line}:{col}")
        except TypeError as exc:  # unexpected key already caught by the schema
            raise ProfileError(f"{file}:{line}:{col}: parameter '{pname}': {exc}") from None
    return result


def explain_lines(prof: Profile) -> list[str]:
    """``pointer = value  # file:line`` for every leaf value of the merged profile."""
    lines: list[str] = []

    def walk(value, ptr: str) -> None:
        if isinstance(value, dict) and value:
            for key, child in value.items():
                walk(child, f"{ptr}/{escape(key)}")
        elif isinstance(value, list) and value:
            for i, child in enumerate(value):
                walk(child, f"{ptr}/{i}")
        else:
            file, line, col = prof.where(ptr)
            lines.append(f"{ptr} = {json.dumps(value, ensure_ascii=False)}  # {file}:{line}:{col}")

    walk({k: v for k, v in prof.data.items() if k != "abstract"}, "")
    return lines

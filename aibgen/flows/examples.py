"""Every profile of a catalog rendered with its example values, for ``catalog docs`` and ``diff``.

The template of a concrete profile is the one ``aibgen new --profile NAME --example-values``
writes, made without the checks (``catalog lint`` checks; docs describe and diff compares).
A profile that cannot be read or rendered keeps its one-line error instead, so one broken
profile never stops the others. Ancestry (parents, ancestors, descendants) is worked out
once for the whole catalog, from each file's ``extends``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aibgen import emit, memo
from aibgen.errors import AibgenError
from aibgen.profiles.load import load_file
from aibgen.profiles.resolve import Profile, resolve
from aibgen.profiles.roots import Catalog


@dataclass
class Example:
    """One profile: resolved (or not), and its template text (or the error that stopped it)."""

    name: str
    profile: Profile | None = None
    doc: dict | None = None
    error: str | None = None
    partials: list[str] = field(default_factory=list)

    @property
    def text(self) -> str | None:
        """The template as ``aibgen new`` writes it."""
        return None if self.doc is None else emit.dumps(self.doc)


def render_example(catalog: Catalog, name: str) -> Example:
    """Resolve ``name``; a concrete profile is also rendered with its example values."""
    from aibgen.flows.new import Request, bind, choose_api_version
    from aibgen.render.renderer import render

    try:
        prof = resolve(catalog, name)
    except AibgenError as err:
        return Example(name, error=str(err))
    if prof.abstract:
        return Example(name, prof)
    try:
        version = choose_api_version(prof, None)
        rendered = render(catalog, prof, bind(prof, Request(name, use_examples=True), None), version)
        doc = emit.ordered(rendered.doc, version)
    except AibgenError as err:
        return Example(name, prof, error=str(err))
    return Example(name, prof, doc, partials=rendered.partials)


def parents(catalog: Catalog) -> dict[str, list[str]]:
    """Each profile's ``extends`` as a list (a profile that cannot be read extends nothing)."""
    return memo.get("catalog-parents", catalog, lambda: {name: ext for name, (ext, _) in _index(catalog).items()})


def _index(catalog: Catalog) -> dict[str, tuple[list[str], bool]]:
    """Each profile's parents and whether it is abstract, read once per catalog."""
    def make() -> dict[str, tuple[list[str], bool]]:
        out = {}
        for name, entry in catalog.profiles.items():
            try:
                data = load_file(entry).data
            except AibgenError:
                data = {}
            ext = data.get("extends") or []
            out[name] = ([ext] if isinstance(ext, str) else [e for e in ext if isinstance(e, str)],
                         bool(data.get("abstract")))
        return out

    return memo.get("catalog-index", catalog, make)


def ancestors(catalog: Catalog, name: str) -> frozenset[str]:
    """Every profile ``name`` extends, directly or through others (cycles and missing names end a path)."""
    table = _index(catalog)
    found, todo = set(), list(table[name][0] if name in table else [])
    while todo:
        parent = todo.pop()
        if parent not in found and parent != name:
            found.add(parent)
            todo.extend(table[parent][0] if parent in table else [])
    return frozenset(found)


def descendants(catalog: Catalog) -> dict[str, list[str]]:
    """For each profile, the profiles that extend it, directly or through others, by name."""
    below: dict[str, list[str]] = {name: [] for name in catalog.profiles}
    for name in sorted(catalog.profiles):
        for parent in ancestors(catalog, name):
            below.setdefault(parent, []).append(name)
    return below


def is_abstract(catalog: Catalog, name: str) -> bool:
    """Whether the profile says ``abstract: true`` (one that cannot be read counts as concrete)."""
    entry = _index(catalog).get(name)
    return bool(entry and entry[1])

"""The two sides of ``aibgen catalog diff``: catalogs from two folders, or from git refs.

* Two folders: each side is the command's catalog roots with that folder as the last one.
* Git refs: every catalog root that lies inside the git repository of the working directory
  is read as the ref has it (:mod:`aibgen.flows.gitrefs`, into a temporary folder); roots
  outside it (the built-in catalog of an installed aibgen, installed catalog packages) are
  the same on both sides. HEAD defaults to the working tree as it is, edits included.

Files are shown relative to the repository (refs) or to the side's folder (folders), so a
file has the same name on both sides and no temporary folder shows in a message.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from aibgen.errors import InputError
from aibgen.flows import gitrefs, pathnames
from aibgen.profiles.roots import Catalog, Root, directory_root, load_catalog


@dataclass(eq=False)
class Side:
    """One side of the comparison: its name in the report, its catalog, how it shows paths."""

    label: str
    catalog: Catalog
    names: pathnames.PathNames
    cache: dict = field(default_factory=dict)  # what the comparison works out once per side

    def once(self, key, make):
        """``make()``, worked out once per side and ``key``."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def sides(base: str, head: str | None, roots: list[Root], tmp: Path, cwd: str | None = None) -> tuple[Side, Side]:
    """The base and head sides for the command line ``catalog diff BASE [HEAD]``."""
    here = os.path.abspath(cwd or os.getcwd())
    if os.path.isdir(base):
        if head is None:
            raise InputError(f"{base}: is a catalog folder; give the folder to compare it with: "
                             f"aibgen catalog diff {base} NEW_FOLDER")
        if not os.path.isdir(head):
            raise InputError(f"{head}: no such catalog folder (BASE and HEAD are both folders or both git refs)")
        return _folder_side(base, roots, here), _folder_side(head, roots, here)
    if head is not None and os.path.isdir(head):
        raise InputError(f"{base}: no such catalog folder (BASE and HEAD are both folders or both git refs)")
    try:
        top = gitrefs.toplevel(here)
    except InputError:
        raise InputError(f"{base}: no such catalog folder, and {here} is not inside a git repository, so it "
                         "cannot be a git ref either; give two folders, or run it in the repository") from None
    mapped = _inside(roots, top)
    shas = [gitrefs.commit(top, ref) for ref in ([base] if head is None else [base, head])]
    base_side = _ref_side(base, shas[0], roots, mapped, top, tmp / "base", here)
    if head is None:
        return base_side, Side("working tree", load_catalog(roots), _names(roots, roots, mapped, here))
    return base_side, _ref_side(head, shas[1], roots, mapped, top, tmp / "head", here)


def _folder_side(folder: str, roots: list[Root], here: str) -> Side:
    root = directory_root(folder)
    names = pathnames.for_roots(roots, Path(here))
    names.add(root.profiles, "")
    if root.partials is not None:
        names.add(root.partials, "partials")
    return Side(folder, load_catalog(roots + [root]), names)


def _inside(roots: list[Root], top: str) -> dict[str, str]:
    """Each root folder (profiles or partials) that lies in the repository -> its path there."""
    mapped = {}
    for root in roots:
        for folder in (root.profiles, root.partials):
            if folder is None:
                continue
            real = os.path.realpath(str(folder))
            if real == top or real.startswith(top + os.sep):
                mapped[str(folder)] = Path(os.path.relpath(real, top)).as_posix()
    if not mapped:
        raise InputError(f"no catalog root is inside the git repository at {top}; name the catalog folder with "
                         "--catalog DIR (or catalog: in aibgen.yaml)")
    return mapped


def _ref_side(ref: str, sha: str, roots: list[Root], mapped: dict[str, str], top: str, dest: Path,
              here: str) -> Side:
    dest.mkdir(parents=True)
    gitrefs.extract(top, sha, sorted(set(mapped.values())), dest)
    moved = []
    for root in roots:
        profiles = _moved(root.profiles, mapped, dest, create=True)
        partials = _moved(root.partials, mapped, dest, create=False) if root.partials is not None else None
        if partials is not None and not partials.is_dir():
            partials = None
        moved.append(Root(root.label, profiles, partials))
    return Side(ref, load_catalog(moved), _names(moved, roots, mapped, here))


def _moved(folder, mapped: dict[str, str], dest: Path, create: bool):
    rel = mapped.get(str(folder))
    if rel is None:
        return folder
    target = dest / rel
    if create:
        target.mkdir(parents=True, exist_ok=True)  # a root the ref does not have yet: no profiles
    return target


def _names(roots: list[Root], originals: list[Root], mapped: dict[str, str], here: str) -> pathnames.PathNames:
    """Repository files by their path in the repository; other roots by their labels."""
    names = pathnames.PathNames()
    for root, original in zip(roots, originals):
        label = pathnames.root_label(original, Path(here))
        for folder, orig, suffix in ((root.profiles, original.profiles, ""), (root.partials, original.partials, "/partials")):
            if folder is None:
                continue
            rel = mapped.get(str(orig))
            names.add(folder, (rel if rel != "." else "") if rel is not None else label + suffix)
    return names

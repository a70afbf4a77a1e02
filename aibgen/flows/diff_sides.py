"""The two sides of ``aibgen catalog diff``: catalogs from two folders, or from git refs.

* Two folders: each side is the command's catalog roots with that folder as the last one.
* Git refs: every catalog root that lies inside the git repository of the working directory
  is read as the ref has it (:mod:`aibgen.flows.gitrefs`, into a temporary folder); roots
  outside it (the built-in catalog of an installed aibgen, installed catalog packages) are
  the same on both sides. HEAD defaults to the working tree as it is, edits included. The
  configuration (``aibgen.yaml``, or ``pyproject.toml``), when it is in the repository, is
  read from the ref too: the file ``--config`` names, or the one the working directory's
  search finds in the ref's tree, so each side has the catalog roots its own commit names.
* A project's own catalog (the folder its ``aibgen.yaml`` names) may read local files from
  anywhere in the project: a ref's copy gets the configuration files above each catalog
  folder and the files its profiles name (``script:``, ``inline_file:``), as the ref has them.
* An argument that is both a folder and a git ref is taken as the folder (and as a ref
  when BASE is a ref), with a note that says how to write the other.

Files are shown relative to the repository (refs) or to the side's folder (folders), so a
file has the same name on both sides and no temporary folder shows in a message.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from aibgen import config
from aibgen.errors import AibgenError, InputError
from aibgen.flows import gitrefs, pathnames
from aibgen.profiles.load import load_file
from aibgen.profiles.roots import Catalog, Root, default_roots, directory_root, load_catalog

_CONFIG_NAMES = ("aibgen.yaml", "aibgen.yml", "pyproject.toml")  # what config.find looks for


@dataclass(eq=False)
class Side:
    """One side of the comparison: its name in the report, its catalog, how it shows paths."""

    label: str
    catalog: Catalog
    names: pathnames.PathNames
    cache: dict = field(default_factory=dict)  # what the comparison works out once per side
    note: str = ""  # said on standard error: how an argument was taken

    def once(self, key, make):
        """``make()``, worked out once per side and ``key``."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def sides(base: str, head: str | None, extra: list[str], tmp: Path, config_path: str | None = None,
          search: bool = True, cwd: str | None = None) -> tuple[Side, Side]:
    """The base and head sides for the command line ``catalog diff BASE [HEAD]`` (``extra``: the
    ``--catalog`` folders; ``config_path`` and ``search``: ``--config`` and not ``--no-config``)."""
    here = os.path.abspath(cwd or os.getcwd())
    working = config.load(config_path, search)
    roots = default_roots(list(working.catalogs) + list(extra))
    if os.path.isdir(base):
        if head is None:
            raise InputError(f"{base}: is a catalog folder; give the folder to compare it with: "
                             f"aibgen catalog diff {base} NEW_FOLDER")
        if not os.path.isdir(head):
            raise InputError(f"{head}: no such catalog folder (BASE and HEAD are both folders or both git refs)")
        pair = _folder_side(base, roots, here), _folder_side(head, roots, here)
        for side, arg in zip(pair, (base, head)):
            side.note = _also_a_ref(arg, here)
        return pair
    try:
        top = gitrefs.toplevel(here)
    except InputError:
        raise InputError(f"{base}: no such catalog folder, and {here} is not inside a git repository, so it "
                         "cannot be a git ref either; give two folders, or run it in the repository") from None
    if head is not None and os.path.isdir(head) and not gitrefs.is_commit(top, head):
        raise InputError(f"{base}: no such catalog folder (BASE and HEAD are both folders or both git refs)")
    shas = [gitrefs.commit(top, ref) for ref in ([base] if head is None else [base, head])]
    fixed, given = default_roots([], None), [directory_root(d) for d in extra]
    made = [(ref, sha, fixed + _ref_config_roots(top, sha, ref, here, config_path, search, working, tmp / f"{n}.cfg")
             + given, tmp / n) for ref, sha, n in zip([base, head], shas, ("base", "head"))]
    mapped = [_inside(side_roots, top) for _, _, side_roots, _ in made]
    if head is None:
        mapped.append(_inside(roots, top))
    if not any(mapped):
        raise InputError(f"no catalog root is inside the git repository at {top}; name the catalog folder with "
                         "--catalog DIR (or catalog: in aibgen.yaml)")
    pair = [_ref_side(ref, sha, side_roots, m, top, dest, here) for (ref, sha, side_roots, dest), m in zip(made, mapped)]
    if head is None:
        pair.append(Side("working tree", load_catalog(roots), _names(roots, roots, mapped[1], here)))
    elif os.path.isdir(head):
        pair[1].note = (f"note: {head} is both a folder and a git ref; comparing the git ref, as BASE is one "
                        f"(to compare folders, give two: aibgen catalog diff FOLDER ./{head})")
    return pair[0], pair[1]


def _also_a_ref(arg: str, here: str) -> str:
    """A note when the folder ``arg`` is also a git ref of the repository at ``here``."""
    try:
        top = gitrefs.toplevel(here)
    except InputError:
        return ""
    if not gitrefs.is_commit(top, arg):
        return ""
    return (f"note: {arg} is both a folder and a git ref; comparing the folder "
            f"(write {arg}^0 for the git ref, or ./{arg} for the folder, to leave no doubt)")


def _ref_config_roots(top: str, sha: str, ref: str, here: str, config_path: str | None, search: bool,
                      working: config.Config, folder: Path) -> list[Root]:
    """The catalog roots of the configuration as commit ``sha`` has it: the file the working
    tree uses (``--config``) or would find there, read from the commit; one outside the
    repository is the same on both sides."""
    if config_path is None and not search:
        return []
    if config_path is not None:
        real = os.path.realpath(config_path)
        if not _below(real, top):
            return [directory_root(c) for c in working.catalogs]
        rel = os.path.relpath(real, top)
        copy = folder / rel
        found = gitrefs.read_files(top, sha, [Path(rel).as_posix()])
        if not found:
            return []
        _place(copy, next(iter(found.values())))
    else:  # the working tree's search (config.find), in a copy of the commit's candidate files
        rel_here = os.path.relpath(os.path.realpath(here), top)
        levels = [Path(rel_here)] + list(Path(rel_here).parents) if rel_here != "." else [Path(".")]
        names = [(d / n).as_posix() for d in levels for n in _CONFIG_NAMES]
        for name, content in gitrefs.read_files(top, sha, names).items():
            _place(folder / name, content)
        (folder / ".git").mkdir(parents=True, exist_ok=True)  # where the search stops, as at the top
        (folder / rel_here).mkdir(parents=True, exist_ok=True)
        copy = config.find(folder / rel_here)
        if copy is None:
            return []
        rel = os.path.relpath(copy, os.path.realpath(folder))
    shown = f"{ref}:{Path(rel).as_posix()}"
    return [_config_root(c, folder, top) for c in _load_config(copy, shown).catalogs]


def _place(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    path.chmod(0o644)  # config.find reads only files no one else may write


def _load_config(copy: Path, shown: str) -> config.Config:
    try:
        return config.load(copy, search=False)
    except AibgenError as exc:
        raise type(exc)(str(exc).replace(str(copy), shown)) from None


def _config_root(catalog: str, folder: Path, top: str) -> Root:
    """A catalog folder the commit's configuration names (resolved in the copy), in the repository."""
    real = os.path.normpath(os.path.join(top, os.path.relpath(catalog, os.path.realpath(folder))))
    if not _below(real, top):
        return directory_root(real)
    return Root(real, Path(real), Path(real) / "partials")


def _below(path: str, top: str) -> bool:
    return path == top or path.startswith(top + os.sep)


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
            if _below(real, top):
                mapped[str(folder)] = Path(os.path.relpath(real, top)).as_posix()
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
    own = [Path(str(m.profiles)) for m, r in zip(moved, roots) if str(r.profiles) in mapped]
    catalog = load_catalog(moved)
    _project_files(top, sha, dest, own, catalog)
    return Side(ref, catalog, _names(moved, roots, mapped, here))


def _project_files(top: str, sha: str, dest: Path, folders: list[Path], catalog: Catalog) -> None:
    """Make the copy a project as the working tree is: the configuration files above each
    catalog folder (``config.find`` from there, up to the repository's top), and the local
    files outside the folder that the profiles of a project's own catalog name."""
    real = os.path.realpath(dest)
    names = set()
    for folder in folders:
        rel = Path(os.path.relpath(os.path.realpath(folder), real))
        names |= {(d / n).as_posix() for d in [rel, *rel.parents] for n in _CONFIG_NAMES}
    for name, content in gitrefs.read_files(top, sha, sorted(names)).items():
        if not os.path.lexists(dest / name) and _below(os.path.realpath((dest / name).parent), real):
            _place(dest / name, content)
    (dest / ".git").mkdir(exist_ok=True)  # where config.find stops, as at the repository's top
    wanted = set()
    for folder in folders:
        project = _project(folder)
        if project is None:
            continue
        for entry in catalog.profiles.values():
            if Path(str(entry.path)).parent == folder:
                wanted |= _named_files(entry, real, os.path.relpath(project, real))
    gitrefs.extract(top, sha, sorted(w for w in wanted if not os.path.lexists(dest / w)), dest, files_only=True)


def _project(folder: Path) -> str | None:
    """The project folder whose configuration names ``folder`` as its catalog (as roots.local_file sees it)."""
    found = config.find(folder)
    try:
        named = config.load(found, search=False).catalogs if found is not None else []
    except AibgenError:
        return None
    return str(found.parent.resolve()) if str(folder.resolve()) in named else None


def _named_files(entry, real: str, project: str) -> set[str]:
    """The ``script:`` and ``inline_file:`` paths of a profile's items, relative to the
    repository, that stay inside ``project`` (relative to it too)."""
    try:
        data = load_file(entry).data
    except AibgenError:
        return set()
    at = os.path.relpath(os.path.realpath(Path(str(entry.path)).parent), real)
    found, todo = set(), [data]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            todo.extend(node.values())
            for key in ("script", "inline_file"):
                value = node.get(key)
                if isinstance(value, str) and value and "\0" not in value and not os.path.isabs(value):
                    path = os.path.normpath(os.path.join(at, value))
                    if _below(path, project) or project == "." and path != ".." and not path.startswith("../"):
                        found.add(Path(path).as_posix())
    return found


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
            top = _top(folder, rel) if rel is not None else None
            if top is not None and (top, "") not in names.folders:
                names.add(top, "")  # the project's other files (local files), by their repository path
    return names


def _top(folder, rel: str) -> str | None:
    """The repository's top as ``folder`` (its path ``rel`` in the repository) is reached."""
    parts, inner = Path(os.path.abspath(str(folder))).parts, Path(rel).parts
    if inner and parts[-len(inner):] != inner:
        return None
    return str(Path(*parts[:len(parts) - len(inner)]))

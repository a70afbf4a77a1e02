"""Catalog roots, and the profiles and partials they hold, indexed by name with origin.

Roots, lowest precedence first: the built-in catalog shipped in the wheel, then catalogs
installed as Python packages (entry point group ``aibgen.catalogs``, each naming a
package), then each directory in ``AIBGEN_CATALOG_PATH`` (``os.pathsep``-separated), then
the project's catalog from ``aibgen.yaml`` and each ``--catalog`` directory. A directory root holds profiles as ``<name>.yaml`` and may hold partials under
``partials/<kind>/<name>.json.j2``. A later root shadows a profile or partial of the same
name in an earlier one.
"""
from __future__ import annotations

import os
import stat
import re
from dataclasses import dataclass, field
from pathlib import Path

from aibgen import resources
from aibgen.errors import CatalogError, did_you_mean, guarded
from aibgen.sources import reader
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11+
    from importlib.abc import Traversable

NAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")  # the whole name: no newline may follow
PARTIAL_KINDS = ("sources", "customizers", "validators", "distributors", "properties")
PARTIAL_SUFFIX = ".json.j2"
LOCAL_FILE_BYTES = 64 * 1024 * 1024  # a script inlined or hashed into a template


@dataclass
class Root:
    """One catalog root: where its profiles and partials are."""

    label: str
    profiles: Traversable
    partials: Traversable | None


@dataclass
class Entry:
    """A profile or partial found in a root; ``shadows`` lists the roots it overrides."""

    name: str
    path: Traversable
    root: str
    shadows: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Catalog:
    """All roots and what they define, after shadowing."""

    roots: list[Root]
    profiles: dict[str, Entry]
    partials: dict[str, Entry]

    def profile(self, name: str) -> Entry:
        """The profile called ``name``, or a CatalogError with a did-you-mean."""
        if not NAME_RE.fullmatch(name or ""):
            raise CatalogError(f"'{name}' is not a valid profile name: use lower-case letters, digits, '.', '_' and '-'")
        if name not in self.profiles:
            hint = did_you_mean(name, self.profiles)
            raise CatalogError(f"no profile named '{name}'{hint}; 'aibgen catalog list' shows them all")
        return self.profiles[name]


def local_file(catalog: Catalog, profile_file: str, relative: str) -> bytes:
    """Bytes of a file named relative to a profile, refusing paths that leave its catalog root."""
    rel = Path(relative)
    if rel.is_absolute():
        raise CatalogError(f"'{relative}' must be a relative path inside the catalog, not absolute")
    base = Path(profile_file).parent
    root = next((Path(str(r.profiles)) for r in catalog.roots if _inside(Path(profile_file), Path(str(r.profiles)))), base)
    target = base / rel
    try:
        if not _inside(target.resolve(), root.resolve()):
            project = _project_of(root.resolve())
            if project is None or not _inside(target.resolve(), project):
                where = f"the project {project}" if project else f"the catalog root {root}"
                raise CatalogError(f"'{relative}' leads outside {where}; keep local files inside it")
        return reader.read_bytes(target, LOCAL_FILE_BYTES, "a local script file", CatalogError)
    except OSError as exc:
        raise CatalogError(f"'{relative}': cannot read {target}: {exc.strerror or exc}") from None


def _project_of(root: Path) -> Path | None:
    """The folder of the project configuration (aibgen.yaml) that names ``root`` as its catalog.

    A project's own profiles may use files anywhere in the project (``scripts/`` beside
    ``images/``); a profile of any other root only files inside that root.
    """
    from aibgen import config

    found = config.find(root)
    if found is None:
        return None
    try:
        named = config.load(found, search=False).catalogs
    except config.ConfigError:
        return None
    return found.parent.resolve() if str(root) in named else None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def directory_root(path: str | Path, label: str | None = None) -> Root:
    """A root for a catalog directory given by the user."""
    p = Path(path).expanduser()
    try:
        is_dir = stat.S_ISDIR(os.stat(p).st_mode)
    except OSError as exc:  # missing, a symlink loop, no permission: say which
        what = "does not exist" if isinstance(exc, FileNotFoundError) else f"cannot be read ({exc.strerror})"
        raise CatalogError(f"catalog {path}: {what}; pass a directory of profile YAML files") from None
    if not is_dir:
        raise CatalogError(f"catalog {path}: is not a directory; pass a directory of profile YAML files")
    partials = p / "partials"
    return Root(label or str(p), p, partials if partials.is_dir() else None)


def default_roots(extra: list[str] | tuple = (), environ: dict | None = None) -> list[Root]:
    """Built-in, then ``AIBGEN_CATALOG_PATH`` entries, then ``extra`` directories."""
    env = os.environ if environ is None else environ
    roots = [Root("built-in", resources.builtin_catalog(), resources.builtin_partials())]
    roots.extend(package_roots())
    for part in env.get("AIBGEN_CATALOG_PATH", "").split(os.pathsep):
        if part.strip():
            roots.append(directory_root(part.strip()))
    roots.extend(directory_root(d) for d in extra)
    return roots


def package_roots() -> list[Root]:
    """Catalogs installed as packages: entry point group ``aibgen.catalogs`` names a package
    whose folder holds profiles (``*.yaml``) and optionally ``partials/``."""
    from importlib.metadata import entry_points
    from importlib.resources import files

    roots = []
    for ep in sorted(entry_points(group="aibgen.catalogs"), key=lambda e: e.name):
        try:
            folder = files(ep.value.split(":")[0])
        except BaseException as exc:  # noqa: BLE001 - importing a plugin package runs its code
            if not guarded(exc):
                raise
            raise CatalogError(f"catalog package '{ep.name}' ({ep.value}) cannot be loaded: "
                               f"{type(exc).__name__}: {exc}") from None
        partials = folder.joinpath("partials")
        roots.append(Root(f"package:{ep.name}", folder, partials if partials.is_dir() else None))
    return roots


def load_catalog(roots: list[Root]) -> Catalog:
    """Index every root's profiles and partials; later roots shadow earlier ones."""
    profiles: dict[str, Entry] = {}
    partials: dict[str, Entry] = {}
    for root in roots:
        for name, path in _profile_files(root):
            _add(profiles, Entry(name, path, root.label))
        for name, path in _partial_files(root):
            _add(partials, Entry(name, path, root.label))
    return Catalog(roots, profiles, partials)


def _add(index: dict[str, Entry], entry: Entry) -> None:
    old = index.get(entry.name)
    if old is not None:
        entry.shadows = old.shadows + [old.root]
    index[entry.name] = entry


def _listdir(folder: Traversable, label: str) -> list[Traversable]:
    try:
        return sorted(folder.iterdir(), key=lambda t: t.name)
    except OSError as exc:
        raise CatalogError(f"catalog {label}: cannot read {folder}: {exc.strerror or exc}") from None


def _profile_files(root: Root):
    for item in _listdir(root.profiles, root.label):
        if item.name.endswith(".yaml") and item.is_file():
            name = item.name[: -len(".yaml")]
            if NAME_RE.fullmatch(name):
                yield name, item


def _partial_files(root: Root):
    if root.partials is None:
        return
    for kind in PARTIAL_KINDS:
        folder = root.partials.joinpath(kind)
        if not folder.is_dir():
            continue
        for item in _listdir(folder, root.label):
            if item.name.endswith(PARTIAL_SUFFIX) and item.is_file():
                yield f"{kind}/{item.name[: -len(PARTIAL_SUFFIX)]}", item

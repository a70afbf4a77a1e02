"""Where a rendered scaffold goes: the checks on the destination, and the three ways to place it.

* ``new``: the destination must not exist (it is made by one rename) or be an empty folder;
* ``force``: the project's files are written over the destination's, each replaced
  atomically; its other files stay;
* ``into``: only files the destination does not have are added; the others are listed.

Every destination file is checked before the first is written: a folder that leads out of
the destination through a link, or a file standing where the project has a folder, stops
the run with nothing written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from aibgen.errors import OutputError


@dataclass
class Outcome:
    """Where the project went, and what was written or left alone."""

    target: Path
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    said: str = ""  # what the scaffold's hooks printed
    notes: list[str] = field(default_factory=list)


def check_target(target: Path, mode: str, force: bool) -> None:
    """Refuse a destination the mode cannot write to, before anything is rendered."""
    shown = str(target)
    try:
        _check(target, shown, mode, force)
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of links
        raise OutputError(f"{'--into' if mode == 'into' else '-o'} {shown}: cannot be used "
                          f"({getattr(exc, 'strerror', None) or exc})") from None


def _check(target: Path, shown: str, mode: str, force: bool) -> None:
    if mode == "into":
        if not target.is_dir():
            what = "does not exist" if not target.exists() else "is not a folder"
            raise OutputError(f"--into {shown}: {what}; give the folder of an existing repository")
        return
    if target.is_symlink():
        raise OutputError(f"-o {shown}: is a link; give the folder itself")
    if target.exists() and not target.is_dir():
        raise OutputError(f"-o {shown}: is a file; give the folder to create the repository in")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputError(f"-o {shown}: is not empty; use --force to write over its files, or --into {shown} "
                          "to add only the files it does not have")
    parent = target.parent if not target.is_dir() else target
    if not parent.is_dir():
        what = "is a link that leads nowhere" if parent.is_symlink() else "does not exist; create it first"
        raise OutputError(f"-o {shown}: the folder {parent} {what}")
    target.resolve(strict=False)


def place(project: Path, target: Path, mode: str) -> Outcome:
    """Move or merge the rendered ``project`` into ``target``."""
    if mode == "new" and not target.exists():
        outcome = Outcome(target, written=files(project))
        try:
            os.rename(project, target)
        except OSError as exc:
            raise OutputError(f"cannot create {target}: {exc.strerror or exc}") from None
        return outcome
    return _merge(project, target, overwrite=mode == "force")  # an empty folder (a mount point) is filled


def _merge(project: Path, target: Path, overwrite: bool) -> Outcome:
    outcome = Outcome(target)
    top = target.resolve()
    plan = []
    for rel in files(project):
        dest = target / rel
        _check_folders(dest, target, top)
        exists = dest.is_symlink() or dest.exists()
        if exists and (not overwrite or dest.is_dir() or dest.is_symlink()):
            outcome.skipped.append(rel)
        else:
            plan.append(rel)
    for rel in plan:
        dest = target / rel
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(project / rel, dest)
        except OSError as exc:
            raise OutputError(f"cannot write {dest}: {exc.strerror or exc}") from None
        outcome.written.append(rel)
    return outcome


def _check_folders(dest: Path, target: Path, top: Path) -> None:
    """Each folder on the way to ``dest`` is a folder (or not there yet) inside ``target``."""
    folder = dest.parent
    while folder != target:
        if folder.is_symlink() or folder.exists():
            if not folder.is_dir():
                raise OutputError(f"{folder}: is a file where the scaffold has a folder; move it away "
                                  "(nothing was written)")
            if not _inside(folder, top):
                raise OutputError(f"{dest}: its folder leads outside {target} (through a link); nothing was written")
        folder = folder.parent


def _inside(folder: Path, top: Path) -> bool:
    try:
        folder.resolve().relative_to(top)
        return True
    except ValueError:
        return False


def files(project: Path) -> list[str]:
    """Every file below ``project``, as sorted relative POSIX paths."""
    out = []
    for folder, _dirs, names in os.walk(project):
        out.extend(Path(folder, f).relative_to(project).as_posix() for f in names)
    return sorted(out)

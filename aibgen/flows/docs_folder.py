"""Keep a folder of generated docs current: write what changed, remove what is no longer made.

A folder aibgen writes holds a marker file, ``.aibgen-docs``, listing the files it wrote.
Files are removed only when that marker lists them (and they are regular files with a name
aibgen gives its pages), so nothing else in the folder, and no other folder, ever loses a
file. A folder that has files but no marker is refused. Every file is written atomically
(:func:`aibgen.output.write_file`); before the first write, every target is checked, so a
refused target leaves the folder as it was.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from aibgen.errors import OutputError
from aibgen.output import write_file

MARKER = ".aibgen-docs"
_HEADER = "# Written by aibgen catalog docs. The files below are replaced or removed when it runs again.\n"
_OURS = re.compile(r"(README\.md|profiles/[a-z0-9][a-z0-9._-]*\.md)")
_MAX_MARKER = 4 * 1024 * 1024


@dataclass
class Sync:
    """What a run changes in (or, under ``--check``, finds out of date in) the folder."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # page folders that are links or files

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.blocked)


def sync(folder: str, files: dict[str, str], check: bool = False) -> Sync:
    """Make ``folder`` hold exactly ``files`` (relative path -> text) of the previous run's; with
    ``check``, only report what differs."""
    root = Path(folder)
    previous = _previous(root)
    wanted = {name: text.encode("utf-8") for name, text in files.items()}
    wanted[MARKER] = (_HEADER + "".join(f"{name}\n" for name in sorted(files))).encode("utf-8")
    folders = {str(Path(name).parent) for name in wanted} - {"."}
    blocked = [name for name in sorted(folders) if _not_ours(root / name)]
    if blocked and not check:
        raise OutputError(f"{root / blocked[0]}: is not a folder aibgen made (a link or a file); remove it first")
    inside = tuple(f"{name}/" for name in blocked)  # never read through such a folder (--check says it)
    result = Sync([n for n in sorted(wanted) if not n.startswith(inside) and _read(root / n) != wanted[n]],
                  [n for n in sorted(previous - set(files)) if not n.startswith(inside) and _is_file(root / n)],
                  blocked)
    if check or not result.changed:
        return result
    for name in result.written:
        _writable(root / name)
    _makedirs(root, {str(Path(name).parent) for name in wanted} - {"."})
    pages = [n for n in result.written if n != MARKER]
    if pages:  # the marker first names every file, old and new, so a killed run can be taken up again
        marker = _HEADER + "".join(f"{n}\n" for n in sorted(previous | set(files)))
        write_file(str(root / MARKER), marker.encode("utf-8"), force=True)
    for name in pages:  # pages are made again by any later run (and --check tells): no flush each
        write_file(str(root / name), wanted[name], force=True, durable=False)
    for name in result.removed:
        try:
            os.unlink(root / name)
        except OSError as exc:
            raise OutputError(f"{root / name}: cannot remove: {exc.strerror or exc}") from None
    write_file(str(root / MARKER), wanted[MARKER], force=True)
    return result


def sync_file(target: str, text: str, ours: Callable[[bytes], bool], check: bool = False) -> bool:
    """Make the file ``target`` hold ``text``; whether it differed. An existing file is replaced
    only when ``ours(its bytes)`` (aibgen wrote it); with ``check``, nothing is written."""
    path, data = Path(target), text.encode("utf-8")
    old = _read(path)
    if old == data:
        return False
    if check:
        return True
    _writable(path)
    if os.path.lexists(path) and not ours(old or b""):
        raise OutputError(f"{path}: already exists and aibgen catalog docs did not write it; "
                          "remove it or choose another -o")
    write_file(target, data, force=True)
    return True


def _previous(root: Path) -> set[str]:
    """The files the marker lists; an error for a folder that has files but no marker."""
    try:
        mode = os.stat(root).st_mode
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise OutputError(f"{root}: cannot read the folder: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(mode):
        raise OutputError(f"{root}: is not a folder; catalog docs writes a folder of pages "
                          "(give a folder, or --format json for one file)")
    marker = root / MARKER
    if not _is_file(marker):
        try:
            with os.scandir(root) as entries:
                empty = next(entries, None) is None
        except OSError as exc:
            raise OutputError(f"{root}: cannot read the folder: {exc.strerror or exc}") from None
        if not empty:
            raise OutputError(f"{root}: is not empty and has no {MARKER} (aibgen did not write it); "
                              "choose an empty or new folder")
        return set()
    raw = _read(marker) or b""
    if len(raw) > _MAX_MARKER:
        raise OutputError(f"{marker}: is larger than {_MAX_MARKER // (1024 * 1024)} MiB; it is not one aibgen wrote")
    lines = raw.decode("utf-8", "replace").splitlines()
    return {line for line in lines if _OURS.fullmatch(line)}


def _read(path: Path) -> bytes | None:
    """The bytes of a regular file (not through a link), or None."""
    if not _is_file(path):
        return None
    try:
        with open(path, "rb") as f:
            return f.read(_MAX_MARKER + 1 if path.name == MARKER else -1)
    except OSError:
        return None


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _writable(path: Path) -> None:
    """Refuse, before anything is written, a target that is not a regular file or absent."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"{path}: cannot check: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise OutputError(f"{path}: is not a regular file (a link or a folder?); aibgen replaces only "
                          "files it wrote, so remove it first")


def _not_ours(sub: Path) -> bool:
    """Whether a page folder is there but not a real folder (a link, or a file)."""
    return sub.is_symlink() or (sub.exists() and not sub.is_dir())


def _makedirs(root: Path, folders: set[str]) -> None:
    """Create ``root`` and the page folders in it."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        for name in sorted(folders):
            (root / name).mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{root}: cannot create the folder: {exc.strerror or exc}") from None

"""Deterministic JSON text in the API's key order, and atomic file writes.

Same inputs give byte-identical output whatever the hash seed, platform or locale:
object keys follow the order the API specification documents them in (free-form maps
such as tags keep the order they were written in), two-space indent, UTF-8, one
trailing newline.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from aibgen import resources
from aibgen.errors import OutputError
from aibgen.sources.schemawalk import applicable, child


def ordered(doc, api_version: str):
    """``doc`` with object keys in the order of the apiVersion's schema."""
    schema = resources.schema(api_version)
    return _order(doc, schema, schema["$defs"])


def _order(value, node: dict, defs: dict):
    node = applicable(node, value, defs)
    if isinstance(value, dict):
        props = node.get("properties", {})
        keys = [k for k in props if k in value] + [k for k in value if k not in props]
        return {k: _order(value[k], child(node, k) or {}, defs) for k in keys}
    if isinstance(value, list):
        return [_order(v, child(node, 0) or {}, defs) for v in value]
    return value


def dumps(doc) -> str:
    """The canonical JSON text of ``doc``."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(target: str, text: str, force: bool = False) -> None:
    """Write ``text`` to ``target`` (``-`` is stdout) atomically: all of it or nothing."""
    data = text.encode("utf-8")
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(target)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{path}: directory '{parent}' does not exist; create it or choose another -o")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name with -o")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; pass --force to replace it")
    _replace(path, parent, data)


def _replace(path: Path, parent: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename it over ``path``.

    Where the platform has it, the data goes first into an unnamed file (O_TMPFILE), so a
    process killed while writing leaves nothing behind; the file gets a name only once it
    is complete, just before the rename. Leftovers of killed runs are removed next time.
    """
    _remove_stale(path, parent)
    tmp = parent / f".{path.name}.{os.getpid()}.aibgen-tmp"
    try:
        fd = _unnamed_file(parent)
        named = fd is None
        if named:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in '{parent}': {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.chmod(handle.fileno(), _mode(path))
            if not named:
                _link(handle.fileno(), parent, tmp.name)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(str(tmp))
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _unlink(str(tmp))
        raise


def _link(fd: int, parent: Path, name: str) -> None:
    """Give the unnamed file ``fd`` the name ``parent/name`` (linkat with AT_SYMLINK_FOLLOW)."""
    dir_fd = os.open(parent, os.O_RDONLY)
    try:  # a dir_fd makes os.link use linkat, which follows the /proc/self/fd link to the file
        os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=dir_fd, follow_symlinks=True)
    finally:
        os.close(dir_fd)


def _unnamed_file(parent: Path) -> int | None:
    """A descriptor of an unnamed file in ``parent``, or None where O_TMPFILE is missing."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(parent, flag | os.O_WRONLY, 0o600)
    except OSError:
        return None  # e.g. a filesystem without O_TMPFILE support


def _remove_stale(path: Path, parent: Path) -> None:
    """Remove temporary files of earlier runs for ``path`` whose process is gone."""
    try:
        names = [n for n in os.listdir(parent) if n.startswith(f".{path.name}.") and n.endswith(".aibgen-tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(path.name) + 2: -len(".aibgen-tmp")]
        if pid.isdigit() and not _alive(int(pid)):
            _unlink(str(parent / name))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass

"""Writing output files: all of it or nothing, never over a file by accident, only regular files.

* The data goes first into an unnamed temporary file beside the target (``O_TMPFILE``
  where the platform has it, else a named one), so a killed run leaves no half-written
  output. Replacing a file needs a name for the rename: a run killed in that instant
  leaves ``.NAME.PID.aibgen-tmp``, which the next run writing NAME removes.
* Without ``--force`` the file is linked into place, which fails if the name exists:
  two runs racing for one name cannot both "win", and nothing is overwritten.
* With ``--force`` an existing *regular* file is replaced by a rename; a symlink (even a
  dangling one), a FIFO, a device or a directory is never replaced or written through.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from aibgen.errors import OutputError

_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def write_file(target: str, data: bytes, force: bool = False, durable: bool = True) -> None:
    """Write ``data`` to the file ``target`` atomically (see the module doc); ``durable=False`` skips
    the flush to disk, for files a run makes again (pages of generated docs): still all or nothing."""
    path, existing = check_target(target, force)
    _place(path, path.parent, data, replace=existing is not None, durable=durable)


def check_target(target: str, force: bool = False):
    """The checks :func:`write_file` makes before writing, for a command to make before long work:
    ``(path, its lstat or None)``, or an :class:`OutputError`."""
    if not target:
        raise OutputError("the output path is empty; give a file name, or - for standard output")
    if target.endswith(("/", os.sep)):
        raise OutputError(f"{target}: ends with '/'; give a file name, not a directory")
    path = Path(target)
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{path}: directory '{parent}' does not exist; create it or choose another -o")
    existing = _lstat(path)
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise OutputError(f"{path}: is a directory; give a file name with -o")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise OutputError(f"{path}: is {_kind(existing.st_mode)}; aibgen writes only regular files, "
                          "so remove it or choose another -o")
    if existing is not None and not force:
        raise OutputError(f"{path}: already exists; pass --force to replace it")
    return path, existing


def _place(path: Path, parent: Path, data: bytes, replace: bool, durable: bool = True) -> None:
    tmp = parent / f".{path.name}.{os.getpid()}.aibgen-tmp"
    _remove_stale(path, parent)
    try:
        fd, named = _open_temp(parent, tmp)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in '{parent}': {exc.strerror or exc}") from None
    try:
        _fill(fd, data, _mode(replace, path))
        if durable:
            os.fsync(fd)
        if not named and not replace:
            _link_fd(fd, parent, path.name)  # fails if the name appeared meanwhile
        else:
            if not named:
                _link_fd(fd, parent, tmp.name)
            _commit(tmp, path, replace)
    except FileExistsError:
        raise OutputError(f"{path}: already exists (created while aibgen was writing); pass --force to "
                          "replace it") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
        _unlink(tmp)


def _open_temp(parent: Path, tmp: Path) -> tuple[int, bool]:
    """A descriptor of an unnamed file in ``parent`` (False), or of the named file ``tmp`` (True)."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is not None and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(parent, flag | os.O_WRONLY, 0o600), False
        except OSError:
            pass  # e.g. a filesystem without O_TMPFILE support
    return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600), True


def _fill(fd: int, data: bytes, mode: int) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fchmod(fd, mode)


def _commit(tmp: Path, path: Path, replace: bool) -> None:
    """Move the named temporary file into place: a rename over a regular file, else a link."""
    if replace:
        os.replace(tmp, path)
    else:
        os.link(tmp, path, follow_symlinks=False)


def _link_fd(fd: int, parent: Path, name: str) -> None:
    """Give the unnamed file ``fd`` the name ``parent/name`` (linkat through /proc/self/fd)."""
    dir_fd = os.open(parent, os.O_RDONLY)
    try:
        os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=dir_fd, follow_symlinks=True)
    finally:
        os.close(dir_fd)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot check: {exc.strerror or exc}") from None


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _mode(replace: bool, path: Path) -> int:
    """The mode of the file being replaced (setuid, setgid and sticky bits too), else the default
    for new files (0666 less the umask)."""
    if replace:
        try:
            return stat.S_IMODE(os.lstat(path).st_mode)
        except OSError:
            pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _remove_stale(path: Path, parent: Path) -> None:
    """Remove temporary files of earlier runs for ``path`` whose process is gone.

    Each folder is listed once per process (earlier runs left their files before this one
    started), so writing many files into one folder stays linear.
    """
    from aibgen import memo

    prefix, suffix = f".{path.name}.", ".aibgen-tmp"
    left = memo.get("stale-temp-files", str(parent), lambda: _temp_names(parent, suffix))
    for name in [n for n in left if n.startswith(prefix)]:
        left.discard(name)
        pid = name[len(prefix): -len(suffix)]
        if pid.isdigit() and not _alive(int(pid)):
            _unlink(parent / name)


def _temp_names(parent: Path, suffix: str) -> set[str]:
    try:
        return {n for n in os.listdir(parent) if n.endswith(suffix)}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

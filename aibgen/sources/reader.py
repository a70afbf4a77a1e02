"""The one way aibgen reads a file a user gave it: regular files only, size-capped while reading.

Templates, ``--values`` files, profiles, partials and configuration files all come
through :func:`read_bytes`, so hostile inputs fail the same way everywhere:

* Only regular files are read. A FIFO, socket or device (``/dev/zero``) is refused before
  a byte is read: the path is stat'ed first, then opened with ``O_NONBLOCK`` (opening a
  FIFO without a writer would otherwise wait forever) and checked again with ``fstat``,
  so a file swapped for a FIFO in between is refused too.
* The size limit holds while reading: at most ``limit + 1`` bytes are read from the open
  descriptor, so a file that grows after the check, or reports a size of 0 (``/proc``),
  still stops at the limit and never fills memory.
* ``-`` is standard input where the caller allows it (pipes are what it is for), read with
  the same cap.
* Every failure is one line naming the file, raised as the caller's error class.
"""
from __future__ import annotations

import os
import stat
import sys

from aibgen.errors import InputError

CHUNK = 64 * 1024  # reads after the first (sized by the file), until EOF or the limit
STDIN = "-"
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def display(path, stdin: bool = True) -> str:
    """The name messages use for ``path`` (``<stdin>`` for ``-`` where it means standard input)."""
    return "<stdin>" if stdin and str(path) == STDIN else str(path)


def read_bytes(path, limit: int, what: str, error: type[Exception] = InputError, stdin: bool = False) -> bytes:
    """The bytes of ``path``, at most ``limit``; else ``error`` naming it in one line.

    ``what`` names what was expected, for the messages: ``"a YAML file"``. With ``stdin``,
    ``-`` reads standard input. ``path`` may also be a package resource (a ``Traversable``
    that is not a file path), read with the same cap.
    """
    name = display(path, stdin)
    try:
        if stdin and str(path) == STDIN:
            data = _read_stream(sys.stdin.buffer if sys.stdin is not None else None, limit, name, error)
        elif isinstance(path, (str, os.PathLike)):
            data = _read_path(os.fspath(path), limit, name, what, error)
        else:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
    except OSError as exc:
        raise error(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(too_large(name, limit, what))
    return data


def check(path, limit: int, what: str, error: type[Exception] = InputError) -> os.stat_result:
    """Refuse ``path`` now if it is not a regular file or is over ``limit`` (no byte is read).

    For early errors, before any output; :func:`read_bytes` checks again while reading.
    """
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise error(f"{name}: cannot read: {exc.strerror or exc}") from None
    _regular(st, name, what, error)
    if st.st_size > limit:
        raise error(too_large(name, limit, what))
    return st


def too_large(name: str, limit: int, what: str) -> str:
    """The message for a file over ``limit`` bytes."""
    size = f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"
    return f"{name}: larger than {size}, too large for {what}"


def _read_path(path: str, limit: int, name: str, what: str, error) -> bytes:
    check(path, limit, what, error)
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        _regular(st, name, what, error)  # the path may have changed since check()
        return _read_fd(fd, limit, st.st_size)
    finally:
        os.close(fd)


def _read_fd(fd: int, limit: int, hint: int) -> bytes:
    """Up to ``limit + 1`` bytes: the first read is sized by ``hint``, later ones by CHUNK."""
    parts: list[bytes] = []
    total, want = 0, min(max(hint, 0), limit) + 1
    while total <= limit:
        chunk = os.read(fd, min(want, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        want = CHUNK
    return b"".join(parts)


def _read_stream(stream, limit: int, name: str, error) -> bytes:
    if stream is None:
        raise error(f"{name}: standard input is closed; give a file instead of -")
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _regular(st: os.stat_result, name: str, what: str, error) -> None:
    if stat.S_ISREG(st.st_mode):
        return
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{name}: is a directory; give {what}")
    kind = next((label for test, label in _KINDS if test(st.st_mode)), "not a file")
    raise error(f"{name}: not a regular file ({kind}); give {what}")


def stat_or_none(path) -> os.stat_result | None:
    """``os.stat(path)``, or None when it cannot be had (missing, a loop, no permission)."""
    try:
        return os.stat(path)
    except OSError:
        return None

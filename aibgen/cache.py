"""A per-user cache of parsed profiles and compiled partials, keyed by content.

Parsing YAML and compiling Jinja cost more than the rest of ``aibgen new``; both results
depend only on the file's bytes (and aibgen's version), so they are kept under
``$AIBGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/aibgen``, else ``~/.cache/aibgen``.
``AIBGEN_NO_CACHE=1`` turns the cache off. A cache that cannot be read or written is
ignored: it only ever saves time, never changes a result.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from aibgen import __version__


def directory() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("AIBGEN_NO_CACHE"):
        return None
    base = os.environ.get("AIBGEN_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "aibgen"


def key(kind: str, raw: bytes) -> str:
    """Content key for ``raw`` bytes of a ``kind`` of file."""
    return hashlib.sha256(f"{__version__}\0{kind}\0".encode() + raw).hexdigest()


def load(kind: str, digest: str):
    """The cached JSON value, or None."""
    folder = directory()
    if folder is None:
        return None
    try:
        return json.loads((folder / kind / f"{digest}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store(kind: str, digest: str, value) -> None:
    """Keep a JSON value; failures are ignored."""
    folder = directory()
    if folder is None:
        return
    try:
        target = folder / kind
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle)
        os.replace(tmp, target / f"{digest}.json")
    except OSError:
        pass


def jinja_bytecode_cache():
    """A Jinja bytecode cache in the cache folder, or None."""
    folder = directory()
    if folder is None:
        return None
    try:
        (folder / "jinja").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    from jinja2 import FileSystemBytecodeCache

    return FileSystemBytecodeCache(str(folder / "jinja"))

"""JSON pointers (RFC 6901): the one way aibgen names a place in a document."""
from __future__ import annotations

from typing import Iterable


def escape(token: object) -> str:
    """Escape one reference token: ``~`` becomes ``~0``, ``/`` becomes ``~1``."""
    text = token if isinstance(token, str) else str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def pointer(path: Iterable[object]) -> str:
    """The pointer of a path of keys and indexes, e.g. ``['a/b', 0]`` → ``/a~1b/0``."""
    return "".join(f"/{escape(p)}" for p in path)


def tokens(ptr: str) -> list[str]:
    """The reference tokens of a pointer, unescaped: ``/a~1b/0`` → ``['a/b', '0']``."""
    return [t.replace("~1", "/").replace("~0", "~") for t in ptr.split("/")[1:]] if ptr else []


def resolve(doc, path: list[str]):
    """The value at ``path`` (reference tokens, e.g. from :func:`tokens`) in ``doc``."""
    for token in path:
        doc = doc[int(token)] if isinstance(doc, list) else doc[token]
    return doc


def nearest(table: dict, ptr: str, default=None):
    """The value ``table`` holds for ``ptr`` or, failing that, for its nearest ancestor."""
    while ptr and ptr not in table:
        ptr = ptr.rsplit("/", 1)[0]
    return table.get(ptr, default)

"""The one per-process cache: results kept for the rest of the process, keyed by their inputs.

Parsed profiles, Jinja environments, compiled validators and rule selections are kept
here and nowhere else, so a library user or a test can drop them all with :func:`clear`.
Nothing is kept on disk: a run reads every source file it uses.
"""
from __future__ import annotations

from typing import Callable, Hashable, TypeVar

T = TypeVar("T")
_STORE: dict[tuple[str, Hashable], object] = {}


def get(kind: str, key: Hashable, make: Callable[[], T]) -> T:
    """The value kept for ``(kind, key)``, made by ``make()`` the first time."""
    slot = (kind, key)
    if slot not in _STORE:
        _STORE[slot] = make()
    return _STORE[slot]  # type: ignore[return-value]


def clear() -> None:
    """Forget every kept value."""
    _STORE.clear()

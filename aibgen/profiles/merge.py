"""Merge a child profile onto what it inherits, carrying each value's position along.

Mappings merge key by key; scalars and ordinary lists from the child replace the
parent's. In the item lists ``customize``, ``distribute`` and
``validate.inVMValidations`` each child item says what it does with its ``op``: append
(the default), prepend, replace or remove the inherited item with its ``name``, insert
``before`` or ``after`` the inherited item named by ``target``, or ``clear`` the list.

Positions travel as a tree that mirrors the data (:class:`Where`), so replacing a value
replaces its whole subtree of positions at once: merging is linear in the size of the
profiles, however many keys they have.
"""
from __future__ import annotations

from typing import Callable

from aibgen.errors import ProfileError
from aibgen.sources.pointers import escape

ITEM_LISTS = ("/customize", "/distribute", "/validate/inVMValidations")


class Where:
    """The position of one value (or None) and the positions below it, by pointer token."""

    __slots__ = ("at", "below")

    def __init__(self, at: tuple | None = None, below: dict[str, "Where"] | None = None) -> None:
        self.at, self.below = at, below if below is not None else {}

    @classmethod
    def of(cls, flat: dict[str, tuple]) -> "Where":
        """The tree of a flat ``pointer -> position`` table."""
        root = cls()
        for ptr, pos in flat.items():
            node = root
            for token in ptr.split("/")[1:] if ptr else ():
                node = node.below.setdefault(token, cls())
            node.at = pos
        return root

    def flat(self) -> dict[str, tuple]:
        """The flat ``pointer -> position`` table of this tree."""
        out: dict[str, tuple] = {}
        stack = [("", self)]
        while stack:
            ptr, node = stack.pop()
            if node.at is not None:
                out[ptr] = node.at
            stack.extend((f"{ptr}/{token}", child) for token, child in node.below.items())
        return out


Entry = tuple  # (item, Where of the item)


def merge(base: dict, bwhere: Where, over: dict, owhere: Where, at: str = "") -> tuple[dict, Where]:
    """Merge ``over`` onto ``base`` (see module doc), carrying positions along."""
    out = dict(base)
    where = Where(bwhere.at if bwhere.at is not None else owhere.at, dict(bwhere.below))
    for key, value in over.items():
        token = escape(key)
        ptr = f"{at}/{token}"
        old, mine = out.get(key), owhere.below.get(token, Where())
        if isinstance(old, dict) and isinstance(value, dict):
            out[key], where.below[token] = merge(old, where.below.get(token, Where()), value, mine, ptr)
        elif isinstance(value, list) and ptr in ITEM_LISTS:
            inherited = old if isinstance(old, list) else []
            out[key], where.below[token] = merge_items(inherited, where.below.get(token, Where()), value, mine, ptr)
        else:
            out[key], where.below[token] = value, mine
    return out, where


def merge_items(base: list, bwhere: Where, over: list, owhere: Where, ptr: str) -> tuple[list, Where]:
    """Apply the child's item operations, in order, to the inherited list ``base``."""
    entries: list[Entry] = [(item, bwhere.below.get(str(i), Where())) for i, item in enumerate(base)]
    for j, item in enumerate(over):
        op = item.get("op", "append")
        clean = {k: v for k, v in item.items() if k not in ("op", "target")}
        OPS[op](entries, (clean, owhere.below.get(str(j), Where())), item, ptr)
    at = owhere.at if owhere.at is not None else bwhere.at
    return [item for item, _ in entries], Where(at, {str(i): w for i, (_, w) in enumerate(entries)})


def _append(entries: list, new: Entry, item: dict, ptr: str) -> None:
    entries.append(new)


def _prepend(entries: list, new: Entry, item: dict, ptr: str) -> None:
    entries.insert(0, new)


def _replace(entries: list, new: Entry, item: dict, ptr: str) -> None:
    entries[_find(entries, item.get("name"), new, item, ptr)] = new


def _remove(entries: list, new: Entry, item: dict, ptr: str) -> None:
    del entries[_find(entries, item.get("name"), new, item, ptr)]


def _before(entries: list, new: Entry, item: dict, ptr: str) -> None:
    entries.insert(_find(entries, item.get("target"), new, item, ptr), new)


def _after(entries: list, new: Entry, item: dict, ptr: str) -> None:
    entries.insert(_find(entries, item.get("target"), new, item, ptr) + 1, new)


def _clear(entries: list, new: Entry, item: dict, ptr: str) -> None:
    entries.clear()


OPS: dict[str, Callable[[list, Entry, dict, str], None]] = {
    "append": _append, "prepend": _prepend, "replace": _replace, "remove": _remove,
    "before": _before, "after": _after, "clear": _clear,
}


def _find(entries: list, name, new: Entry, item: dict, ptr: str) -> int:
    """Index of the inherited item called ``name``, or a ProfileError at the child's item."""
    for i, (old, _) in enumerate(entries):
        if old.get("name") == name:
            return i
    file, line, col = new[1].at or ("?", 1, 1)
    have = ", ".join(str(old.get("name")) for old, _ in entries if old.get("name")) or "none"
    raise ProfileError(f"{file}:{line}:{col}: op '{item.get('op')}' names '{name}', but {ptr[1:]} has no "
                       f"inherited item of that name (named items: {have})")

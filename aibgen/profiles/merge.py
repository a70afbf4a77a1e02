"""Merge a child profile onto what it inherits, carrying each value's position along.

Mappings merge key by key; scalars and ordinary lists from the child replace the
parent's. In the item lists ``customize``, ``distribute`` and
``validate.inVMValidations`` each child item says what it does with its ``op``: append
(the default), prepend, replace or remove the inherited item with its ``name``, insert
``before`` or ``after`` the inherited item named by ``target``, or ``clear`` the list.
"""
from __future__ import annotations

from typing import Callable

from aibgen.errors import ProfileError
from aibgen.sources.pointers import escape

ITEM_LISTS = ("/customize", "/distribute", "/validate/inVMValidations")

Entry = tuple  # (item, positions under the item keyed by the rest of the pointer)


def merge(base: dict, bpos: dict, over: dict, opos: dict, at: str) -> tuple[dict, dict]:
    """Merge ``over`` onto ``base`` (see module doc), carrying positions along."""
    out, pos = dict(base), dict(bpos)
    pos.setdefault(at, opos.get(at))
    for key, value in over.items():
        ptr = f"{at}/{escape(key)}"
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key], pos = merge(old, pos, value, opos, ptr)
        elif isinstance(value, list) and ptr in ITEM_LISTS:
            out[key], pos = merge_items(old if isinstance(old, list) else [], pos, value, opos, ptr)
        else:
            out[key] = value
            for p in [p for p in pos if p == ptr or p.startswith(ptr + "/")]:
                del pos[p]
            pos.update({p: v for p, v in opos.items() if p == ptr or p.startswith(ptr + "/")})
    return out, pos


def merge_items(base: list, bpos: dict, over: list, opos: dict, ptr: str) -> tuple[list, dict]:
    """Apply the child's item operations, in order, to the inherited list ``base``."""
    bsubs, osubs = _by_item(bpos, ptr), _by_item(opos, ptr)
    entries: list[Entry] = [(item, bsubs.get(i, {})) for i, item in enumerate(base)]
    for j, item in enumerate(over):
        op = item.get("op", "append")
        clean = {k: v for k, v in item.items() if k not in ("op", "target")}
        OPS[op](entries, (clean, osubs.get(j, {})), item, ptr)
    pos = {p: v for p, v in bpos.items() if not (p == ptr or p.startswith(ptr + "/"))}
    pos[ptr] = opos.get(ptr) or bpos.get(ptr)
    for i, (_, sub) in enumerate(entries):
        pos.update({f"{ptr}/{i}{suffix}": v for suffix, v in sub.items()})
    return [item for item, _ in entries], pos


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
    file, line, col = new[1].get("", ("?", 1, 1))
    have = ", ".join(str(old.get("name")) for old, _ in entries if old.get("name")) or "none"
    raise ProfileError(f"{file}:{line}:{col}: op '{item.get('op')}' names '{name}', but {ptr[1:]} has no "
                       f"inherited item of that name (named items: {have})")


def _by_item(positions: dict, ptr: str) -> dict[int, dict]:
    """Positions under ``ptr/<index>``, grouped by index and keyed by the rest of the pointer."""
    out: dict[int, dict] = {}
    start = ptr + "/"
    for p, v in positions.items():
        if p.startswith(start):
            index, _, rest = p[len(start):].partition("/")
            if index.isdigit():
                out.setdefault(int(index), {})["/" + rest if rest else ""] = v
    return out

"""Edit a JSON text in place: set, delete, rename and insert members, keeping the rest as written.

An edit touches only the characters of the values it changes: every other line stays
byte for byte, comments, indentation and line endings included. New values are written
in the layout around them (the file's line ending and indentation step; on one line
where the old value or the object was on one line).

:class:`Op` is one change named by JSON pointer; :func:`edits` turns operations into text
edits over a :class:`~aibgen.sources.spans.Spans` scan, and :func:`apply_to` makes the
same change to the parsed document, which says what the edited text must read back as.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass

from aibgen.sources.pointers import escape, resolve, tokens
from aibgen.sources.spans import Container, Member, Spans

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


@dataclass(frozen=True)
class Op:
    """One change: ``set`` a value, ``delete`` a member, ``rename`` a member (new key and
    value), ``rekey`` a member (a new key, the value as it is: the one batch may ``set`` parts
    of it), or ``insert`` a member ``key`` into the object at ``pointer`` after ``after``."""

    kind: str
    pointer: str
    value: object = None
    key: str = ""
    after: str = ""


def apply(text: str, changes: list[Edit]) -> str:
    """``text`` with ``changes`` made; they must not overlap."""
    out, last = [], 0
    for e in sorted(changes, key=lambda e: (e.start, e.end)):
        if e.start < last:
            raise ValueError(f"overlapping edits at offset {e.start}")
        out += [text[last:e.start], e.new]
        last = e.end
    out.append(text[last:])
    return "".join(out)


def edits(spans: Spans, ops: list[Op]) -> list[Edit]:
    """The text edits that make ``ops`` (each pointer must be in ``spans``).

    A member that goes (deleted, or renamed) takes the earlier members of its key with it,
    if the key was repeated: else one of them would be read in its place.
    """
    gone = {op.pointer for op in ops if op.kind in ("delete", "rename", "rekey")}
    doomed = [spans.at[op.pointer] for op in ops if op.kind == "delete"]
    doomed += [m for ptr, m in spans.shadowed if ptr in gone]
    return [_edit(spans, op) for op in ops if op.kind != "delete"] + delete(spans.text, doomed)


def _edit(spans: Spans, op: Op) -> Edit:
    text = spans.text
    if op.kind == "insert":
        return _insert(text, spans.at[f"{op.pointer}/{escape(op.after)}"], op.key, op.value)
    m = spans.at[op.pointer]
    if op.kind == "rekey":
        return Edit(m.start, m.key_end, _dumps(op.key))
    value = render(op.value, text, m, "\n" in text[m.value:m.end] or _own_lines(spans.plain, m, op.value))
    if op.kind == "set":
        return Edit(m.value, m.end, value)
    if op.kind == "rename":
        return Edit(m.start, m.end, _dumps(op.key) + text[m.key_end:m.value] + value)
    raise ValueError(f"unknown edit {op.kind!r}")


def _own_lines(text: str, m: Member, value) -> bool:
    """True when an object or list replaces a list item that has lines of its own (the list
    is laid out one item a line; ``text`` without comments): it is written over lines too."""
    return (isinstance(value, (dict, list)) and bool(value) and m.parent is not None and not m.parent.is_object
            and alone_before(text, m.start) and "\n" in text[m.parent.open:m.parent.close])


def _insert(text: str, anchor: Member, key: str, value) -> Edit:
    """A new member after ``anchor``, on a line of its own where ``anchor`` has one."""
    own_line = alone_before(text, anchor.start)
    sep = newline(text) + indent_of(text, anchor.start) if own_line else " "
    member = f"{_dumps(key)}: {render(value, text, anchor, own_line)}"
    if anchor.comma is not None:
        return Edit(anchor.comma + 1, anchor.comma + 1, f"{sep}{member},")
    return Edit(anchor.end, anchor.end, f",{sep}{member}")


def delete(text: str, doomed: list[Member]) -> list[Edit]:
    """Edits removing ``doomed`` members (and the commas and lines they leave over)."""
    ids = {id(m) for m in doomed}
    boxes = {id(m.parent): m.parent for m in doomed if m.parent is not None}
    out: list[Edit] = []
    for box in boxes.values():
        flags = [id(m) in ids for m in box.members]
        i = 0
        while i < len(flags):
            if not flags[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(flags) and flags[j + 1]:
                j += 1
            out += _run(text, box, i, j)
            i = j + 1
    return out


def _run(text: str, box: Container, a: int, b: int) -> list[Edit]:
    """Remove members ``a``..``b`` of ``box`` (the members around them stay)."""
    first, last = box.members[a], box.members[b]
    if b + 1 < len(box.members):  # a member follows: the run goes with its own commas
        end = last.comma + 1
        if alone_before(text, first.start) and alone_after(text, end):
            return [Edit(line_start(text, first.start), line_after(text, end), "")]
        return [Edit(first.start, end + len(text[end:]) - len(text[end:].lstrip(" \t")), "")]
    lines = alone_before(text, first.start) and alone_after(text, last.end)
    if a == 0:  # every member goes: the brackets close up
        return [Edit(box.open + 1, box.close, "")]
    before = box.members[a - 1]  # now the last member: its comma goes
    if lines:
        return [Edit(before.comma, before.comma + 1, ""),
                Edit(line_start(text, first.start), line_after(text, last.end), "")]
    return [Edit(before.end, last.end, "")]


# -- layout ----------------------------------------------------------------------------------
def newline(text: str) -> str:
    """The text's line ending."""
    return "\r\n" if "\r\n" in text else "\n"


def line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def line_after(text: str, i: int) -> int:
    """The offset after the line break that ends ``i``'s line (or the end of the text)."""
    j = text.find("\n", i)
    return len(text) if j < 0 else j + 1


def alone_before(text: str, i: int) -> bool:
    """True when only spaces precede offset ``i`` on its line."""
    return not text[line_start(text, i):i].strip(" \t")


def alone_after(text: str, i: int) -> bool:
    """True when only spaces follow offset ``i`` on its line."""
    return not text[i:line_after(text, i)].strip(" \t\r\n")


def indent_of(text: str, i: int) -> str:
    """The spaces that begin ``i``'s line."""
    start = line_start(text, i)
    line = text[start:line_after(text, start)]
    return line[:len(line) - len(line.lstrip(" \t"))]


def step(text: str, m: Member) -> str:
    """The indentation step: ``m``'s line against its container's, else the file's first, else 2 spaces."""
    if m.parent is not None and alone_before(text, m.start):
        mine, outer = indent_of(text, m.start), indent_of(text, m.parent.open)
        if len(mine) > len(outer) and mine.startswith(outer):
            return mine[len(outer):]
    found = re.search(r"\n([ \t]+)\S", text)
    return found.group(1) if found else "  "


def render(value, text: str, m: Member, multiline: bool) -> str:
    """``value`` as JSON for the place of member ``m``: indented like the file, or on one line."""
    if not multiline:
        return _dumps(value, separators=(", ", ": "))
    nl, indent = newline(text), indent_of(text, m.start)
    return _dumps(value, indent=step(text, m)).replace("\n", nl + indent)


def _dumps(value, **kwargs) -> str:
    out = json.dumps(value, ensure_ascii=False, **kwargs)
    return json.dumps(value, **kwargs) if _SURROGATE.search(out) else out


# -- the same change on the parsed document -------------------------------------------------
def apply_to(doc, ops: list[Op]):
    """A copy of ``doc`` with ``ops`` made: what the edited text must read back as.

    The operations of one batch name places in the document as it was, and none lies
    inside another's value but a ``rekey``'s; new keys go after the values are set,
    deletions last, later list items first.
    """
    doc = copy.deepcopy(doc)
    deletes = sorted((op for op in ops if op.kind == "delete"), key=lambda op: _order(op.pointer), reverse=True)
    rekeys = [op for op in ops if op.kind == "rekey"]
    for op in [op for op in ops if op.kind not in ("delete", "rekey")] + rekeys + deletes:
        *path, last = tokens(op.pointer) + ([op.after] if op.kind == "insert" else [])
        parent = resolve(doc, path)
        if op.kind == "set":
            parent[int(last) if isinstance(parent, list) else last] = op.value
        elif op.kind == "delete":
            del parent[int(last) if isinstance(parent, list) else last]
        else:
            items = []
            for k, v in parent.items():
                if k != last or op.kind == "insert":
                    items.append((k, v))
                if k == last:
                    items.append((op.key, v if op.kind == "rekey" else op.value))
            parent.clear()
            parent.update(items)
    return doc


def _order(ptr: str) -> list:
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in tokens(ptr)]


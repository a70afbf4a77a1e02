"""Where each value of a JSON text is, as offsets, so that a value can be edited in place.

:class:`Spans` scans a text that parses (strictly, or leniently with comments and trailing
commas) and records, for every JSON pointer, the :class:`Member` a JSON parser keeps: the
last one, where an object repeats a key. The earlier members of a repeated key are kept
apart (:attr:`Spans.shadowed`, with the pointer they would have), since no pointer reaches them. Offsets are those of the
text as given: comments and trailing commas are read as spaces (:func:`blank`), which
keeps every offset where it is.

Only called on texts about to be edited (``aibgen validate --fix``, ``aibgen upgrade``),
whose nesting the parser has already bounded (:data:`aibgen.sources.jsonlimits.MAX_DEPTH`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from aibgen.sources.pointers import escape
from aibgen.sources.positions import noise

_SPACE = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_SCALAR = re.compile(r'[^\s{}\[\],:"]+')
_DROPPED = re.compile(r"[^\r\n]")


@dataclass(eq=False)
class Container:
    """An object or an array: its brackets and its members in text order (shadowed ones too)."""

    is_object: bool
    open: int
    close: int = -1
    members: list[Member] = field(default_factory=list)


@dataclass(eq=False)
class Member:
    """One member of an object (``"key": value``) or item of an array, or the root value."""

    start: int  # the key's opening quote, or the value's first character
    value: int  # the value's first character
    end: int = -1  # just past the value
    comma: int | None = None  # the comma that separates it from the next member
    parent: Container | None = None
    key_end: int | None = None  # just past the key (object members)
    inner: Container | None = None  # the value, when it is an object or array


def blank(text: str) -> str:
    """``text`` with comments and trailing commas as spaces (line breaks kept): same offsets."""
    parts, last = [], 0
    for start, end in noise(text):
        parts += [text[last:start], _DROPPED.sub(" ", text[start:end])]
        last = end
    parts.append(text[last:])
    return "".join(parts)


class Spans:
    """``pointer -> Member`` for one JSON text, plus the members a repeated key shadows."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._blank = blank(text)
        self.at: dict[str, Member] = {}
        self.shadowed: list[tuple[str, Member]] = []
        start = _SPACE.match(self._blank, 0).end()
        self._value(Member(start, start), "")

    @property
    def plain(self) -> str:
        """The text with comments and trailing commas as spaces (:func:`blank`)."""
        return self._blank

    def _space(self, i: int) -> int:
        return _SPACE.match(self._blank, i).end()

    def _value(self, member: Member, ptr: str) -> int:
        """Scan the value ``member`` starts with; record it at ``ptr``; the offset past it."""
        text, i = self._blank, member.value
        ch = text[i]
        if ch in "{[":
            member.inner = Container(ch == "{", i)
            end = self._object(member.inner, ptr) if ch == "{" else self._array(member.inner, ptr)
        else:
            end = (_STRING if ch == '"' else _SCALAR).match(text, i).end()
        member.end = end
        self.at[ptr] = member
        return end

    def _object(self, box: Container, ptr: str) -> int:
        text, i = self._blank, self._space(box.open + 1)
        seen: dict[str, Member] = {}
        while text[i] != "}":
            key_end = _STRING.match(text, i).end()
            key = _key(text[i:key_end])
            value = self._space(self._space(key_end) + 1)  # past the colon
            member = Member(i, value, parent=box, key_end=key_end)
            child = f"{ptr}/{escape(key)}"
            if key in seen:
                self._shadow(seen[key], child)
            seen[key] = member
            i = self._next(box, member, self._value(member, child))
        box.close = i
        return i + 1

    def _array(self, box: Container, ptr: str) -> int:
        text, i = self._blank, self._space(box.open + 1)
        while text[i] != "]":
            member = Member(i, i, parent=box)
            i = self._next(box, member, self._value(member, f"{ptr}/{len(box.members)}"))
        box.close = i
        return i + 1

    def _next(self, box: Container, member: Member, end: int) -> int:
        """Add ``member`` to ``box``; the offset of the next member or of the closing bracket."""
        box.members.append(member)
        i = self._space(end)
        if self._blank[i] == ",":
            member.comma = i
            i = self._space(i + 1)
        return i

    def _shadow(self, old: Member, ptr: str) -> None:
        """A later key repeats ``old``'s: forget what lies under ``old``, remember it as shadowed."""
        below = ptr + "/"
        for p in [p for p in self.at if p.startswith(below)]:
            del self.at[p]
        self.shadowed = [(p, m) for p, m in self.shadowed if not old.start <= m.start < old.end] + [(ptr, old)]


def _key(token: str) -> str:
    import json

    return json.loads(token) if "\\" in token else token[1:-1]

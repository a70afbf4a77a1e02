"""Find the line and column of JSON pointers in JSON text as the user wrote it.

Only called for files that have findings, so the fast ``json`` module does the parsing
and this tokenizer runs just to place findings. It follows the JSON grammar closely
enough to track positions (CRLF, tabs and a BOM included), is lenient about trailing
commas, and records duplicate keys. A member is located at its key.
"""
from __future__ import annotations

import bisect
import json
import re

from aibgen.sources.yamlsrc import escape, nearest

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\],:"]+')


class Positions:
    """``pointer -> (line, column)`` for one JSON text, plus duplicate-key pointers."""

    def __init__(self, text: str, wanted=None) -> None:
        """Scan ``text``; with ``wanted`` pointers, subtrees that hold none are skipped."""
        self.text = text
        self.offsets: dict[str, int] = {}
        self.duplicates: list[str] = []
        self._lines: list[int] | None = None
        self._needed = None if wanted is None else _prefixes(wanted)
        self._scan(text)

    def lookup(self, pointer: str) -> tuple[int, int]:
        """Position of ``pointer``, or of its nearest located parent."""
        return self._pos(nearest(self.offsets, pointer, 0))

    def _pos(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._lines, offset)
        start = self._lines[line - 1]
        column = offset - start + 1
        if line == 1 and self.text.startswith("\ufeff"):
            column -= 1
        return line, max(column, 1)

    def _scan(self, text: str) -> None:
        offsets, stack = self.offsets, []  # frames: [is_object, pointer, key or index, expecting key, seen keys]
        needed, search, i = self._needed, _TOKEN.search, 0
        while True:
            m = search(text, i)
            if m is None:
                return
            i = m.end()
            tok = m.group()
            ch = tok[0]
            top = stack[-1] if stack else None
            if ch in "}]":
                if stack:
                    stack.pop()
                continue
            if ch == ",":
                if top is not None:
                    if top[0]:
                        top[3] = True
                    else:
                        top[2] += 1
                continue
            if ch == ":":
                continue
            if top is not None and top[0] and top[3] and ch == '"':
                key = json.loads(tok) if "\\" in tok else tok[1:-1]
                child = f"{top[1]}/{escape(key)}"
                if key in top[4]:
                    self.duplicates.append(child)
                    offsets[child] = m.start()
                top[4].add(key)
                offsets.setdefault(child, m.start())
                top[2], top[3] = key, False
                continue
            if top is None:
                ptr = ""
            elif top[0]:
                ptr = f"{top[1]}/{escape(top[2])}"
            else:
                ptr = f"{top[1]}/{top[2]}"
            offsets.setdefault(ptr, m.start())
            if needed is not None and ch in "{[" and ptr not in needed:
                i = _skip_value(text, m.start(), i)
                continue
            if ch == "{":
                stack.append([True, ptr, None, True, set()])
            elif ch == "[":
                stack.append([False, ptr, 0, False, None])


_DECODER = json.JSONDecoder()


def _skip_value(text: str, start: int, fallback: int) -> int:
    """End offset of the JSON value at ``start`` (parsed in C), or ``fallback``."""
    try:
        return _DECODER.raw_decode(text, start)[1]
    except ValueError:
        return fallback


def _prefixes(pointers) -> set[str]:
    """Every pointer and all its ancestors."""
    out = {""}
    for ptr in pointers:
        while ptr:
            out.add(ptr)
            ptr = ptr.rsplit("/", 1)[0]
    return out

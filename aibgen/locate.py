"""Find the line and column of JSON pointers in JSON text as the user wrote it.

Only called when there is something to report, so the fast ``json`` module parses and
this scanner runs just for files with findings. It follows the JSON grammar closely
enough to track positions (CRLF, tabs and a BOM included) and records duplicate keys.
"""
from __future__ import annotations

import bisect
import json
import re

from aibgen.yamlsrc import escape

_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"[^,\]\}\s]+")


class Positions:
    """``pointer -> (line, column)`` for one JSON text, plus duplicate-key pointers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.found: dict[str, tuple[int, int]] = {}
        self.duplicates: list[str] = []
        try:
            self._value(self._skip(1 if text.startswith("\ufeff") else 0), "")
        except (IndexError, ValueError):
            pass  # malformed tail: keep what was located so far

    def lookup(self, pointer: str) -> tuple[int, int]:
        """Position of ``pointer``, or of its nearest located parent."""
        while pointer and pointer not in self.found:
            pointer = pointer.rsplit("/", 1)[0]
        return self.found.get(pointer, (1, 1))

    def _pos(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def _skip(self, i: int) -> int:
        return _WS.match(self.text, i).end()

    def _value(self, i: int, ptr: str) -> int:
        self.found.setdefault(ptr, self._pos(i))
        ch = self.text[i]
        if ch == "{":
            return self._object(self._skip(i + 1), ptr)
        if ch == "[":
            return self._array(self._skip(i + 1), ptr)
        m = (_STRING if ch == '"' else _SCALAR).match(self.text, i)
        if not m:
            raise ValueError(i)
        return m.end()

    def _object(self, i: int, ptr: str) -> int:
        seen = set()
        while self.text[i] != "}":
            m = _STRING.match(self.text, i)
            if not m:
                raise ValueError(i)
            key = json.loads(m.group())
            child = f"{ptr}/{escape(key)}"
            if key in seen:
                self.duplicates.append(child)
                self.found[child] = self._pos(i)
            seen.add(key)
            self.found.setdefault(child, self._pos(i))
            i = self._skip(m.end())
            i = self._skip(self._value(self._skip(i + 1), child))
            i = self._skip(i + 1) if self.text[i] == "," else i
        return i + 1

    def _array(self, i: int, ptr: str) -> int:
        n = 0
        while self.text[i] != "]":
            i = self._skip(self._value(i, f"{ptr}/{n}"))
            n += 1
            i = self._skip(i + 1) if self.text[i] == "," else i
        return i + 1

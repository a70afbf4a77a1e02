"""Find the line and column of JSON pointers in JSON text as the user wrote it.

Only called for files that have findings, so the fast ``json`` module does the parsing
and this tokenizer runs just to place findings. It follows the JSON grammar closely
enough to track positions (CRLF, tabs and a BOM included), is lenient about trailing
commas, and records duplicate keys. A member is located at its key.

:func:`noise` finds the comments and trailing commas a lenient reading drops
(:func:`lenient` drops them), in one left-to-right pass: linear in time and flat in memory,
however many unclosed ``/*`` or ``"`` or escaped quotes the text holds.
"""
from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from aibgen.sources.pointers import escape, nearest

# Strings, brackets, commas and bare words (numbers, true, false, null). Colons carry no
# position the scan needs, so they are not tokens: the search steps over them.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],]|[^\s{}\[\],:"]+')
_DECODER = json.JSONDecoder()


class Positions:
    """``pointer -> (line, column)`` for one JSON text, plus duplicate-key pointers."""

    def __init__(self, text: str, wanted: Iterable[str] | None = None) -> None:
        """Scan ``text``; with ``wanted`` pointers, subtrees that hold none are skipped."""
        self.text = text
        self._lines: list[int] | None = None
        scan = _Scan(text, None if wanted is None else _prefixes(wanted))
        scan.run()
        self.offsets: dict[str, int] = scan.offsets
        self.duplicates: list[str] = scan.duplicates

    def lookup(self, pointer: str) -> tuple[int, int]:
        """Position of ``pointer``, or of its nearest located parent."""
        return self._pos(nearest(self.offsets, pointer, 0))

    def _pos(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset (a BOM takes no column)."""
        if self._lines is None:
            self._lines = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._lines, offset)
        column = offset - self._lines[line - 1] + 1
        if line == 1 and self.text.startswith("\ufeff"):
            column -= 1
        return line, max(column, 1)


@dataclass(slots=True)
class _Frame:
    """An object or array the scan is inside."""

    is_object: bool
    pointer: str
    child: str  # pointer of the value that comes next: the current member's or item's
    index: int  # the current item's index (arrays only)
    expecting_key: bool  # an object after '{' or ',': its next string is a key
    seen: set[str] | None  # the keys met so far (objects only)

    @staticmethod
    def opening(bracket: str, pointer: str) -> _Frame:
        """The frame that ``{`` or ``[`` at ``pointer`` opens."""
        if bracket == "{":  # a value before the first key (never in valid JSON) is put at ".../None"
            return _Frame(True, pointer, f"{pointer}/None", 0, True, set())
        return _Frame(False, pointer, f"{pointer}/0", 0, False, None)

    def comma(self) -> None:
        """After a comma an object expects a key, and an array moves to its next item."""
        if self.is_object:
            self.expecting_key = True
        else:
            self.index += 1
            self.child = f"{self.pointer}/{self.index}"


class _Scan:
    """One pass over the tokens of a JSON text, recording the offset of each pointer."""

    def __init__(self, text: str, needed: set[str] | None) -> None:
        self.text = text
        self.needed = needed  # pointers whose subtrees are scanned (None: all)
        self.offsets: dict[str, int] = {}
        self.duplicates: list[str] = []
        self.stack: list[_Frame] = []

    def run(self) -> None:
        """Scan the whole text."""
        search, text, i = _TOKEN.search, self.text, 0
        while (m := search(text, i)) is not None:
            i = self._token(m)

    def _token(self, m: re.Match) -> int:
        """Handle one token; return the offset to search on from."""
        ch = self.text[m.start()]
        stack = self.stack
        top = stack[-1] if stack else None
        if ch in "}]":
            if stack:
                stack.pop()
        elif ch == ",":
            if top is not None:
                top.comma()
        elif top is not None and top.expecting_key and ch == '"':
            self._key(top, m)
        else:
            return self._value(top, ch, m)
        return m.end()

    def _key(self, top: _Frame, m: re.Match) -> None:
        """Locate a member at its key; a repeated key is a duplicate, located at the later one."""
        tok = m.group()
        key = json.loads(tok) if "\\" in tok else tok[1:-1]
        pointer = f"{top.pointer}/{escape(key)}"
        if key in top.seen:
            self.duplicates.append(pointer)
            self.offsets[pointer] = m.start()
        else:
            top.seen.add(key)
            self.offsets.setdefault(pointer, m.start())
        top.child, top.expecting_key = pointer, False

    def _value(self, top: _Frame | None, ch: str, m: re.Match) -> int:
        """Locate a value and enter it if it is an object or array (or skip it if unwanted)."""
        pointer = "" if top is None else top.child
        self.offsets.setdefault(pointer, m.start())
        if ch not in "{[":
            return m.end()
        if self.needed is not None and pointer not in self.needed:
            return _skip_value(self.text, m.start(), m.end())
        self.stack.append(_Frame.opening(ch, pointer))
        return m.end()


def _skip_value(text: str, start: int, fallback: int) -> int:
    """End offset of the JSON value at ``start`` (parsed in C), or ``fallback``."""
    try:
        return _DECODER.raw_decode(text, start)[1]
    except ValueError:
        return fallback


def _prefixes(pointers: Iterable[str]) -> set[str]:
    """Every pointer and all its ancestors."""
    out = {""}
    for ptr in pointers:
        while ptr:
            out.add(ptr)
            ptr = ptr.rsplit("/", 1)[0]
    return out


# What the lenient reading looks for next: a string (or a quote that opens none), a line
# comment (up to the line break: a CRLF's "\r" stays with the line), a block comment opener,
# a comma that only spaces and comments may part from a closing bracket. Once a quote opens
# no string, no later one does (the scan to the end of the text passed them all as escaped
# quotes), and once a "/*" has no "*/" after it, no later one has: both are then dropped from
# the pattern, which keeps the scan linear. On Python 3.11+ a possessive repeat matches the
# string without keeping backtracking state per escape; before, :func:`scanned_string_end`
# finds its end.
_CLOSE = re.compile(r'(?<!\\)(\\*)"')  # a quote and the backslashes before it
_QUOTE = r'"[^"\\]*(?:\\.[^"\\]*)*+"|"' if sys.version_info >= (3, 11) else '"'
_LINE = r"//[^\r\n]*(?:\r(?!\n)[^\r\n]*)*"  # a lone "\r" is no line break (nor is it for line numbers)
_LINE_COMMENT = re.compile(_LINE)
_SPACES = re.compile(r"\s*")


def _noise_patterns(quote: str) -> dict[tuple[bool, bool], re.Pattern]:
    """The pattern for each state: (strings may still start, block comments may still close)."""
    return {(strings, blocks): re.compile("|".join(
        [quote] * strings + [_LINE] + [r"/\*"] * blocks + [r",(?=\s*(?:[\]}]|/[/*]))"]), re.S)
        for strings in (True, False) for blocks in (True, False)}


_NOISE = _noise_patterns(_QUOTE)


def noise(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each comment and trailing comma outside strings, in order.

    A comma is trailing when only spaces and comments stand between it and ``]`` or ``}``.
    Each character is looked at once by the scan, and at most once more by the look past
    a comma (the comments it steps over hold no comma the scan could start from)."""
    strings = blocks = True
    at = 0
    while (m := _NOISE[strings, blocks].search(text, at)) is not None:
        start, at = m.span()
        first = text[start]
        if first == '"':
            if at - start == 1:  # a quote alone: its string ends later, or never (then no later one does)
                end = scanned_string_end(text, start) if _QUOTE == '"' else -1
                strings, at = end >= 0, max(end, at)
            continue
        if first == ",":
            trailing, blocks = _closes(text, at, blocks)
            if not trailing:
                continue
        elif text.startswith("/*", start):
            close = text.find("*/", at)
            if close < 0:
                blocks, at = False, start + 1
                continue
            at = close + 2
        yield start, at


def _closes(text: str, at: int, blocks: bool) -> tuple[bool, bool]:
    """Whether only spaces and comments stand between offset ``at`` and a closing bracket; and
    whether block comments may still close (False once a "/*" is found with no "*/" after it)."""
    while True:
        at = _SPACES.match(text, at).end()
        if text.startswith("//", at):
            at = _LINE_COMMENT.match(text, at).end()
        elif blocks and text.startswith("/*", at):
            close = text.find("*/", at + 2)
            if close < 0:
                return False, False
            at = close + 2
        else:
            return text[at:at + 1] in ("]", "}"), blocks


def scanned_string_end(text: str, start: int) -> int:
    """End of the string whose quote is at ``start`` (-1 if unclosed): the first quote after an
    even run of backslashes. Flat memory, one step per escaped quote."""
    at = start + 1
    while (m := _CLOSE.search(text, at)) is not None:
        if len(m.group(1)) % 2 == 0:
            return m.end()
        at = m.end()
    return -1


def lenient(text: str) -> str:
    """``text`` without comments and trailing commas (strings untouched, line numbers kept)."""
    out, last = [], 0
    for start, end in noise(text):
        out += [text[last:start], "\n" * text.count("\n", start, end) + " "]
        last = end
    out.append(text[last:])
    return "".join(out)

"""Read YAML as plain data while keeping the line and column of every value.

Profiles and ``--values`` files are untrusted text: they are read with ruamel.yaml's
round-trip loader (which builds only plain mappings, sequences and scalars, never
arbitrary Python objects), duplicate keys are errors, and the result is converted to
plain ``dict``/``list``/scalars with a hard cap on the number of nodes so that alias
"expansion bombs" stop early. Files are read through :mod:`aibgen.sources.reader` (regular
files only, at most :data:`MAX_BYTES`). A value Python cannot hold or print (an integer of
thousands of digits, a date like 2024-02-30, a lone surrogate escape such as ``"\\ud800"``)
is an error naming its line and column, never a traceback. Files in plain YAML are read
by :mod:`aibgen.sources.fastyaml` (libyaml) into the same data and positions; anything it
is not sure of, and every error, is read and worded by the loader here.
"""
from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from aibgen.errors import ProfileError
from aibgen.sources import fastyaml, reader
from aibgen.sources.pointers import escape, nearest

MAX_NODES = 200_000
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}
MAX_BYTES = 5 * 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Located:
    """Plain data from one file plus ``pointer -> (line, column)`` (1-based)."""

    data: object
    file: str
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def where(self, pointer: str) -> str:
        """``file:line:col`` of the closest located value at or above ``pointer``."""
        line, col = self.position(pointer)
        return f"{self.file}:{line}:{col}"

    def position(self, pointer: str) -> tuple[int, int]:
        return nearest(self.positions, pointer, (1, 1))


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt", pure=True)
    y.allow_duplicate_keys = False
    y.Constructor = _constructor()
    return y


@functools.lru_cache(maxsize=None)
def _constructor():
    """ruamel's round-trip constructor, but a value Python cannot build or print is a marked error."""
    from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor

    class Constructor(RoundTripConstructor):
        def construct_non_recursive_object(self, node, tag=None):
            try:
                data = super().construct_non_recursive_object(node, tag)
                if isinstance(data, int) and data.bit_length() > 64:
                    str(data)  # raises ValueError past Python's int-string conversion limit
            except (ValueError, OverflowError) as exc:
                raise ConstructorError(None, None, _unbuildable(node, exc), node.start_mark) from None
            return data

    return Constructor


def _unbuildable(node, exc: Exception) -> str:
    value = node.value if isinstance(getattr(node, "value", None), str) else ""
    shown = value if len(value) <= 24 else f"{value[:16]}... ({len(value)} characters)"
    if "integer string conversion" in str(exc):
        return f"number {shown} is too long for an integer; quote it if it is text"
    return f"cannot read value '{shown}': {exc}; quote it if it is text"


def read_text(path: Path, error=ProfileError, what: str = "a YAML file") -> str:
    """Read a UTF-8 text file (BOM allowed, regular files only, at most MAX_BYTES) or raise ``error``."""
    return decode(reader.read_bytes(path, MAX_BYTES, what, error), str(path), error)


def decode(raw: bytes, name: str, error=ProfileError) -> str:
    """Decode UTF-8 bytes (BOM allowed) or raise ``error`` naming the file and line."""
    if len(raw) > MAX_BYTES:
        raise error(reader.too_large(name, MAX_BYTES, "a YAML file"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{name}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8") from None


def load(text: str, name: str, error=ProfileError) -> Located:
    """Parse YAML text into :class:`Located` data; syntax problems raise ``error``."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    fast = fastyaml.load(text, name, MAX_NODES)
    if fast is not None:
        return fast
    try:
        node = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "duplicate key" in problem or "found duplicate key" in str(exc):
            problem = f"duplicate key {_dup_key(str(exc))}; remove one of them".replace("  ", " ")
        raise error(f"{where}: {problem}") from None
    except YAMLError as exc:
        raise error(f"{name}: invalid YAML: {str(exc).splitlines()[0]}") from None
    except (ValueError, OverflowError) as exc:  # the scanner's, e.g. an escape past U+10FFFF
        raise error(f"{name}: invalid YAML: {exc}") from None
    except RecursionError:
        raise error(f"{name}: YAML nested too deeply") from None
    if "&" in text and "*" in text:  # anchors and aliases: a cycle reads back as null
        _refuse_cycles(_yaml().compose(text), name, error)
    out = Located(None, name)
    out.data = _Converter(out, error).convert(node, "", (1, 1))
    return out


def _refuse_cycles(root, name: str, error) -> None:
    """An alias inside the mapping or list it names is a cycle: say where, instead of a null.

    A depth-first walk over the composed nodes; each node is explored once, so shared
    (aliased) nodes cost nothing more, however often they are used.
    """
    open_, done = set(), set()
    stack = [(root, iter(_children(root)))]
    open_.add(id(root))
    while stack:
        node, todo = stack[-1]
        child = next(todo, None)
        if child is None:
            stack.pop()
            open_.discard(id(node))
            done.add(id(node))
        elif id(child) in open_:
            mark = child.start_mark
            raise error(f"{name}:{mark.line + 1}:{mark.column + 1}: this YAML anchor is used inside itself "
                        "(an alias to a mapping or list that holds it); write the value out instead")
        elif id(child) not in done:
            open_.add(id(child))
            stack.append((child, iter(_children(child))))


def _children(node) -> list:
    value = getattr(node, "value", None)
    if not isinstance(value, list):
        return []
    return [part for item in value for part in (item if isinstance(item, tuple) else (item,))]


def _dup_key(message: str) -> str:
    for line in message.splitlines():
        if "found duplicate key" in line:
            return line.split("found duplicate key", 1)[1].split("with value")[0].strip()
    return ""


class _Converter:
    def __init__(self, out: Located, error) -> None:
        self.out, self.error, self.count = out, error, 0

    def convert(self, node, pointer: str, pos: tuple[int, int]):
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(f"{self.out.file}: more than {MAX_NODES} values (aliases expanding?); simplify the file")
        self.out.positions.setdefault(pointer, pos)
        self._check_tag(node, pos)
        if isinstance(node, dict):
            return self._mapping(node, pointer)
        if isinstance(node, list):
            return self._sequence(node, pointer)
        return self._scalar(node, pointer, pos)

    def _mapping(self, node, pointer):
        result = {}
        for key, value in node.items():
            kpos = _pos(node, "key", key)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise self.error(f"{self.out.file}:{kpos[0]}:{kpos[1]}: mapping keys must be plain text")
            key = self._text(str(key), kpos)
            vpos = kpos if isinstance(value, (dict, list)) else _pos(node, "value", key, kpos)
            result[key] = self.convert(value, f"{pointer}/{escape(key)}", vpos)
        return result

    def _sequence(self, node, pointer):
        return [self.convert(v, f"{pointer}/{i}", _pos(node, "item", i)) for i, v in enumerate(node)]

    def _check_tag(self, node, pos) -> None:
        tag = getattr(getattr(node, "tag", None), "value", None)
        plain = str(tag) in _PLAIN_TAGS and type(node).__name__ != "TaggedScalar"
        if tag and not plain:
            raise self.error(f"{self.out.file}:{pos[0]}:{pos[1]}: YAML tag {tag} is not allowed; use plain values")

    def _scalar(self, node, pointer, pos):
        if isinstance(node, float) and not math.isfinite(node):
            raise self.error(f"{self.out.file}:{pos[0]}:{pos[1]}: {node} is not a number JSON can hold; "
                             "quote it if it is text")
        if node is None or isinstance(node, (bool, int, float)):
            return _plain_number(node)
        if isinstance(node, str):
            return self._text(str(node), pos)
        if isinstance(node, (_dt.date, _dt.datetime)):
            return node.isoformat()
        raise self.error(f"{self.out.file}:{pos[0]}:{pos[1]}: unsupported YAML value of type {type(node).__name__}; use text, numbers, booleans, lists or mappings")

    def _text(self, text: str, pos) -> str:
        """``text``, unless a ``\\ud800``-style escape left half a surrogate pair in it (not Unicode)."""
        bad = _SURROGATE.search(text)
        if bad:
            raise self.error(f"{self.out.file}:{pos[0]}:{pos[1]}: '\\u{ord(bad.group()):04x}' is half of a surrogate "
                             "pair, not a character; write the character itself")
        return text


def _plain_number(node):
    if isinstance(node, bool) or node is None:
        return node
    return int(node) if isinstance(node, int) else float(node)


def _pos(node, what: str, key, default=(1, 1)) -> tuple[int, int]:
    try:
        line, col = getattr(node.lc, what)(key)[:2]
        return line + 1, col + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return default

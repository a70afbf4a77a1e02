"""Read plain YAML quickly with libyaml, keeping the line and column of every value.

:func:`load` gives the same :class:`~aibgen.sources.yamlsrc.Located` data as the pure
ruamel.yaml loader of :mod:`aibgen.sources.yamlsrc` (YAML 1.2 meanings of plain scalars,
the same positions), about 40 times faster, for the files that use only plain YAML:
mappings with text keys, sequences, text, booleans, nulls, decimal integers and plain
decimal fractions. Anything else (a tag, an anchor or alias, a merge key, a directive, a
date, a hexadecimal or exponent number, a duplicate key, a syntax error, a character YAML
1.1 and 1.2 read differently) makes it answer ``None``, and the caller reads the file
with the pure loader, so every error message, and every unusual value, comes from one
place. The parser is PyYAML's binding to libyaml, where installed.
"""
from __future__ import annotations

import functools
import re

from aibgen.sources.pointers import escape

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]+")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# what the pure reader refuses, tabs (it refuses some), line breaks only YAML 1.1 knows
_ODD = re.compile("[^\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
                  "|^%|[\ud800-\udfff]", re.M)
_STR, _MAP, _SEQ, _OTHER = "aibgen:str", "aibgen:map", "aibgen:seq", "aibgen:other"


class _Unsure(Exception):
    """The file uses something the fast reader leaves to the pure loader."""


@functools.lru_cache(maxsize=None)
def _parser_class():
    """A libyaml parser that tags plain scalars by YAML 1.2 (None without PyYAML's C binding)."""
    try:
        from yaml._yaml import CParser
    except ImportError:
        return None
    from ruamel.yaml.resolver import VersionedResolver

    # ruamel's own YAML 1.2 table (first character -> (tag, pattern)), as its resolve() reads it
    table = {first: [("aibgen:" + str(tag).rsplit(":", 1)[-1], pattern) for tag, pattern in entries]
             for first, entries in VersionedResolver(version=(1, 2)).versioned_resolver.items()}

    class Parser(CParser):
        def descend_resolver(self, parent, index):  # path-based resolvers: none
            pass

        def ascend_resolver(self):
            pass

        def resolve(self, kind, value, implicit):
            if kind.id == "mapping":
                return _MAP
            if kind.id == "sequence":
                return _SEQ
            if implicit[0]:  # plain: tags of our own, so an explicit tag never passes for one
                return next((tag for tag, pattern in table.get(value[:1], ()) if pattern.match(value)), _STR)
            return _STR if implicit[1] else _OTHER  # quoted or block, or the '!' tag

    return Parser


def load(text: str, name: str, max_nodes: int):
    """``text`` as Located data, or None when the pure loader must read it."""
    parser = _parser_class()
    if parser is None or _ODD.search(text):
        return None
    from aibgen.sources.yamlsrc import Located

    try:
        node = parser(text).get_single_node()
    except Exception:  # any complaint of libyaml's: the pure loader words it
        return None
    if node is None:
        return None
    out = Located(None, name)
    try:
        out.data = _Builder(text, out.positions, max_nodes).build(node, "", (1, 1))
    except (_Unsure, ValueError, KeyError, RecursionError):
        return None
    return out


class _Builder:
    def __init__(self, text: str, positions: dict, max_nodes: int) -> None:
        self.text, self.positions, self.left, self.seen = text, positions, max_nodes, set()

    def build(self, node, pointer: str, pos: tuple[int, int]):
        self.left -= 1
        if self.left < 0 or id(node) in self.seen:  # too many values, or an alias
            raise _Unsure
        self.seen.add(id(node))
        self.positions.setdefault(pointer, pos)
        if node.tag == _MAP:
            return self._mapping(node, pointer)
        if node.tag == _SEQ:
            return [self.build(item, f"{pointer}/{i}", _at(item)) for i, item in enumerate(node.value)]
        return _scalar(node, self.text)

    def _mapping(self, node, pointer: str) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, self.text)
            if not isinstance(key, str) or key in result or key == "<<":
                raise _Unsure
            self.seen.add(id(key_node))
            kpos = _at(key_node)
            vpos = kpos if value_node.tag in (_MAP, _SEQ) else _at(value_node)
            result[key] = self.build(value_node, f"{pointer}/{escape(key)}", vpos)
        return result


def _scalar(node, text: str):
    tag, value = node.tag, node.value
    if tag == _STR:
        if node.style == '"' and "\\" in text[node.start_mark.index:node.end_mark.index]:
            raise _Unsure  # escapes: left to the pure loader, which words the bad ones
        return value
    if tag == "aibgen:null" and value:  # an empty value: the two parsers place it differently
        return None
    if tag == "aibgen:bool":
        return _BOOLS[value]
    if tag == "aibgen:int" and _INT.fullmatch(value):
        return int(value)
    if tag == "aibgen:float" and _FLOAT.fullmatch(value):
        return float(value)
    raise _Unsure


def _at(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1

"""The sandboxed Jinja environment partials and profile strings render in.

Jinja runs in a :class:`LimitedSandbox` with ``StrictUndefined``; nothing is
compiled to disk. Partials come from the catalog's partial index (shadowing already
applied); profile strings are compiled from memory with :func:`inline`, never through
the loader, so no template name built at run time can make a value into a template.
Filters ``shell_quote``, ``ps_quote`` and ``run_output_name`` and globals
``json_object`` and ``compact`` are what partials may use beyond Jinja's own.
"""
from __future__ import annotations

import json
import math
import re

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, Undefined, UndefinedError

from aibgen import memo
from aibgen.errors import RenderError
from aibgen.profiles.roots import Catalog
from aibgen.sources import reader, yamlsrc
from aibgen.render.limits import MAX_OUTPUT, LimitedSandbox

INLINE = "\x00profile-string:"  # once the loader's prefix for profile strings; now refused


class Args(dict):
    """The ``with:`` values of one item; remembers which keys the partial asked for."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.asked: set[str] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def __contains__(self, key) -> bool:
        self.asked.add(key)
        return super().__contains__(key)


class _Undefined(StrictUndefined):
    """StrictUndefined that names a value missing from ``with:`` as such."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if isinstance(self._undefined_obj, Args) and self._undefined_hint is None:
            return f"missing required value '{self._undefined_name}' in with:"
        return super()._undefined_message


def compact(**fields) -> dict:
    """The given fields without the None ones; an undefined one is a missing required value."""
    for key, value in fields.items():
        if isinstance(value, Undefined):
            raise UndefinedError(f"missing required value '{key}' in with:")
    return {k: v for k, v in fields.items() if v is not None}


def json_object(**fields) -> str:
    """JSON text of :func:`compact` ``(**fields)``."""
    return json.dumps(compact(**fields), ensure_ascii=False, default=_strict)


def _strict(value):
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def shell_quote(value: str) -> str:
    """Quote text for a POSIX shell command line."""
    return "'" + str(value).replace("'", "'\\''") + "'"


_PS_QUOTES = re.compile("['\u2018\u2019\u201a\u201b]")


def ps_quote(value: str) -> str:
    """Quote text as a PowerShell single-quoted string.

    PowerShell ends such a string at ``'`` and at the typographic single quotes U+2018 to
    U+201B alike; each is doubled, so no quote in the value ends the string."""
    return "'" + _PS_QUOTES.sub(lambda m: m.group(0) * 2, str(value)) + "'"


def run_output_name(value: str) -> str:
    """Make text a valid runOutputName: letters, digits, '-', '_', '.'; at most 64."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", str(value))[:64] or "output"


class _Loader(BaseLoader):
    """Jinja loader over the catalog's partial index (shadowing already applied)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def get_source(self, environment, template):
        if template.startswith(INLINE) or any(ord(c) < 32 for c in template):
            raise TemplateNotFound(template)  # no partial has a control character in its name
        entry = self.catalog.partials.get(template)
        if entry is None:
            raise TemplateNotFound(template)
        raw = reader.read_bytes(entry.path, yamlsrc.MAX_BYTES, "a Jinja partial", RenderError)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RenderError(f"{entry.path}: cannot read partial: {exc}") from None
        return text, str(entry.path), lambda: True


def environment(catalog: Catalog) -> LimitedSandbox:
    """The sandboxed Jinja environment for a catalog (one per catalog per process)."""
    return memo.get("jinja", catalog, lambda: _environment(catalog))


def _environment(catalog: Catalog) -> LimitedSandbox:
    env = LimitedSandbox(loader=_Loader(catalog), undefined=_Undefined, autoescape=False,
                         keep_trailing_newline=True)
    env.filters.update(shell_quote=shell_quote, ps_quote=ps_quote, run_output_name=run_output_name)
    env.globals.update(json_object=json_object, compact=compact)
    return env


def expression(catalog: Catalog, expr: str):
    """``expr`` compiled once as a sandboxed Jinja expression; call it with the context."""
    return memo.get("jinja-expression", (catalog, expr),
                    lambda: environment(catalog).compile_expression(expr, undefined_to_none=False))


def inline(catalog: Catalog, text: str):
    """The profile string ``text`` compiled once as a sandboxed Jinja template."""
    return memo.get("jinja-inline", (catalog, text), lambda: environment(catalog).from_string(text))


class NotData(str):
    """What a profile expression gave that is not JSON data, described ("a range")."""


MAX_DEPTH = 100


def json_data(value, depth: int = 0):
    """``(value as plain JSON data, its size in characters and items)``; a NotData where it is not.

    Text, whole numbers, finite floats, booleans, None, and lists (tuples) and mappings with
    text keys of these are JSON data; anything else (a function, a range, a cycler) is not.
    """
    if value is None or isinstance(value, bool):
        return value, 1
    if isinstance(value, str):
        return str(value), len(value) + 1
    if isinstance(value, int):
        return int(value), 1
    if isinstance(value, float):
        return (float(value), 1) if math.isfinite(value) else (NotData(f"the number {value}"), 0)
    if depth >= MAX_DEPTH:
        return NotData(f"data nested more than {MAX_DEPTH} deep"), 0
    if isinstance(value, (list, tuple)):
        out, total = [], 1
        for item in value:
            data, size = json_data(item, depth + 1)
            if isinstance(data, NotData):
                return data, 0
            out.append(data)
            total += size
            if total > MAX_OUTPUT:
                break
        return out, total
    if isinstance(value, dict):
        out_map, total = {}, 1
        for key, item in value.items():
            if not isinstance(key, str):
                return NotData(f"a mapping with {_a(type(key).__name__)} key"), 0
            data, size = json_data(item, depth + 1)
            if isinstance(data, NotData):
                return data, 0
            out_map[str(key)] = data
            total += size + len(key)
            if total > MAX_OUTPUT:
                break
        return out_map, total
    return NotData(_a(type(value).__name__)), 0


def _a(name: str) -> str:
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"

"""The sandboxed Jinja environment partials and profile strings render in.

Jinja runs in a :class:`LimitedSandbox` with ``StrictUndefined``; nothing is
compiled to disk. Partials come from the catalog's partial index (shadowing already
applied); profile strings are compiled from memory under the :data:`INLINE` prefix.
Filters ``shell_quote``, ``ps_quote`` and ``run_output_name`` and globals
``json_object`` and ``compact`` are what partials may use beyond Jinja's own.
"""
from __future__ import annotations

import json
import re

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, Undefined, UndefinedError

from aibgen import memo
from aibgen.errors import RenderError
from aibgen.profiles.roots import Catalog
from aibgen.sources import reader, yamlsrc
from aibgen.render.limits import LimitedSandbox

INLINE = "\x00profile-string:"


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


def ps_quote(value: str) -> str:
    """Quote text as a PowerShell single-quoted string."""
    return "'" + str(value).replace("'", "''") + "'"


def run_output_name(value: str) -> str:
    """Make text a valid runOutputName: letters, digits, '-', '_', '.'; at most 64."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", str(value))[:64] or "output"


class _Loader(BaseLoader):
    """Jinja loader over the catalog's partial index (shadowing already applied)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def get_source(self, environment, template):
        if template.startswith(INLINE):  # a profile string, compiled once per process
            return template[len(INLINE):], None, lambda: True
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
    env = LimitedSandbox(loader=_Loader(catalog), undefined=StrictUndefined, autoescape=False,
                         keep_trailing_newline=True)
    env.filters.update(shell_quote=shell_quote, ps_quote=ps_quote, run_output_name=run_output_name)
    env.globals.update(json_object=json_object, compact=compact)
    return env


def expression(catalog: Catalog, expr: str):
    """``expr`` compiled once as a sandboxed Jinja expression; call it with the context."""
    return memo.get("jinja-expression", (catalog, expr),
                    lambda: environment(catalog).compile_expression(expr, undefined_to_none=False))

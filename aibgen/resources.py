"""The one place that reads files shipped inside the aibgen package.

Built-in profiles live in ``aibgen.catalog`` and built-in partials in ``aibgen.partials``
(the repository's top-level ``catalog/`` and ``partials/`` folders, mapped into the
package by setup.cfg); schemas and data files in ``aibgen.schemas`` and ``aibgen.data``;
scaffolds (cookiecutter templates) in ``aibgen.scaffolds``.
Everything goes through :mod:`importlib.resources`, so it works from a wheel, a zip or
an editable install alike.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

from aibgen.errors import AibgenError, InputError
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11+
    from importlib.abc import Traversable


def builtin_catalog() -> Traversable:
    """The folder of built-in profiles."""
    return files("aibgen.catalog")


def builtin_partials() -> Traversable:
    """The folder of built-in partials."""
    return files("aibgen.partials")


def builtin_scaffolds() -> Traversable:
    """The folder of built-in cookiecutter templates (``aibgen scaffold``)."""
    return files("aibgen.scaffolds")


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """A bundled JSON Schema (``2024-02-01``, ``profile``, ...) or data file, parsed once."""
    return json.loads(files("aibgen.schemas").joinpath(f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def data(name: str) -> dict:
    """A bundled data file from ``aibgen/data``."""
    return json.loads(files("aibgen.data").joinpath(f"{name}.json").read_text(encoding="utf-8"))


def api_versions() -> list[str]:
    """The stable apiVersions with a bundled schema, oldest first."""
    return list(schema("versions")["versions"])


def latest_api_version() -> str:
    """The newest bundled stable apiVersion, the default for new templates."""
    return api_versions()[-1]


def require_api_version(version: str, where: str, error: type[AibgenError] = InputError) -> str:
    """``version`` when a schema is bundled for it; else ``error`` naming ``where`` and the choices."""
    if version not in api_versions():
        raise error(f"{where}: apiVersion '{version}' is not bundled; use one of {', '.join(api_versions())}")
    return version

"""Azure regions: where Image Builder runs, and every Azure region, from ``aibgen/data/regions.json``.

Region names are case-insensitive and written with or without spaces (``West US 2`` is
``westus2``), so lookups fold both.
"""
from __future__ import annotations

import re

from aibgen import memo, resources
from aibgen.errors import did_you_mean


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _regions() -> dict[str, tuple[str, str]]:
    return memo.get("regions", "image-builder", _region_table)


def _region_table() -> dict[str, tuple[str, str]]:
    table = {}
    for display, name in resources.data("regions")["regions"]:
        table[_key(display)] = (display, name)
        table[_key(name)] = (display, name)
    table[_key("South East Asia")] = table[_key("southeastasia")]  # spelling used in the docs
    return table


def region_name(value: str) -> str | None:
    """The programmatic name (``westus2``) for a display or programmatic region name."""
    hit = _regions().get(_key(value))
    return hit[1] if hit else None


def region_names() -> list[str]:
    """Programmatic names of every region where Image Builder runs."""
    return sorted({name for _, name in _regions().values()})


def _azure_regions() -> frozenset:
    return memo.get("regions", "azure", lambda: frozenset(resources.data("regions")["azure_regions"]))


def azure_region_name(value: str) -> str | None:
    """The programmatic name of any Azure region (not only Image Builder's), or None."""
    key = _key(value)
    if key in _azure_regions():
        return key
    return region_name(value)


def region_hint(value: str, any_azure: bool = False) -> str:
    """`` (did you mean 'westus2'?)`` for a misspelt region name, or an empty string."""
    return did_you_mean(_key(value), azure_region_names() if any_azure else region_names())


def azure_region_names() -> list[str]:
    """Programmatic names of the Azure regions aibgen knows."""
    return sorted(_azure_regions())

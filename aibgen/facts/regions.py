"""Azure regions: where Image Builder runs, and every Azure region, from ``aibgen/data/regions.json``.

Each entry carries the page it was read from; new regions appear before aibgen knows them,
so an unknown region is a warning for callers, while a value that cannot be a region name
at all (``west-us-2!``) is an error. Names are case-insensitive and written with or without
spaces (``West US 2`` is ``westus2``), so lookups fold both. Image Builder in the US
Government and China regions is a preview that needs a feature registered first.
"""
from __future__ import annotations

import re

from aibgen import memo, resources
from aibgen.errors import did_you_mean

_PLAUSIBLE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+)*")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _image_builder() -> dict[str, dict]:
    def table() -> dict[str, dict]:
        out = {}
        for entry in resources.data("regions")["image_builder"]:
            out[_key(entry["display"])] = out[_key(entry["name"])] = entry
        out[_key("South East Asia")] = out[_key("southeastasia")]  # spelling used in the docs
        return out

    return memo.get("regions", "image-builder", table)


def _azure() -> frozenset:
    return memo.get("regions", "azure", lambda: frozenset(e["name"] for e in resources.data("regions")["azure"]))


def plausible(value: str) -> bool:
    """True when ``value`` could be a region name (``westus2``, ``West US 2``), known or not."""
    return _PLAUSIBLE.fullmatch(value) is not None


def region_name(value: str) -> str | None:
    """The programmatic name (``westus2``) of a region where Image Builder runs, or None."""
    hit = _image_builder().get(_key(value))
    return hit["name"] if hit else None


def region_names() -> list[str]:
    """Programmatic names of every region where Image Builder runs."""
    return sorted({e["name"] for e in _image_builder().values()})


def image_builder_regions() -> list[dict]:
    """The Image Builder regions as listed (name, display name, cloud and feature where needed, source)."""
    return list(resources.data("regions")["image_builder"])


def feature_needed(value: str) -> dict | None:
    """The entry of a region where Image Builder needs a preview feature registered, else None."""
    hit = _image_builder().get(_key(value))
    return hit if hit and hit.get("feature") else None


def azure_region_name(value: str) -> str | None:
    """The programmatic name of any Azure region (not only Image Builder's), or None."""
    key = _key(value)
    if key in _azure():
        return key
    return region_name(value)


def azure_region_names() -> list[str]:
    """Programmatic names of the Azure regions aibgen knows."""
    return sorted(_azure())


def region_hint(value: str, any_azure: bool = False) -> str:
    """`` (did you mean 'westus2'?)`` for a misspelt region name, or an empty string."""
    return did_you_mean(_key(value), azure_region_names() if any_azure else region_names())

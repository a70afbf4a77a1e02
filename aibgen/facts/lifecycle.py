"""End of support of Marketplace images, from ``aibgen/data/lifecycle.json``.

Each entry names a publisher, the offers it covers and a ``sku`` pattern: a Python regular
expression that must match the whole sku. Names are compared ignoring case, as the
Marketplace does (``canonical``/``Canonical``, ``Windows-10``/``windows-10``). An entry
carries the last day of support, what kind of support ends (``standard support``,
``servicing``, ...), the image to move to, the page the date was read from and the day
the entry was last checked against it. At most one entry matches an image:
``tests/test_lifecycle.py`` checks every entry's ``examples`` against all entries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aibgen import memo, resources
from aibgen.facts.marketplace import NameRules


@dataclass(frozen=True)
class EndOfSupport:
    """When and how support ends for the images of one lifecycle entry."""

    product: str
    end: date
    support: str
    successor: str
    source: str


def entries() -> list[dict]:
    """The entries of ``lifecycle.json`` as written."""
    return list(resources.data("lifecycle")["entries"])


def _rules() -> NameRules[EndOfSupport]:
    def make() -> NameRules[EndOfSupport]:
        return NameRules((e["publisher"], e["offers"], e["sku"],
                          EndOfSupport(e["product"], date.fromisoformat(e["end"]), e["support"], e["successor"],
                                       e["source"])) for e in entries())

    return memo.get("lifecycle", "rules", make)


def matches(publisher: str, offer: str, sku: str) -> list[EndOfSupport]:
    """Every entry that covers the image (the data keeps this to one at most)."""
    return _rules().matches(publisher, offer, sku)


def end_of_support(publisher: str, offer: str, sku: str) -> EndOfSupport | None:
    """When support ends for a Marketplace image, or None when aibgen has no date for it."""
    return _rules().first(publisher, offer, sku)

"""Marketplace image names (publisher, offer, sku) matched against rules kept as data.

A rule names a publisher and offers, compared ignoring case as the Marketplace does
(``*`` stands for any), and a ``sku`` pattern: a regular expression that must match the
whole sku, ignoring case. Rules are tried in the order the data file gives them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class NameRules(Generic[T]):
    """Rules ``(publisher, offers, sku pattern, value)``, compiled once."""

    def __init__(self, rules: Iterable[tuple[str, Iterable[str], str, T]]) -> None:
        self._rules = [(publisher.casefold(), frozenset(o.casefold() for o in offers),
                        re.compile(sku, re.IGNORECASE), value) for publisher, offers, sku, value in rules]

    def matches(self, publisher: str, offer: str, sku: str) -> list[T]:
        """The value of every rule that covers the image, in the data's order."""
        pub, off = publisher.casefold(), offer.casefold()
        return [value for p, offers, pattern, value in self._rules
                if p in ("*", pub) and ("*" in offers or off in offers) and pattern.fullmatch(sku)]

    def first(self, publisher: str, offer: str, sku: str) -> T | None:
        """The value of the first rule that covers the image, or None."""
        found = self.matches(publisher, offer, sku)
        return found[0] if found else None

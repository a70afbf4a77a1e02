"""AIB205: a PlatformImage source past, or close to, its end of support.

The dates, each with the page it was read from, are in ``aibgen/data/lifecycle.json``
(read through :mod:`aibgen.facts.lifecycle`). The rule judges by today's date, or by the
day in ``AIBGEN_TODAY`` so that a run can be repeated.
"""
from __future__ import annotations

import os
import re
from datetime import date, timedelta

from aibgen.facts import lifecycle
from aibgen.rules import rule

TODAY_VARIABLE = "AIBGEN_TODAY"
SOON = timedelta(days=90)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def today() -> date:
    """The day the rule judges by: ``AIBGEN_TODAY`` (YYYY-MM-DD) when set, else the system date."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return date.today()
    try:
        if _ISO_DAY.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{TODAY_VARIABLE}={value[:40]!r} is not a date such as 2026-11-25")


@rule("AIB205", "warning", "PlatformImage is not past its end of support", "platformimage-source")
def end_of_support(ctx):
    """A PlatformImage source must not be past its vendor's end of support: an image built
    from it gets no more security updates. Reported: Ubuntu LTS releases after standard
    support, RHEL minor releases after Extended Update Support, RHEL 7 and CentOS Linux,
    Windows Server after extended support, Windows 10 and Windows 11 releases after
    servicing. The same warning says "reaches" in the last 90 days before the end date.
    Fix it by moving the source's offer and sku to the successor the message names (and
    check steps that name the old release). Images aibgen has no date for are not
    reported, nor a publisher, offer or sku given as an ARM expression or placeholder.

    The dates are data: `aibgen/data/lifecycle.json` in the aibgen package has one entry
    per product and edition: publisher, offers, a `sku` pattern (a regular expression that
    must match the whole sku; names ignore case), the end date, the successor, the page
    the date was read from (`source`) and the day it was last verified (`checked`). To
    refresh it, read each entry's source again, correct the date or successor and set
    `checked`; tests/test_lifecycle.py fails when the file is malformed or when two
    entries cover the same sku.

    The rule judges by today's date; set AIBGEN_TODAY=YYYY-MM-DD to judge as of another
    day (repeatable CI runs, tests)."""
    names = ctx.marketplace()
    eos = lifecycle.end_of_support(*names) if names else None
    if eos is None:
        return
    image, day = f"{' '.join(names)} ({eos.product})", today()
    if eos.end <= day:
        yield "/properties/source/sku", (f"{image} reached end of {eos.support} on {eos.end}; "
                                         f"move to {eos.successor}")
    elif eos.end - day <= SOON:
        yield "/properties/source/sku", (f"{image} reaches end of {eos.support} on {eos.end}; "
                                         f"plan the move to {eos.successor}")

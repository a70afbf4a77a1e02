"""Watching a build: each change of ``runState``/``runSubState`` until the run ends.

The template's ``lastRunStatus`` is read with a growing wait between reads (the first wait
is the interval asked for, each unchanged read waits half as long again, up to eight times
the first); a change brings the wait back to the first. Sleep and clock are parameters, so
the loop runs the same on a test's clock.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterator

ENDED = ("Succeeded", "PartiallySucceeded", "Failed", "Canceled")
BUSY = ("Running", "Canceling")


@dataclass(frozen=True)
class Change:
    """A run state seen while watching, ``elapsed`` seconds after the watch began."""

    elapsed: float
    status: dict

    @property
    def state(self) -> str:
        return str(self.status.get("runState") or "")

    @property
    def sub_state(self) -> str:
        return str(self.status.get("runSubState") or "")

    @property
    def ended(self) -> bool:
        return self.state in ENDED


def last_run(template: dict) -> dict:
    """The template's ``lastRunStatus`` (empty before the first build)."""
    from aibgen.cloud.templates import member

    return member(member(template, "properties"), "lastRunStatus")


def is_this_run(status: dict, before: dict | None) -> bool:
    """True when ``status`` belongs to the build started after ``before`` was read."""
    if not status.get("runState"):
        return False
    if before is None or status.get("runState") in BUSY:
        return True
    return status.get("startTime") != before.get("startTime")


def watch(read: Callable[[], dict], interval: float, before: dict | None = None,
          sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic
          ) -> Iterator[Change]:
    """Yield a :class:`Change` whenever the run state of ``read()`` changes, the last one ended."""
    start, seen, wait = clock(), None, interval
    while True:
        status = last_run(read())
        if is_this_run(status, before):
            key = (status.get("runState"), status.get("runSubState"))
            if key != seen:
                seen, wait = key, interval
                change = Change(clock() - start, status)
                yield change
                if change.ended:
                    return
        sleep(wait)
        wait = min(wait * 1.5, interval * 8)

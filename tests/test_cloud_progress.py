"""Watching a build (aibgen.cloud.progress): which states are shown, and how long it waits between reads."""
from __future__ import annotations

from aibgen.cloud.progress import watch


def _reads(*states):
    """A ``read`` returning templates whose lastRunStatus walks through ``states`` (one per read)."""
    seq = [{"properties": {"lastRunStatus": status} if status else {}} for status in states]
    calls = iter(seq)
    return lambda: next(calls)


def _run(state, sub="", start="t2"):
    return {"runState": state, "runSubState": sub, "startTime": start}


def test_each_change_is_shown_once_and_the_wait_grows_until_something_changes():
    waits = []
    read = _reads(None, _run("Running", "Queued"), _run("Running", "Queued"), _run("Running", "Queued"),
                  _run("Running", "Building"), _run("Succeeded"))
    shown = [(c.state, c.sub_state) for c in watch(read, 10, None, sleep=waits.append, clock=lambda: 0)]
    assert shown == [("Running", "Queued"), ("Running", "Building"), ("Succeeded", "")]
    assert waits == [10, 10, 15, 22.5, 10]


def test_the_wait_stops_growing_at_eight_times_the_first():
    waits = []
    read = _reads(*[_run("Running", "Customizing")] * 12, _run("Failed"))
    list(watch(read, 1, None, sleep=waits.append, clock=lambda: 0))
    assert max(waits) == 8 and waits[-1] == 8


def test_the_previous_build_is_not_taken_for_the_new_one():
    before = {"runState": "Succeeded", "startTime": "t1"}
    read = _reads(_run("Succeeded", start="t1"), _run("Running", "Queued"), _run("Failed"))
    shown = [c.state for c in watch(read, 1, before, sleep=lambda s: None, clock=lambda: 0)]
    assert shown == ["Running", "Failed"]


def test_elapsed_time_comes_from_the_clock():
    ticks = iter([100, 103, 160])
    read = _reads(_run("Running", "Queued"), _run("Succeeded"))
    assert [c.elapsed for c in watch(read, 1, None, sleep=lambda s: None, clock=lambda: next(ticks))] == [3, 60]

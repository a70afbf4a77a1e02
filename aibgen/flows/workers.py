"""Spread a batch of independent tasks over worker processes, results in task order.

Small batches run in this process (starting workers costs more than they save). Before a
pool starts, ``warm()`` loads what every task needs (rules, compiled schemas) once, so
forked workers inherit it instead of each building it again.
"""
from __future__ import annotations

import os
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 8


def ordered_map(fn: Callable[[T], R], tasks: list[T], jobs: int | None, threshold: int,
                warm: Callable[[], object] | None = None) -> Iterator[R]:
    """``fn(task)`` for each task, in order; in up to ``jobs`` processes when there are ``threshold`` or more."""
    workers = min(jobs or os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2 or len(tasks) < threshold:
        return map(fn, tasks)
    return _pooled(fn, tasks, workers, warm)


def _pooled(fn: Callable[[T], R], tasks: list[T], workers: int, warm) -> Iterator[R]:
    from concurrent.futures import ProcessPoolExecutor

    if warm is not None:
        warm()
    chunk = max(1, min(64, len(tasks) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(fn, tasks, chunksize=chunk)

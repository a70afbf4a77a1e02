"""Whole-process timing shared by the benchmark scripts."""
from __future__ import annotations

import subprocess
import sys
import time


def samples(cmd: list[str], runs: int, env: dict | None = None, cwd: str | None = None) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``cmd``; exit codes other than 0 and 1 stop the benchmark."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        out.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd[:4])} ...\n"
                     f"{proc.stderr.decode(errors='replace')[-2000:]}")
    return out


def best(cmd: list[str], runs: int, env: dict | None = None, cwd: str | None = None) -> float:
    """The fastest of ``runs`` runs."""
    return min(samples(cmd, runs, env, cwd))

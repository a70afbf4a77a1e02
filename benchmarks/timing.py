"""Whole-process timing shared by the benchmark scripts."""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


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


def peak_rss_mib(cmd: list[str], env: dict) -> float:
    """Peak resident memory of a command and its worker processes, in MiB."""
    script = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", script, *cmd], env=env, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def stats(values: list[float]) -> tuple[float, float, float]:
    """(min, median, max)."""
    return min(values), statistics.median(values), max(values)


def write_templates(folder: Path, count: int, sources: list[dict]) -> None:
    """``count`` template files in ``folder``, cycling through ``sources``."""
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"{i:05d}.json").write_text(json.dumps(sources[i % len(sources)], indent=2), encoding="utf-8")


def aibgen_command() -> list[str]:
    """The installed ``aibgen`` beside this Python, else ``python -m aibgen``."""
    bindir = Path(sys.executable).parent
    return [str(bindir / "aibgen")] if (bindir / "aibgen").exists() else [sys.executable, "-m", "aibgen"]


def print_rows(rows: list[tuple[str, tuple, str]]) -> None:
    """Benchmark rows as aligned text: label, min, median, max, note."""
    width = max((len(label) for label, _, _ in rows), default=0)
    for label, (lo, mid, hi), note in rows:
        print(f"{label:<{width}} {lo:8.3f} {mid:8.3f} {hi:8.3f}  {note}")

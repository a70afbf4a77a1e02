"""Benchmark of ``aibgen import``: the whole shared real-world corpus, files per second.

The baseline, measured in the same run, is ``aibgen validate`` of the same files: both read
and check every template, and the import also renders each profile back to check itself.
Where the shared corpus is not beside the checkout, the hand-made test templates are used.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from timing import samples, stats

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "real"
HANDMADE = HERE.parent / "tests" / "data" / "import"


def rows(aibgen: list[str], tmp: Path, runs: int, env: dict) -> list[tuple]:
    source = CORPUS if CORPUS.is_dir() else HANDMADE
    files = sorted(source.glob("*.json"))
    n = len(files)
    out = tmp / "imported"

    def run_import() -> list[str]:
        shutil.rmtree(out, ignore_errors=True)
        return aibgen + ["import", str(source), "-o", f"{out}/"]

    check = stats(samples(aibgen + ["validate", str(source), "--format", "json"], runs, env))
    times = []
    for _ in range(runs):  # a fresh output folder for each run
        times += samples(run_import(), 1, env)
    ours = stats(times)
    label = "shared corpus" if source == CORPUS else "hand-made templates"
    return [(f"aibgen validate, {label} ({n} files)", check, f"{n / check[1]:.0f} files/s (the baseline)"),
            (f"aibgen import, {label} ({n} files)", ours,
             f"{n / ours[1]:.0f} files/s, {ours[1] / check[1]:.2f}x the time of validate")]

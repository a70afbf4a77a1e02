"""Benchmark of ``aibgen scaffold image-repo --no-input`` against plain ``cookiecutter --no-input``.

Both render the same shipped template into a fresh folder (hooks included: the pre-generation
hook checks the answers in both). The target: aibgen at most 2x the time of cookiecutter, the
difference being aibgen's own checking of the answers before cookiecutter starts.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from timing import samples, stats


def rows(aibgen: list[str], tmp: Path, runs: int, env: dict) -> list[tuple]:
    template = subprocess.run(aibgen + ["scaffold", "image-repo", "--path"], env=env, capture_output=True,
                              text=True, check=True).stdout.strip()
    bindir = Path(sys.executable).parent
    cookiecutter = [str(bindir / "cookiecutter")] if (bindir / "cookiecutter").exists() else \
        [sys.executable, "-m", "cookiecutter"]
    home = tmp / "scaffold-home"  # cookiecutter keeps its replay files in HOME
    home.mkdir(exist_ok=True)
    env = dict(env, HOME=str(home))
    plain_out, ours_out = tmp / "plain", tmp / "ours"

    def fresh(folder: Path) -> Path:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        return folder

    plain, ours = [], []
    for _ in range(runs):  # interleaved, so both see the same machine
        plain += samples(cookiecutter + ["--no-input", template, "-o", str(fresh(plain_out))], 1, env)
        ours += samples(aibgen + ["scaffold", "image-repo", "--no-input", "-o",
                                  str(fresh(ours_out) / "linux-golden")], 1, env)
    p, o = stats(plain), stats(ours)
    return [("cookiecutter --no-input, image-repo (the baseline)", p, ""),
            ("aibgen scaffold image-repo --no-input", o, f"{o[1] / p[1]:.2f}x cookiecutter (target <= 2x)")]

#!/usr/bin/env python3
"""`aibgen catalog docs` and `catalog diff` on synthetic catalogs of N and 10N profiles, one core.

The catalogs are those of benchmarks/catalog_lint.py (chains five levels deep). Every row is
timed in the same run as its baseline, `aibgen catalog lint -j 1` on the same catalog, and
printed as a ratio to it, so a busy machine moves both alike. `catalog diff` is timed twice:
after a change to every family's base (every profile renders on both sides, the worst case)
and after a change to one profile (the usual pull request). Render throughput is profiles
rendered per second of rendering, in one process, with the files already parsed; whole runs
also read and parse every YAML file (with libyaml, through PyYAML, about 0.1 ms a file; the
pure-Python ruamel.yaml loader, about 2 ms a file, reads what uses more than plain YAML).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import catalog_lint  # noqa: E402
from timing import aibgen_command, print_rows, samples, stats  # noqa: E402

RENDER_ONLY = """
import sys, time
from aibgen.profiles.roots import default_roots, load_catalog
from aibgen.profiles.load import load_file
from aibgen.flows.examples import render_example
from aibgen.flows.lint import concrete_profiles
catalog = load_catalog(default_roots([sys.argv[1]]))
for entry in catalog.profiles.values():
    load_file(entry)
names = concrete_profiles(catalog)
start = time.perf_counter()
for name in names:
    assert render_example(catalog, name).text is not None, name
print(len(names) / (time.perf_counter() - start))
"""


def one_core() -> list[str]:
    """Pin a command to one core where taskset exists (it always runs single-threaded anyway)."""
    return ["taskset", "-c", "0"] if shutil.which("taskset") else []


def rows(aibgen: list[str], tmp: Path, runs: int, quick: bool) -> list[tuple[str, tuple, str]]:
    """Benchmark rows for benchmarks/run.py: (label, (min, median, max), note)."""
    env = dict(os.environ, AIBGEN_CATALOG_PATH="")
    pin, out, growth = one_core(), [], {}
    small = 20 if quick else 200
    for count in (small, small * 10):
        cat, base_changed, leaf_changed = _catalogs(tmp / f"dd{count}", count)
        lint = stats(samples(pin + aibgen + ["catalog", "lint", "-j", "1", "--catalog", str(cat), "--format", "json"],
                             runs, env))
        out.append((f"baseline: catalog lint -j 1, {count} profiles", lint, f"{count / lint[1]:.0f} profiles/s"))
        cases = [("catalog docs", ["catalog", "docs", "--catalog", str(cat), "-o", str(tmp / "out"), "--no-config"]),
                 ("catalog diff, every base changed", ["catalog", "diff", str(cat), str(base_changed), "--no-config"]),
                 ("catalog diff, one profile changed", ["catalog", "diff", str(cat), str(leaf_changed), "--no-config"])]
        for label, args in cases:
            shutil.rmtree(tmp / "out", ignore_errors=True)
            s = stats(samples(pin + aibgen + args, runs, env))
            growth.setdefault(label, []).append(s[1])
            out.append((f"{label}, {count} profiles", s,
                        f"{s[1] / lint[1]:.2f}x the baseline; {count / s[1]:.0f} profiles/s whole run"))
        # run from the temporary folder: from the checkout, "python -c" would import its source tree
        # ahead of the installed package (whose built-in catalog is mapped in only when installed)
        speed = [float(_run(pin + [sys.executable, "-c", RENDER_ONLY, str(cat)], env, tmp)) for _ in range(max(1, runs))]
        out.append((f"render throughput, {count} profiles (profiles/s, files parsed)", stats(speed), "aim at least 500"))
    for label, (t_small, t_big) in growth.items():
        out.append((f"{label}: growth for 10x profiles", (t_big / t_small,) * 3, "aim at most 11 (linear)"))
    return out


def _run(cmd: list[str], env: dict, cwd: Path) -> str:
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"benchmark command failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout


def _catalogs(folder: Path, count: int) -> tuple[Path, Path, Path]:
    """The catalog, a copy with every family's base changed, and a copy with one profile changed."""
    cat = folder / "catalog"
    catalog_lint.make(cat, count)
    base_changed, leaf_changed = folder / "bases", folder / "leaf"
    shutil.copytree(cat, base_changed)
    shutil.copytree(cat, leaf_changed)
    for path in base_changed.glob("f*-l0.yaml"):
        path.write_text(path.read_text().replace('"sudo apt-get -y upgrade"', '"sudo apt-get -y dist-upgrade"'))
    leaf = leaf_changed / "image-00000.yaml"
    leaf.write_text(leaf.read_text().replace("Standard_D4s_v3", "Standard_D8s_v3"))
    return cat, base_changed, leaf_changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="20 and 200 profiles, one run: just check it works")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print_rows(rows(aibgen_command(), Path(tmp), 1 if args.quick else args.runs, args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Run every benchmark and write benchmarks/RESULTS.md (machine, versions, min/median/max, ratios).

* start-up: `aibgen --version` and `--help` against `python -c pass`; `aibgen new` of a
  built-in profile, and of a profile five levels deep in a 50-profile directory catalog,
  against importing jinja2, click, jsonschema and ruamel.yaml;
* `aibgen validate` on 1,000 real-shaped templates against check-jsonschema (schema only);
* `aibgen catalog lint` on 200 and 2,000 synthetic profiles (growth must be linear);
* peak memory of `aibgen validate` on 1,000 and 10,000 templates (must stay flat);
* `aibgen import` of the shared corpus against `aibgen validate` of it (benchmarks/imports.py);
* `aibgen scaffold image-repo --no-input` against plain `cookiecutter --no-input` on the same
  template (benchmarks/scaffold.py);
* `aibgen catalog docs` and `catalog diff` on 200 and 2,000 profiles against `catalog lint -j 1`
  on the same catalogs, and render throughput on one core (benchmarks/docs_diff.py);
* hostile input (benchmarks/hostile.py): 5 MB of unclosed comment openers and of unclosed
  string escapes against a 5 MB ordinary template, and `--format sarif` on 1,000 and
  10,000 templates (time linear, peak memory flat);
* `aibgen status` against the local fake ARM server against importing the Azure SDK
  (benchmarks/cloud.py).

`--quick` uses tiny sizes and one run each, and writes nowhere but stdout (for CI).
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import catalog_lint  # noqa: E402
import cloud  # noqa: E402
import docs_diff  # noqa: E402
import hostile  # noqa: E402
import imports  # noqa: E402
import scaffold  # noqa: E402
from timing import peak_rss_mib, samples, stats, write_templates  # noqa: E402
import validate as validate_bench  # noqa: E402

IDENTITY = ("identity=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/aib")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    bindir = Path(sys.executable).parent
    aibgen = [str(bindir / "aibgen")] if (bindir / "aibgen").exists() else [sys.executable, "-m", "aibgen"]
    cjs = shutil.which("check-jsonschema", path=str(bindir)) or shutil.which("check-jsonschema")
    rows: list[tuple[str, tuple, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        warm = dict(os.environ, AIBGEN_CATALOG_PATH="")
        catalog_lint.make(tmp / "c50", 50)
        deep = ["new", "-p", "image-00000", "--catalog", str(tmp / "c50"), "--example-values", "-o", "-"]
        py = stats(samples([sys.executable, "-c", "pass"], runs * 3, warm))
        floor = stats(samples([sys.executable, "-c", "import jinja2, click, jsonschema, ruamel.yaml"], runs, warm))
        rows += [("python -c pass", py, ""), ("import floor (jinja2, click, jsonschema, ruamel.yaml)", floor, "")]
        for label, cmd, base, env, aim in [
            ("aibgen --version", aibgen + ["--version"], py, warm, "4x"),
            ("aibgen --help", aibgen + ["--help"], py, warm, "4x"),
            ("aibgen new, built-in profile", aibgen + ["new", "-p", "ubuntu-gen2-vhd", "--set", IDENTITY, "-o", "-"],
             floor, warm, "1.3x"),
            ("aibgen new, 50-profile catalog", aibgen + deep, floor, warm, "1.3x"),
        ]:
            s = stats(samples(cmd, runs * 2, env))
            rows.append((label, s, f"{s[1] / base[1]:.2f}x of its baseline (aim {aim})"))
        n = 50 if args.quick else 1000
        write_templates(tmp / "t1", n, validate_bench.sources())
        ours = stats(samples(aibgen + ["validate", str(tmp / "t1"), "--format", "json"], runs, warm))
        rows.append((f"aibgen validate, {n} templates", ours, f"{n / ours[1]:.0f} files/s"))
        if cjs:
            files = sorted(str(p) for p in (tmp / "t1").glob("*.json"))
            schema = HERE.parent / "aibgen" / "schemas" / f"{validate_bench.VERSION}.json"
            theirs = stats(samples([cjs, "--schemafile", str(schema), *files], runs, warm))
            rows.append((f"check-jsonschema, {n} templates", theirs, f"aibgen is {theirs[1] / ours[1]:.2f}x faster (aim 3x)"))
        small = 20 if args.quick else 200
        times = {}
        for count in (small, small * 10):
            catalog_lint.make(tmp / f"c{count}", count)
            times[count] = stats(samples(aibgen + ["catalog", "lint", "--catalog", str(tmp / f"c{count}"), "--format", "json"],
                                         max(1, runs // 3), warm))
            rows.append((f"aibgen catalog lint, {count} profiles", times[count], f"{count / times[count][1]:.0f} profiles/s"))
        growth = times[small * 10][1] / times[small][1]
        rows.append(("catalog lint growth for 10x profiles", (growth,) * 3, "aim at most 11"))
        big = n * 10
        write_templates(tmp / "t10", big, validate_bench.sources())
        mem_small = peak_rss_mib(aibgen + ["validate", str(tmp / "t1"), "--format", "json"], warm)
        mem_big = peak_rss_mib(aibgen + ["validate", str(tmp / "t10"), "--format", "json"], warm)
        rows.append((f"peak memory, validate {n} templates (MiB)", (mem_small,) * 3, ""))
        rows.append((f"peak memory, validate {big} templates (MiB)", (mem_big,) * 3,
                     f"{mem_big / mem_small:.2f}x for 10x the files (flat is 1x)"))
        (tmp / "hostile").mkdir()
        rows += hostile.rows(aibgen, tmp / "hostile", runs, args.quick)
        rows += imports.rows(aibgen, tmp, runs, warm)
        rows += scaffold.rows(aibgen, tmp, runs, warm)
        rows += docs_diff.rows(aibgen, tmp, max(1, runs // 3), args.quick)
        rows += cloud.rows(aibgen, tmp, runs, warm)
    report = render(rows, runs)
    print(report)
    if not args.quick:
        (HERE / "RESULTS.md").write_text(report, encoding="utf-8")
    return 0


def render(rows, runs: int) -> str:
    from importlib.metadata import version

    libs = ", ".join(f"{p} {version(p)}" for p in ("click", "jinja2", "ruamel.yaml", "jsonschema"))
    lines = ["# Benchmark results", "",
             f"Written by `python benchmarks/run.py` on {time.strftime('%Y-%m-%d')}: {platform.machine()}, "
             f"{os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
             f"aibgen {version('aibgen')}; {libs}. Times in seconds, whole processes, {runs} runs "
             "(more for start-up).", "",
             "| measure | min | median | max | note |", "|---|---|---|---|---|"]
    for label, (lo, mid, hi), note in rows:
        lines.append(f"| {label} | {lo:.3f} | {mid:.3f} | {hi:.3f} | {note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

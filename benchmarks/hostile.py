#!/usr/bin/env python3
"""Hostile input against ordinary input, measured in one run: time and peak memory.

* `aibgen validate` on 5 MB of unclosed comment openers (`/* ` repeated: the old lenient
  pass took 19 s on 120 KB and grew with the square of the size) and on 5 MB of
  unclosed-string escapes, each against a 5 MB ordinary valid template (the same command
  on input of the same size). Aim: no slower than the ordinary file (ratio at most 1).
* `aibgen validate --format sarif` on 1,000 and 10,000 templates: time grows linearly
  (aim: at most 11x for 10x the files) and peak memory stays flat (aim: at most 1.2x),
  with `--format json` (streamed from the start) on 10,000 as the memory baseline.

Whole processes, best-of and median over runs; `--quick` uses tiny sizes and one run.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from timing import peak_rss_mib, samples, stats, write_templates  # noqa: E402
import validate as validate_bench  # noqa: E402

MB = 1_000_000


def ordinary_template(size: int) -> str:
    """A real template whose Shell customizer carries enough inline commands to be ``size`` bytes."""
    doc = json.loads(json.dumps(validate_bench.sources()[0]))
    line = "sudo apt-get install -y --no-install-recommends package-{:06d} && echo installed"
    doc["properties"].setdefault("customize", []).append({"type": "Shell", "name": "packages", "inline": []})
    inline = doc["properties"]["customize"][-1]["inline"]
    count = max(1, (size - len(json.dumps(doc, indent=2))) // (len(line) + 12))
    inline.extend(line.format(i) for i in range(count))
    return json.dumps(doc, indent=2)


def rows(aibgen: list[str], tmp: Path, runs: int, quick: bool) -> list[tuple[str, tuple, str]]:
    """The benchmark rows ``(label, (min, median, max), note)``, as benchmarks/run.py prints them."""
    env = dict(os.environ, AIBGEN_CATALOG_PATH="")
    size = MB // 5 if quick else 5 * MB
    label = f"{size / MB:g} MB"
    files = {"ordinary": ordinary_template(size), "openers": "/* " * (size // 3),
             "unclosed": '// x\n"' + '\\"' * (size // 2)}
    for name, text in files.items():
        (tmp / f"{name}.json").write_text(text, encoding="utf-8")
    out: list[tuple[str, tuple, str]] = []
    base = stats(samples(aibgen + ["validate", str(tmp / "ordinary.json")], runs, env))
    base_mem = peak_rss_mib(aibgen + ["validate", str(tmp / "ordinary.json")], env)
    out.append((f"aibgen validate, {label} ordinary template", base, f"peak {base_mem:.0f} MiB (the baseline)"))
    for name, what in (("openers", "of unclosed '/* '"), ("unclosed", "of escaped quotes in an unclosed string")):
        took = stats(samples(aibgen + ["validate", str(tmp / f"{name}.json")], runs, env))
        mem = peak_rss_mib(aibgen + ["validate", str(tmp / f"{name}.json")], env)
        out.append((f"aibgen validate, {label} {what}", took,
                    f"{took[1] / base[1]:.2f}x the time, {mem / base_mem:.2f}x the peak memory of the ordinary file"
                    " (aim at most 1)"))
    small = 100 if quick else 1000
    times, mems = {}, {}
    for count in (small, small * 10):
        write_templates(tmp / f"t{count}", count, validate_bench.sources())
        cmd = aibgen + ["validate", str(tmp / f"t{count}"), "--format", "sarif"]
        times[count] = stats(samples(cmd, max(1, runs // 2), env))
        mems[count] = peak_rss_mib(cmd, env)
        out.append((f"aibgen validate --format sarif, {count} templates", times[count],
                    f"{count / times[count][1]:.0f} files/s, peak {mems[count]:.0f} MiB"))
    json_mem = peak_rss_mib(aibgen + ["validate", str(tmp / f"t{small * 10}"), "--format", "json"], env)
    growth = times[small * 10][1] / times[small][1]
    out.append(("sarif time growth for 10x the files", (growth,) * 3, "aim at most 11 (linear)"))
    flat = mems[small * 10] / mems[small]
    out.append(("sarif peak memory for 10x the files", (flat,) * 3,
                f"aim at most 1.2 (flat); --format json on {small * 10}: {json_mem:.0f} MiB"))
    return out + tag_rows(aibgen, tmp, runs, quick)


def tag_rows(aibgen: list[str], tmp: Path, runs: int, quick: bool) -> list[tuple[str, tuple, str]]:
    """``aibgen new`` of a child profile overriding half of a parent's N tags, for N and 10N."""
    env = dict(os.environ, AIBGEN_CATALOG_PATH="")
    small = 200 if quick else 2000
    out, times = [], {}
    for count in (small, small * 10):
        folder = tmp / f"tags{count}"
        folder.mkdir()
        (folder / "base.yaml").write_text("description: base\nextends: ubuntu-gen2-vhd\nabstract: true\ntags:\n"
                                          + "".join(f"  t{i}: v{i}\n" for i in range(count)), encoding="utf-8")
        (folder / "child.yaml").write_text("description: child\nextends: base\ntags:\n"
                                           + "".join(f"  t{i}: w{i}\n" for i in range(0, count, 2)), encoding="utf-8")
        cmd = aibgen + ["new", "-p", "child", "--catalog", str(folder), "--example-values", "-o", "-"]
        times[count] = stats(samples(cmd, max(1, runs // 2), env))
        out.append((f"aibgen new, a profile with {count:,} tags over its parent's", times[count], ""))
    growth = times[small * 10][1] / times[small][1]
    out.append(("new: time growth for 10x the tags", (growth,) * 3, "aim at most 11 (linear)"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: just check it works")
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    aibgen = [str(bindir / "aibgen")] if (bindir / "aibgen").exists() else [sys.executable, "-m", "aibgen"]
    with tempfile.TemporaryDirectory() as tmp:
        for label, (lo, mid, hi), note in rows(aibgen, Path(tmp), 1 if args.quick else args.runs, args.quick):
            print(f"{label:58} {lo:8.3f} {mid:8.3f} {hi:8.3f}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

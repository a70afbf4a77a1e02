#!/usr/bin/env python3
"""Start-up and render time of aibgen against the Python floor, measured in one run.

Times whole processes (best of N): `python -c pass`, `python -c "import jinja2, click,
jsonschema, ruamel.yaml"` (the import floor), `aibgen --version`, `aibgen --help` and
`aibgen new` of a built-in profile, and prints each as a ratio to its baseline:

* `aibgen --version` / `--help` against bare start-up (aim: within 4x);
* `aibgen new` against the import floor (aim: within 1.3x).

`--quick` runs each command twice and only checks that everything runs (for CI).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

IDENTITY = ("identity=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/aib")


def best(cmd: list[str], runs: int, cwd: str) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr.decode()}")
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="two runs each; just check they work")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    py = sys.executable
    aibgen = [py, "-m", "aibgen"]
    with tempfile.TemporaryDirectory() as cwd:
        rows = [
            ("python -c pass", [py, "-c", "pass"], None),
            ("import floor", [py, "-c", "import jinja2, click, jsonschema, ruamel.yaml"], None),
            ("aibgen --version", aibgen + ["--version"], "python -c pass"),
            ("aibgen --help", aibgen + ["--help"], "python -c pass"),
            ("aibgen new", aibgen + ["new", "-p", "ubuntu-gen2-vhd", "--set", IDENTITY, "-o", "-"], "import floor"),
            ("aibgen new --format arm", aibgen + ["new", "-p", "win11-avd-sig", "--example-values", "--format", "arm",
                                                  "-o", "-"], "import floor"),
        ]
        results: dict[str, float] = {}
        print(f"{'command':<26}{'best (s)':>10}{'ratio':>8}  baseline")
        for label, cmd, base in rows:
            results[label] = best(cmd, runs, cwd)
            ratio = f"{results[label] / results[base]:.2f}x" if base else ""
            print(f"{label:<26}{results[label]:>10.4f}{ratio:>8}  {base or ''}")
    if args.quick:
        print("benchmarks ran (quick mode: timings are not meaningful)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Start-up and render time of aibgen against the Python floor, measured in one run.

Times whole processes (best of N): `python -c pass`, `python -c "import jinja2, click,
jsonschema, ruamel.yaml"` (the import floor), `aibgen --version`, `aibgen --help` and
`aibgen new` of a built-in profile, and prints each as a ratio to its baseline:

* `aibgen --version` / `--help` against bare start-up (aim: within 4x);
* `aibgen new` against the import floor (aim: within 1.3x).

`aibgen` is the console script installed beside this Python (``python -m aibgen`` if
there is none). Run it from an ordinary (non-editable) install with bytecode compiled, as
users have it. `--quick` runs each command twice and only checks that everything runs (CI).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import best  # noqa: E402

IDENTITY = ("identity=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/aib")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="two runs each; just check they work")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    py = sys.executable
    script = os.path.join(os.path.dirname(py), "aibgen")
    aibgen = [script] if os.path.exists(script) else [py, "-m", "aibgen"]
    new = aibgen + ["new", "-p", "ubuntu-gen2-vhd", "--set", IDENTITY, "-o", "-"]
    arm = aibgen + ["new", "-p", "win11-avd-sig", "--example-values", "--format", "arm", "-o", "-"]
    with tempfile.TemporaryDirectory() as cwd:
        warm = dict(os.environ)
        rows = [
            ("python -c pass", [py, "-c", "pass"], None, warm),
            ("import floor", [py, "-c", "import jinja2, click, jsonschema, ruamel.yaml"], None, warm),
            ("aibgen --version", aibgen + ["--version"], "python -c pass", warm),
            ("aibgen --help", aibgen + ["--help"], "python -c pass", warm),
            ("aibgen new", new, "import floor", warm),
            ("aibgen new --format arm", arm, "import floor", warm),
        ]
        results: dict[str, float] = {}
        print(f"{'command':<26}{'best (s)':>10}{'ratio':>8}  baseline")
        for label, cmd, base, env in rows:
            results[label] = best(cmd, runs, env, cwd)
            ratio = f"{results[label] / results[base]:.2f}x" if base else ""
            print(f"{label:<26}{results[label]:>10.4f}{ratio:>8}  {base or ''}")
    if args.quick:
        print("benchmarks ran (quick mode: timings are not meaningful)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

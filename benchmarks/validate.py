#!/usr/bin/env python3
"""`aibgen validate` (schema and rules) against check-jsonschema (schema only), one run.

Makes N real-shaped templates by replicating the real-world corpus (each template taken
out of its ARM wrapper, placeholders and all, apiVersion set to one stable version), then
times, best of R whole-process runs:

* `aibgen validate DIR --format json` (schema + rules, all cores);
* `check-jsonschema --schemafile aibgen/schemas/<version>.json FILES...` (schema only).

Aim: aibgen at least 3x faster. Needs check-jsonschema (`pip install check-jsonschema`).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import best  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
FALLBACK = ROOT / "tests" / "golden"
VERSION = "2024-02-01"


def sources() -> list[dict]:
    """Image template resources from the corpus (or the golden renders when it is absent)."""
    import re

    files = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else sorted(FALLBACK.glob("*[!m].json"))
    found = []
    for f in files:
        text = re.sub(r",(\s*[\]}])", r"\1", f.read_text(encoding="utf-8-sig"))
        doc = json.loads(text)
        for res in doc.get("resources", [doc]) if isinstance(doc, dict) else []:
            if isinstance(res, dict) and "properties" in res:
                found.append(dict(res, apiVersion=VERSION))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="number of templates")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="50 templates, one run: just check it works")
    args = parser.parse_args()
    n, runs = (50, 1) if args.quick else (args.n, args.runs)
    bindir = Path(sys.executable).parent
    aibgen = [str(bindir / "aibgen")] if (bindir / "aibgen").exists() else [sys.executable, "-m", "aibgen"]
    cjs = shutil.which("check-jsonschema", path=str(bindir)) or shutil.which("check-jsonschema")
    schema = ROOT / "aibgen" / "schemas" / f"{VERSION}.json"
    with tempfile.TemporaryDirectory() as tmp:
        base = sources()
        paths = []
        for i in range(n):
            p = Path(tmp) / "t" / f"{i:05d}.json"
            p.parent.mkdir(exist_ok=True)
            p.write_text(json.dumps(base[i % len(base)], indent=2), encoding="utf-8")
            paths.append(str(p))
        env = dict(os.environ)
        ours = best(aibgen + ["validate", str(Path(tmp) / "t"), "--format", "json"], runs, env)
        print(f"templates: {n} (from {len(base)} real ones), apiVersion {VERSION}, cores: {os.cpu_count()}")
        print(f"aibgen validate (schema + rules): {ours:.3f} s  ({n / ours:.0f} files/s)")
        if cjs is None:
            print("check-jsonschema not installed: comparison skipped (pip install check-jsonschema)")
            return 0 if args.quick else 1
        theirs = best([cjs, "--schemafile", str(schema), "--output-format", "text", *paths], runs, env)
        print(f"check-jsonschema (schema only):   {theirs:.3f} s  ({n / theirs:.0f} files/s)")
        print(f"ratio: aibgen is {theirs / ours:.2f}x faster (aim: at least 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

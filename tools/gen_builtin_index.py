#!/usr/bin/env python3
"""Pre-parse the built-in profiles into aibgen/data/builtin-profiles.json.

The built-in catalog is package data that never changes after installation, so its
profiles are parsed and checked once here, keyed by the SHA-256 of each file's bytes; a
first run of `aibgen new` then needs neither the YAML parser nor the profile schema for
them. A profile whose bytes differ from the index is parsed as usual.

Usage: python tools/gen_builtin_index.py [--check]
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "aibgen" / "data" / "builtin-profiles.json"
sys.path.insert(0, str(ROOT))


def build() -> str:
    from aibgen.profiles.load import parse as _parse

    index = {}
    for path in sorted((ROOT / "catalog").glob("*.yaml")):
        raw = path.read_bytes()
        doc = _parse(path.name, raw)
        index[hashlib.sha256(raw).hexdigest()] = {"profile": path.name, "data": doc.data,
                                                  "positions": {p: list(v) for p, v in doc.positions.items()}}
    return json.dumps(index, indent=0, ensure_ascii=False) + "\n"  # key order is data: keep it


def main() -> int:
    text = build()
    if "--check" in sys.argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"stale: {OUT.relative_to(ROOT)}; run python tools/gen_builtin_index.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

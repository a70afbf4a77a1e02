#!/usr/bin/env python3
"""`aibgen catalog lint` on synthetic catalogs of N and 10N profiles, in one run.

Each synthetic catalog has chains five levels deep (four abstract levels under a concrete
profile, on top of the built-in linux-base), realistic sizes (parameters, tags, several
customizers with list operations, a gallery distributor). Prints times, profiles per
second and the growth ratio; aim: at most 11 for ten times the profiles (linear).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEVEL0 = """description: family {f} base
abstract: true
extends: linux-base
parameters:
  galleryImageId:
    type: resource-id
    resource: galleryImage
    example: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/Microsoft.Compute/galleries/g/images/f{f}
tags: {{family: f{f}, costCenter: "{f}"}}
source:
  use: platform-image
  with: {{publisher: Canonical, offer: 0001-com-ubuntu-server-jammy, sku: 22_04-lts-gen2}}
customize:
  - {{use: shell, name: update, with: {{inline: ["sudo apt-get update", "sudo apt-get -y upgrade"]}}}}
distribute:
  - use: shared-image
    with: {{galleryImageId: "{{{{ galleryImageId }}}}", targetRegions: [westeurope, northeurope]}}
"""
LEVEL = """description: family {f} level {n}
abstract: true
extends: f{f}-l{p}
tags: {{level{n}: "yes"}}
customize:
  - {{use: shell, name: step{n}, with: {{inline: ["echo level {n}", "sudo mkdir -p /opt/l{n}"]}}}}
  - {{op: before, target: update, use: shell, name: pre{n}, with: {{inline: ["echo pre {n}"]}}}}
"""
LEAF = """description: image {i} of family {f}
extends: f{f}-l3
parameters:
  vmSize: {{default: Standard_D4s_v3}}
customize:
  - {{op: replace, use: shell, name: step3, with: {{inline: ["echo image {i}"]}}}}
  - {{use: file, name: payload, with: {{sourceUri: "https://example.com/p{i}.tgz", destination: /tmp/p.tgz,
      sha256Checksum: {sha}}}}}
"""


def make(folder: Path, profiles: int) -> None:
    families = max(1, profiles // 20)
    folder.mkdir(parents=True)
    for f in range(families):
        (folder / f"f{f}-l0.yaml").write_text(LEVEL0.format(f=f))
        for n in range(1, 4):
            (folder / f"f{f}-l{n}.yaml").write_text(LEVEL.format(f=f, n=n, p=n - 1))
    for i in range(profiles):
        (folder / f"image-{i:05d}.yaml").write_text(LEAF.format(i=i, f=i % families, sha="a" * 64))


def run(aibgen: list[str], folder: Path, env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(aibgen + ["catalog", "lint", "--catalog", str(folder), "--format", "json"],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"catalog lint failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=200, help="profiles in the small catalog (the large has 10x)")
    parser.add_argument("--quick", action="store_true", help="20 and 200 profiles: just check it works")
    args = parser.parse_args()
    small = 20 if args.quick else args.n
    bindir = Path(sys.executable).parent
    aibgen = [str(bindir / "aibgen")] if (bindir / "aibgen").exists() else [sys.executable, "-m", "aibgen"]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, AIBGEN_CATALOG_PATH="")
        times = {}
        for count in (small, small * 10):
            folder = Path(tmp) / f"catalog-{count}"
            make(folder, count)
            times[count] = run(aibgen, folder, env)
            print(f"{count:>6} profiles: {times[count]:.2f} s  ({count / times[count]:.0f} profiles/s)")
        ratio = times[small * 10] / times[small]
        print(f"growth for 10x the profiles: {ratio:.2f} (aim: at most 11)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`aibgen upgrade` over the real corpus: every bundled version to every newer one.

For each pair (A, B) every corpus file is upgraded as written for A (``--from A``) to B, in
one run of the CLI over a copy of the corpus. The result must have no error finding of a
rule that the file, checked at A, has no error of: a template that validates clean at its
own version validates clean after the upgrade. Templates with a retired ISO source cannot
be upgraded and must be refused, in one line, at every pair.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict

import pytest

from aibgen import resources
from aibgen.check.shapes import templates
from aibgen.flows.validate import parse

from conftest import ROOT, TODAY

CORPUS = ROOT.parent / "shared" / "corpus" / "real"
VERSIONS = resources.api_versions()
PAIRS = [(a, b) for i, a in enumerate(VERSIONS) for b in VERSIONS[i + 1:]]
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")


def cli(*args, cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIBGEN_")}
    env.update(NO_COLOR="1", AIBGEN_TODAY=TODAY)
    return subprocess.run([sys.executable, "-m", "aibgen", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def read(path):
    doc, _, _ = parse(path.name, path.read_bytes().decode("utf-8-sig"))
    return doc


def iso(path) -> bool:
    """True for a file with an image template whose source is the retired ISO type."""
    doc = read(path)
    return any(str(((t.resource.get("properties") or {}).get("source") or {}).get("type", "")).lower() == "iso"
               for t in templates(doc))


FILES = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []
UPGRADABLE = [f for f in FILES if not iso(f)]
REFUSED = [f for f in FILES if iso(f)]


@functools.cache
def errors_at(version: str, folder: str) -> dict[str, set[str]]:
    """file name -> the rules of its error findings, checked at ``version``."""
    r = cli("validate", ".", "--api-version", version, "--format", "json", cwd=folder)
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
    found: dict[str, set[str]] = defaultdict(set)
    for f in json.loads(r.stdout)["findings"]:
        if f["severity"] == "error":
            found[f["file"]].add(f["rule"])
    return found


def test_the_corpus_has_templates_to_upgrade_and_ones_to_refuse():
    assert len(UPGRADABLE) >= 30 and len(REFUSED) == 3


@pytest.mark.parametrize("source,target", PAIRS)
def test_every_corpus_template_upgrades_without_new_errors(tmp_path, source, target):
    work = tmp_path / "corpus"
    work.mkdir()
    for f in UPGRADABLE:
        shutil.copyfile(f, work / f.name)
    r = cli("upgrade", ".", "--from", source, "--to", target, "--force", cwd=work)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    before = errors_at(source, str(CORPUS))
    after = errors_at(target, str(work))
    new = {f.name: sorted(after[f.name] - before[f.name]) for f in UPGRADABLE if after[f.name] - before[f.name]}
    assert new == {}, (source, target)
    for f in UPGRADABLE:
        for t in templates(read(work / f.name)):
            assert t.resource.get("apiVersion") == target, f.name


@pytest.mark.parametrize("source", VERSIONS[:-1])
@pytest.mark.parametrize("path", REFUSED, ids=lambda p: p.name[:40])
def test_a_retired_iso_source_is_refused_in_one_line(tmp_path, path, source):
    r = cli("upgrade", str(path), "--from", source, "-o", "new.json", cwd=tmp_path)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and r.stdout == ""
    assert f"{path}:" in r.stderr and "source type 'ISO' ended with the preview API" in r.stderr
    assert not (tmp_path / "new.json").exists()

"""Catalog composition: extends chains, list operations, shadowing, provenance, lint, schema."""
from __future__ import annotations

import json

import pytest

BASE = """\
description: team base
abstract: true
extends: linux-base
source:
  use: platform-image
  with: {publisher: Canonical, offer: 0001-com-ubuntu-server-jammy, sku: 22_04-lts-gen2}
customize:
  - {use: shell, name: one, with: {inline: [echo one]}}
  - {use: shell, name: two, with: {inline: [echo two]}}
  - {use: shell, name: three, with: {inline: [echo three]}}
distribute:
  - use: vhd
"""


def write(folder, **profiles):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in profiles.items():
        (folder / f"{name.replace('_', '-')}.yaml").write_text(text)
    return folder


def steps(aibgen, cat, profile="child", *extra):
    r = aibgen("new", "-p", profile, "--catalog", str(cat), "--example-values", "-o", "-", *extra)
    assert r.code == 0, r.err
    return [c["name"] for c in json.loads(r.out)["properties"]["customize"]]


@pytest.mark.parametrize("items, expected", [
    ("- {use: shell, name: four, with: {inline: [x]}}", ["one", "two", "three", "four"]),
    ("- {op: prepend, use: shell, name: zero, with: {inline: [x]}}", ["zero", "one", "two", "three"]),
    ("- {op: replace, use: shell, name: two, with: {inline: [new]}}", ["one", "two", "three"]),
    ("- {op: remove, name: two}", ["one", "three"]),
    ("- {op: before, target: two, use: shell, name: mid, with: {inline: [x]}}", ["one", "mid", "two", "three"]),
    ("- {op: after, target: two, use: shell, name: mid, with: {inline: [x]}}", ["one", "two", "mid", "three"]),
    ("- {op: clear}\n- {use: shell, name: only, with: {inline: [x]}}", ["only"]),
])
def test_list_operations(aibgen, workdir, items, expected):
    cat = write(workdir / "cat", base=BASE, child=f"description: c\nextends: base\ncustomize:\n{items}\n")
    assert steps(aibgen, cat) == expected


def test_replace_takes_the_new_item(aibgen, workdir):
    cat = write(workdir / "cat", base=BASE,
                child="description: c\nextends: base\ncustomize:\n  - {op: replace, use: shell, name: two, with: {inline: [new]}}\n")
    r = aibgen("new", "-p", "child", "--catalog", str(cat), "--example-values", "-o", "-")
    assert json.loads(r.out)["properties"]["customize"][1]["inline"] == ["new"]


def test_three_level_chain_and_reparameterised_default(aibgen, workdir):
    cat = write(workdir / "cat", base=BASE,
                middle="description: m\nabstract: true\nextends: base\nparameters:\n  vmSize: {default: Standard_D8s_v3}\n"
                       "customize:\n  - {op: remove, name: one}\n",
                child="description: c\nextends: middle\ntags: {layer: child}\ncustomize:\n"
                      "  - {use: shell, name: four, with: {inline: [x]}}\n")
    r = aibgen("new", "-p", "child", "--catalog", str(cat), "--example-values", "-o", "-")
    doc = json.loads(r.out)
    assert [c["name"] for c in doc["properties"]["customize"]] == ["two", "three", "four"]
    assert doc["properties"]["vmProfile"]["vmSize"] == "Standard_D8s_v3"
    assert doc["tags"] == {"builtBy": "aibgen", "profile": "child", "layer": "child"}


def test_diamond_inheritance_merges_both_parents_in_order(aibgen, workdir):
    cat = write(workdir / "cat", base=BASE,
                left="description: l\nabstract: true\nextends: base\ntags: {side: left, left: 'yes'}\n",
                right="description: r\nabstract: true\nextends: base\ntags: {side: right, right: 'yes'}\n",
                child="description: c\nextends: [left, right]\n")
    doc = json.loads(aibgen("new", "-p", "child", "--catalog", str(cat), "--example-values", "-o", "-").out)
    assert doc["tags"]["side"] == "right" and doc["tags"]["left"] == doc["tags"]["right"] == "yes"


def test_operation_naming_a_missing_item_is_an_error_with_its_line(aibgen, workdir):
    cat = write(workdir / "cat", base=BASE,
                child="description: c\nextends: base\ncustomize:\n  - {op: remove, name: too}\n")
    r = aibgen("new", "-p", "child", "--catalog", str(cat), "--example-values", "-o", "x.json")
    assert r.code == 2 and "child.yaml:4:" in r.err and "no inherited item" in r.err and "one, two, three" in r.err


def test_item_without_use_needs_a_removing_op(aibgen, workdir):
    cat = write(workdir / "cat", base=BASE, child="description: c\nextends: base\ncustomize:\n  - {name: x}\n")
    r = aibgen("new", "-p", "child", "--catalog", str(cat), "--example-values", "-o", "-")
    assert r.code == 2 and "child.yaml:4:" in r.err and "'use'" in r.err


def test_shadowing_across_four_roots(aibgen, workdir):
    vhd = "description: {d}\nextends: linux-base\nsource:\n  use: platform-image\n" \
          "  with: {{publisher: Canonical, offer: o, sku: s}}\ndistribute:\n  - use: vhd\ntags: {{root: {d}}}\n"
    env_root = write(workdir / "env", ubuntu_gen2_vhd=vhd.format(d="env"))
    cli_root = write(workdir / "cli", ubuntu_gen2_vhd=vhd.format(d="cli"))
    project = write(workdir / "project", ubuntu_gen2_vhd=vhd.format(d="project"))
    (workdir / "aibgen.yaml").write_text("catalog: project\n")
    env = {"AIBGEN_CATALOG_PATH": str(env_root)}
    r = aibgen("catalog", "list", "--catalog", str(cli_root), "--format", "json", env=env)
    row = next(x for x in json.loads(r.out) if x["name"] == "ubuntu-gen2-vhd")
    assert row["shadows"] == ["built-in", str(env_root), str(project)] and row["origin"] == str(cli_root)
    doc = json.loads(aibgen("new", "-p", "ubuntu-gen2-vhd", "--catalog", str(cli_root), "--example-values",
                            "-o", "-", env=env).out)
    assert doc["tags"]["root"] == "cli"


def test_partial_overridden_by_an_org_catalog(aibgen, workdir):
    cat = workdir / "org"
    (cat / "partials" / "customizers").mkdir(parents=True)
    (cat / "partials" / "customizers" / "shell.json.j2").write_text(
        '{{ json_object(type="Shell", name=item.name, inline=["set -eu"] + args.inline) }}\n')
    doc = json.loads(aibgen("new", "-p", "ubuntu-gen2-vhd", "--catalog", str(cat), "--example-values", "-o", "-").out)
    assert doc["properties"]["customize"][0]["inline"][0] == "set -eu"


def test_explain_names_the_file_and_line_of_each_value(aibgen, workdir):
    cat = write(workdir / "cat", base=BASE,
                child="description: c\nextends: base\ncustomize:\n  - {use: shell, name: four, with: {inline: [x]}}\n")
    out = aibgen("catalog", "show", "child", "--catalog", str(cat), "--explain").out
    assert f"/customize/3/name = \"four\"  # {cat / 'child.yaml'}:4:" in out
    assert f"/customize/0/name = \"one\"  # {cat / 'base.yaml'}:8:" in out
    assert "/os = \"linux\"  # " in out and "linux-base.yaml:4:" in out


def test_resolved_is_the_merged_profile(aibgen, workdir):
    cat = write(workdir / "cat", base=BASE, child="description: c\nextends: base\n")
    data = json.loads(aibgen("catalog", "show", "child", "--catalog", str(cat), "--resolved").out)
    assert data["os"] == "linux" and len(data["customize"]) == 3 and "extends" not in data


def test_lint_reports_each_profile_and_fails_on_errors(aibgen, workdir):
    cat = write(workdir / "cat", base=BASE, good="description: g\nextends: base\n",
                bad="description: b\nextends: base\ncustomize:\n  - {use: powershell, with: {inline: [dir]}}\n")
    r = aibgen("catalog", "lint", "--catalog", str(cat), "--format", "json")
    assert r.code == 1
    report = json.loads(r.out)
    by_name = {p["name"]: p for p in report["profiles"]}
    assert "base" not in by_name and by_name["good"]["ok"] and not by_name["bad"]["ok"]
    assert [f["rule"] for f in by_name["bad"]["findings"]] == ["AIB301"]
    assert report["summary"]["failed"] == 1
    text = aibgen("catalog", "lint", "--catalog", str(cat))
    assert "FAIL  bad" in text.out and "ok    good" in text.out


def test_lint_of_the_built_in_catalog_passes(aibgen):
    r = aibgen("catalog", "lint")
    assert r.code == 0 and "FAIL" not in r.out


def test_schema_command_prints_the_profile_schema(aibgen):
    schema = json.loads(aibgen("schema", "profile").out)
    assert schema["title"] == "aibgen catalog profile" and "customize" in schema["properties"]
    template = json.loads(aibgen("schema", "template", "--api-version", "2022-07-01").out)
    assert "2022-07-01" in template["title"]


LOCAL = """\
description: local scripts
extends: linux-base
source:
  use: platform-image
  with: {publisher: Canonical, offer: o, sku: s}
customize:
  - use: shell
    name: harden
    script: scripts/harden.sh
    with: {scriptUri: "https://example.blob.core.windows.net/scripts/harden.sh"}
  - use: shell
    name: setup
    inline_file: scripts/setup.sh
distribute:
  - use: vhd
"""


def test_local_scripts_fill_checksum_and_inline(aibgen, workdir):
    import hashlib

    cat = write(workdir / "cat", local=LOCAL)
    (cat / "scripts").mkdir()
    (cat / "scripts" / "harden.sh").write_bytes(b"#!/bin/sh\nchmod 600 /etc/shadow\n")
    (cat / "scripts" / "setup.sh").write_text("set -e\napt-get update\n")
    doc = json.loads(aibgen("new", "-p", "local", "--catalog", str(cat), "--example-values", "-o", "-").out)
    harden, setup = doc["properties"]["customize"]
    assert harden["sha256Checksum"] == hashlib.sha256(b"#!/bin/sh\nchmod 600 /etc/shadow\n").hexdigest()
    assert setup["inline"] == ["set -e", "apt-get update"]


@pytest.mark.parametrize("script, needle", [
    ("../outside.sh", "leads outside the catalog root"),
    ("/etc/passwd", "must be a relative path inside the catalog, not absolute"),
    ("scripts/missing.sh", "cannot read"),
    ("scripts/link.sh", "outside the catalog root"),
])
def test_local_script_paths_stay_inside_the_catalog(aibgen, workdir, script, needle):
    cat = write(workdir / "cat", local=LOCAL.replace("scripts/harden.sh", script))
    (cat / "scripts").mkdir()
    (cat / "scripts" / "setup.sh").write_text("true\n")
    (workdir / "outside.sh").write_text("secret\n")
    (cat / "scripts" / "link.sh").symlink_to(workdir / "outside.sh")
    r = aibgen("new", "-p", "local", "--catalog", str(cat), "--example-values", "-o", "out.json")
    assert r.code == 2 and needle in r.err and "local.yaml:9:" in r.err and "Traceback" not in r.err
    assert not (workdir / "out.json").exists()


def test_symlink_loop_in_a_catalog_directory_is_harmless(aibgen, workdir):
    cat = write(workdir / "cat", good="description: g\nextends: ubuntu-gen2-vhd\n")
    (cat / "loop.yaml").symlink_to(cat / "loop.yaml")
    (cat / "sub").symlink_to(cat)
    r = aibgen("catalog", "list", "--catalog", str(cat))
    assert r.code == 0 and "good" in r.out and "Traceback" not in r.err


def test_lint_shows_a_progress_bar_on_a_terminal(workdir):
    """On a terminal, catalog lint draws a progress bar on stderr."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    env = dict(os.environ, HOME=str(workdir), NO_COLOR="1")
    proc = subprocess.Popen([sys.executable, "-m", "aibgen", "catalog", "lint"], stdin=slave, stdout=slave,
                            stderr=slave, cwd=workdir, env=env)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=60) == 0
    os.close(master)
    assert b"linting profiles" in seen and b"100%" in seen

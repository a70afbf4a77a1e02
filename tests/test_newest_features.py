"""Every property of the newest apiVersion can be produced by a built-in partial.

The profiles in tests/data/everything/ use each built-in partial with each of its
arguments. They are rendered through the CLI, and every property path of the newest
bundled schema (read-only ones aside) must appear in one of the rendered templates. When
Microsoft adds a property and the schemas are regenerated, this test fails until a
partial can write it.

Paths name the variant of a discriminated object: ``properties.customize[]{type=Shell}.inline``.
"""
from __future__ import annotations

import json

import pytest

from aibgen import resources

from conftest import DATA

EVERYTHING = DATA / "everything"
PROFILES = sorted(p.stem for p in EVERYTHING.glob("*.yaml") if p.stem != "every-base")
# ARM deployment-template keys the schema accepts on a resource; the ARM wrapper, not a partial, writes them.
ARM_ONLY = {"dependsOn", "comments", "condition", "copy", "scope", "resources"}


def schema_paths(schema: dict) -> set[str]:
    """Every writable property path of an image template schema."""
    defs, out = schema["$defs"], set()

    def walk(node: dict, path: str, seen: frozenset) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(defs[name], path, seen | {name})
        for key, sub in node.get("properties", {}).items():
            if sub.get("readOnly") or (not path and key in ARM_ONLY):
                continue
            out.add(f"{path}.{key}")
            walk(sub, f"{path}.{key}", seen)
        if isinstance(node.get("items"), dict):
            walk(node["items"], path + "[]", seen)
        for sub in node.get("allOf", []):
            if "if" in sub:
                (key, cond), = sub["if"]["properties"].items()
                walk(sub["then"], f"{path}{{{key}={cond['const']}}}", seen)
            else:
                walk(sub, path, seen)
        for sub in node.get("anyOf", []) + node.get("oneOf", []):
            walk(sub, path, seen)

    walk(schema, "", frozenset())
    return out


def instance_paths(doc, schema_keys: set[str]) -> set[str]:
    """Every property path of a rendered template, with the discriminator of each variant."""
    out: set[str] = set()

    def walk(node, path: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, path + "[]")
        elif isinstance(node, dict):
            variant = path
            for key in ("type", "scheme"):
                if f"{path}{{{key}={node.get(key)}}}.{key}" in schema_keys:
                    variant = f"{path}{{{key}={node[key]}}}"
            for key, value in node.items():
                out.update({f"{path}.{key}", f"{variant}.{key}"})
                walk(value, f"{variant}.{key}")

    walk(doc, "")
    return out


@pytest.fixture(scope="module")
def newest() -> tuple[str, dict]:
    version = resources.latest_api_version()
    return version, resources.schema(version)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict]:
    """Each coverage profile rendered by ``aibgen new`` in a subprocess."""
    import subprocess
    import sys

    out_dir = tmp_path_factory.mktemp("everything")
    docs = {}
    for name in PROFILES:
        target = out_dir / f"{name}.json"
        r = subprocess.run([sys.executable, "-m", "aibgen", "new", "--catalog", str(EVERYTHING), "-p", name,
                            "--no-input", "-o", str(target)], capture_output=True, text=True, cwd=out_dir)
        assert r.returncode == 0, (name, r.stderr)
        docs[name] = json.loads(target.read_text(encoding="utf-8"))
    return docs


def test_the_coverage_profiles_render_at_the_newest_api_version(rendered, newest):
    assert len(PROFILES) >= 3
    assert {doc["apiVersion"] for doc in rendered.values()} == {newest[0]}


def test_every_property_of_the_newest_schema_is_produced_by_a_partial(rendered, newest):
    wanted = schema_paths(newest[1])
    produced: set[str] = set()
    for doc in rendered.values():
        produced |= instance_paths(doc, wanted)
    missing = sorted(wanted - produced)
    assert not missing, f"no built-in partial writes these {newest[0]} properties: {missing}"


def test_the_path_walkers_see_variants_and_miss_what_is_absent(newest):
    """The comparison can fail: a template without a data disk misses that path."""
    wanted = schema_paths(newest[1])
    assert ".properties.customize[]{type=Shell}.inline" in wanted
    assert ".properties.distribute[]{type=SharedImage}.versioning{scheme=Latest}.major" in wanted
    assert ".id" not in wanted and ".systemData" not in wanted and ".identity.type" in wanted
    doc = {"properties": {"customize": [{"type": "Shell", "inline": ["x"]}]}}
    got = instance_paths(doc, wanted)
    assert ".properties.customize[]{type=Shell}.inline" in got
    assert ".properties.additionalDataDisks[].sizeGB" not in got


def test_an_on_off_setting_that_is_not_true_or_false_is_named_not_guessed(aibgen, workdir):
    """'no' is not false: the state is written as given and the schema check names it."""
    (workdir / "cat").mkdir()
    (workdir / "cat" / "p.yaml").write_text('description: x\nextends: ubuntu-sig\n'
                                            'optimize: {vmBoot: "false", workload: {enabled: "no"}}\n', encoding="utf-8")
    r = aibgen("new", "--catalog", "cat", "-p", "p", "--example-values", "--no-input", "-o", "t.json")
    assert r.code == 1, r.err
    assert "AIB106 'state' is 'false'; allowed: Enabled, Disabled [/properties/optimize/vmBoot/state]" in r.err
    assert "AIB106 'state' is 'no'; allowed: Enabled, Disabled [/properties/optimize/workload/state]" in r.err
    assert not (workdir / "t.json").exists()

"""Property-based tests: random input never produces a traceback, and output stays valid."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aibgen.flows.new import Request, build
from aibgen.profiles.roots import default_roots, load_catalog
from aibgen.check.engine import Options, check_schema
from aibgen.errors import AibgenError, FindingsError
from aibgen.report.finding import Finding
from aibgen.flows.validate import validate_bytes

from conftest import IDENTITY

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "properties", "source", "customize", "distribute", "identity", "location",
                         "apiVersion", "inline", "scriptUri", "name", "runOutputName", "resources", "x"]) | st.text(max_size=8),
        inner, max_size=5),
    max_leaves=25)
CATALOG = load_catalog(default_roots([]))


@SETTINGS
@given(json_values)
def test_validate_never_crashes_on_any_json_value(value):
    found = validate_bytes("x.json", json.dumps(value).encode(), Options())
    assert all(isinstance(f, Finding) and f.line >= 1 and f.column >= 1 for f in found)


@SETTINGS
@given(st.binary(max_size=300))
def test_validate_never_crashes_on_any_bytes(raw):
    assert isinstance(validate_bytes("x.json", raw, Options()), list)


def _resource(extra: dict) -> dict:
    return {"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01",
            "location": "westus2", "identity": {"type": "UserAssigned", "userAssignedIdentities": {IDENTITY: {}}},
            "properties": dict({"source": {"type": "PlatformImage", "publisher": "p", "offer": "o", "sku": "s"},
                                "distribute": [{"type": "VHD", "runOutputName": "o"}]}, **extra)}


@SETTINGS
@given(st.dictionaries(st.sampled_from(["customize", "validate", "vmProfile", "buildTimeoutInMinutes",
                                        "optimize", "stagingResourceGroup", "errorHandling"]), json_values, max_size=3))
def test_validate_never_crashes_on_template_shaped_values(props):
    found = validate_bytes("x.json", json.dumps(_resource(props)).encode(), Options())
    assert all(f.rule.startswith("AIB") for f in found)


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@SETTINGS
@given(name=text.filter(lambda s: s.strip()), vm_size=text, timeout=st.integers(-10, 2000))
def test_any_parameter_values_render_valid_json_or_a_clear_error(name, vm_size, timeout):
    sets = [f"identity={IDENTITY}", f"name={name}", f"vmSize={vm_size}", f"buildTimeout={timeout}"]
    try:
        result = build(CATALOG, Request("ubuntu-gen2-vhd", sets=sets))
    except FindingsError as err:
        assert {f.rule for f in err.findings} <= {"AIB107", "AIB510"}
        return
    except AibgenError as err:
        assert "\n" not in str(err)
        return
    doc = json.loads(result.text)
    assert doc["name"] == name and doc["properties"]["vmProfile"]["vmSize"] == vm_size
    assert check_schema(doc, doc["apiVersion"]) == []


ITEM = st.fixed_dictionaries({"op": st.sampled_from(["append", "prepend", "replace", "remove", "before", "after", "clear"]),
                              "name": st.sampled_from(["a", "b", "c", "z"]),
                              "target": st.sampled_from(["a", "b", "c", "z"])})
BASE = """description: base
abstract: true
extends: linux-base
source: {use: platform-image, with: {publisher: Canonical, offer: o, sku: s}}
customize:
  - {use: shell, name: a, with: {inline: [a]}}
  - {use: shell, name: b, with: {inline: [b]}}
  - {use: shell, name: c, with: {inline: [c]}}
distribute:
  - use: vhd
"""


@SETTINGS
@given(st.lists(ITEM, max_size=6), st.booleans())
def test_random_compositions_render_or_fail_cleanly(ops, middle):
    items = []
    for op in ops:
        item = {"op": op["op"], "name": op["name"]}
        if op["op"] in ("before", "after"):
            item["target"] = op["target"]
        if op["op"] not in ("remove", "clear"):
            item.update(use="shell", **{"with": {"inline": [op["name"]]}})
        items.append(item)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "base.yaml").write_text(BASE)
        parent = "base"
        if middle:
            (root / "mid.yaml").write_text("description: m\nabstract: true\nextends: base\ntags: {mid: 'yes'}\n")
            parent = "mid"
        (root / "child.yaml").write_text(json.dumps({"description": "c", "extends": parent, "customize": items}))
        catalog = load_catalog(default_roots([str(root)]))
        try:
            result = build(catalog, Request("child", use_examples=True, sets=[f"identity={IDENTITY}"]))
        except AibgenError as err:
            assert "\n" not in str(err).split("\n")[0]
            return
        doc = json.loads(result.text)
        assert check_schema(doc, doc["apiVersion"]) == []

"""The bundled JSON Schemas: generated from the swagger, current, and strict."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator

from aibgen import resources
from aibgen.check.engine import check_schema

from conftest import IDENTITY, ROOT

VERSIONS = ["2020-02-14", "2021-10-01", "2022-02-14", "2022-07-01", "2023-07-01", "2024-02-01", "2025-10-01"]


def minimal(version="2025-10-01", **props):
    body = {"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o", "sku": "s", "version": "latest"},
            "distribute": [{"type": "VHD", "runOutputName": "out"}]}
    body.update(props)
    return {"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": version, "location": "westus2",
            "identity": {"type": "UserAssigned", "userAssignedIdentities": {IDENTITY: {}}}, "properties": body}


def test_committed_schemas_match_the_generator():
    proc = subprocess.run([sys.executable, "tools/gen_schemas.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_every_stable_version_is_bundled():
    assert resources.api_versions() == VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_schema_is_valid_draft_2020_12(version):
    Draft202012Validator.check_schema(resources.schema(version))


@pytest.mark.parametrize("version", VERSIONS)
def test_minimal_template_passes(version):
    assert check_schema(minimal(version), version) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_polymorphic_types_dispatch_on_their_type_value(version):
    defs = resources.schema(version)["$defs"]
    for base in ("ImageTemplateSource", "ImageTemplateCustomizer", "ImageTemplateDistributor"):
        assert "oneOf" not in json.dumps(defs[base])
        assert all("if" in part and "then" in part for part in defs[base]["allOf"])


def test_unknown_property_is_rejected_with_did_you_mean():
    doc = minimal(customise=[])
    [f] = check_schema(doc, "2025-10-01")
    assert (f.rule, f.pointer) == ("AIB101", "/properties/customise")
    assert "did you mean 'customize'" in f.message


def test_subtype_property_typo_names_the_subtype_field():
    doc = minimal(distribute=[{"type": "VHD", "runOutputname": "x"}])
    rules = {(f.rule, f.pointer) for f in check_schema(doc, "2025-10-01")}
    assert rules == {("AIB101", "/properties/distribute/0/runOutputname")}  # one cause, one finding


def test_read_only_property_is_rejected():
    doc = minimal()
    doc["properties"]["provisioningState"] = "Succeeded"
    [f] = check_schema(doc, "2025-10-01")
    assert f.rule == "AIB103" and "read-only" in f.message


def test_read_only_source_field_is_rejected():
    doc = minimal()
    doc["properties"]["source"]["exactVersion"] = "1.2.3"
    [f] = check_schema(doc, "2025-10-01")
    assert (f.rule, f.pointer) == ("AIB103", "/properties/source/exactVersion")


@pytest.mark.parametrize("prop, value, version, first", [
    ("validate", {}, "2021-10-01", "2022-02-14"),
    ("stagingResourceGroup", "/subscriptions/x/resourceGroups/y", "2021-10-01", "2022-02-14"),
    ("optimize", {}, "2022-02-14", "2022-07-01"),
    ("errorHandling", {}, "2022-07-01", "2023-07-01"),
    ("autoRun", {}, "2023-07-01", "2024-02-01"),
    ("managedResourceTags", {}, "2023-07-01", "2024-02-01"),
])
def test_property_of_a_newer_version_names_that_version(prop, value, version, first):
    [f] = check_schema(minimal(version, **{prop: value}), version)
    assert f.rule == "AIB102"
    assert f"needs apiVersion {first}" in f.message and version in f.message


def test_target_regions_need_2022_07_01():
    doc = minimal("2022-02-14", distribute=[{"type": "SharedImage", "runOutputName": "o",
                                              "galleryImageId": "g", "targetRegions": [{"name": "westus2"}]}])
    needs = [f for f in check_schema(doc, "2022-02-14") if f.rule == "AIB102"]
    assert [f.pointer for f in needs] == ["/properties/distribute/0/targetRegions"]
    assert "2022-07-01" in needs[0].message


def test_file_validator_needs_2022_07_01():
    doc = minimal("2022-02-14", validate={"inVMValidations": [{"type": "File", "sourceUri": "u", "destination": "/tmp/x"}]})
    [f] = check_schema(doc, "2022-02-14")
    assert f.rule == "AIB102" and "2022-07-01" in f.message


def test_bad_enum_lists_allowed_values():
    doc = minimal(distribute=[{"type": "SharedImage", "runOutputName": "o", "galleryImageId": "g",
                               "targetRegions": [{"name": "westus2", "storageAccountType": "Standard_GRS"}]}])
    [f] = check_schema(doc, "2025-10-01")
    assert f.rule == "AIB106" and "Standard_LRS" in f.message and "Standard_ZRS" in f.message


def test_unknown_customizer_type_suggests_the_right_one():
    doc = minimal(customize=[{"type": "Shel", "inline": ["x"]}])
    [f] = check_schema(doc, "2025-10-01")
    assert f.rule == "AIB106" and "did you mean 'Shell'" in f.message


def test_timeout_above_960_is_left_to_the_timeout_rule():
    """AIB510 says what the range means; the schema's AIB107 would report the same value twice."""
    assert check_schema(minimal(buildTimeoutInMinutes=961), "2025-10-01") == []


def test_wrong_type_is_named():
    [f] = check_schema(minimal(buildTimeoutInMinutes="ninety"), "2025-10-01")
    assert f.rule == "AIB105" and "whole number" in f.message


def test_builtin_profile_index_matches_the_catalog():
    proc = subprocess.run([sys.executable, "tools/gen_builtin_index.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr

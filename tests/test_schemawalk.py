"""Walking a bundled schema along a document: the node that describes a value."""
from __future__ import annotations

from aibgen import resources
from aibgen.sources.schemawalk import allows, node_at

SCHEMA = resources.schema("2025-10-01")
DEFS = SCHEMA["$defs"]
DOC = {"properties": {"customize": [{"type": "File", "sourceUri": "u", "destination": "/tmp/x"}],
                      "distribute": [{"type": "SharedImage", "runOutputName": "o"}]}}


def test_the_branch_of_a_polymorphic_item_is_taken_by_its_discriminator():
    node = node_at(SCHEMA, DOC, ["properties", "customize", 0])
    assert "sourceUri" in node["properties"] and "inline" not in node["properties"]


def test_without_branching_the_base_node_with_its_dispatch_is_returned():
    node = node_at(SCHEMA, DOC, ["properties", "customize", 0], branch=False)
    assert "allOf" in node and "sourceUri" not in node.get("properties", {})


def test_a_member_the_schema_lacks_has_no_node():
    assert node_at(SCHEMA, DOC, ["properties", "customise"]) is None


def test_a_path_past_the_document_still_follows_the_schema():
    node = node_at(SCHEMA, DOC, ["properties", "distribute", 0, "targetRegions", 3])
    assert "replicaCount" in node["properties"]


def test_allows_reads_discriminators_from_enum_and_dispatch():
    item = node_at(SCHEMA, DOC, ["properties", "customize", 0], branch=False)
    assert allows(item, "type", "WindowsUpdate", DEFS)
    assert not allows(item, "type", "Bash", DEFS)


def test_a_discriminator_value_is_new_in_the_version_that_first_allows_it():
    old = resources.schema("2022-02-14")
    doc = {"properties": {"validate": {"inVMValidations": [{"type": "File"}]}}}
    path = ["properties", "validate", "inVMValidations", 0]
    assert not allows(node_at(old, doc, path, branch=False), "type", "File", old["$defs"])
    assert allows(node_at(SCHEMA, doc, path, branch=False), "type", "File", DEFS)

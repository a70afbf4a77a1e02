"""The semantic difference between a local template and the deployed one (aibgen.cloud.compare)."""
from __future__ import annotations

import copy

from aibgen.cloud.compare import differences

ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
      "Microsoft.ManagedIdentity/userAssignedIdentities/aib")
LOCAL = {"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01", "name": "t",
         "location": "westus2", "identity": {"type": "UserAssigned", "userAssignedIdentities": {ID: {}}},
         "properties": {"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o", "sku": "s"},
                        "customize": [{"type": "Shell", "name": "a", "inline": ["x"]}],
                        "distribute": [{"type": "VHD", "runOutputName": "o"}]}}


def _deployed(**props) -> dict:
    doc = copy.deepcopy(LOCAL)
    doc.pop("apiVersion")
    doc.update(id="/subscriptions/x/resourceGroups/img/providers/Microsoft.VirtualMachineImages/imageTemplates/t",
               systemData={"createdBy": "me"}, location="West US 2")
    doc["identity"]["userAssignedIdentities"] = {ID.upper(): {"principalId": "p", "clientId": "c"}}
    doc["properties"].update({"provisioningState": "Succeeded", "buildTimeoutInMinutes": 0,
                              "vmProfile": {"vmSize": "", "osDiskSizeGB": 0}, **props})
    return doc


def test_what_azure_fills_in_or_spells_differently_is_no_difference():
    assert differences(LOCAL, _deployed(), ["/properties/provisioningState"]) == []


def test_a_read_only_member_counts_unless_named():
    assert [c.pointer for c in differences(LOCAL, _deployed())] == ["/properties/provisioningState"]


def test_a_changed_value_an_added_item_and_a_removed_member():
    local = copy.deepcopy(LOCAL)
    local["properties"]["customize"].append({"type": "Shell", "name": "b", "inline": ["y"]})
    local["properties"]["source"]["sku"] = "s2"
    deployed = _deployed(stagingResourceGroup="/subscriptions/x/resourceGroups/stage")
    found = [c.as_dict() for c in differences(local, deployed, ["/properties/provisioningState"])]
    assert found == [
        {"pointer": "/properties/source/sku", "deployed": "s", "local": "s2"},
        {"pointer": "/properties/customize/1", "deployed": None, "local": {"type": "Shell", "name": "b", "inline": ["y"]}},
        {"pointer": "/properties/stagingResourceGroup", "deployed": "/subscriptions/x/resourceGroups/stage", "local": None},
    ]


def test_a_value_set_locally_to_what_azure_fills_in_is_the_same():
    local = copy.deepcopy(LOCAL)
    local["properties"]["buildTimeoutInMinutes"] = 0
    assert differences(local, _deployed(), ["/properties/provisioningState"]) == []


def test_types_differ_even_when_python_calls_them_equal():
    local = copy.deepcopy(LOCAL)
    local["properties"]["vmProfile"] = {"osDiskSizeGB": False}
    found = differences(local, _deployed(vmProfile={"osDiskSizeGB": 0}), ["/properties/provisioningState"])
    assert [(c.pointer, c.deployed, c.local) for c in found] == [("/properties/vmProfile/osDiskSizeGB", 0, False)]


def test_tags_with_empty_values_are_the_users_and_count():
    local = copy.deepcopy(LOCAL)
    local["tags"] = {"owner": ""}
    local["properties"]["distribute"][0]["artifactTags"] = {"baked": ""}
    found = differences(local, _deployed(), ["/properties/provisioningState"])
    assert [(c.pointer, c.deployed, c.local) for c in found] == [
        ("/tags", None, {"owner": ""}), ("/properties/distribute/0/artifactTags", None, {"baked": ""})]
    deployed = _deployed()
    deployed["tags"] = {"owner": ""}
    assert [c.pointer for c in differences(LOCAL, deployed, ["/properties/provisioningState"])] == ["/tags"]
    deployed["tags"], local["tags"] = {}, {}
    local["properties"]["distribute"][0].pop("artifactTags")
    assert differences(local, deployed, ["/properties/provisioningState"]) == []  # an empty map is the default


def test_region_names_anywhere_and_numbers_compare_as_azure_does():
    local = copy.deepcopy(LOCAL)
    local["properties"]["distribute"] = [{"type": "SharedImage", "runOutputName": "o", "galleryImageId": ID,
                                          "targetRegions": [{"name": "westus2", "replicaCount": 1}],
                                          "replicationRegions": ["eastus"]}]
    local["properties"]["buildTimeoutInMinutes"] = 60
    deployed = _deployed(buildTimeoutInMinutes=60.0)
    deployed["properties"]["distribute"] = [{"type": "SharedImage", "runOutputName": "o", "galleryImageId": ID,
                                             "targetRegions": [{"name": "West US 2", "replicaCount": 1.0}],
                                             "replicationRegions": ["East US"]}]
    assert differences(local, deployed, ["/properties/provisioningState"]) == []
    deployed["properties"]["distribute"][0]["targetRegions"][0]["name"] = "East US"
    deployed["properties"]["buildTimeoutInMinutes"] = True  # a boolean is not the number 1
    local["properties"]["buildTimeoutInMinutes"] = 1
    assert [c.pointer for c in differences(local, deployed, ["/properties/provisioningState"])] == [
        "/properties/distribute/0/targetRegions/0/name", "/properties/buildTimeoutInMinutes"]
    assert differences({"properties": {"source": {"sku": "WestUS2"}}}, {"properties": {"source": {"sku": "westus2"}}})

"""What a value at a place in a template stands for, as far as an import cares.

The template's location, name and identity, and the resource ids of its source,
distributors, network and staging group, are parameters of their own (one per distinct
value); a region elsewhere (a distributor's location, a replication region) is a region;
commands and filters hold shell or PowerShell text where ``<`` is syntax, not a
placeholder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from aibgen.check.values import COMMAND_FIELDS


@dataclass(frozen=True)
class Role:
    """What the value at one pointer is."""

    param: str | None = None  # the value as a whole is this parameter
    kind: str | None = None  # "region", or a resource-id kind of aibgen.facts.resource_ids
    help: str = ""
    region: bool = False
    url: bool = False
    command: bool = False
    example: str | None = None  # what a made-up example of this field is


_ITEMS = r"/properties/(?:customize|validate/inVMValidations|distribute)/\d+"
_TABLE = [
    (r"/location", Role("location", "region", "Region of the image template; Image Builder runs the build there.")),
    (r"/name", Role("name", None, "Name of the image template resource.")),
    (r"/identity", Role("identity", "userAssignedIdentity",
                        "User-assigned identity Image Builder uses to read the source and scripts and write the image.")),
    (r"/properties/source/imageId", Role("sourceImageId", "image", "The managed image the build starts from.")),
    (r"/properties/source/imageVersionId", Role("sourceImageVersionId", "imageVersion",
                                                "The gallery image version the build starts from.")),
    (r"/properties/distribute/\d+/imageId", Role("imageId", "image", "The managed image the build writes.")),
    (r"/properties/distribute/\d+/galleryImageId", Role("galleryImageId", "galleryImage",
                                                        "The gallery image definition the build adds a version to.")),
    (r"/properties/vmProfile/vnetConfig/subnetId", Role("subnetId", "subnet", "Subnet of the build VM.")),
    (r"/properties/vmProfile/vnetConfig/containerInstanceSubnetId",
     Role("containerInstanceSubnetId", "subnet", "Subnet of the container instance of an isolated build.")),
    (r"/properties/vmProfile/userAssignedIdentities/\d+",
     Role("vmIdentity", "userAssignedIdentity", "User-assigned identity of the build VM itself.")),
    (r"/properties/stagingResourceGroup", Role("stagingResourceGroup", "resourceGroup",
                                               "Resource group Image Builder stages the build in.")),
    (r"/properties/distribute/\d+/(?:location|replicationRegions/\d+|targetRegions/\d+(?:/name)?)",
     Role(kind="region", region=True)),
    (r"/properties/source/version", Role(example="latest")),
    (_ITEMS + r"/(?:scriptUri|sourceUri|uri)|/properties/optimize/workload/scriptUri", Role(url=True)),
]
_COMPILED = [(re.compile(p), r) for p, r in _TABLE]


def role_of(ptr: str) -> Role:
    """The role of the value at template pointer ``ptr`` (relative to the resource)."""
    for pattern, role in _COMPILED:
        if pattern.fullmatch(ptr):
            return role
    tokens = ptr.split("/")
    if any(t in COMMAND_FIELDS for t in tokens[-2:]):
        return Role(command=True)
    return Role()

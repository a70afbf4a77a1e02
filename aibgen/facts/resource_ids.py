"""Azure resource ids aibgen checks values against, by kind, with their documented forms.

Resource ids are case-insensitive in Azure (``resourceGroups`` and ``resourcegroups`` are
the same), so every comparison here is.
"""
from __future__ import annotations

import re

from aibgen import memo

RESOURCE_TYPE = "Microsoft.VirtualMachineImages/imageTemplates"
#: the API's ImageTemplateNameParameter; the whole name must match
TEMPLATE_NAME = re.compile(r"[A-Za-z0-9\-_.]{1,64}")
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_RG = rf"/subscriptions/{_GUID}/resourceGroups/[-\w.()]{{1,90}}"
_NAME = r"[^/\s]+"

#: resource kind -> (regex, human description with the documented form)
RESOURCE_IDS: dict[str, tuple[str, str]] = {
    "userAssignedIdentity": (
        rf"{_RG}/providers/Microsoft\.ManagedIdentity/userAssignedIdentities/{_NAME}",
        "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>"),
    "resourceGroup": (
        _RG, "/subscriptions/<guid>/resourceGroups/<name>"),
    "subnet": (
        rf"{_RG}/providers/Microsoft\.Network/virtualNetworks/{_NAME}/subnets/{_NAME}",
        "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>"),
    "image": (
        rf"{_RG}/providers/Microsoft\.Compute/images/{_NAME}",
        "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/images/<name>"),
    "galleryImage": (
        rf"{_RG}/providers/Microsoft\.Compute/galleries/{_NAME}/images/{_NAME}",
        "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/<gallery>/images/<definition>"),
    "imageVersion": (
        rf"{_RG}/providers/Microsoft\.Compute/galleries/{_NAME}/images/{_NAME}/versions/(latest|\d+\.\d+\.\d+)",
        "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/<gallery>/images/<definition>/versions/<x.y.z|latest>"),
}


def _compiled(kind: str) -> re.Pattern:
    return memo.get("resource-id-pattern", kind, lambda: re.compile(f"(?:{RESOURCE_IDS[kind][0]})", re.IGNORECASE))


def is_resource_id(kind: str, value: str) -> bool:
    """True when ``value`` is a resource id of ``kind`` (see :data:`RESOURCE_IDS`)."""
    return _compiled(kind).fullmatch(value) is not None


_KIND_NAMES = {"userAssignedIdentity": "a user-assigned identity", "resourceGroup": "a resource group",
               "subnet": "a subnet", "image": "a managed image", "galleryImage": "a gallery image definition",
               "imageVersion": "a gallery image version"}


def kind_name(kind: str) -> str:
    """``a user-assigned identity`` for ``userAssignedIdentity``, for messages."""
    return _KIND_NAMES.get(kind, kind)


def resource_id_form(kind: str) -> str:
    """The documented form of a resource id of ``kind``."""
    return RESOURCE_IDS[kind][1]

"""Azure facts aibgen checks values against: regions and resource-id formats.

Region names and resource ids are case-insensitive in Azure, so every comparison here is.
"""
from __future__ import annotations

import re
from functools import lru_cache

from aibgen import resources

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


@lru_cache(maxsize=None)
def _compiled(kind: str) -> re.Pattern:
    return re.compile(f"(?:{RESOURCE_IDS[kind][0]})", re.IGNORECASE)


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


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@lru_cache(maxsize=None)
def _regions() -> dict[str, tuple[str, str]]:
    table = {}
    for display, name in resources.data("regions")["regions"]:
        table[_key(display)] = (display, name)
        table[_key(name)] = (display, name)
    table[_key("South East Asia")] = table[_key("southeastasia")]  # spelling used in the docs
    return table


def region_name(value: str) -> str | None:
    """The programmatic name (``westus2``) for a display or programmatic region name."""
    hit = _regions().get(_key(value))
    return hit[1] if hit else None


def region_names() -> list[str]:
    """Programmatic names of every region where Image Builder runs."""
    return sorted({name for _, name in _regions().values()})


@lru_cache(maxsize=None)
def _azure_regions() -> frozenset:
    return frozenset(resources.data("regions")["azure_regions"])


def azure_region_name(value: str) -> str | None:
    """The programmatic name of any Azure region (not only Image Builder's), or None."""
    key = _key(value)
    if key in _azure_regions():
        return key
    return region_name(value)


def region_hint(value: str, any_azure: bool = False) -> str:
    """`` (did you mean 'westus2'?)`` for a misspelt region name, or an empty string."""
    from aibgen.errors import did_you_mean

    return did_you_mean(_key(value), azure_region_names() if any_azure else region_names())


def azure_region_names() -> list[str]:
    """Programmatic names of the Azure regions aibgen knows."""
    return sorted(_azure_regions())


_WINDOWS_WORDS = ("windows", "win10", "win11", "win2016", "win2019", "win2022", "win2025", "microsoftwindows")
_LINUX_WORDS = ("ubuntu", "canonical", "rhel", "redhat", "centos", "debian", "suse", "sles", "oracle-linux",
                "oraclelinux", "almalinux", "rocky", "flatcar", "mariner", "azure-linux", "azurelinux",
                "openlogic", "linux")


def image_os(source: object) -> str | None:
    """``linux`` or ``windows`` for a PlatformImage source whose names say so, else None."""
    if not isinstance(source, dict) or source.get("type") != "PlatformImage":
        return None
    text = " ".join(str(source.get(k, "")) for k in ("publisher", "offer", "sku")).lower()
    windows = any(w in text for w in _WINDOWS_WORDS)
    linux = any(w in text for w in _LINUX_WORDS)
    if windows != linux:
        return "windows" if windows else "linux"
    return None

"""What a template says about its image: operating system, Hyper-V generation, CPU architecture."""
from __future__ import annotations

import re

from aibgen import memo, resources
from aibgen.facts.marketplace import NameRules

_WINDOWS_WORDS = ("windows", "win10", "win11", "win2016", "win2019", "win2022", "win2025", "microsoftwindows")
_LINUX_WORDS = ("ubuntu", "canonical", "rhel", "redhat", "centos", "debian", "suse", "sles", "oracle-linux",
                "oraclelinux", "almalinux", "rocky", "flatcar", "mariner", "azure-linux", "azurelinux",
                "openlogic", "linux")
# Step types that run on one OS only (the Image Builder template docs, properties.customize).
STEP_OS = {"Shell": "linux", "PowerShell": "windows", "WindowsRestart": "windows", "WindowsUpdate": "windows"}


def image_os(properties: object) -> str | None:
    """``linux`` or ``windows`` for a template's ``properties``, or None when they do not say.

    A PlatformImage source's publisher, offer and sku decide; when the source does not say
    (gallery or managed-image sources, unknown publishers), the customizers and in-VM
    validators do, provided they all run on the same OS.
    """
    if not isinstance(properties, dict):
        return None
    return source_os(properties.get("source")) or steps_os(properties)


def source_os(source: object) -> str | None:
    """``linux`` or ``windows`` for a PlatformImage source whose names say so, else None."""
    if not isinstance(source, dict) or source.get("type") != "PlatformImage":
        return None
    text = " ".join(str(source.get(k, "")) for k in ("publisher", "offer", "sku")).lower()
    windows = any(w in text for w in _WINDOWS_WORDS)
    linux = any(w in text for w in _LINUX_WORDS)
    if windows != linux:
        return "windows" if windows else "linux"
    return None


def steps_os(properties: dict) -> str | None:
    """The one OS that every OS-specific customizer and validator runs on, else None."""
    validate = properties.get("validate")
    steps = [properties.get("customize"), validate.get("inVMValidations") if isinstance(validate, dict) else None]
    found = {STEP_OS.get(step.get("type")) for group in steps if isinstance(group, list)
             for step in group if isinstance(step, dict) and isinstance(step.get("type"), str)}
    found.discard(None)
    return found.pop() if len(found) == 1 else None



# -- generation and architecture, from aibgen/data/image-kinds.json --------------------------
def _rules(table: str) -> NameRules[dict]:
    return memo.get("image-kinds", table, lambda: NameRules(
        (e["publisher"], [e["offer"]], e["sku"], e) for e in resources.data("image-kinds")[table]))


def _first(table: str, publisher: str, offer: str, sku: str) -> dict | None:
    return _rules(table).first(publisher, offer, sku)


def generation(publisher: str, offer: str, sku: str) -> str | None:
    """``V1`` or ``V2`` for a Marketplace image whose name tells it, else None (unknown)."""
    hit = _first("generation", publisher, offer, sku)
    return hit["generation"] if hit else None


def architecture(publisher: str, offer: str, sku: str) -> str | None:
    """``Arm64`` for a Marketplace image named as an Arm64 image, ``x64`` for another image
    whose generation is known, else None (unknown)."""
    if _first("arm64", publisher, offer, sku):
        return "Arm64"
    return "x64" if generation(publisher, offer, sku) else None


def vm_size_architecture(size: str) -> str | None:
    """``Arm64`` for an Arm-based size (feature letter ``p``: ``Standard_D2ps_v5``), ``x64``
    for a plain x64 size (``Standard_D2s_v5``), None for a size the naming does not tell."""
    data = resources.data("image-kinds")
    for arch, key in (("Arm64", "arm_vm_size"), ("x64", "x64_vm_size")):
        if re.fullmatch(data[key]["pattern"], size):
            return arch
    return None

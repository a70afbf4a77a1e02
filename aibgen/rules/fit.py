"""AIB2xx (part): the source fits the build VM, the distributors and the image definition.

What a Marketplace image's name says about its generation and CPU architecture comes from
``aibgen/data/image-kinds.json`` (facts.images); an image it does not know is never a finding.
"""
from __future__ import annotations

import json

from aibgen.check.values import known_str
from aibgen.facts import images
from aibgen.rules import rule

SECURITY_TYPES = ("Standard", "TrustedLaunchSupported", "TrustedLaunch", "ConfidentialVMSupported", "ConfidentialVM",
                  "TrustedLaunchAndConfidentialVmSupported")
_TRUSTED = frozenset(SECURITY_TYPES) - {"Standard"}


def _vm_size(ctx) -> str | None:
    vm = ctx.props.get("vmProfile")
    return known_str(vm.get("vmSize")) if isinstance(vm, dict) else None


def _urn(names: tuple[str, str, str]) -> str:
    return ":".join(names)


@rule("AIB206", "error", "An Arm64 source builds on an Arm64 VM size and is distributed to a gallery",
      "vmsize-optional")
def arm64_fit(ctx):
    """A Marketplace image for Arm64 (a sku such as `server-arm64`) boots only on an Arm-based
    VM size, which carries the feature letter `p` (`Standard_D2ps_v5`, `Standard_E4pds_v6`);
    Image Builder's default build sizes (`Standard_D1_v2`, `Standard_D2ds_v4`) are x64, so
    set `vmProfile.vmSize`. Arm64 images can be kept in an Azure Compute Gallery only, not as
    managed images. The reverse is an error too: an Arm-based size cannot boot an x64 image
    whose generation aibgen knows. Sizes whose names do not follow the plain pattern
    (`Standard_ND128isr_NDR_GB200_v6`, an Arm64 Grace size) are not judged.

    Sources: https://learn.microsoft.com/azure/virtual-machines/image-version (Arm64 images
    are supported through Azure Compute Gallery), and the VM naming conventions page
    https://learn.microsoft.com/azure/virtual-machines/vm-naming-conventions."""
    names = ctx.marketplace()
    arch = images.architecture(*names) if names else None
    if arch is None:
        return
    size = _vm_size(ctx)
    if arch == "Arm64":
        if size is not None and images.vm_size_architecture(size) == "x64":
            yield "/properties/vmProfile/vmSize", (f"vmSize {size} is an x64 size and cannot boot the Arm64 image "
                                                   f"{_urn(names)}; use an Arm size such as Standard_D2ps_v5")
        for ptr, item in ctx.items("distribute"):
            if item.get("type") == "ManagedImage":
                yield ptr, (f"a managed image cannot hold the Arm64 image {_urn(names)}; "
                            "distribute it to an Azure Compute Gallery (SharedImage)")
    elif size is not None and images.vm_size_architecture(size) == "Arm64":
        yield "/properties/vmProfile/vmSize", (f"vmSize {size} is an Arm size and cannot boot the x64 image "
                                               f"{_urn(names)}; use an x64 size or an Arm64 image")


@rule("AIB208", "warning", "An Arm64 source names its build VM size", "vmsize-optional")
def arm64_default_size(ctx):
    """Image Builder documents its default build VM sizes as `Standard_D1_v2` (Gen1) and
    `Standard_D2ds_v4` (Gen2), both x64, and documents no default for Arm64 images; set
    `vmProfile.vmSize` to an Arm-based size (`Standard_D2ps_v5`) so the build VM can boot
    the image."""
    names = ctx.marketplace()
    vm = ctx.props.get("vmProfile")
    if names and images.architecture(*names) == "Arm64" and not (isinstance(vm, dict) and "vmSize" in vm):
        yield "/properties/source/sku", (f"{_urn(names)} is an Arm64 image and no vmSize is set (the documented default "
                                         "build sizes are x64); set vmProfile.vmSize to an Arm size such as Standard_D2ps_v5")


@rule("AIB207", "error", "The source and distributors fit the profile's imageDefinition")
def image_definition_fit(ctx):
    """A profile's `imageDefinition` says what the Azure Compute Gallery image definition its
    SharedImage distributors write to must be: `hyperVGeneration` (V1 or V2), `securityType`
    (Standard, TrustedLaunchSupported, TrustedLaunch, ConfidentialVMSupported, ConfidentialVM,
    TrustedLaunchAndConfidentialVmSupported) and `architecture` (x64 or Arm64). Image Builder
    keeps the source's generation, so the source must match it; Trusted Launch and
    confidential VM security types need Gen2; and a managed image cannot be used for Trusted
    Launch, so such a profile distributes to galleries (and VHDs) only. Checked by
    `aibgen new` and `catalog lint`, where the profile is known; create the definition to
    match, e.g. `az sig image-definition create --hyper-v-generation V2 --features
    SecurityType=TrustedLaunchSupported`.

    Sources: https://learn.microsoft.com/azure/virtual-machines/image-builder-overview
    (generation kept; Trusted Launch support) and
    https://learn.microsoft.com/azure/virtual-machines/trusted-launch-portal (security types)."""
    definition = ctx.image
    if not isinstance(definition, dict):
        return
    gen, sec, arch = (definition.get(k) for k in ("hyperVGeneration", "securityType", "architecture"))
    bad = False
    for key, value, allowed in (("hyperVGeneration", gen, ("V1", "V2")), ("securityType", sec, SECURITY_TYPES),
                                ("architecture", arch, ("x64", "Arm64"))):
        if value is not None and value not in allowed:
            shown = value if isinstance(value, str) else json.dumps(value)
            yield f"/imageDefinition/{key}", f"imageDefinition {key} '{shown}' is not one of {', '.join(allowed)}"
            bad = True
    if bad:
        return
    for needs, why in ((sec in _TRUSTED, f"securityType {sec}"), (arch == "Arm64", "architecture Arm64")):
        if needs and gen == "V1":
            yield "/imageDefinition/hyperVGeneration", f"imageDefinition {why} needs hyperVGeneration V2"
            return
    names = ctx.marketplace()
    source_gen = images.generation(*names) if names else None
    need = "V2" if sec in _TRUSTED else gen
    if source_gen and need and source_gen != need:
        why = f"securityType {sec} needs" if sec in _TRUSTED and gen != "V2" else "the image definition is"
        yield "/properties/source/sku", (f"{_urn(names)} is a {'Gen1' if source_gen == 'V1' else 'Gen2'} image but {why} "
                                         f"{need} and Image Builder keeps the source's generation; choose a "
                                         f"{'Gen2' if need == 'V2' else 'Gen1'} sku")
    source_arch = images.architecture(*names) if names else None
    if arch and source_arch and arch != source_arch:
        yield "/properties/source/sku", f"{_urn(names)} is an {source_arch} image but the image definition is {arch}"
    if sec in _TRUSTED:
        for ptr, item in ctx.items("distribute"):
            if item.get("type") == "ManagedImage":
                yield ptr, (f"a managed image cannot be used for securityType {sec}; "
                            "distribute to the gallery image definition (SharedImage) instead")

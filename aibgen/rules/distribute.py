"""AIB4xx: distribution targets."""
from __future__ import annotations

from aibgen.facts import resource_ids
from aibgen.rules import rule
from aibgen.check.values import known_str
from aibgen.sources.schemaerrors import quote


@rule("AIB401", "error", "At least one distributor", "properties-distribute")
def has_distributor(ctx):
    """`distribute` needs at least one target (ManagedImage, SharedImage or VHD); without
    one the build has nowhere to put the image."""
    dist = ctx.props.get("distribute")
    if isinstance(dist, list) and not dist:
        yield "/properties/distribute", "distribute is empty; add a ManagedImage, SharedImage or VHD target"


@rule("AIB402", "error", "runOutputName is unique across distributors", "properties-distribute")
def unique_run_output(ctx):
    """Each distributor's `runOutputName` names its run output, which you query after the
    build; it must be unique within the template."""
    seen: dict[str, str] = {}
    for ptr, item in ctx.items("distribute"):
        name = known_str(item.get("runOutputName"))
        if name is None:
            continue
        if name.lower() in seen:
            yield f"{ptr}/runOutputName", f"runOutputName '{name}' is already used by {seen[name.lower()]}; make it unique"
        seen.setdefault(name.lower(), ptr)


@rule("AIB403", "error", "SharedImage galleryImageId is an image definition or version id", "distribute-sharedimage")
def gallery_image_id(ctx):
    """A SharedImage `galleryImageId` is either an image definition
    (`.../providers/Microsoft.Compute/galleries/<g>/images/<def>`, the version number is
    generated) or an explicit version (`.../images/<def>/versions/<x.y.z>`)."""
    for ptr, item in _of(ctx, "SharedImage"):
        value = known_str(item.get("galleryImageId"))
        if value and not (resource_ids.is_resource_id("galleryImage", value) or _explicit_version(value)):
            yield f"{ptr}/galleryImageId", (f"galleryImageId {quote(value)} is not a gallery image id; expected "
                                            + resource_ids.resource_id_form("galleryImage") + "[/versions/<x.y.z>]")


def _explicit_version(value: str) -> bool:
    return resource_ids.is_resource_id("imageVersion", value) and not value.lower().endswith("/latest")


@rule("AIB404", "error", "ManagedImage distributor imageId is a managed image id", "distribute-managedimage")
def managed_image_target(ctx):
    """A ManagedImage distributor writes the image `imageId`
    (`/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/images/<name>`,
    the resource group must exist). Its `location` is checked with the other regions
    (AIB405, AIB520)."""
    for ptr, item in _of(ctx, "ManagedImage"):
        image = known_str(item.get("imageId"))
        if image and not resource_ids.is_resource_id("image", image):
            yield f"{ptr}/imageId", f"imageId '{image}' is not a managed image id; expected {resource_ids.resource_id_form('image')}"


@rule("AIB406", "error", "targetRegions and replicationRegions are not used together", "distribute-targetregions")
def one_region_list(ctx):
    """`targetRegions` (2022-07-01+) supersedes the deprecated `replicationRegions`; the
    API accepts only one of them in a distributor."""
    for ptr, item in _of(ctx, "SharedImage"):
        if "targetRegions" in item and "replicationRegions" in item:
            yield f"{ptr}/replicationRegions", "replicationRegions cannot be used with targetRegions; keep targetRegions"


@rule("AIB407", "error", "A distributor-level storageAccountType goes with replicationRegions only", "distribute-targetregions")
def storage_type_placement(ctx):
    """The distributor-level `storageAccountType` belongs to the deprecated
    `replicationRegions` form: the API accepts it only when `replicationRegions` is given.
    With `targetRegions` (2022-07-01+), or with neither list, set `storageAccountType` on
    each `targetRegions` entry instead. (Before 2022-07-01 `replicationRegions` is required
    and a missing one is AIB104.)"""
    for ptr, item in _of(ctx, "SharedImage"):
        if "storageAccountType" not in item:
            continue
        if "targetRegions" in item:
            yield f"{ptr}/storageAccountType", "storageAccountType with targetRegions belongs in each targetRegions entry"
        elif "replicationRegions" not in item and ctx.version >= "2022-07-01":
            yield f"{ptr}/storageAccountType", ("storageAccountType here needs replicationRegions; give targetRegions "
                                                "with a storageAccountType on each region instead")


def _of(ctx, kind: str):
    for ptr, item in ctx.items("distribute"):
        if item.get("type") == kind:
            yield ptr, item

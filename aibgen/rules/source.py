"""AIB2xx: the source image."""
from __future__ import annotations

import re

from aibgen.facts import resource_ids
from aibgen.rules import rule
from aibgen.check.values import is_unknown, known_str
from aibgen.sources.schemaerrors import quote

_VERSION = re.compile(r"latest|\d+\.\d+\.\d+", re.IGNORECASE)


def _source(ctx):
    src = ctx.props.get("source")
    return src if isinstance(src, dict) else {}


@rule("AIB201", "error", "PlatformImage source needs publisher, offer and sku", "platformimage-source")
def platform_image_fields(ctx):
    """A PlatformImage source must name its Marketplace image: publisher, offer and sku.

    The API marks them optional, but the service cannot pick an image without them. Find
    them with `az vm image list --publisher <p> --all`."""
    src = _source(ctx)
    if src.get("type") == "PlatformImage":
        for key in ("publisher", "offer", "sku"):
            if key not in src:
                yield "/properties/source", f"PlatformImage source has no '{key}'; add the Marketplace image's {key}"


@rule("AIB202", "error", "PlatformImage version is 'latest' or major.minor.patch", "platformimage-source")
def platform_image_version(ctx):
    """A PlatformImage `version` is `latest` (resolved at build time) or a Marketplace
    version such as `22.04.202401010`; anything else fails when the build starts."""
    src = _source(ctx)
    version = known_str(src.get("version"))
    if src.get("type") == "PlatformImage" and version is not None and not _VERSION.fullmatch(version):
        yield "/properties/source/version", f"version '{version}' is neither 'latest' nor a version such as 1.2.3"


@rule("AIB203", "error", "ManagedImage source imageId is a managed image resource id", "managedimage-source")
def managed_image_id(ctx):
    """A ManagedImage source's `imageId` is the resource id of a generalized managed image:
    `/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/images/<name>`,
    in the template's subscription and region."""
    src = _source(ctx)
    yield from _resource_id(src, "ManagedImage", "imageId", "image")


@rule("AIB204", "error", "SharedImageVersion source imageVersionId is an image version id", "sharedimageversion-source")
def image_version_id(ctx):
    """A SharedImageVersion source's `imageVersionId` is the resource id of a gallery image
    version: `.../providers/Microsoft.Compute/galleries/<g>/images/<def>/versions/<x.y.z>`;
    `versions/latest` takes the newest version at build time. Community and direct shared
    gallery ids are accepted as they are."""
    src = _source(ctx)
    value = known_str(src.get("imageVersionId")) or ""
    if not value.lower().startswith(("/communitygalleries/", "/sharedgalleries/")):
        yield from _resource_id(src, "SharedImageVersion", "imageVersionId", "imageVersion")


def _resource_id(src: dict, kind: str, key: str, resource: str):
    value = src.get(key)
    if src.get("type") == kind and isinstance(value, str) and not is_unknown(value) \
            and not resource_ids.is_resource_id(resource, value):
        yield f"/properties/source/{key}", (f"{key} {quote(value)} is not the resource id of {resource_ids.kind_name(resource)}; "
                                            f"expected {resource_ids.resource_id_form(resource)}")

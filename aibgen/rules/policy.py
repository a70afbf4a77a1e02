"""AIB7xx: organisation policy from the ``policy:`` section of the configuration.

Each rule is silent unless its policy key is set.
"""
from __future__ import annotations

import fnmatch

from aibgen.facts import regions
from aibgen.rules import rule
from aibgen.check.values import is_unknown, known_str


def _region_key(name: str) -> str:
    return regions.azure_region_name(name) or name.lower().replace(" ", "")


@rule("AIB701", "error", "Regions are among the allowed regions (policy: allowed-regions)")
def allowed_regions(ctx):
    """The template's location and every distribution region must be in the policy's
    `allowed-regions` (display or programmatic names), e.g. for data residency."""
    allowed = ctx.policy.get("allowed-regions")
    if not allowed:
        return
    keys = {_region_key(r) for r in allowed}
    for ptr, name in ctx.regions():
        if _region_key(name) not in keys:
            yield ptr, f"region '{name}' is not allowed by policy (allowed: {', '.join(allowed)})"


@rule("AIB702", "error", "Template carries the required tags (policy: required-tags)")
def required_tags(ctx):
    """Every tag named in the policy's `required-tags` must be set on the image template
    resource (`tags`), e.g. owner or cost centre."""
    wanted = ctx.policy.get("required-tags") or []
    tags = ctx.resource.get("tags")
    present = set(tags) if isinstance(tags, dict) else set()
    missing = [t for t in wanted if t not in present]
    if missing:
        yield ("/tags" if isinstance(tags, dict) else ""), f"missing required tag(s): {', '.join(missing)}"


@rule("AIB703", "error", "Distributors carry the required artifact tags (policy: required-artifact-tags)")
def required_artifact_tags(ctx):
    """Every tag named in the policy's `required-artifact-tags` must be in each
    distributor's `artifactTags`, so that every image produced is labelled."""
    wanted = ctx.policy.get("required-artifact-tags") or []
    if not wanted:
        return
    for ptr, item in ctx.items("distribute"):
        tags = item.get("artifactTags") if isinstance(item.get("artifactTags"), dict) else {}
        missing = [t for t in wanted if t not in tags]
        if missing:
            yield ptr, f"distributor lacks required artifact tag(s): {', '.join(missing)}"


@rule("AIB704", "error", "Source image is an allowed one (policy: allowed-sources)")
def allowed_sources(ctx):
    """A PlatformImage source must match one entry of the policy's `allowed-sources`
    (publisher, offer and sku, each a case-insensitive glob such as `2022-datacenter*`;
    a missing field matches anything)."""
    allowed = ctx.policy.get("allowed-sources")
    src = ctx.props.get("source")
    if not allowed or not isinstance(src, dict) or src.get("type") != "PlatformImage":
        return
    fields = ("publisher", "offer", "sku")
    if any(is_unknown(src.get(f)) for f in fields):
        return
    if not any(all(fnmatch.fnmatch(str(src.get(f, "")).lower(), str(entry.get(f, "*")).lower()) for f in fields)
               for entry in allowed):
        shown = "/".join(str(src.get(f, "?")) for f in fields)
        yield "/properties/source", f"source {shown} is not among the allowed sources of the policy"


@rule("AIB705", "error", "Every downloaded script and file has a checksum (policy: require-checksums)")
def checksums_required(ctx):
    """With `require-checksums: true`, every `scriptUri` and File `sourceUri` must have a
    `sha256Checksum` (AIB304 becomes an error under the policy)."""
    if not ctx.policy.get("require-checksums"):
        return
    for ptr, step, key in ctx.downloads():
        if not step.get("sha256Checksum"):
            yield f"{ptr}/{key}", f"{key} has no sha256Checksum, which the policy requires"


@rule("AIB706", "error", "apiVersion is at least the policy's minimum (policy: min-api-version)")
def min_api_version(ctx):
    """Templates must use at least the policy's `min-api-version`, e.g. to get
    `targetRegions` or error handling everywhere."""
    minimum = ctx.policy.get("min-api-version")
    if minimum and ctx.version < minimum:
        yield "/apiVersion", f"apiVersion {ctx.version} is older than the policy's minimum {minimum}"


@rule("AIB707", "error", "Build timeout within the policy's maximum (policy: max-build-timeout)")
def max_build_timeout(ctx):
    """`buildTimeoutInMinutes` (0 or absent means the 240-minute default) must not exceed
    the policy's `max-build-timeout`, which bounds build VM cost."""
    limit = ctx.policy.get("max-build-timeout")
    value = ctx.props.get("buildTimeoutInMinutes", 0)
    if limit is None or not isinstance(value, int) or isinstance(value, bool):
        return
    effective = value or 240
    if effective > limit:
        yield "/properties/buildTimeoutInMinutes", f"build timeout {effective} minutes exceeds the policy's maximum of {limit}"


@rule("AIB708", "error", "Build and proxy VM sizes are allowed (policy: allowed-vm-sizes)")
def allowed_vm_sizes(ctx):
    """`vmProfile.vmSize` and `vnetConfig.proxyVmSize` must be among the policy's
    `allowed-vm-sizes` (case-insensitive). An unset size means the service default and is
    not checked."""
    allowed = {s.lower() for s in ctx.policy.get("allowed-vm-sizes") or []}
    vm = ctx.props.get("vmProfile")
    if not allowed or not isinstance(vm, dict):
        return
    vnet = vm.get("vnetConfig") if isinstance(vm.get("vnetConfig"), dict) else {}
    for ptr, size in (("/properties/vmProfile/vmSize", vm.get("vmSize")),
                      ("/properties/vmProfile/vnetConfig/proxyVmSize", vnet.get("proxyVmSize"))):
        if known_str(size) and size.lower() not in allowed:
            yield ptr, f"VM size '{size}' is not allowed by policy"

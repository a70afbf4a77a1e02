"""AIB5xx (part): build timeout and the build VM."""
from __future__ import annotations

from aibgen.rules import rule


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@rule("AIB510", "error", "buildTimeoutInMinutes is 0 or 6 to 960", "properties-buildtimeoutinminutes")
def timeout_range(ctx):
    """`buildTimeoutInMinutes` is 0 (the default, 240 minutes) or between 6 and 960
    (16 hours); negative values, 1 to 5 and values above 960 are rejected. Give 0 or
    omit it for the default, or a number of minutes from 6 to 960. (The schema's range
    check, AIB107, leaves this value to this rule.)"""
    value = _int(ctx.props.get("buildTimeoutInMinutes"))
    if value is not None and (value < 0 or 1 <= value <= 5 or value > 960):
        yield "/properties/buildTimeoutInMinutes", f"buildTimeoutInMinutes {value} is invalid; use 0 (240-minute default) or 6 to 960"


@rule("AIB511", "warning", "Windows builds get at least 60 minutes", "properties-buildtimeoutinminutes")
def windows_timeout(ctx):
    """For Windows, setting `buildTimeoutInMinutes` below 60 is not recommended: updates
    and Sysprep alone often take longer, and the build then fails with a timeout."""
    value = _int(ctx.props.get("buildTimeoutInMinutes"))
    if ctx.os == "windows" and value is not None and 6 <= value < 60:
        yield "/properties/buildTimeoutInMinutes", f"buildTimeoutInMinutes {value} is under 60, too short for most Windows builds"


@rule("AIB512", "error", "osDiskSizeGB is 0 or a positive size", "osdisksizegb")
def os_disk(ctx):
    """`vmProfile.osDiskSizeGB` 0 keeps the source image's size; a positive value can only
    grow the disk (it cannot be smaller than the source's). Negative values are invalid:
    use 0 or a size in GB. (The schema's range check, AIB107, leaves this value to this rule.)"""
    vm = ctx.props.get("vmProfile")
    value = _int(vm.get("osDiskSizeGB")) if isinstance(vm, dict) else None
    if value is not None and value < 0:
        yield "/properties/vmProfile/osDiskSizeGB", f"osDiskSizeGB {value} is negative; use 0 to keep the source size"

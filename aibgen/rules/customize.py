"""AIB3xx: customizers and in-VM validators."""
from __future__ import annotations

import re

from aibgen.rules import rule
from aibgen.check.values import is_unknown, known_str

_LINUX_ONLY = {"Shell"}
_WINDOWS_ONLY = {"PowerShell", "WindowsRestart", "WindowsUpdate"}
_SCRIPTED = {"Shell", "PowerShell"}
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_TIMEOUT = re.compile(r"(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+")
_INSTALLS = re.compile(r"(?i)(\.msi\b|\.exe\b|msiexec|install-|add-windowsfeature|install-windowsfeature|"
                       r"choco(latey)?\s+install|winget\s+install|setup\.exe|start-process)")


@rule("AIB301", "error", "Customizer or validator does not fit the image's OS", "properties-customize")
def os_fit(ctx):
    """Shell customizers and validators run only on Linux; PowerShell, WindowsRestart and
    WindowsUpdate only on Windows.

    The OS is inferred from a PlatformImage source's publisher, offer and sku (for
    example Canonical/…ubuntu… is Linux, MicrosoftWindowsServer/WindowsServer is
    Windows). When it cannot be known (managed image or gallery sources, unknown
    publishers) this rule says nothing."""
    if ctx.os is None:
        return
    wrong = _WINDOWS_ONLY if ctx.os == "linux" else _LINUX_ONLY
    for ptr, step in ctx.steps():
        kind = step.get("type")
        if kind in wrong:
            yield f"{ptr}/type", f"{kind} runs only on {'Windows' if ctx.os == 'linux' else 'Linux'}, but the source image is {ctx.os.capitalize()}"


@rule("AIB302", "error", "Script step needs exactly one of scriptUri and inline", "shell-customizer")
def script_or_inline(ctx):
    """A Shell or PowerShell customizer or validator runs either a script (`scriptUri`) or
    inline commands (`inline`, a list of strings) - exactly one of the two."""
    for ptr, step in ctx.steps():
        if step.get("type") in _SCRIPTED:
            has = [k for k in ("scriptUri", "inline") if k in step]
            if len(has) != 1:
                what = "both" if has else "neither"
                yield ptr, f"{step.get('type')} step has {what} of scriptUri and inline; give exactly one"
            elif "inline" in has and step["inline"] == []:
                yield f"{ptr}/inline", "inline is empty; give at least one command or remove the step"


@rule("AIB303", "error", "sha256Checksum is 64 hexadecimal characters", "shell-customizer")
def checksum_format(ctx):
    """`sha256Checksum` is the SHA-256 of the downloaded file as 64 hexadecimal characters
    (lower case, as `sha256sum` prints it); Image Builder compares it after download."""
    for ptr, step in ctx.steps():
        value = known_str(step.get("sha256Checksum")) if step.get("type") in ("Shell", "PowerShell", "File") else None
        if value and not _SHA256.fullmatch(value):
            yield f"{ptr}/sha256Checksum", f"sha256Checksum '{value[:20]}' is not 64 hexadecimal characters"


@rule("AIB304", "warning", "Downloaded script or file has no sha256Checksum", "shell-customizer")
def checksum_missing(ctx):
    """A `scriptUri` or File `sourceUri` without `sha256Checksum` runs whatever the URL
    serves at build time. Add the checksum (`sha256sum FILE`); PSRule for Azure's
    Azure.ImageBuilder.CustomizeHash and ValidateHash rules fail such templates too."""
    for ptr, step, key in ctx.downloads():
        if not step.get("sha256Checksum"):
            yield f"{ptr}/{key}", f"{step.get('type')} step downloads {key} without sha256Checksum; add the file's SHA-256"


@rule("AIB305", "error", "File step needs sourceUri and destination", "file-customizer")
def file_fields(ctx):
    """A File customizer or validator downloads `sourceUri` to `destination` (the full path
    and file name in the VM); both are required."""
    for ptr, step in ctx.steps():
        if step.get("type") == "File":
            for key in ("sourceUri", "destination"):
                if not step.get(key):
                    yield ptr, f"File step has no '{key}'"


@rule("AIB306", "error", "On Linux a File destination must be under /tmp", "file-customizer")
def file_destination_tmp(ctx):
    """On Linux the only path Image Builder can write a File customizer's download to is
    /tmp; move the file elsewhere with a Shell step afterwards."""
    if ctx.os != "linux":
        return
    for ptr, step in ctx.steps():
        dest = known_str(step.get("destination"))
        if step.get("type") == "File" and dest and not dest.startswith("/tmp/"):
            yield f"{ptr}/destination", f"destination '{dest}' is not under /tmp, the only place Image Builder can write on Linux"


@rule("AIB307", "error", "File sourceUri must name a file, not a directory", "file-customizer")
def file_not_directory(ctx):
    """The File customizer downloads one file; a directory cannot be downloaded. Compress
    the directory and expand it with a Shell or PowerShell step."""
    for ptr, step in ctx.steps():
        uri = known_str(step.get("sourceUri"))
        if step.get("type") == "File" and uri and uri.split("?", 1)[0].endswith("/"):
            yield f"{ptr}/sourceUri", "sourceUri ends with '/': a directory cannot be downloaded; use an archive"


@rule("AIB308", "error", "restartTimeout is a magnitude and a unit, like 5m or 2h", "windows-restart-customizer")
def restart_timeout(ctx):
    """WindowsRestart `restartTimeout` is a string of magnitude and unit such as `5m`
    (5 minutes) or `2h` (2 hours); the default is 5m."""
    for ptr, step in ctx.items("customize"):
        value = step.get("restartTimeout")
        if step.get("type") == "WindowsRestart" and isinstance(value, str) and not is_unknown(value) \
                and not _TIMEOUT.fullmatch(value):
            yield f"{ptr}/restartTimeout", f"restartTimeout '{value}' is not a magnitude and unit such as 5m or 2h"


@rule("AIB309", "warning", "WindowsUpdate right after software installs without a restart", "windows-update-customizer")
def update_after_install(ctx):
    """The Windows Update customizer can fail with 0x80240016 when installations or a
    restart are still pending. Put a WindowsRestart (or a wait) between steps that install
    software and the WindowsUpdate step."""
    previous = None
    for ptr, step in ctx.items("customize"):
        if step.get("type") == "WindowsUpdate" and previous is not None and _installs(previous):
            yield ptr, "WindowsUpdate follows a step that installs software without a WindowsRestart in between"
        previous = step


def _installs(step: dict) -> bool:
    if step.get("type") != "PowerShell":
        return False
    text = " ".join(str(x) for x in step.get("inline") or []) + " " + str(step.get("scriptUri", ""))
    return bool(_INSTALLS.search(text))

"""AIB3xx: customizers and in-VM validators."""
from __future__ import annotations

import re

from aibgen.rules import rule
from aibgen.check.values import is_expression, is_unknown, known_str
from aibgen.sources.schemaerrors import quote

_LINUX_ONLY = {"Shell"}
_WINDOWS_ONLY = {"PowerShell", "WindowsRestart", "WindowsUpdate"}
_SCRIPTED = {"Shell", "PowerShell"}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_HEX = re.compile(r"[0-9a-fA-F]+")
_NOT_HEX = re.compile(r"[^0-9a-fA-F]")
_TIMEOUT = re.compile(r"(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+")
_INSTALLS = re.compile(r"(?i)(\.msi\b|\.exe\b|msiexec|install-|add-windowsfeature|install-windowsfeature|"
                       r"choco(latey)?\s+install|winget\s+install|setup\.exe|start-process)")


@rule("AIB301", "error", "Customizer or validator does not fit the image's OS", "properties-customize")
def os_fit(ctx):
    """Shell customizers and validators run only on Linux; PowerShell, WindowsRestart and
    WindowsUpdate only on Windows. Use the step type of the source image's OS.

    The OS is inferred from a PlatformImage source's publisher, offer and sku (for
    example Canonical/…ubuntu… is Linux, MicrosoftWindowsServer/WindowsServer is
    Windows). For other sources (managed image, gallery) it is inferred from the steps
    themselves, so a mix of Linux-only and Windows-only steps is not judged: this rule
    then says nothing."""
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


@rule("AIB303", "error", "sha256Checksum is 64 lower-case hexadecimal characters", "shell-customizer",
      fix="writes 64 upper-case hexadecimal digits in lower case (other malformed values are left)")
def checksum_format(ctx):
    """`sha256Checksum` is the SHA-256 of the downloaded file as 64 lower-case hexadecimal
    characters, as `sha256sum FILE` prints it; Image Builder compares it with the file it
    downloads, and the docs ask for lower case. PowerShell's `Get-FileHash` prints upper
    case: use `(Get-FileHash FILE).Hash.ToLower()`. No spaces, newlines or `sha256:` prefix."""
    for ptr, step in ctx.steps():
        value = known_str(step.get("sha256Checksum")) if step.get("type") in ("Shell", "PowerShell", "File") else None
        if value and not _SHA256.fullmatch(value):
            yield f"{ptr}/sha256Checksum", f"sha256Checksum {_checksum_problem(value)}"


def _checksum_problem(value: str) -> str:
    """What is wrong with a sha256Checksum that is not 64 lower-case hex digits, and the fix."""
    core = value.strip()
    if core.lower().startswith("sha256:"):
        return "starts with 'sha256:'; give the 64 hexadecimal characters alone"
    if core != value and _HEX.fullmatch(core) and len(core) == 64:
        lead, trail = value[:value.index(core)], value[value.index(core) + 64:]
        extra = " and ".join(f"{quote(part)} {where}" for where, part in (("before", lead), ("after", trail)) if part)
        case = "" if core == core.lower() else ", and use lower case"
        return f"has {extra} its 64 hexadecimal characters; remove {'them' if lead and trail else 'it'}{case}"
    if _HEX.fullmatch(value) and len(value) == 64:
        return ("is upper case; Image Builder expects lower-case hexadecimal: use sha256sum FILE, "
                "or (Get-FileHash FILE).Hash.ToLower() in PowerShell")
    bad = _NOT_HEX.search(value)
    if bad:
        return f"{quote(value, 80)} has {quote(bad.group())} at position {bad.start() + 1}, not a hexadecimal digit"
    return f"{quote(value, 80)} has {len(value)} characters, not 64; give the whole SHA-256 that sha256sum FILE prints"


@rule("AIB304", "warning", "Downloaded script or file has no sha256Checksum", "shell-customizer")
def checksum_missing(ctx):
    """A `scriptUri` or File `sourceUri` without `sha256Checksum` runs whatever the URL
    serves at build time. Add the checksum (`sha256sum FILE`); PSRule for Azure's
    Azure.ImageBuilder.CustomizeHash and ValidateHash rules fail such templates too.
    Under the `require-checksums` policy AIB705 reports this as an error instead."""
    if ctx.policy.get("require-checksums"):
        return
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
    /tmp; move the file elsewhere with a Shell step afterwards.

    The OS comes from a PlatformImage source or, for managed-image and gallery sources,
    from the steps (Shell steps mean Linux); when neither says, this rule says nothing."""
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


@rule("AIB310", "error", "runAsSystem needs runElevated", "powershell-customizer")
def run_as_system(ctx):
    """A PowerShell customizer or validator with `runAsSystem: true` runs its script as the
    Local System user, an elevated run: the API allows `runAsSystem` to be true only when
    `runElevated` is true as well. Add `"runElevated": true` to the step, or drop
    `runAsSystem` to run as the build user."""
    for ptr, step in ctx.steps():
        elevated = step.get("runElevated")
        if step.get("type") == "PowerShell" and step.get("runAsSystem") is True and elevated is not True \
                and not is_unknown(elevated):
            yield f"{ptr}/runAsSystem", "runAsSystem is true but runElevated is not; add \"runElevated\": true"


# ARM template functions (Microsoft's "ARM template functions" reference); list* names
# (listKeys, listSecrets, ...) and user-defined namespace.name functions are matched apart.
_ARM_FUNCTIONS = frozenset("""
add and array base64 base64tojson base64tostring bool cidrhost cidrsubnet coalesce concat contains copyindex
createarray createobject datauri datauritostring datetimeadd datetimefromepoch datetimetoepoch deployment div
empty endswith environment equals extensionresourceid false filter first flatten float format greater
greaterorequals groupby guid if indexof int intersection items join json last lastindexof lambda length less
lessorequals managementgroup managementgroupresourceid map mapvalues max min mod mul newguid not null
objectkeys or padleft parameters parsecidr pickzones providers range reduce reference references replace
resourcegroup resourceid shallowmerge skip sort split startswith string sub subscription
subscriptionresourceid substring take tenant tenantresourceid tolower toobject toupper trim true
tryget union uniquestring uri uricomponent uricomponenttostring utcnow variables
""".split())
_CALL = re.compile(r"\[\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\s*\(")


def _arm_call(text: str) -> bool:
    """True when ``text`` (a ``[...]`` string) is an ARM expression: a known function called."""
    match = _CALL.match(text)
    name = match.group(1).lower() if match else ""
    return name in _ARM_FUNCTIONS or name.startswith("list") or "." in name


def _command_texts(ctx):
    for ptr, step in ctx.steps():
        inline = step.get("inline")
        for i, line in enumerate(inline if isinstance(inline, list) else []):
            yield f"{ptr}/inline/{i}", line
        for key in ("restartCommand", "restartCheckCommand"):
            yield f"{ptr}/{key}", step.get(key)


@rule("AIB311", "warning", "A command in [brackets] is evaluated by ARM", "properties-customize")
def bracketed_command(ctx):
    """In an ARM deployment template, ARM evaluates every string that starts with `[` and
    ends with `]` as a template expression. A shell test such as `[ -d /opt/app ]`, or a
    PowerShell line that begins with a type name (`[Net.ServicePointManager]::...`) and
    ends with `]`, is then not a valid expression and the deployment fails. Write `[[` at
    its start: ARM turns the escape into a single `[` and passes the command on as written.

    The escape bites a bash test `[[ -d /opt/app ]]` too: ARM reads its `[[` as the escape
    and the VM runs `[ -d /opt/app ]]`; write `[[[ -d /opt/app ]]`.

    Only resources inside an ARM deployment template are judged (a bare resource goes to
    `az image builder create`, which evaluates nothing); real expressions, a known function
    name followed by `(`, are not reported."""
    found = [(ptr, text) for ptr, text in _command_texts(ctx) if _bracketed(text)]
    if found and ctx.arm is not None:
        for ptr, text in found:
            if text.startswith("[["):
                yield ptr, (f"command {quote(text, 80)} starts with '[[', which ARM reads as its escape: the VM "
                            f"runs {quote(text[1:], 80)}; write '[[[' at its start")
            else:
                yield ptr, (f"command {quote(text, 80)} starts with '[' and ends with ']', so ARM evaluates it "
                            "as an expression and the deployment fails; write '[[' at its start to keep it literal")


def _bracketed(text) -> bool:
    """A command ARM would evaluate (``[...]``, not a function call) or unescape (bash ``[[ ... ]]``)."""
    if isinstance(text, str) and text.startswith("[[ ") and text.endswith(" ]]"):
        return True
    return is_expression(text) and not _arm_call(text)

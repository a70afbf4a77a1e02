"""What an image source says about its operating system."""
from __future__ import annotations

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

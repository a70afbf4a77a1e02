"""Local scripts to a blob container, for ``aibgen build --upload-scripts ACCOUNT/CONTAINER``.

Blob names are content addressed, ``<sha256>/<file name>``: a file already there is not
sent again, and a changed file gets a new URL (so a template never points at a script that
changed under it). Each rendered step whose ``sha256Checksum`` is that of an uploaded file
gets the blob's URL as its ``scriptUri`` (or ``sourceUri``). The upload uses the user's own
identity, which needs Storage Blob Data Contributor on the container; the template's identity
needs Storage Blob Data Reader on it to fetch the scripts during the build.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from aibgen.cloud import connect
from aibgen.cloud.failures import CloudError
from aibgen.cloud.logs import Account, reading
from aibgen.errors import InputError

WRITER = "Storage Blob Data Contributor"
SUFFIXES = {"AzureCloud": "core.windows.net", "AzureUSGovernment": "core.usgovcloudapi.net",
            "AzureChinaCloud": "core.chinacloudapi.cn"}
_ACCOUNT = re.compile(r"[a-z0-9]{3,24}")
_CONTAINER = re.compile(r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}")


@dataclass(frozen=True)
class Script:
    """A local file a profile item names with ``script:``."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def blob(self) -> str:
        return f"{self.sha256}/{self.name}"


def destination(spec: str, cloud: str) -> tuple[str, str]:
    """(account URL, container) of ``ACCOUNT/CONTAINER`` or of a container's https:// URL."""
    if spec.startswith("https://"):
        parts = urlsplit(spec)
        account_path, _, container = parts.path.rstrip("/").rpartition("/")
        if parts.hostname and _CONTAINER.fullmatch(container):
            return f"https://{parts.netloc}{account_path}", container
    else:
        account, _, container = spec.partition("/")
        if _ACCOUNT.fullmatch(account) and _CONTAINER.fullmatch(container):
            return f"https://{account}.blob.{SUFFIXES[cloud]}", container
    raise InputError(f"--upload-scripts {spec!r}: give ACCOUNT/CONTAINER (a storage account and a blob container "
                     "that exists, lower case) or the container's https:// URL")


def upload(tgt: connect.Target, account_url: str, container: str, scripts: list[Script]) -> dict[str, tuple[str, bool]]:
    """Upload each script not there yet; ``{sha256: (blob URL, uploaded now)}``."""
    box = connect.container_client(account_url, container, tgt)
    from azure.core.exceptions import ResourceNotFoundError

    account = Account(_account_name(account_url), account_url)
    url = f"{account_url.rstrip('/')}/{container}"
    out: dict[str, tuple[str, bool]] = {}
    for script in scripts:
        if script.sha256 in out:
            continue
        blob = box.get_blob_client(script.blob)
        with reading(account, f"{url}/{script.blob}", WRITER):
            try:
                there = blob.exists()
                if not there:
                    blob.upload_blob(script.data, overwrite=False)
            except ResourceNotFoundError:
                raise CloudError(f"{url}: no such container in storage account {account.name}; create it first "
                                 f"(az storage container create --account-name {account.name} -n {container} "
                                 "--auth-mode login)") from None
        out[script.sha256] = (blob.url, not there)
    return out


def point(doc: dict, urls: dict[str, tuple[str, bool]]) -> int:
    """Set ``scriptUri``/``sourceUri`` of each step whose checksum is an uploaded file's; how many were set."""
    props = doc.get("properties") or {}
    steps = list(props.get("customize") or []) + list((props.get("validate") or {}).get("inVMValidations") or [])
    count = 0
    for step in steps:
        found = urls.get(str(step.get("sha256Checksum", "")).lower())
        if found is not None:
            step["sourceUri" if "sourceUri" in step else "scriptUri"] = found[0]
            count += 1
    return count


def _account_name(account_url: str) -> str:
    """The account's name: the host's first label, or the first path segment of an emulator URL."""
    parts = urlsplit(account_url)
    path = parts.path.strip("/")
    return path.split("/")[0] if path else (parts.hostname or "").split(".")[0]

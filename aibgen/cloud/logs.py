"""The customization log of a build: staging resource group → storage account → blob.

Image Builder keeps ``packerlogs/<run>/customization.log`` in the storage account of the
template's staging resource group (``exactStagingResourceGroup``, which the service fills
in, else ``stagingResourceGroup``, else the group named by the service's convention
``IT_<resource group>_<template>_<suffix>``). The account has public access off: the log is read with
the user's Microsoft Entra identity, which needs *Storage Blob Data Reader* on it.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

from aibgen.cloud import connect
from aibgen.cloud.failures import NO_CREDENTIAL, CloudError, calling
from aibgen.cloud.templates import member

CONTAINER = "packerlogs"
LOG = "customization.log"
STORAGE_API = "2023-05-01"
READER = "Storage Blob Data Reader"
MAX_PAGES = 1000
_RUN_IN_MESSAGE = re.compile(r"packerlogs/([^/\s]+)/customization\.log")
RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")  # a run folder: one path segment, never . or ..


@dataclass(frozen=True)
class Account:
    """A storage account: its resource id and blob endpoint."""

    id: str
    blob: str

    @property
    def name(self) -> str:
        return self.id.rstrip("/").rsplit("/", 1)[-1]


def staging_group(templates, ref, template: dict, given: str | None = None) -> str:
    """The name of the template's staging resource group: ``given``, else the one the template
    names, else the one following the service's convention ``IT_<resource group>_<template>_<suffix>``
    (the tags the service puts on it, where present, must name this template)."""
    props = member(template, "properties")
    group = given or props.get("exactStagingResourceGroup") or props.get("stagingResourceGroup")
    if group:
        return str(group).rstrip("/").rsplit("/", 1)[-1]
    pattern = f"IT_{ref.group}_{ref.name}_*"
    prefix = pattern[:-1].lower()
    # the suffix has no '_': IT_<rg>_web_v2_<suffix> belongs to template web_v2, not to web
    found = [g for g in _groups(templates) if str(g.get("name", "")).lower().startswith(prefix)
             and _suffix(str(g["name"])[len(prefix):]) and _tagged_for(g, ref)]
    if len(found) != 1:
        what = ("no resource group is named " + pattern + "; the first build makes it, so run a build first"
                if not found else f"more than one resource group is named {pattern}")
        raise CloudError(f"{ref.id}: {what} (or name the staging group with --staging-group NAME)")
    return str(found[0]["name"])


def _suffix(text: str) -> bool:
    return bool(text) and "_" not in text


def _tagged_for(group: dict, ref) -> bool:
    """False when the service's tags on the group name another template (groups without them pass)."""
    tags = member(group, "tags")
    lowered = {str(k).lower(): str(v).lower() for k, v in tags.items()}
    for key, value in (("imagetemplatename", ref.name), ("imagetemplateresourcegroupname", ref.group)):
        if key in lowered and lowered[key] != value.lower():
            return False
    return True


def _groups(templates) -> list[dict]:
    """Every resource group of the subscription, as Resource Manager lists them (name, tags ...)."""
    path = f"/subscriptions/{templates.target.subscription}/resourcegroups"
    return [g for g in _arm_list(templates, path, "2021-04-01") if isinstance(g.get("name"), str)]


def _arm_list(templates, path: str, api_version: str) -> list[dict]:
    """Every item of a Resource Manager list at ``path`` (all pages), through the SDK's pipeline."""
    from azure.core.rest import HttpRequest

    base = templates.target.base_url
    url, items, seen = f"{base}{path}?api-version={api_version}", [], set()
    while url:
        if not _same_endpoint(url, base):
            raise CloudError(f"GET {path}: Azure's next page link {url[:200]!r} leads away from {base}; "
                             "not followed (the token is only for it)")
        if url in seen or len(seen) >= MAX_PAGES:
            raise CloudError(f"GET {path}: the list does not end (a page link repeats, or more than {MAX_PAGES} "
                             "pages); stopped")
        seen.add(url)
        client = templates.client
        with calling("GET", path):
            response = client.send_request(HttpRequest("GET", url))
            response.raise_for_status()
            page = response.json()
        values = page.get("value") if isinstance(page, dict) else None
        items += [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []
        url = page.get("nextLink") if isinstance(page, dict) else None
        url = url if isinstance(url, str) and url else None  # a link that is not text ends the list
    return items


def _same_endpoint(url: str, base: str) -> bool:
    """Whether ``url`` is on the endpoint ``base`` (scheme, host without case, port with 443 as https's own)."""
    from urllib.parse import urlsplit

    try:
        a, b = urlsplit(url), urlsplit(base)
        ports = (a.port or 443, b.port or 443)
    except ValueError:
        return False
    return (a.scheme == b.scheme == "https" and (a.hostname or "").lower() == (b.hostname or "").lower()
            and ports[0] == ports[1] and a.path.startswith(b.path.rstrip("/") + "/"))


def storage_account(templates, group: str) -> Account:
    """The storage account Image Builder made in the staging resource group ``group``."""
    path = f"/subscriptions/{templates.target.subscription}/resourceGroups/{group}/providers/Microsoft.Storage/" \
           "storageAccounts"
    accounts = [a for a in _arm_list(templates, path, STORAGE_API)
                if isinstance(member(member(a, "properties"), "primaryEndpoints").get("blob"), str)
                and isinstance(a.get("id"), str)]
    if not accounts:
        raise CloudError(f"{path}: no storage account in the staging resource group '{group}'; "
                         "the build may not have started, or the group was cleaned up")
    first = accounts[0]
    return Account(first["id"], first["properties"]["primaryEndpoints"]["blob"])


def run_id(status: dict) -> str | None:
    """The run folder the service's message names (a failed build's message points at its log)."""
    found = _RUN_IN_MESSAGE.search(str(status.get("message") or ""))
    return found.group(1) if found and RUN.fullmatch(found.group(1)) else None


def blob_container(tgt: connect.Target, account: Account):
    return connect.container_client(account.blob, CONTAINER, tgt)


def latest_run(container, account: Account) -> str:
    """The run folder with the newest customization.log."""
    found = runs(container, account)
    if not found:
        raise CloudError(f"no {CONTAINER}/<run>/{LOG} in storage account {account.name}; the build has not "
                         "reached customization yet")
    return found[-1]


def download(container, account: Account, run: str) -> bytes:
    """The log's bytes."""
    name = f"{run}/{LOG}"
    with reading(account, f"{account.blob.rstrip('/')}/{CONTAINER}/{name}"):
        return container.download_blob(name).readall()


def read_from(container, account: Account, run: str, offset: int) -> bytes:
    """The log's bytes from ``offset`` on (nothing when it has not grown, or is not there yet)."""
    from azure.core.exceptions import ResourceNotFoundError

    name = f"{run}/{LOG}"
    blob = container.get_blob_client(name)
    with reading(account, f"{account.blob.rstrip('/')}/{CONTAINER}/{name}"):
        try:
            size = blob.get_blob_properties().size
        except ResourceNotFoundError:
            return b""
        return blob.download_blob(offset=offset, length=size - offset).readall() if size > offset else b""


def runs(container, account: Account, since: str | None = None) -> list[str]:
    """The run folders that hold a customization.log, newest last; with ``since`` (an ISO time
    such as a build's ``startTime``), only those written to after it."""
    from datetime import datetime

    with reading(account, f"{account.blob.rstrip('/')}/{CONTAINER}"):
        logs = [b for b in container.list_blobs() if b.name.endswith("/" + LOG) and b.name.count("/") == 1]
    try:
        start = datetime.fromisoformat(str(since)[:19] + "+00:00") if since else None
    except ValueError:  # not a time: every run counts
        start = None
    if start is not None:
        logs = [b for b in logs if b.last_modified >= start]
    folders = [b.name.split("/", 1)[0] for b in sorted(logs, key=lambda b: b.last_modified)]
    return [f for f in folders if RUN.fullmatch(f)]


@contextmanager
def reading(account: Account, url: str, role: str = READER):
    """Storage errors as one line; a refusal says which role to grant on which account."""
    from azure.core import exceptions as ex

    try:
        yield
    except ex.ClientAuthenticationError as err:
        if getattr(err, "response", None) is None:
            raise CloudError(f"{NO_CREDENTIAL} ({' '.join(str(err.message).split())[:300]})") from None
        raise CloudError(_refused(account, url, err, role)) from None
    except ex.ResourceNotFoundError as err:
        raise CloudError(f"{url}: not found ({_code(err)}); 'aibgen status' shows whether the build "
                         "got that far") from None
    except ex.HttpResponseError as err:
        if err.status_code in (401, 403):
            raise CloudError(_refused(account, url, err, role)) from None
        raise CloudError(f"reading {url}: {err.status_code} {_code(err)}") from None
    except ex.AzureError as err:
        raise CloudError(f"reading {url}: {' '.join(str(err).split())[:300]}") from None


def _refused(account: Account, url: str, err, role: str) -> str:
    where = f"{account.name} ({account.id})" if account.id != account.name else account.name
    return (f"cannot {'read' if role == READER else 'write'} {url}: {_code(err)} (public access is off): "
            f"grant your identity '{role}' on storage account {where}, then try again")


def _code(err) -> str:
    return str(getattr(err, "error_code", None) or getattr(err, "reason", None) or type(err).__name__)

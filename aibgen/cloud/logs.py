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

CONTAINER = "packerlogs"
LOG = "customization.log"
STORAGE_API = "2023-05-01"
READER = "Storage Blob Data Reader"
_RUN_IN_MESSAGE = re.compile(r"packerlogs/([^/\s]+)/customization\.log")


@dataclass(frozen=True)
class Account:
    """A storage account: its resource id and blob endpoint."""

    id: str
    blob: str

    @property
    def name(self) -> str:
        return self.id.rstrip("/").rsplit("/", 1)[-1]


def staging_group(templates, ref, template: dict) -> str:
    """The name of the template's staging resource group: the one the template names, else
    the one following the service's convention ``IT_<resource group>_<template>_<suffix>``."""
    props = template.get("properties") or {}
    group = props.get("exactStagingResourceGroup") or props.get("stagingResourceGroup")
    if group:
        return str(group).rstrip("/").rsplit("/", 1)[-1]
    prefix = f"IT_{ref.group}_{ref.name}_".lower()
    found = [g for g in _groups(templates) if g.lower().startswith(prefix)]
    if len(found) != 1:
        raise CloudError(f"{ref.id}: {'no' if not found else 'more than one'} staging resource group named "
                         f"{prefix}*; the first build makes it, so run a build first")
    return found[0]


def _groups(templates) -> list[str]:
    """Every resource group name in the subscription."""
    path = f"/subscriptions/{templates.target.subscription}/resourcegroups"
    return [str(g.get("name", "")) for g in _arm_list(templates, path, "2021-04-01")]


def _arm_list(templates, path: str, api_version: str) -> list[dict]:
    """Every item of a Resource Manager list at ``path`` (all pages), through the SDK's pipeline."""
    from azure.core.rest import HttpRequest

    url, items = f"{templates.target.base_url}{path}?api-version={api_version}", []
    while url:
        with calling("GET", path):
            response = templates.client.send_request(HttpRequest("GET", url))
            response.raise_for_status()
        page = response.json()
        items += [v for v in page.get("value", []) if isinstance(v, dict)]
        url = page.get("nextLink")
    return items


def storage_account(templates, group: str) -> Account:
    """The storage account Image Builder made in the staging resource group ``group``."""
    path = f"/subscriptions/{templates.target.subscription}/resourceGroups/{group}/providers/Microsoft.Storage/" \
           "storageAccounts"
    accounts = [a for a in _arm_list(templates, path, STORAGE_API)
                if (a.get("properties") or {}).get("primaryEndpoints")]
    if not accounts:
        raise CloudError(f"{path}: no storage account in the staging resource group '{group}'; "
                         "the build may not have started, or the group was cleaned up")
    first = accounts[0]
    return Account(first["id"], first["properties"]["primaryEndpoints"]["blob"])


def run_id(status: dict) -> str | None:
    """The run folder the service's message names (a failed build's message points at its log)."""
    found = _RUN_IN_MESSAGE.search(str(status.get("message") or ""))
    return found.group(1) if found else None


def blob_container(tgt: connect.Target, account: Account):
    from azure.storage.blob import ContainerClient

    return ContainerClient(account.blob, CONTAINER, credential=connect.credential(tgt))


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
        logs = [b for b in container.list_blobs() if b.name.endswith("/" + LOG)]
    if since:
        start = datetime.fromisoformat(since[:19] + "+00:00")
        logs = [b for b in logs if b.last_modified >= start]
    return [b.name.split("/", 1)[0] for b in sorted(logs, key=lambda b: b.last_modified)]


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

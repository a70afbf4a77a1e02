"""Where the cloud commands talk to, and as whom: subscription, cloud, endpoint, client.

* Credential: ``DefaultAzureCredential`` (environment, workload identity, managed identity,
  Azure CLI login ...; ``AZURE_TOKEN_CREDENTIALS`` narrows the chain, as the SDK documents).
* Subscription: ``--subscription``, else ``AZURE_SUBSCRIPTION_ID``, else the default
  subscription of the Azure CLI (``azureProfile.json`` in ``AZURE_CONFIG_DIR`` or
  ``~/.azure``; read, never written).
* Endpoint: ``--arm-endpoint`` / ``AIBGEN_ARM_ENDPOINT`` (an ``https://`` URL), else the
  Resource Manager of ``--cloud``. TLS is verified by the SDK's transport against the
  system store or ``REQUESTS_CA_BUNDLE``.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aibgen.errors import AibgenError, InputError

INSTALL = "pip install 'aibgen[azure]'"
CLOUDS = {  # name as the Azure CLI spells it -> (azure.core AzureClouds member, Entra authority host)
    "AzureCloud": ("AZURE_PUBLIC_CLOUD", "login.microsoftonline.com"),
    "AzureUSGovernment": ("AZURE_US_GOVERNMENT", "login.microsoftonline.us"),
    "AzureChinaCloud": ("AZURE_CHINA_CLOUD", "login.chinacloudapi.cn"),
}
_GUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
PLACEHOLDER = "{subscriptionId}"
SDK_MODULES = ("azure.core", "azure.identity", "azure.mgmt.imagebuilder")


class MissingSdk(AibgenError):
    """The Azure SDK (extra ``aibgen[azure]``) is not installed."""


@dataclass(frozen=True)
class Target:
    """The subscription and Resource Manager endpoint the commands act on."""

    subscription: str
    cloud: str = "AzureCloud"
    endpoint: str | None = None  # None: the cloud's own Resource Manager
    poll_interval: float = 15.0

    @property
    def base_url(self) -> str:
        """Resource Manager URL without a trailing slash."""
        if self.endpoint:
            return self.endpoint.rstrip("/")
        return _arm_endpoints(self.cloud)["resource_manager"].rstrip("/")


def target(subscription: str | None, cloud: str, endpoint: str | None, poll_interval: float = 15.0,
           required: bool = True) -> Target:
    """The :class:`Target` from the options, the environment and the Azure CLI profile."""
    if cloud not in CLOUDS:
        raise InputError(f"--cloud {cloud!r}: not a known cloud; use one of {', '.join(CLOUDS)}")
    where = "--arm-endpoint" if endpoint else "AIBGEN_ARM_ENDPOINT"
    endpoint = endpoint or os.environ.get("AIBGEN_ARM_ENDPOINT") or None
    if endpoint is not None:
        _check_endpoint(endpoint, where)
    sub = subscription_id(subscription, required)
    return Target(sub, cloud, endpoint, poll_interval)


def subscription_id(given: str | None, required: bool = True) -> str:
    """The subscription GUID: option, then ``AZURE_SUBSCRIPTION_ID``, then the Azure CLI default."""
    for value, where in ((given, "--subscription"), (os.environ.get("AZURE_SUBSCRIPTION_ID"), "AZURE_SUBSCRIPTION_ID")):
        if value:
            if not _GUID.fullmatch(value.strip()):
                raise InputError(f"{where} {value!r}: not a subscription id; give its GUID, "
                                 "e.g. 00000000-0000-0000-0000-000000000000 ('az account list' shows them)")
            return value.strip().lower()
    found = cli_default_subscription()
    if found is None and required:
        raise InputError("no subscription: pass --subscription GUID, set AZURE_SUBSCRIPTION_ID, "
                         "or choose a default with 'az account set'")
    return found or PLACEHOLDER


def cli_default_subscription() -> str | None:
    """The default subscription of the Azure CLI's profile, if there is one (the file is only read)."""
    folder = os.environ.get("AZURE_CONFIG_DIR") or str(Path.home() / ".azure")
    path = Path(folder) / "azureProfile.json"
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the Azure CLI profile ({type(exc).__name__}); "
                         "pass --subscription or run 'az login' again") from None
    subs = doc.get("subscriptions") if isinstance(doc, dict) else None
    for sub in subs if isinstance(subs, list) else []:
        if isinstance(sub, dict) and sub.get("isDefault") and _GUID.fullmatch(str(sub.get("id", ""))):
            return str(sub["id"]).lower()
    return None


def _check_endpoint(url: str, where: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        parts = None
    if parts is None or parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise InputError(f"{where} {url!r}: give the https:// URL of a Resource Manager endpoint, "
                         "e.g. https://management.azure.com (Azure refuses tokens over plain http)")


def sdk() -> None:
    """Check that the Azure SDK is installed, without importing it; else a one-line error naming the install."""
    import importlib.util
    import logging

    for name in SDK_MODULES:
        try:
            found = importlib.util.find_spec(name)
        except ImportError as exc:  # a parent package is missing
            found, name = None, exc.name or name
        if found is None:
            raise MissingSdk(f"this command needs the Azure SDK ({name} is not installed): {INSTALL}")
    logging.getLogger("azure").addHandler(logging.NullHandler())  # the SDK's warnings are not the user's output


def _module(name: str):
    """Import one of :data:`SDK_MODULES` (a broken install gives the same one-line error)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise MissingSdk(f"this command needs the Azure SDK ({exc.name or name} is not installed): {INSTALL}") from None
    except ImportError as exc:
        raise MissingSdk(f"this command needs the Azure SDK ({exc.name or name} cannot be imported): "
                         f"{INSTALL}") from None


def _arm_endpoints(cloud: str) -> dict:
    core = _module("azure.core")
    from azure.mgmt.core.tools import get_arm_endpoints

    return get_arm_endpoints(getattr(core.AzureClouds, CLOUDS[cloud][0]))


def container_client(account_url: str, container: str, tgt: Target):
    """A blob ``ContainerClient`` signed in as :func:`credential` (a one-line error without azure-storage-blob)."""
    blob = _module("azure.storage.blob")
    return blob.ContainerClient(account_url, container, credential=credential(tgt))


def credential(tgt: Target):
    """``DefaultAzureCredential`` for the target's cloud."""
    identity = _module("azure.identity")
    try:
        return identity.DefaultAzureCredential(authority=CLOUDS[tgt.cloud][1])
    except ValueError as err:  # e.g. AZURE_TOKEN_CREDENTIALS names no credential
        text = " ".join(str(err).split())
        raise InputError(f"cannot set up the Azure credential: {text[:300]}") from None


class Prefetched:
    """A credential whose token for ``scopes`` is asked for at once, in a background thread, and kept.

    A token can take a second to come (the Azure CLI is a program of its own); meanwhile the
    caller imports the SDK and builds its client. Requests for exactly these scopes get the
    thread's token (or raise its error as the credential would have), then the same token
    until it is near its end; every other request goes straight to the credential.
    """

    REFRESH = 300  # seconds before expiry when a kept token is no longer handed out

    def __init__(self, credential, scopes) -> None:
        import threading

        self.credential = credential
        self.scopes = tuple(scopes)
        self._result: tuple | None = None
        self._token = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = threading.Thread(target=self._fetch, name="aibgen-token", daemon=True)
        self._thread.start()

    def _fetch(self) -> None:
        try:
            self._result = (self.credential.get_token_info(*self.scopes), None)
        except Exception as exc:  # noqa: BLE001 (raised in the caller's thread by get_token_info)
            self._result = (None, exc)

    def get_token_info(self, *scopes, options=None):
        if scopes != self.scopes or options:
            return self.credential.get_token_info(*scopes, options=options)
        import time

        with self._lock:
            if self._thread is not None:
                self._thread.join()
                self._thread = None
                (self._token, error), self._result = self._result, None
                if error is not None:
                    raise error
            if self._token is None or self._token.expires_on - time.time() < self.REFRESH:
                self._token = self.credential.get_token_info(*scopes)
            return self._token

    def get_token(self, *scopes, **kwargs):
        return self.credential.get_token(*scopes, **kwargs)

    def close(self) -> None:
        self.credential.close()


def client(tgt: Target, api_version: str | None = None):
    """An ``ImageBuilderClient`` for ``tgt`` speaking ``api_version`` (default: the SDK's).

    Its Resource Manager token is fetched while the client's part of the SDK is imported.
    """
    scopes = _arm_endpoints(tgt.cloud)["credential_scopes"]
    from aibgen import memo

    # one per cloud: every client of a command shares the token
    early = memo.get("arm-token", (tgt.cloud, tuple(scopes)), lambda: Prefetched(credential(tgt), scopes))
    imagebuilder, core = _module("azure.mgmt.imagebuilder"), _module("azure.core")
    extra = {"api_version": api_version} if api_version else {}
    return imagebuilder.ImageBuilderClient(
        early, tgt.subscription, base_url=tgt.base_url,
        cloud_setting=getattr(core.AzureClouds, CLOUDS[tgt.cloud][0]), credential_scopes=scopes,
        polling_interval=tgt.poll_interval, user_agent="aibgen", **extra)

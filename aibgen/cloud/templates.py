"""The imageTemplates operations aibgen uses, on raw JSON as Resource Manager sends it.

Each call runs inside :func:`~aibgen.cloud.failures.calling`, so an Azure error becomes a
one-line message naming the operation and the resource id. Long-running operations (create,
delete) are waited for with the SDK's poller; a build (``run``) is only started here and
watched through the template's ``lastRunStatus`` (:mod:`aibgen.cloud.progress`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from aibgen.cloud import connect
from aibgen.cloud.failures import CloudError, NotFound, calling

TYPE = "Microsoft.VirtualMachineImages/imageTemplates"
SENT = ("location", "tags", "identity", "properties")  # what a PUT carries; the rest is the URL's or the service's
SDK_API_VERSION = "2025-10-01"  # what azure-mgmt-imagebuilder 2.x speaks unless told otherwise


@dataclass(frozen=True)
class Ref:
    """One image template: subscription, resource group, name."""

    subscription: str
    group: str
    name: str

    @property
    def id(self) -> str:
        return f"/subscriptions/{self.subscription}/resourceGroups/{self.group}/providers/{TYPE}/{self.name}"


def _raw(pipeline_response, deserialized, headers):
    """``cls`` callback: the response body as parsed JSON, every field kept."""
    return pipeline_response.http_response.json()


def member(doc, key: str) -> dict:
    """``doc[key]`` when both are JSON objects, else an empty one (Azure's replies may be ill-formed)."""
    value = doc.get(key) if isinstance(doc, dict) else None
    return value if isinstance(value, dict) else {}


def body(resource: dict) -> dict:
    """The members of a template resource a PUT sends."""
    return {k: resource[k] for k in SENT if k in resource}


class Templates:
    """imageTemplates operations on one :class:`~aibgen.cloud.connect.Target`."""

    def __init__(self, target: connect.Target, api_version: str | None = None) -> None:
        self.target = target
        self.api_version = api_version
        self._client = None
        self._missing = NotFound("")  # the last 404 of find()

    @property
    def client(self):
        """The SDK's ``ImageBuilderClient`` (made on first use)."""
        if self._client is None:
            self._client = connect.client(self.target, self.api_version)
        return self._client

    @property
    def ops(self):
        return self.client.virtual_machine_image_templates

    def ref(self, group: str, name: str) -> Ref:
        return Ref(self.target.subscription, group, name)

    def find(self, ref: Ref) -> dict | None:
        """The deployed template, or None when there is none."""
        ops = self.ops  # made outside calling(): its errors are aibgen's, not Azure's
        try:
            with calling("GET", ref.id):
                found = ops.get(ref.group, ref.name, cls=_raw)
            if not isinstance(found, dict):
                raise CloudError(f"GET {ref.id}: Azure's reply is not a JSON object")
            return found
        except NotFound as err:
            if err.code not in ("", "ResourceNotFound"):
                raise  # the subscription or resource group is missing, not just the template
            self._missing = err
            return None

    def get(self, ref: Ref) -> dict:
        """The deployed template; a one-line error when it does not exist."""
        found = self.find(ref)
        if found is None:
            asked = f" (request id {self._missing.request_id})" if self._missing.request_id else ""
            raise NotFound(f"GET {ref.id}: 404 {self._missing.code or 'NotFound'}: no image template '{ref.name}' in "
                           f"resource group '{ref.group}'; 'aibgen deploy' creates it{asked}")
        return found

    def create(self, ref: Ref, resource: dict) -> dict:
        """PUT the template, wait for provisioning, and return it as deployed."""
        ops = self.ops
        with calling("PUT", ref.id):
            ops.begin_create_or_update(ref.group, ref.name, body(resource)).result()
        deployed = self.get(ref)
        props = member(deployed, "properties")
        if props.get("provisioningState") == "Failed":
            error = member(props, "provisioningError")
            raise CloudError(f"PUT {ref.id}: provisioning failed: {error.get('provisioningErrorCode', '')}: "
                             f"{error.get('message', 'no message')}")
        return deployed

    def delete(self, ref: Ref) -> None:
        """DELETE the template and wait until it is gone."""
        ops = self.ops
        with calling("DELETE", ref.id):
            ops.begin_delete(ref.group, ref.name).result()

    def start_run(self, ref: Ref) -> None:
        """POST run: start a build (not waited for here)."""
        ops = self.ops
        with calling("POST run", ref.id):
            ops.begin_run(ref.group, ref.name, polling=False)

    def cancel(self, ref: Ref) -> None:
        """POST cancel: ask the service to stop the running build."""
        ops = self.ops
        with calling("POST cancel", ref.id):
            ops.begin_cancel(ref.group, ref.name, polling=False)

    def run_outputs(self, ref: Ref) -> list[dict]:
        """Every runOutput of the template's last build."""
        ops = self.ops
        with calling("GET runOutputs", ref.id):
            return [item.as_dict() for item in ops.list_run_outputs(ref.group, ref.name)]


def request_text(target: connect.Target, method: str, ref: Ref, api_version: str, action: str = "",
                 payload: dict | None = None) -> str:
    """A request as ``--dry-run`` prints it: method, URL, and the JSON body if any."""
    url = f"{target.base_url}{ref.id}{'/' + action if action else ''}?api-version={api_version}"
    text = f"{method} {url}\n"
    if payload is not None:
        text += json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    return text

"""A fake Azure Resource Manager for imageTemplates, over real HTTPS on 127.0.0.1 (a trustme CA).

It does what the service does for the calls aibgen makes: PUT as a long-running operation
(201 + ``Azure-AsyncOperation``), 409 when the template exists, GET/DELETE (DELETE as a
long-running operation, 409 while a build runs), POST run/cancel (202 + operation),
runOutputs, ARM error bodies, and an ``x-ms-request-id`` on every answer. A bearer token
is required. Tests inject faults (``fail``: a status, ARM error and headers for the next
N matching requests) and drive a build along ``STAGES`` on a clock they control
(``tick``: fake seconds added by each read of a template; ``advance``: add by hand).
"""
from __future__ import annotations

import itertools
import json
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "fake-token-for-127.0.0.1"
SUBSCRIPTION = "11111111-2222-3333-4444-555555555555"
EPOCH = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)  # before any day the tests run on
STAGES = ["Queued", "Building", "Customizing", "Validating", "Distributing"]
STAGE_SECONDS = 60
_TEMPLATE = re.compile(r"/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/"
                       r"Microsoft\.VirtualMachineImages/imageTemplates/([^/]+)(/[A-Za-z]+)?$", re.I)
_GROUPS = re.compile(r"/subscriptions/[^/]+/resourcegroups$", re.I)
_ACCOUNTS = re.compile(r"/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\.Storage/storageAccounts$", re.I)
_OPERATION = re.compile(r"/subscriptions/[^/]+/providers/Microsoft\.VirtualMachineImages/locations/[^/]+/operations/(\d+)$")


@dataclass
class Build:
    """A build: when it started (fake seconds), how it ends, and a cancel if one was asked for."""

    start: int
    outcome: str = "Succeeded"
    message: str = ""
    canceled_at: int | None = None


@dataclass
class Fault:
    method: str
    pattern: str
    status: int
    code: str
    message: str
    times: int = 1
    headers: dict = field(default_factory=dict)
    raw: bytes | None = None  # the body as sent (instead of an ARM error)
    skip: int = 0  # matching requests answered normally before the fault begins


class FakeArm:
    """The server's state; ``handle`` answers one request."""

    def __init__(self, subscription: str = SUBSCRIPTION) -> None:
        self.subscription = subscription
        self.templates: dict[tuple[str, str], dict] = {}
        self.builds: dict[tuple[str, str], Build] = {}
        self.operations: dict[str, dict] = {}
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.arrived: list[float] = []  # time.monotonic() of each request, in the order of requests
        self.now = 0
        self.tick = STAGE_SECONDS
        self.outcome = ("Succeeded", "")
        self.provision_error: tuple[str, str] | None = None  # (code, message): the next PUT fails to provision
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        self.base_url = ""
        self.name_staging = True  # False: templates as older apiVersions return them, without exactStagingResourceGroup
        self.storage: dict[str, str] = {}  # staging resource group (lower case) -> blob endpoint of its account
        self.group_tags: dict[str, dict] = {}  # resource group (lower case) -> its tags

    # --- what tests call ---------------------------------------------------------------
    def fail(self, method: str, pattern: str, status: int, code: str, message: str, times: int = 1, skip: int = 0,
             **headers) -> None:
        """Answer the next ``times`` requests whose path matches ``pattern`` (after ``skip`` of them) with an ARM error."""
        self.faults.append(Fault(method, pattern, status, code, message, times, headers, skip=skip))

    def reply(self, method: str, pattern: str, status: int, raw: bytes, times: int = 1) -> None:
        """Answer the next ``times`` requests whose path matches ``pattern`` with ``raw`` as the body."""
        self.faults.append(Fault(method, pattern, status, "", "", times, {}, raw))

    def advance(self, seconds: int) -> None:
        with self.lock:
            self.now += seconds

    def add(self, group: str, name: str, resource: dict, running: bool = False) -> dict:
        """A template as if deployed earlier (and, with ``running``, building now)."""
        with self.lock:
            stored = self._stored(group, name, resource)
            stored["properties"]["provisioningState"] = "Succeeded"
            self.templates[(group.lower(), name.lower())] = stored
            if running:
                self.builds[(group.lower(), name.lower())] = Build(self.now)
            return stored

    def calls(self, method: str | None = None) -> list[str]:
        return [f"{m} {p}" for m, p in self.requests if method is None or m == method]

    # --- the service ----------------------------------------------------------------------
    def handle(self, method: str, url: str, headers, raw: bytes) -> tuple[int, dict, object]:
        path = urlsplit(url).path
        with self.lock:
            self.requests.append((method, path))
            self.arrived.append(time.monotonic())
            if headers.get("Authorization") != f"Bearer {TOKEN}":
                return _error(401, "InvalidAuthenticationToken", "The access token is missing or invalid.")
            for fault in self.faults:
                if fault.method == method and fault.times > 0 and re.search(fault.pattern, path):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.times -= 1
                    if fault.raw is not None:
                        return fault.status, {}, fault.raw
                    status, hdrs, payload = _error(fault.status, fault.code, fault.message)
                    return status, {**hdrs, **fault.headers}, payload
            if m := _OPERATION.search(path):
                return self._operation(m.group(1))
            if m := _ACCOUNTS.search(path):
                return self._accounts(m.group(1))
            if _GROUPS.search(path):
                return self._groups(parse_qs(urlsplit(url).query).get("page", ["0"])[0])
            m = _TEMPLATE.search(path)
            if not m:
                return _error(404, "InvalidResourceType", f"no route for {path}")
            sub, group, name, action = m.groups()
            if sub.lower() != self.subscription:
                return _error(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
            api = parse_qs(urlsplit(url).query).get("api-version", [""])[0]
            return self._template(method, group, name, (action or "").lstrip("/"), raw, api)

    def _template(self, method, group, name, action, raw, api):
        key = (group.lower(), name.lower())
        found = self.templates.get(key)
        if method == "PUT":
            return self._put(key, group, name, json.loads(raw or b"{}"), api)
        if found is None:
            return _error(404, "ResourceNotFound", f"The Resource '{_TYPE}/{name}' under resource group "
                                                    f"'{group}' was not found.")
        if method == "GET" and not action:
            view = self._view(key)
            self.now += self.tick if self._running(key) else 0
            return 200, {}, view
        if method == "GET" and action == "runOutputs":
            return 200, {}, {"value": self._outputs(key)}
        if method == "DELETE":
            return self._busy(key, "delete") or self._accepted(lambda: self.templates.pop(key, None) and None)
        if method == "POST" and action == "run":
            return self._busy(key, "run") or self._run(key)
        if method == "POST" and action == "cancel":
            return self._cancel(key)
        return _error(405, "MethodNotAllowed", f"{method} {action or 'template'}")

    def _put(self, key, group, name, resource, api):
        if key in self.templates:
            return _error(409, "Conflict", "Update/Upgrade of image templates is currently not supported. "
                                           "Please change the name of the template you are submitting.")
        stored = self._stored(group, name, resource)
        stored["properties"]["provisioningState"] = "Creating"
        stored["apiVersionSeen"] = api
        self.templates[key] = stored

        failure, self.provision_error = self.provision_error, None

        def done():
            stored["properties"]["provisioningState"] = "Failed" if failure else "Succeeded"
            if failure:
                stored["properties"]["provisioningError"] = {"provisioningErrorCode": failure[0], "message": failure[1]}
                return {"code": failure[0], "message": failure[1]}
        status, headers, _ = self._accepted(done)
        return 201, headers, self._view(key)

    def _run(self, key):
        self.builds[key] = Build(self.now, *self.outcome)
        return self._accepted(lambda: None)

    def _cancel(self, key):
        build = self.builds.get(key)
        if not self._running(key):
            return _error(409, "Conflict", "There is no running build of this template to cancel.")
        build.canceled_at = self.now
        return self._accepted(lambda: None)

    def _busy(self, key, what):
        if self._running(key):
            return _error(409, "Conflict", f"Cannot {what} the image template while a build is running.")
        return None

    def _accepted(self, effect):
        op = str(next(self._ids))
        self.operations[op] = {"polls": 0, "effect": effect}  # effect() runs once; an ARM error dict it returns fails the operation
        url = f"{self.base_url}/subscriptions/{self.subscription}/providers/Microsoft.VirtualMachineImages/" \
              f"locations/westus2/operations/{op}?api-version=2025-10-01"
        return 202, {"Azure-AsyncOperation": url, "Location": url}, None

    def _operation(self, op):
        state = self.operations.get(op)
        if state is None:
            return _error(404, "NotFound", "no such operation")
        state["polls"] += 1
        if state["polls"] < 2:
            return 200, {}, {"name": op, "status": "InProgress"}
        if state["effect"] is not None:
            state["error"] = state["effect"]()
            state["effect"] = None
        if state.get("error"):
            return 200, {}, {"name": op, "status": "Failed", "error": state["error"]}
        return 200, {}, {"name": op, "status": "Succeeded"}

    def _groups(self, page: str):
        """Resource groups, two to a page, with ``nextLink`` as Resource Manager pages lists."""
        names = sorted({g for g, _ in self.templates} | set(self.storage))
        start = int(page) * 2
        body = {"value": [{"name": n, "id": f"/subscriptions/{self.subscription}/resourceGroups/{n}",
                           **({"tags": self.group_tags[n.lower()]} if n.lower() in self.group_tags else {})}
                          for n in names[start:start + 2]]}
        if start + 2 < len(names):
            body["nextLink"] = f"{self.base_url}/subscriptions/{self.subscription}/resourcegroups" \
                               f"?api-version=2021-04-01&page={int(page) + 1}"
        return 200, {}, body

    def _accounts(self, group):
        blob = self.storage.get(group.lower())
        if blob is None:
            return 200, {}, {"value": []}
        account = f"/subscriptions/{self.subscription}/resourceGroups/{group}/providers/Microsoft.Storage/" \
                  "storageAccounts/stagingaccount"
        return 200, {}, {"value": [{"id": account, "name": "stagingaccount",
                                    "properties": {"primaryEndpoints": {"blob": blob}}}]}

    # --- builds on the clock --------------------------------------------------------------
    def _stage(self, key) -> tuple[str, str, str, int | None]:
        """(runState, runSubState, message, end) of the template's build at ``now``."""
        b = self.builds[key]
        if b.canceled_at is not None:
            if self.now < b.canceled_at + STAGE_SECONDS:
                return "Canceling", "", "", None
            return "Canceled", "", "The build was canceled.", b.canceled_at + STAGE_SECONDS
        step = (self.now - b.start) // STAGE_SECONDS
        if step < len(STAGES):
            return "Running", STAGES[step], "", None
        return b.outcome, "", b.message, b.start + len(STAGES) * STAGE_SECONDS

    def _running(self, key) -> bool:
        return key in self.builds and self._stage(key)[0] in ("Running", "Canceling")

    def _view(self, key) -> dict:
        view = json.loads(json.dumps(self.templates[key]))
        view.pop("apiVersionSeen", None)
        if key in self.builds:
            state, sub, message, end = self._stage(key)
            status = {"startTime": _time(self.builds[key].start), "runState": state, "message": message}
            status.update({"runSubState": sub} if sub else {})
            status.update({"endTime": _time(end)} if end is not None else {})
            view["properties"]["lastRunStatus"] = status
        return view

    def _outputs(self, key) -> list[dict]:
        if key not in self.builds or self._stage(key)[0] not in ("Succeeded", "PartiallySucceeded"):
            return []
        template = self.templates[key]
        out = []
        for d in template["properties"].get("distribute", []):
            name = d.get("runOutputName", "")
            props = {"provisioningState": "Succeeded"}
            if d.get("type") == "VHD":
                props["artifactUri"] = f"https://stg.blob.core.windows.net/vhds/{name}.vhd"
            else:
                props["artifactId"] = d.get("galleryImageId") or d.get("imageId") or name
            out.append({"name": name, "id": f"{template['id']}/runOutputs/{name}", "properties": props})
        return out

    def _stored(self, group, name, resource) -> dict:
        stored = json.loads(json.dumps(resource))
        stored.update(id=f"/subscriptions/{self.subscription}/resourceGroups/{group}/providers/{_TYPE}/{name}",
                      name=name, type=_TYPE)
        props = stored.setdefault("properties", {})
        props.setdefault("buildTimeoutInMinutes", 0)
        props.setdefault("vmProfile", {"vmSize": "", "osDiskSizeGB": 0})
        if self.name_staging:
            props["exactStagingResourceGroup"] = props.get("stagingResourceGroup") or \
                f"/subscriptions/{self.subscription}/resourceGroups/IT_{group}_{name}_5f2a"
        identity = stored.get("identity", {}).get("userAssignedIdentities", {})
        for key in identity:
            identity[key] = {"principalId": "0000-principal", "clientId": "0000-client"}
        return stored


_TYPE = "Microsoft.VirtualMachineImages/imageTemplates"


def _time(seconds: int) -> str:
    return (EPOCH + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


def _error(status: int, code: str, message: str):
    return status, {}, {"error": {"code": code, "message": message}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two TLS records; Nagle would hold the body for the client's delayed ACK

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        arm: FakeArm = self.server.arm
        status, headers, payload = arm.handle(self.command, self.path, self.headers, raw)
        data = payload if isinstance(payload, bytes) else b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("x-ms-request-id", f"req-{next(arm._ids):04d}")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _answer

    def log_message(self, *args):
        pass


class Server:
    """The fake ARM on a free port of 127.0.0.1, with TLS from ``ca`` (a ``trustme.CA``)."""

    def __init__(self, ca, arm: FakeArm | None = None) -> None:
        self.arm = arm or FakeArm()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.arm = self.arm
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        self.arm.base_url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

"""Azure's errors after the SDK's retries: throttling, server errors, quota, and what aibgen does not retry.

The CLI runs in a subprocess against the fake ARM on 127.0.0.1 (tests/fakearm.py); retries
are the SDK's own, so the last test counts them from the SDK called directly as the baseline.
"""
from __future__ import annotations

import re

import pytest

from fakearm import SUBSCRIPTION, TOKEN
from fakearm_fixtures import TEMPLATE, arm, cloud, cloud_env, test_ca  # noqa: F401 (fixtures)

G, N = ["-g", "img-rg"], ["-n", "ubuntu-golden"]
KEY = ("img-rg", "ubuntu-golden")
PATH = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/img-rg/providers/Microsoft.VirtualMachineImages/imageTemplates/ubuntu-golden"
ONE_LINE = r"error: {op} {path}: {status} {code}: {message}; {hint} \(request id req-\d{{4}}\)"


def _one_line(r, op: str, status: int, code: str, message: str, hint: str) -> None:
    assert r.code == 2, r.err
    line = r.err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert re.fullmatch(ONE_LINE.format(op=op, path=re.escape(PATH), status=status, code=code, message=re.escape(message),
                                        hint=re.escape(hint)), line), line


def test_retry_after_is_honoured_before_the_next_try(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("GET", "imageTemplates/ubuntu-golden$", 429, "TooManyRequests", "slow down", **{"Retry-After": "2"})
    r = cloud("status", *G, *N)
    assert r.code == 0, r.err
    assert arm.arm.calls() == [f"GET {PATH}"] * 2
    assert arm.arm.arrived[1] - arm.arm.arrived[0] >= 1.9  # the SDK waited as long as Azure asked


def test_throttling_that_lasts_is_one_line_with_the_wait_azure_asks_for(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("GET", "imageTemplates/ubuntu-golden$", 429, "TooManyRequests", "slow down", times=99,
                 **{"Retry-After": "1"})
    r = cloud("status", *G, *N)
    _one_line(r, "GET", 429, "TooManyRequests", "slow down",
              "Azure is throttling requests and asks to wait 1 s; try again then")
    assert len(arm.arm.calls("GET")) > 1  # the SDK retried before giving up


def test_a_server_error_that_lasts_is_one_line(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("GET", "imageTemplates/ubuntu-golden$", 503, "ServiceUnavailable", "busy", times=99, **{"Retry-After": "1"})
    r = cloud("status", *G, *N)
    _one_line(r, "GET", 503, "ServiceUnavailable", "busy", "Azure is unavailable and the retries did not help; try again later")


def test_a_used_up_quota_says_what_to_ask_for(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    text = "Operation could not be completed as it results in exceeding approved standardDSv3Family Cores quota."
    arm.arm.fail("POST", "imageTemplates/ubuntu-golden/run$", 409, "OperationNotAllowed", text)
    r = cloud("run", *G, *N)
    _one_line(r, "POST run", 409, "OperationNotAllowed", text,
              "a quota is used up: ask for more (Azure portal, Quotas) for this region and VM family, "
              "or choose another vmSize or region")


def test_aibgen_adds_no_retry_of_its_own_to_a_build_start(cloud, arm, test_ca, monkeypatch):
    """POST run is not idempotent: aibgen sends it exactly as often as the SDK's own policy does."""
    from azure.core.credentials import AccessToken
    from azure.core.exceptions import HttpResponseError
    from azure.mgmt.imagebuilder import ImageBuilderClient

    class Fake:
        def get_token(self, *scopes, **kwargs):
            return AccessToken(TOKEN, 4102444800)

    for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("POST", "/run$", 500, "InternalServerError", "boom", times=99)
    sdk = ImageBuilderClient(Fake(), SUBSCRIPTION, base_url=arm.url, connection_verify=str(test_ca[1]),
                             retry_backoff_factor=0.01)
    with pytest.raises(HttpResponseError):
        sdk.virtual_machine_image_templates.begin_run(*KEY, polling=False)
    by_sdk = len(arm.arm.calls("POST"))
    assert by_sdk >= 1, by_sdk
    r = cloud("run", *G, *N)
    assert r.code == 2 and "POST run" in r.err and "500 InternalServerError: boom" in r.err, r.err
    assert len(arm.arm.calls("POST")) - by_sdk == by_sdk

"""Replies Azure should never send, names that cannot travel in a URL, and a missing storage package.

Whatever Resource Manager answers, a command ends with one line and exit 2, never a
traceback, and never follows a page link to another host with the token.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fakearm import SUBSCRIPTION
from fakearm_fixtures import TEMPLATE, arm, cloud, cloud_env, test_ca, write_template  # noqa: F401 (fixtures)

G, N = ["-g", "img-rg"], ["-n", "ubuntu-golden"]
KEY = ("img-rg", "ubuntu-golden")
PATH = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/img-rg/providers/Microsoft.VirtualMachineImages/imageTemplates/ubuntu-golden"
GROUPS = f"/subscriptions/{SUBSCRIPTION}/resourcegroups"


def _fails_in_one_line(r, *needles: str) -> None:
    assert r.code == 2, (r.code, r.out, r.err)
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1, r.err
    for needle in needles:
        assert needle in r.err, r.err


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b"null"])
def test_a_template_reply_that_is_not_an_object(cloud, arm, raw):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.reply("GET", "imageTemplates/ubuntu-golden$", 200, raw)
    _fails_in_one_line(cloud("status", *G, *N), f"error: GET {PATH}: Azure's reply")


@pytest.mark.parametrize("props", ["text", {"lastRunStatus": "x", "provisioningError": ["y"]}, {"lastRunStatus": None}])
def test_members_of_the_wrong_shape_read_as_absent(cloud, arm, props):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.reply("GET", "imageTemplates/ubuntu-golden$", 200, json.dumps({"id": PATH, "properties": props}).encode(),
                  times=9)
    r = cloud("status", *G, *N)
    assert (r.code, r.err) == (0, "")
    assert "run state    never built" in r.out
    r = cloud("cancel", *G, *N)
    _fails_in_one_line(r, "no build is running (last run: none)")


@pytest.mark.parametrize("raw", [b'{"value": "x"}', b'{"value": [1, "a"]}'])
def test_run_outputs_of_the_wrong_shape(cloud, arm, raw):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.reply("GET", "/runOutputs$", 200, raw)
    _fails_in_one_line(cloud("outputs", *G, *N), f"error: GET runOutputs {PATH}: Azure's reply cannot be read")


def test_a_run_output_with_properties_of_the_wrong_shape_has_no_artifact(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.reply("GET", "/runOutputs$", 200, b'{"value": [{"name": "vhd", "properties": "p"}]}')
    r = cloud("outputs", *G, *N)
    assert (r.code, r.out, r.err) == (0, "vhd  \n", "")


def _no_staging_name(arm) -> None:
    arm.arm.name_staging = False
    arm.arm.add(*KEY, TEMPLATE)


def test_a_page_link_to_another_endpoint_is_not_followed(cloud, arm, test_ca):
    from fakearm import Server

    _no_staging_name(arm)
    with Server(test_ca[0]) as other:  # a second server on 127.0.0.1, which the command could reach
        page = {"value": [], "nextLink": f"{other.url}{GROUPS}?api-version=2021-04-01&page=1"}
        arm.arm.reply("GET", "/resourcegroups$", 200, json.dumps(page).encode())
        _fails_in_one_line(cloud("logs", *G, *N), "next page link", "leads away from", "not followed")
        assert other.arm.requests == []  # neither the request nor the token went there


def test_a_page_link_that_repeats_stops(cloud, arm):
    _no_staging_name(arm)
    page = {"value": [], "nextLink": f"{arm.url}{GROUPS}?api-version=2021-04-01&page=1"}
    arm.arm.reply("GET", "/resourcegroups$", 200, json.dumps(page).encode(), times=99)
    _fails_in_one_line(cloud("logs", *G, *N), "the list does not end")
    assert len(arm.arm.calls("GET")) == 3  # the template, the first page, and the page that links to itself


def test_pages_of_the_wrong_shape_find_nothing(cloud, arm):
    _no_staging_name(arm)
    arm.arm.reply("GET", "/resourcegroups$", 200, b'{"value": [1, null, {"name": 5}], "nextLink": 7}')
    _fails_in_one_line(cloud("logs", *G, *N), "no resource group is named IT_img-rg_ubuntu-golden_*")


@pytest.mark.parametrize("args, needle", [
    (["status", "-g", "img-rg", "-n", ".."], "'..' is not an image template name"),
    (["status", "-g", "img-rg", "-n", "."], "'.' is not an image template name"),
    (["logs", *G, *N, "--run", "../other/secret"], "'../other/secret' is not a run folder of packerlogs"),
    (["logs", *G, *N, "--run", ".."], "'..' is not a run folder of packerlogs"),
])
def test_names_that_would_change_the_url_are_refused(cloud, arm, args, needle):
    _fails_in_one_line(cloud(*args), needle)
    assert arm.arm.requests == []


def test_a_template_from_standard_input_needs_a_name(cloud, arm, cloud_env):
    doc = {k: v for k, v in TEMPLATE.items() if k != "name"}
    proc = subprocess.run([sys.executable, "-m", "aibgen", "deploy", "-", *G, "--dry-run"], cwd=cloud.work,
                          env=cloud_env, input=json.dumps(doc), capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.strip() == ("error: a template read from standard input has no file name to name it; "
                                   "give one with -n NAME")
    (cloud.work / "...json").write_text(json.dumps(doc))
    _fails_in_one_line(cloud("deploy", "...json", *G, "--dry-run"), "template name '..': use 1-64 letters")


def test_a_run_folder_named_by_the_service_must_be_one_name(cloud, arm):
    from aibgen.cloud.logs import run_id

    assert run_id({"message": "see packerlogs/0f1e-2d/customization.log"}) == "0f1e-2d"
    assert run_id({"message": "see packerlogs/../customization.log"}) is None


def test_without_the_storage_package_uploads_name_the_install(cloud, arm, cloud_env):
    folder = cloud.work / "cat"
    folder.mkdir()
    (folder / "p.yaml").write_text("description: d\nextends: linux-base\nsource:\n  use: platform-image\n"
                                   "  with: {publisher: Canonical, offer: o, sku: s}\ncustomize:\n  - use: shell\n"
                                   "    name: setup\n    script: setup.sh\n    with: {scriptUri: 'https://example.invalid/s'}\n"
                                   "distribute:\n  - use: vhd\n")
    (folder / "setup.sh").write_text("#!/bin/sh\n")
    blocked = ("import sys; sys.modules['azure.storage'] = None  # as if azure-storage-blob were not installed\n"
               "from aibgen.cli import main; main(sys.argv[1:], prog_name='aibgen')")
    proc = subprocess.run([sys.executable, "-c", blocked, "build", "-p", "p", "--catalog", "cat", "--example-values", *G,
                           "--upload-scripts", "https://127.0.0.1:9/devstoreaccount1/scripts"],
                          cwd=cloud.work, env=cloud_env, capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stderr
    assert proc.stderr.strip() == ("error: this command needs the Azure SDK (azure.storage.blob is not installed): "
                                   "pip install 'aibgen[azure]'")
    assert arm.arm.requests == []


@pytest.mark.parametrize("url, same", [
    ("https://management.azure.com/subscriptions/x?page=2", True),
    ("https://MANAGEMENT.azure.com:443/subscriptions/x", True),
    ("https://management.azure.com.evil.example/subscriptions", False),
    ("http://management.azure.com/subscriptions", False),
    ("https://management.azure.com:8443/subscriptions", False),
    ("https://management.azure.com@evil.example/subscriptions", False),
    ("https://evil.example/https://management.azure.com/", False),
    ("https://management.azure.com:port/x", False)])
def test_a_page_link_is_followed_only_on_the_same_endpoint(url, same):
    from aibgen.cloud.logs import _same_endpoint

    assert _same_endpoint(url, "https://management.azure.com") is same

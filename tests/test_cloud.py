"""``aibgen deploy``, ``diff``, ``status``, ``outputs`` and Azure's errors, against the fake ARM.

Every test runs the real CLI in a subprocess; its only credential is a fake ``az`` and its
only endpoint the fake ARM server on 127.0.0.1 (tests/fakearm_fixtures.py).
"""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys

import pytest

from fakearm import SUBSCRIPTION
from fakearm_fixtures import TEMPLATE, arm, cloud, cloud_env, test_ca, write_template  # noqa: F401 (fixtures)

G, N = ["-g", "img-rg"], ["-n", "ubuntu-golden"]
FAST = ["--poll-interval", "0.01"]
KEY = ("img-rg", "ubuntu-golden")
PATH = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/img-rg/providers/Microsoft.VirtualMachineImages/imageTemplates/ubuntu-golden"


def _changed(**props) -> dict:
    doc = copy.deepcopy(TEMPLATE)
    doc["properties"].update(props)
    return doc


# --- deploy ------------------------------------------------------------------------------
def test_deploy_creates_the_template_with_the_files_api_version(cloud, arm):
    write_template(cloud.work)
    r = cloud("deploy", "ubuntu.json", *G, *FAST)
    assert r.code == 0, r.err
    assert r.err.strip() == f"created {PATH} (provisioning Succeeded)"
    stored = arm.arm.templates[KEY]
    assert stored["apiVersionSeen"] == "2024-02-01"
    assert stored["properties"]["source"] == TEMPLATE["properties"]["source"]
    assert arm.arm.calls("PUT") == [f"PUT {PATH}"]


def test_deploy_of_the_same_template_sends_nothing(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work)
    r = cloud("deploy", "ubuntu.json", *G, *FAST)
    assert r.code == 0, r.err
    assert r.err.strip() == f"unchanged: {PATH} already matches ubuntu.json"
    assert arm.arm.calls("PUT") == arm.arm.calls("DELETE") == []


def test_deploy_of_a_changed_template_is_refused_without_replace(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work, _changed(buildTimeoutInMinutes=120))
    r = cloud("deploy", "ubuntu.json", *G, *FAST)
    assert r.code == 2
    assert "differs from ubuntu.json at 1 place (first /properties/buildTimeoutInMinutes)" in r.err
    assert "--replace" in r.err and len(r.err.strip().splitlines()) == 1
    assert arm.arm.calls("PUT") == arm.arm.calls("DELETE") == []


def test_deploy_replace_deletes_then_creates(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work, _changed(buildTimeoutInMinutes=120))
    r = cloud("deploy", "ubuntu.json", *G, *FAST, "--replace")
    assert r.code == 0, r.err
    assert [c.split()[0] for c in arm.arm.calls() if not c.split()[1].count("/operations/")
            and c.startswith(("PUT", "DELETE"))] == ["DELETE", "PUT"]
    assert arm.arm.templates[KEY]["properties"]["buildTimeoutInMinutes"] == 120
    assert f"replaced {PATH}" in r.err


def test_a_put_that_fails_after_the_replace_delete_says_the_template_is_gone(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("PUT", "imageTemplates/ubuntu-golden$", 400, "InvalidParameter", "The vmSize is not offered here.")
    write_template(cloud.work, _changed(buildTimeoutInMinutes=120))
    r = cloud("deploy", "ubuntu.json", *G, *FAST, "--replace")
    assert r.code == 2
    last = r.err.strip().splitlines()[-1]
    assert last.startswith(f"error: PUT {PATH}: 400 InvalidParameter: The vmSize is not offered here.")
    assert last.endswith("; the old template was deleted to replace it, so deploy again once this is fixed")
    assert KEY not in arm.arm.templates


def test_a_template_whose_provisioning_failed_is_never_unchanged(cloud, arm):
    stored = arm.arm.add(*KEY, TEMPLATE)
    stored["properties"].update(provisioningState="Failed", provisioningError={"message": "The source image was not found."})
    write_template(cloud.work)
    r = cloud("deploy", "ubuntu.json", *G, *FAST)
    assert r.code == 2
    assert r.err.strip() == (f"error: {PATH}: its provisioning failed (The source image was not found.), so it cannot "
                             "build; --replace deletes and recreates it")
    r = cloud("deploy", "ubuntu.json", *G, *FAST, "--replace")
    assert r.code == 0, r.err
    assert [c.split()[0] for c in arm.arm.calls() if c.startswith(("PUT", "DELETE")) and "/operations/" not in c] == [
        "DELETE", "PUT"]
    assert arm.arm.templates[KEY]["properties"]["provisioningState"] == "Succeeded"


def test_deploy_replace_is_refused_while_a_build_runs(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE, running=True)
    write_template(cloud.work, _changed(buildTimeoutInMinutes=120))
    r = cloud("deploy", "ubuntu.json", *G, *FAST, "--replace")
    assert r.code == 2
    assert "a build is running" in r.err and "aibgen cancel -g img-rg -n ubuntu-golden" in r.err
    assert arm.arm.calls("DELETE") == []


def test_deploy_refuses_a_template_with_error_findings_before_any_request(cloud, arm):
    doc = copy.deepcopy(TEMPLATE)
    doc["properties"]["customize"][0]["type"] = "PowerShell"  # Windows-only on a Linux image
    write_template(cloud.work, doc)
    r = cloud("deploy", "ubuntu.json", *G)
    assert r.code == 1
    assert "nothing was sent to Azure" in r.err and "AIB3" in r.err
    assert arm.arm.requests == []


def test_deploy_dry_run_of_a_new_template_prints_the_put_and_only_reads(cloud, arm):
    write_template(cloud.work)
    r = cloud("deploy", "ubuntu.json", *G, "--dry-run")
    assert r.code == 0, r.err
    first, rest = r.out.split("\n", 1)
    assert first == f"PUT {arm.url}{PATH}?api-version=2024-02-01"
    sent = json.loads(rest)
    assert list(sent) == ["location", "identity", "properties"]
    assert arm.arm.calls() == [f"GET {PATH}"] and arm.arm.templates == {}


def test_deploy_dry_run_of_an_unchanged_template_sends_nothing(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work)
    r = cloud("deploy", "ubuntu.json", *G, "--dry-run")
    assert (r.code, r.out) == (0, ""), r.err
    assert r.err.strip() == f"unchanged: {PATH} already matches ubuntu.json; nothing would be sent"
    assert arm.arm.calls() == [f"GET {PATH}"]


def test_deploy_dry_run_of_a_changed_template_refuses_as_deploy_would(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work, _changed(buildTimeoutInMinutes=120))
    r = cloud("deploy", "ubuntu.json", *G, "--dry-run")
    assert (r.code, r.out) == (2, "")
    assert "Azure cannot update an image template; --replace deletes and recreates it" in r.err


def test_deploy_dry_run_with_replace_prints_the_delete_and_the_put(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work, _changed(buildTimeoutInMinutes=120))
    r = cloud("deploy", "ubuntu.json", *G, "--dry-run", "--replace")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[:2] == [f"DELETE {arm.url}{PATH}?api-version=2024-02-01", f"PUT {arm.url}{PATH}?api-version=2024-02-01"]
    assert json.loads("\n".join(lines[2:]))["properties"]["buildTimeoutInMinutes"] == 120
    assert arm.arm.calls() == [f"GET {PATH}"]
    assert arm.arm.templates[KEY]["properties"]["buildTimeoutInMinutes"] == 0  # untouched


def test_deploy_dry_run_without_a_subscription_prints_the_put_unread(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work, _changed(buildTimeoutInMinutes=120))
    r = cloud("deploy", "ubuntu.json", *G, "--dry-run", env={"AZURE_SUBSCRIPTION_ID": ""})
    assert r.code == 0, r.err
    assert r.out.startswith("PUT https://") and "/subscriptions/{subscriptionId}/" in r.out.splitlines()[0]
    assert r.err.strip() == ("note: no subscription (--subscription or AZURE_SUBSCRIPTION_ID), so nothing deployed "
                             "was read; the requests are those for a new template")
    assert arm.arm.requests == []


@pytest.mark.parametrize("az", [None, "#!/bin/sh\necho '[]'\n"])  # no az at all; an az that answers nonsense
def test_deploy_dry_run_with_a_credential_that_fails_fails_as_deploy_would(cloud, arm, tmp_path, az):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work)
    env = {"PATH": "/nonexistent"}
    if az:
        bindir = tmp_path / "broken-bin"
        bindir.mkdir()
        (bindir / "az").write_text(az)
        (bindir / "az").chmod(0o755)
        env["PATH"] = f"{bindir}:/usr/bin:/bin"
    for args in (["--dry-run"], []):
        r = cloud("deploy", "ubuntu.json", *G, *args, env=env)
        assert (r.code, r.out) == (2, "")
        assert r.err.startswith("error: no Azure credentials: run 'az login'") and len(r.err.strip().splitlines()) == 1
    assert arm.arm.requests == []


def test_a_bad_token_credentials_setting_is_one_line(cloud, arm):
    r = cloud("status", *G, *N, env={"AZURE_TOKEN_CREDENTIALS": "bogus"})
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("error: cannot set up the Azure credential: ") and "AZURE_TOKEN_CREDENTIALS" in r.err
    assert len(r.err.strip().splitlines()) == 1 and arm.arm.requests == []


def test_an_identity_change_is_a_difference(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    doc = copy.deepcopy(TEMPLATE)
    (old,) = doc["identity"]["userAssignedIdentities"]
    doc["identity"]["userAssignedIdentities"] = {old.replace("/aib", "/someone-else"): {}}
    write_template(cloud.work, doc)
    r = cloud("diff", "ubuntu.json", *G, "--format", "json")
    assert r.code == 1, r.err
    pointers = [d["pointer"] for d in json.loads(r.out)["differences"]]
    assert len(pointers) == 2 and all(p.startswith("/identity/userAssignedIdentities/") for p in pointers)


def test_deploy_takes_the_name_from_n_over_the_file(cloud, arm):
    write_template(cloud.work)
    r = cloud("deploy", "ubuntu.json", *G, "-n", "other", *FAST)
    assert r.code == 0, r.err
    assert ("img-rg", "other") in arm.arm.templates


# --- diff ----------------------------------------------------------------------------------
def test_diff_ignores_read_only_and_server_filled_members(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE, running=True)  # adds lastRunStatus, provisioningState, vmProfile defaults, principal ids
    write_template(cloud.work)
    r = cloud("diff", "ubuntu.json", *G, *N)
    assert (r.code, r.out) == (0, ""), r.err
    assert r.err.strip() == f"{PATH}: same as the file"


def test_diff_lists_each_difference_and_exits_1(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    doc = _changed(buildTimeoutInMinutes=90)
    doc["properties"]["customize"].append({"type": "Shell", "name": "more", "inline": ["echo hi"]})
    write_template(cloud.work, doc)
    r = cloud("diff", "ubuntu.json", *G, *N)
    assert r.code == 1
    assert r.out.splitlines() == ['+ /properties/customize/1: {"inline": ["echo hi"], "name": "more", "type": "Shell"}',
                                  "~ /properties/buildTimeoutInMinutes: 0 -> 90"]


def test_diff_json(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    write_template(cloud.work, _changed(buildTimeoutInMinutes=90))
    r = cloud("diff", "ubuntu.json", *G, *N, "--format", "json")
    assert r.code == 1
    assert json.loads(r.out) == {"id": PATH, "same": False, "differences": [
        {"pointer": "/properties/buildTimeoutInMinutes", "deployed": 0, "local": 90}]}


# --- status and outputs ----------------------------------------------------------------------
def test_status_text_of_a_running_build(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.tick = 0
    r = cloud("status", *G, *N)
    assert r.code == 0, r.err
    assert r.out.splitlines() == [f"template     {PATH}", "provisioning Succeeded", "run state    Running",
                                  "run substate Queued", "started      2026-01-05T10:00:00.0000000Z"]


def test_status_json(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.advance(130)
    r = cloud("status", *G, *N, "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out) == {"id": PATH, "provisioningState": "Succeeded", "lastRunStatus": {
        "startTime": "2026-01-05T10:00:00.0000000Z", "runState": "Running", "runSubState": "Customizing", "message": ""}}


def test_status_of_a_template_that_does_not_exist(cloud, arm):
    r = cloud("status", *G, "-n", "nope")
    assert r.code == 2
    nope = PATH.replace("ubuntu-golden", "nope")
    assert re.fullmatch(f"error: GET {nope}: 404 ResourceNotFound: no image template 'nope' in resource group 'img-rg'; "
                        r"'aibgen deploy' creates it \(request id req-\d{4}\)", r.err.strip()), r.err


def test_outputs_after_a_build(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.advance(3600)
    text = cloud("outputs", *G, *N)
    assert (text.code, text.out) == (0, "ubuntu-vhd  https://stg.blob.core.windows.net/vhds/ubuntu-vhd.vhd\n")
    data = cloud("outputs", *G, *N, "--format", "json")
    assert json.loads(data.out) == [{"name": "ubuntu-vhd", "provisioningState": "Succeeded",
                                     "artifactUri": "https://stg.blob.core.windows.net/vhds/ubuntu-vhd.vhd"}]


def test_outputs_before_any_build(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("outputs", *G, *N)
    assert (r.code, r.out) == (0, "")
    assert "no successful build yet" in r.err


# --- Azure's errors ----------------------------------------------------------------------------
def test_authorization_failure_is_one_line_with_operation_resource_and_request_id(cloud, arm):
    arm.arm.fail("GET", "imageTemplates/ubuntu-golden$", 403, "AuthorizationFailed",
                 "The client 'me' does not have authorization to perform action 'read'.\nTrace: x")
    r = cloud("status", *G, *N)
    assert r.code == 2
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.err
    assert lines[0].startswith(f"error: GET {PATH}: 403 AuthorizationFailed: The client 'me' does not have "
                               "authorization to perform action 'read'. Trace: x; your identity lacks a role")
    assert lines[0].endswith(")") and "(request id req-" in lines[0]


def test_throttling_is_retried_after_the_time_azure_asks(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("GET", "imageTemplates/ubuntu-golden$", 429, "TooManyRequests", "slow down", **{"Retry-After": "1"})
    r = cloud("status", *G, *N)
    assert r.code == 0, r.err
    assert arm.arm.calls("GET") == [f"GET {PATH}"] * 2


def test_a_transient_server_error_is_retried(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("GET", "imageTemplates/ubuntu-golden$", 500, "InternalServerError", "try again")
    r = cloud("status", *G, *N)
    assert r.code == 0, r.err
    assert len(arm.arm.calls("GET")) == 2


def test_conflict_on_create_names_the_operation(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("GET", "imageTemplates/ubuntu-golden$", 404, "ResourceNotFound", "not found")  # as if created meanwhile
    write_template(cloud.work)
    r = cloud("deploy", "ubuntu.json", *G, *FAST)
    assert r.code == 2
    assert f"error: PUT {PATH}: 409 Conflict: Update/Upgrade of image templates is currently not supported." in r.err


def test_unknown_subscription(cloud, arm):
    other = "99999999-2222-3333-4444-555555555555"
    r = cloud("status", *G, *N, "--subscription", other)
    assert r.code == 2
    assert f"404 SubscriptionNotFound: The subscription '{other}' could not be found." in r.err


def test_subscription_from_the_azure_cli_profile(cloud, arm, cloud_env):
    profile = {"subscriptions": [{"id": "99999999-0000-0000-0000-000000000000", "isDefault": False},
                                 {"id": SUBSCRIPTION.upper(), "isDefault": True}]}
    folder = cloud.work.parent / "azure"
    folder.mkdir()
    (folder / "azureProfile.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(profile).encode())
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("status", *G, *N, env={"AZURE_SUBSCRIPTION_ID": ""})
    assert r.code == 0, r.err
    assert arm.arm.calls("GET") == [f"GET {PATH}"]
    assert (folder / "azureProfile.json").read_bytes().startswith(b"\xef\xbb\xbf")  # read, never written


def test_no_credentials_sends_no_request(cloud, arm, cloud_env):
    r = cloud("status", *G, *N, env={"PATH": "/nonexistent"})
    assert r.code == 2
    assert r.err.startswith("error: no Azure credentials: run 'az login'") and len(r.err.strip().splitlines()) == 1
    assert arm.arm.requests == []


# --- the SDK stays out of the other commands ---------------------------------------------------------
_PROBE = """
import sys
from aibgen.cli import main
try:
    main(sys.argv[1:], prog_name="aibgen")
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m.split(".")[0] == "azure" or m.startswith("aibgen.cloud")))
"""


def test_help_validate_and_new_never_import_the_sdk(tmp_path):
    write_template(tmp_path)
    for args in (["--help"], ["validate", "ubuntu.json"], ["status", "--help"],
                 ["new", "-p", "ubuntu-gen2-vhd", "--example-values", "--no-input", "-o", "-"]):
        proc = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=tmp_path, capture_output=True, text=True)
        assert proc.stdout.splitlines()[-1] == "[]", (args, proc.stderr[-300:])


def test_without_the_azure_extra_the_command_names_the_install(tmp_path, cloud_env):
    blocked = ("import sys; sys.modules['azure'] = None  # as if the extra were not installed\n"
               "from aibgen.cli import main; main(sys.argv[1:], prog_name='aibgen')")
    proc = subprocess.run([sys.executable, "-c", blocked, "status", *G, *N], cwd=tmp_path, env=cloud_env,
                          capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith("error: this command needs the Azure SDK (azure")
    assert proc.stderr.strip().endswith("is not installed): pip install 'aibgen[azure]'")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_template_azure_fails_to_provision(cloud, arm):
    arm.arm.provision_error = ("InvalidParameter", "The source image was not found.")
    write_template(cloud.work)
    r = cloud("deploy", "ubuntu.json", *G, *FAST)
    assert r.code == 2
    assert r.err.startswith(f"error: PUT {PATH}: failed InvalidParameter: The source image was not found. (request id ")
    assert len(r.err.strip().splitlines()) == 1

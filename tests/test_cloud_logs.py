"""``aibgen logs`` against the fake ARM and Azurite: staging group → storage account → customization.log."""
from __future__ import annotations

import time

import pytest

from conftest import read_terminal
from fakearm import SUBSCRIPTION
from fakearm_fixtures import TEMPLATE, arm, cloud, cloud_env, test_ca  # noqa: F401 (fixtures)
from fakearm_storage import azurite, clear, put_blob  # noqa: F401 (fixtures)

G, N = ["-g", "img-rg"], ["-n", "ubuntu-golden"]
KEY = ("img-rg", "ubuntu-golden")
STAGING = "IT_img-rg_ubuntu-golden_5f2a"
LOG = b"".join(b"line %d\n" % i for i in range(1, 101))


@pytest.fixture(autouse=True)
def empty_logs(request):
    if "azurite" in request.fixturenames:
        clear(request.getfixturevalue("azurite"), request.getfixturevalue("test_ca")[1], "packerlogs")


def _deployed(arm, azurite, test_ca, run: str, message: str = "") -> None:
    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.builds[KEY].outcome, arm.arm.builds[KEY].message = ("Failed", message) if message else ("Succeeded", "")
    arm.arm.advance(3600)
    arm.arm.storage[STAGING.lower()] = azurite
    put_blob(azurite, test_ca[1], "packerlogs", f"{run}/customization.log", LOG)


def test_logs_prints_the_log_the_failure_message_names(cloud, arm, azurite, test_ca):
    _deployed(arm, azurite, test_ca, "run-failed", "External error: see https://x.blob.core.windows.net/"
                                                   "packerlogs/run-failed/customization.log")
    put_blob(azurite, test_ca[1], "packerlogs", "zz-other/customization.log", b"not this one\n")
    r = cloud("logs", *G, *N)
    assert r.code == 0, r.err
    assert r.out.encode() == LOG
    assert f"GET /subscriptions/{SUBSCRIPTION}/resourceGroups/{STAGING}/providers/Microsoft.Storage/storageAccounts" \
        in arm.arm.calls("GET")


def test_logs_tail_into_a_file(cloud, arm, azurite, test_ca):
    _deployed(arm, azurite, test_ca, "run-tail", "packerlogs/run-tail/customization.log")
    r = cloud("logs", *G, *N, "--tail", "2", "-o", "build.log")
    assert (r.code, r.out) == (0, ""), r.err
    assert (cloud.work / "build.log").read_bytes() == b"line 99\nline 100\n"
    assert "wrote build.log (run run-tail, storage account stagingaccount)" in r.err


def test_logs_of_a_successful_build_takes_the_newest_run(cloud, arm, azurite, test_ca):
    _deployed(arm, azurite, test_ca, "aaa-older")
    time.sleep(1.1)  # blob times have whole seconds
    put_blob(azurite, test_ca[1], "packerlogs", "newest/customization.log", b"the newest\n")
    r = cloud("logs", *G, *N)
    assert (r.code, r.out) == (0, "the newest\n"), r.err


def test_a_refused_download_names_the_role_and_the_account(cloud, arm, azurite, test_ca):
    _deployed(arm, azurite, test_ca, "run-denied", "packerlogs/run-denied/customization.log")
    r = cloud("logs", *G, *N, env={"FAKE_AZ_STORAGE_AUDIENCE": "https://vault.azure.net"})
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(f"error: cannot read {azurite}/packerlogs/run-denied/customization.log: ")
    assert "grant your identity 'Storage Blob Data Reader' on storage account stagingaccount (" in r.err
    assert len(r.err.strip().splitlines()) == 1


def test_logs_before_any_build(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("logs", *G, *N)
    assert r.code == 2
    assert "no storage account in the staging resource group 'IT_img-rg_ubuntu-golden_5f2a'" in r.err


# --- build --upload-scripts ------------------------------------------------------------------------
PROFILE = """description: a profile with a local script
extends: linux-base
source:
  use: platform-image
  with: {publisher: Canonical, offer: o, sku: s}
customize:
  - use: shell
    name: setup
    script: setup.sh
    with: {scriptUri: "https://example.invalid/setup.sh"}
distribute:
  - use: vhd
"""
SCRIPT = b"#!/bin/sh\necho setting up\n"


def _catalog(cloud) -> list[str]:
    folder = cloud.work / "cat"
    folder.mkdir()
    (folder / "p.yaml").write_text(PROFILE, encoding="utf-8")
    (folder / "setup.sh").write_bytes(SCRIPT)
    return ["build", "-p", "p", "--catalog", "cat", "--example-values", *G, "--poll-interval", "0.01"]


def test_build_uploads_local_scripts_once_and_points_the_step_at_them(cloud, arm, azurite, test_ca):
    import hashlib

    from fakearm_storage import blob_bytes

    clear(azurite, test_ca[1], "scripts")
    put_blob(azurite, test_ca[1], "scripts", "keep", b"")  # the container exists
    args = _catalog(cloud) + ["--upload-scripts", f"{azurite}/scripts"]
    sha = hashlib.sha256(SCRIPT).hexdigest()
    url = f"{azurite}/scripts/{sha}/setup.sh"
    first = cloud(*args)
    assert first.code == 0, first.err
    assert f"uploaded: {url}" in first.err
    assert f"the template's identity needs 'Storage Blob Data Reader' on {azurite}/scripts" in first.err
    step = next(iter(arm.arm.templates.values()))["properties"]["customize"][0]
    assert (step["scriptUri"], step["sha256Checksum"]) == (url, sha)
    assert blob_bytes(azurite, test_ca[1], "scripts", f"{sha}/setup.sh") == SCRIPT
    again = cloud(*args)
    assert again.code == 0, again.err
    assert f"already there: {url}" in again.err and "unchanged:" in again.err


def test_upload_to_a_container_that_does_not_exist(cloud, arm, azurite, test_ca):
    r = cloud(*_catalog(cloud), "--upload-scripts", f"{azurite}/nosuchcontainer")
    assert r.code == 2
    assert r.err.strip() == (f"error: {azurite}/nosuchcontainer: no such container in storage account devstoreaccount1; "
                             "create it first (az storage container create --account-name devstoreaccount1 "
                             "-n nosuchcontainer --auth-mode login)")
    assert arm.arm.requests == []


def test_follow_prints_the_log_as_it_grows_until_the_build_ends(cloud_env, arm, azurite, test_ca, tmp_path):
    import subprocess
    import sys

    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.tick = 0  # the build runs until the test moves the clock
    arm.arm.storage[STAGING.lower()] = azurite
    put_blob(azurite, test_ca[1], "packerlogs", "run-live/customization.log", b"step 1\n")
    proc = subprocess.Popen([sys.executable, "-m", "aibgen", "logs", *G, *N, "--follow", "--poll-interval", "0.05"],
                            cwd=tmp_path, env=cloud_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"step 1\n"
        put_blob(azurite, test_ca[1], "packerlogs", "run-live/customization.log", b"step 1\nstep 2\n")
        arm.arm.advance(3600)  # the build ends
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, out) == (0, b"step 2\n"), err
    assert err.decode().strip().endswith("build Succeeded: " + arm.arm.templates[KEY]["id"])


def test_without_a_named_staging_group_the_convention_finds_it(cloud, arm, azurite, test_ca):
    arm.arm.name_staging = False
    # more groups than one page holds; IT_img-rg_ubuntu-golden_v2_* is the staging group of template ubuntu-golden_v2
    for other in ("a-rg", "it_img-rg_other_1", "IT_img-rg_ubuntu-golden_v2_77aa", "zz-rg"):
        arm.arm.storage[other] = "https://127.0.0.1:9/unused"
    _deployed(arm, azurite, test_ca, "run-old", "packerlogs/run-old/customization.log")
    assert "exactStagingResourceGroup" not in arm.arm.templates[KEY]["properties"]
    r = cloud("logs", *G, *N)
    assert (r.code, r.out.encode()) == (0, LOG), r.err
    assert len([c for c in arm.arm.calls("GET") if c.endswith("/resourcegroups")]) == 3


def test_a_file_step_gets_its_source_uri_from_the_upload(cloud, arm, azurite, test_ca):
    import hashlib

    from fakearm_storage import blob_bytes

    clear(azurite, test_ca[1], "scripts")
    put_blob(azurite, test_ca[1], "scripts", "keep", b"")
    folder = cloud.work / "cat"
    folder.mkdir()
    (folder / "p.yaml").write_text(PROFILE.replace(
        "  - use: shell\n    name: setup\n    script: setup.sh\n    with: {scriptUri: \"https://example.invalid/setup.sh\"}\n",
        "  - use: file\n    name: motd\n    script: motd.txt\n    with: {sourceUri: \"https://example.invalid/m\", "
        "destination: /tmp/motd}\n"), encoding="utf-8")
    (folder / "motd.txt").write_bytes(b"welcome\n")
    r = cloud("build", "-p", "p", "--catalog", "cat", "--example-values", *G, "--poll-interval", "0.01",
              "--upload-scripts", f"{azurite}/scripts")
    assert r.code == 0, r.err
    sha = hashlib.sha256(b"welcome\n").hexdigest()
    step = next(iter(arm.arm.templates.values()))["properties"]["customize"][0]
    assert step == {"type": "File", "name": "motd", "sourceUri": f"{azurite}/scripts/{sha}/motd.txt",
                    "sha256Checksum": sha, "destination": "/tmp/motd"}
    assert blob_bytes(azurite, test_ca[1], "scripts", f"{sha}/motd.txt") == b"welcome\n"


def test_build_dry_run_with_uploads_prints_the_blobs_and_sends_nothing_to_storage(cloud, arm):
    import hashlib
    import json

    sha = hashlib.sha256(SCRIPT).hexdigest()
    account = "https://127.0.0.1:9/devstoreaccount1"  # a closed port: any request would fail the command
    r = cloud(*_catalog(cloud), "--upload-scripts", f"{account}/scripts", "--dry-run")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == f"PUT {account}/scripts/{sha}/setup.sh"
    assert lines[1].startswith("PUT ") and lines[-1].startswith("POST ")
    sent = json.loads("\n".join(lines[2:-1]))
    assert sent["properties"]["customize"][0]["scriptUri"] == f"{account}/scripts/{sha}/setup.sh"
    assert [c.split()[0] for c in arm.arm.calls()] == ["GET"]


def test_a_staging_group_the_template_names_is_used(cloud, arm, azurite, test_ca):
    doc = {**TEMPLATE, "properties": {**TEMPLATE["properties"],
                                      "stagingResourceGroup": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/my-staging"}}
    arm.arm.name_staging = False
    arm.arm.add(*KEY, doc, running=True)
    arm.arm.advance(3600)
    arm.arm.storage["my-staging"] = azurite
    put_blob(azurite, test_ca[1], "packerlogs", "run-mine/customization.log", LOG)
    r = cloud("logs", *G, *N)
    assert (r.code, r.out.encode()) == (0, LOG), r.err
    assert not [c for c in arm.arm.calls("GET") if c.endswith("/resourcegroups")]  # no search by convention


@pytest.mark.parametrize("cloud_name, blob_host, arm_host", [
    ("AzureCloud", "core.windows.net", "management.azure.com"),
    ("AzureUSGovernment", "core.usgovcloudapi.net", "management.usgovcloudapi.net"),
    ("AzureChinaCloud", "core.chinacloudapi.cn", "management.chinacloudapi.cn")])
def test_each_cloud_has_its_own_storage_and_resource_manager_hosts(cloud, arm, cloud_name, blob_host, arm_host):
    import hashlib

    sha = hashlib.sha256(SCRIPT).hexdigest()
    # no subscription (and no credential), so the dry run reads nothing and no request leaves the machine
    r = cloud(*_catalog(cloud), "--upload-scripts", "imgscripts/scripts", "--dry-run", "--cloud", cloud_name,
              env={"AIBGEN_ARM_ENDPOINT": "", "AZURE_SUBSCRIPTION_ID": "", "PATH": "/nonexistent"})
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == f"PUT https://imgscripts.blob.{blob_host}/scripts/{sha}/setup.sh"
    assert lines[1].startswith(f"PUT https://{arm_host}/subscriptions/")
    assert arm.arm.requests == []


def test_the_services_tags_tell_which_staging_group_is_the_templates(cloud, arm, azurite, test_ca):
    arm.arm.name_staging = False
    arm.arm.storage["it_img-rg_ubuntu-golden_9999"] = "https://127.0.0.1:9/unused"  # another template's, by its tags
    arm.arm.group_tags["it_img-rg_ubuntu-golden_9999"] = {"imageTemplateName": "golden",
                                                         "imageTemplateResourceGroupName": "img-rg_ubuntu"}
    arm.arm.group_tags[STAGING.lower()] = {"imageTemplateName": "ubuntu-golden", "imageTemplateResourceGroupName": "IMG-RG"}
    _deployed(arm, azurite, test_ca, "run-old", "packerlogs/run-old/customization.log")
    r = cloud("logs", *G, *N)
    assert (r.code, r.out.encode()) == (0, LOG), r.err


def test_two_staging_groups_by_name_ask_for_staging_group(cloud, arm, azurite, test_ca):
    arm.arm.name_staging = False
    arm.arm.storage["it_img-rg_ubuntu-golden_9999"] = "https://127.0.0.1:9/unused"
    _deployed(arm, azurite, test_ca, "run-old", "packerlogs/run-old/customization.log")
    r = cloud("logs", *G, *N)
    assert r.code == 2
    assert r.err.strip().endswith("more than one resource group is named IT_img-rg_ubuntu-golden_* (or name the "
                                  "staging group with --staging-group NAME)")
    r = cloud("logs", *G, *N, "--staging-group", STAGING)
    assert (r.code, r.out.encode()) == (0, LOG), r.err


def test_a_log_in_a_nested_folder_is_not_a_run(cloud, arm, azurite, test_ca):
    _deployed(arm, azurite, test_ca, "run-1")
    time.sleep(1.1)  # blob times have whole seconds: the nested one is newer
    put_blob(azurite, test_ca[1], "packerlogs", "run-2/sub/customization.log", b"nested\n")
    r = cloud("logs", *G, *N)
    assert (r.code, r.out.encode()) == (0, LOG), r.err


HOSTILE = b"\x1b[32mok\x1b[0m\tdone\r\n\x1b]0;pwned\x07title\x1b[2Jclear\rover\n"


def test_on_a_terminal_a_log_keeps_its_colours_and_nothing_else(cloud_env, arm, azurite, test_ca, tmp_path):
    import os
    import pty
    import subprocess
    import sys

    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.advance(3600)
    arm.arm.storage[STAGING.lower()] = azurite
    put_blob(azurite, test_ca[1], "packerlogs", "run-tty/customization.log", HOSTILE)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "aibgen", "logs", *G, *N], cwd=tmp_path, env=cloud_env,
                            stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    seen = read_terminal(master)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    os.close(master)
    kept = b"\x1b[32mok\x1b[0m\tdone\r\n\\x1b]0;pwned\\x07title\\x1b[2Jclear\\rover\n"
    assert seen == kept.replace(b"\n", b"\r\n")  # the terminal turns each newline into CR LF


def test_into_a_pipe_a_log_is_its_exact_bytes(cloud_env, arm, azurite, test_ca, tmp_path):
    import subprocess
    import sys

    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.advance(3600)
    arm.arm.storage[STAGING.lower()] = azurite
    put_blob(azurite, test_ca[1], "packerlogs", "run-tty/customization.log", HOSTILE)
    proc = subprocess.run([sys.executable, "-m", "aibgen", "logs", *G, *N], cwd=tmp_path, env=cloud_env,
                          capture_output=True)
    assert (proc.returncode, proc.stdout) == (0, HOSTILE), proc.stderr

"""``aibgen run`` and ``cancel`` against the fake ARM: progress, outcome, exit codes, Ctrl-C.

The fake server's build moves one stage per read of the template (``tick``), so a test knows
exactly which states the CLI sees; with ``tick = 0`` the build stays where it is.
"""
from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys

import pytest

from conftest import read_terminal
from fakearm import SUBSCRIPTION
from fakearm_fixtures import TEMPLATE, arm, cloud, cloud_env, test_ca  # noqa: F401 (fixtures)

G, N = ["-g", "img-rg"], ["-n", "ubuntu-golden"]
FAST = ["--poll-interval", "0.01"]
KEY = ("img-rg", "ubuntu-golden")
PATH = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/img-rg/providers/Microsoft.VirtualMachineImages/imageTemplates/ubuntu-golden"
STATES = ["Running (Queued)", "Running (Building)", "Running (Customizing)", "Running (Validating)",
          "Running (Distributing)"]


def _states(err: str) -> list[str]:
    return [line.split("] ", 1)[1] for line in err.splitlines() if line.startswith("[")]


def test_run_wait_shows_each_state_then_the_outputs(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("run", *G, *N, "--wait", *FAST)
    assert r.code == 0, r.err
    assert _states(r.err) == STATES + ["Succeeded"]
    assert r.out == "ubuntu-vhd  https://stg.blob.core.windows.net/vhds/ubuntu-vhd.vhd\n"
    assert r.err.splitlines()[-2:] == ["log: 'aibgen logs -g img-rg -n ubuntu-golden' prints it",  # no staging account
                                       f"build succeeded: {PATH}"]
    assert arm.arm.calls("POST") == [f"POST {PATH}/run"]


@pytest.mark.parametrize("outcome", ["Failed", "Canceled", "PartiallySucceeded"])
def test_run_wait_exits_1_unless_the_build_succeeded(cloud, arm, outcome):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.outcome = (outcome, "External error: customization failed; see packerlogs/abc/customization.log")
    arm.arm.storage["it_img-rg_ubuntu-golden_5f2a"] = "https://stgaib.blob.core.windows.net/"
    r = cloud("run", *G, *N, "--wait", *FAST)
    assert r.code == 1
    assert _states(r.err)[-1] == outcome
    assert "message: External error: customization failed; see packerlogs/abc/customization.log" in r.err
    assert r.err.splitlines()[-2:] == [
        "log: https://stgaib.blob.core.windows.net/packerlogs/abc/customization.log ('aibgen logs -g img-rg "
        "-n ubuntu-golden' prints it; it needs Storage Blob Data Reader)", f"build {outcome}: {PATH}"]


def test_run_wait_after_an_earlier_build_follows_the_new_one(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.advance(3600)  # the earlier build has succeeded
    r = cloud("run", *G, *N, "--wait", *FAST)
    assert r.code == 0, r.err
    assert _states(r.err) == STATES + ["Succeeded"]


def test_run_without_wait_starts_the_build_and_returns(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.tick = 0
    r = cloud("run", *G, *N)
    assert (r.code, r.out) == (0, "")
    assert "build started" in r.err
    assert KEY in arm.arm.builds


def test_run_while_a_build_runs_is_a_conflict(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE, running=True)
    r = cloud("run", *G, *N)
    assert r.code == 2
    assert r.err.startswith(f"error: POST run {PATH}: 409 Conflict: Cannot run the image template while a build")
    assert "(request id req-" in r.err


def test_run_dry_run_reads_the_template_and_sends_nothing(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("run", *G, *N, "--dry-run")
    assert (r.code, r.out) == (0, f"POST {arm.url}{PATH}/run?api-version=2025-10-01\n"), r.err
    assert arm.arm.calls() == [f"GET {PATH}"]


def test_run_dry_run_of_a_template_that_is_not_deployed(cloud, arm):
    r = cloud("run", *G, *N, "--dry-run")
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith(f"error: GET {PATH}: 404 ResourceNotFound: no image template 'ubuntu-golden' in resource group")


def test_cancel_asks_the_service_to_stop_the_build(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE, running=True)
    arm.arm.tick = 0
    r = cloud("cancel", *G, *N)
    assert r.code == 0, r.err
    assert arm.arm.calls("POST") == [f"POST {PATH}/cancel"]
    assert cloud("status", *G, *N).out.splitlines()[2] == "run state    Canceling"


def test_a_failed_read_while_watching_says_the_build_goes_on(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.fail("GET", "imageTemplates/ubuntu-golden$", 403, "AuthorizationFailed", "no longer allowed", times=9, skip=2)
    r = cloud("run", *G, *N, "--wait", *FAST)
    assert r.code == 2
    last = r.err.strip().splitlines()[-1]
    assert last.startswith(f"error: GET {PATH}: 403 AuthorizationFailed: no longer allowed")
    assert last.endswith("stopped watching, the build goes on in Azure ('aibgen status -g img-rg -n ubuntu-golden' "
                         "shows it)")
    assert arm.arm.calls("POST") == [f"POST {PATH}/run"]


def test_cancel_without_a_running_build(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("cancel", *G, *N)
    assert r.code == 2
    assert "no build is running (last run: none); nothing to cancel" in r.err
    assert arm.arm.calls("POST") == []


def _start(cloud_env, cwd, args, **kw):
    return subprocess.Popen([sys.executable, "-m", "aibgen", *args], cwd=cwd, env=cloud_env, **kw)


def test_ctrl_c_in_ci_stops_waiting_and_leaves_the_build_running(cloud_env, arm, tmp_path):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.tick = 0
    proc = _start(cloud_env, tmp_path, ["run", *G, *N, "--wait", *FAST], stdin=subprocess.DEVNULL,
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = proc.stderr.readline()
    assert seen.endswith("] Running (Queued)\n")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.strip() == "stopped waiting; the build goes on in Azure ('aibgen cancel -g img-rg -n ubuntu-golden' stops it)"
    assert arm.arm.calls("POST") == [f"POST {PATH}/run"]


def test_on_a_terminal_the_status_line_is_rewritten_and_ctrl_c_offers_to_cancel(cloud_env, arm, tmp_path):
    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.tick = 0
    master, slave = pty.openpty()
    proc = _start(cloud_env, tmp_path, ["run", *G, *N, "--wait", *FAST], stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    try:
        shown = read_terminal(master, b"Running (Queued)")
        assert b"\r\x1b[2K[0:00:00] Running (Queued)" in shown
        proc.send_signal(signal.SIGINT)
        assert b"cancel the build in Azure? [y/N]" in read_terminal(master, b"[y/N]")
        os.write(master, b"y\n")
        rest = read_terminal(master, b"cancel requested")
        assert proc.wait(timeout=60) == 130
    finally:
        os.close(master)
    assert b"cancel requested for " in rest
    assert arm.arm.calls("POST") == [f"POST {PATH}/run", f"POST {PATH}/cancel"]


def test_ctrl_c_again_at_the_question_leaves_the_build_and_a_clean_line(cloud_env, arm, tmp_path):
    import termios

    arm.arm.add(*KEY, TEMPLATE)
    arm.arm.tick = 0
    master, slave = pty.openpty()
    modes = termios.tcgetattr(slave)
    proc = _start(cloud_env, tmp_path, ["run", *G, *N, "--wait", *FAST], stdin=slave, stdout=slave, stderr=slave)
    try:
        read_terminal(master, b"Running (Queued)")
        proc.send_signal(signal.SIGINT)
        read_terminal(master, b"[y/N]")
        rest = b""
        for _ in range(20):  # as a person would: again if the first press lands before the read begins
            proc.send_signal(signal.SIGINT)
            rest += read_terminal(master, b"stops it)", timeout=3)
            if b"stops it)" in rest:
                break
        assert proc.wait(timeout=60) == 130
        assert termios.tcgetattr(slave) == modes  # the terminal is left as it was found
    finally:
        os.close(slave)
        os.close(master)
    assert rest.replace(b"\r\n", b"\n").lstrip(b" ").startswith(b"\nstopped waiting; the build goes on in Azure")
    assert arm.arm.calls("POST") == [f"POST {PATH}/run"]


# --- build: profile to image ---------------------------------------------------------------------
BUILT = PATH.replace("ubuntu-golden", "ubuntu-gen2-vhd")


def test_build_goes_from_profile_to_the_artifact(cloud, arm):
    r = cloud("build", "-p", "ubuntu-gen2-vhd", "--example-values", *G, *FAST)
    assert r.code == 0, r.err
    assert f"created {BUILT} (provisioning Succeeded)" in r.err
    assert _states(r.err) == STATES + ["Succeeded"]
    name, uri = r.out.split()
    assert uri.startswith("https://") and uri.endswith(f"/{name}.vhd")
    assert arm.arm.templates[("img-rg", "ubuntu-gen2-vhd")]["properties"]["source"]["offer"] == "ubuntu-24_04-lts"


def test_build_again_reuses_the_same_template(cloud, arm):
    assert cloud("build", "-p", "ubuntu-gen2-vhd", "--example-values", *G, *FAST).code == 0
    r = cloud("build", "-p", "ubuntu-gen2-vhd", "--example-values", *G, *FAST)
    assert r.code == 0, r.err
    assert f"unchanged: {BUILT} already matches profile ubuntu-gen2-vhd" in r.err
    assert len(arm.arm.calls("PUT")) == 1 and len(arm.arm.calls("POST")) == 2


def test_build_dry_run_prints_both_requests(cloud, arm):
    r = cloud("build", "-p", "ubuntu-gen2-vhd", "--example-values", *G, "--dry-run")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith(f"PUT {arm.url}{BUILT}?api-version=")
    assert lines[-1] == f"POST {arm.url}{BUILT}/run?api-version=2025-10-01"
    assert arm.arm.calls() == [f"GET {BUILT}"]


def test_build_dry_run_of_a_deployed_template_prints_only_the_run(cloud, arm):
    assert cloud("build", "-p", "ubuntu-gen2-vhd", "--example-values", *G, "--poll-interval", "0.01").code == 0
    before = len(arm.arm.requests)
    r = cloud("build", "-p", "ubuntu-gen2-vhd", "--example-values", *G, "--dry-run")
    assert (r.code, r.out) == (0, f"POST {arm.url}{BUILT}/run?api-version=2025-10-01\n"), r.err
    assert "already matches profile ubuntu-gen2-vhd; nothing would be sent" in r.err
    assert arm.arm.calls()[before:] == [f"GET {BUILT}"]


def test_build_stops_at_a_missing_parameter_before_any_request(cloud, arm):
    r = cloud("build", "-p", "ubuntu-gen2-vhd", *G)
    assert r.code == 2
    assert "identity" in r.err and arm.arm.requests == []


@pytest.mark.parametrize("cloud_name, host", [("AzureUSGovernment", "management.usgovcloudapi.net"),
                                              ("AzureChinaCloud", "management.chinacloudapi.cn")])
def test_sovereign_clouds_have_their_own_resource_manager(cloud, arm, cloud_name, host):
    # no subscription (and no credential), so the dry run reads nothing and no request leaves the machine
    r = cloud("run", *G, *N, "--dry-run", "--cloud", cloud_name,
              env={"AIBGEN_ARM_ENDPOINT": "", "AZURE_SUBSCRIPTION_ID": "", "PATH": "/nonexistent"})
    unread = PATH.replace(SUBSCRIPTION, "{subscriptionId}")
    assert (r.code, r.out) == (0, f"POST https://{host}{unread}/run?api-version=2025-10-01\n"), r.err
    assert r.err.startswith("note: no subscription (--subscription or AZURE_SUBSCRIPTION_ID), so nothing deployed "
                            "was read; whether the template is deployed was not checked")

"""`aibgen new`: every built-in profile renders, byte for byte as the golden files say."""
from __future__ import annotations

import json

import pytest

from aibgen import resources
from aibgen.check.engine import check_schema

from conftest import IDENTITY, ROOT

PROFILES = sorted(p.stem for p in (ROOT / "catalog").glob("*.yaml") if "abstract: true" not in p.read_text())
GOLDEN = ROOT / "tests" / "golden"


def test_catalog_has_the_documented_profiles():
    assert set(PROFILES) >= {"ubuntu-gen2-vhd", "ubuntu-sig", "rhel-byos-sig", "win-update-sig",
                             "win2022-managed-image", "win11-avd-sig", "linux-from-sig",
                             "linux-from-managed-image", "ubuntu-private-vnet"}


@pytest.mark.parametrize("fmt", ["template", "arm"])
@pytest.mark.parametrize("profile", PROFILES)
def test_profile_renders_like_its_golden_file(aibgen, workdir, update_golden, profile, fmt):
    r = aibgen("new", "-p", profile, "--example-values", "--no-input", "--format", fmt, "-o", "out.json")
    assert r.code == 0, r.err
    text = (workdir / "out.json").read_text(encoding="utf-8")
    golden = GOLDEN / (f"{profile}.json" if fmt == "template" else f"{profile}.arm.json")
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("profile", PROFILES)
def test_golden_template_passes_its_schema(profile):
    doc = json.loads((GOLDEN / f"{profile}.json").read_text(encoding="utf-8"))
    assert check_schema(doc, doc["apiVersion"]) == []


@pytest.mark.parametrize("profile", PROFILES)
def test_arm_resource_is_the_template_with_parameters(profile):
    arm = json.loads((GOLDEN / f"{profile}.arm.json").read_text(encoding="utf-8"))
    assert arm["$schema"].endswith("deploymentTemplate.json#")
    [res] = arm["resources"]
    assert res["type"] == "Microsoft.VirtualMachineImages/imageTemplates"
    assert res["location"] == "[parameters('location')]"
    assert set(arm["parameters"]) >= {"location", "identity"}


def test_default_api_version_is_the_newest(aibgen, workdir):
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "-o", "-")
    assert r.code == 0, r.err
    assert json.loads(r.out)["apiVersion"] == resources.latest_api_version()


def test_api_version_override(aibgen):
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "--api-version", "2020-02-14", "-o", "-")
    assert r.code == 0, r.err
    assert json.loads(r.out)["apiVersion"] == "2020-02-14"


def test_property_missing_in_older_version_is_reported_at_the_profile_line(aibgen, workdir):
    r = aibgen("new", "-p", "ubuntu-sig", "--example-values", "--api-version", "2021-10-01", "-o", "x.json")
    assert r.code == 1
    assert "AIB102" in r.err and "needs apiVersion 2022-02-14" in r.err
    line = next(n for n, text in enumerate((ROOT / "catalog/ubuntu-sig.yaml").read_text().splitlines(), 1)
                if text.startswith("validate:"))
    assert f"ubuntu-sig.yaml:{line}:" in r.err
    assert not (workdir / "x.json").exists()


def test_default_output_name_is_the_template_name(aibgen, workdir):
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}")
    assert r.code == 0, r.err
    assert json.loads((workdir / "ubuntu-gen2-vhd.json").read_text())["name"] == "ubuntu-gen2-vhd"


def test_set_overrides_values_file_and_defaults(aibgen, workdir):
    (workdir / "v.yaml").write_text(f"identity: {IDENTITY}\nlocation: East US\nvmSize: Standard_D8s_v3\n")
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml", "--set", "vmSize=Standard_D4s_v3", "-o", "-")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["location"] == "eastus"
    assert doc["properties"]["vmProfile"]["vmSize"] == "Standard_D4s_v3"
    assert doc["properties"]["buildTimeoutInMinutes"] == 120


def test_region_display_name_becomes_programmatic_name(aibgen):
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "--set", "location=West US 2", "-o", "-")
    assert json.loads(r.out)["location"] == "westus2"


def test_set_value_with_template_text_comes_out_literally(aibgen):
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "--set", "vmSize={{ 7*7 }}", "-o", "-")
    assert r.code == 0, r.err
    assert json.loads(r.out)["properties"]["vmProfile"]["vmSize"] == "{{ 7*7 }}"


def test_set_value_that_would_break_json_is_escaped(aibgen):
    nasty = 'a"b\\c\nd\te'
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "--set", f"vmSize={nasty}", "-o", "-")
    assert r.code == 0, r.err
    assert json.loads(r.out)["properties"]["vmProfile"]["vmSize"] == nasty


def test_existing_file_is_replaced_only_with_force(aibgen, workdir):
    target = workdir / "t.json"
    target.write_text("old")
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "-o", "t.json")
    assert r.code == 2 and "already exists" in r.err and "--force" in r.err
    assert target.read_text() == "old"
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "-o", "t.json", "--force")
    assert r.code == 0
    assert json.loads(target.read_text())["name"] == "ubuntu-gen2-vhd"
    assert [p.name for p in workdir.iterdir()] == ["t.json"]


@pytest.mark.parametrize("seed", ["0", "1", "12345"])
def test_output_is_identical_whatever_the_hash_seed(aibgen, seed):
    runs = [aibgen("new", "-p", "win11-avd-sig", "--example-values", "--format", "arm", "-o", "-",
                   env={"PYTHONHASHSEED": s}).out for s in (seed, "999")]
    assert runs[0] == runs[1] and runs[0]


def test_output_ends_with_one_newline_and_two_space_indent(aibgen):
    out = aibgen("new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "-o", "-").out
    assert out.endswith("}\n") and not out.endswith("\n\n")
    assert out.splitlines()[1].startswith('  "type"')


def test_when_condition_includes_optional_item(aibgen):
    base = ["new", "-p", "linux-from-sig", "--example-values", "-o", "-"]
    without = json.loads(aibgen(*base).out)["properties"]["customize"]
    with_script = json.loads(aibgen(*base, "--set", "scriptUri=https://example.com/app.sh").out)["properties"]["customize"]
    assert len(with_script) == len(without) + 1
    assert with_script[-1]["scriptUri"] == "https://example.com/app.sh"


def test_shared_image_defaults_to_the_template_location(aibgen):
    doc = json.loads(aibgen("new", "-p", "win-update-sig", "--example-values", "--set", "location=eastus", "-o", "-").out)
    assert doc["properties"]["distribute"][0]["targetRegions"] == [{"name": "eastus"}]


def test_older_api_version_uses_replication_regions(aibgen):
    doc = json.loads(aibgen("new", "-p", "win-update-sig", "--example-values", "--api-version", "2022-02-14", "-o", "-").out)
    dist = doc["properties"]["distribute"][0]
    assert dist["replicationRegions"] == ["westus2"] and "targetRegions" not in dist


def test_deprovision_override_writes_the_documented_file(aibgen):
    doc = json.loads(aibgen("new", "-p", "rhel-byos-sig", "--example-values", "-o", "-").out)
    step = doc["properties"]["customize"][-1]
    assert step["type"] == "Shell" and "/tmp/DeprovisioningScript.sh" in step["inline"][0]


def test_python_dash_m_and_version(aibgen):
    r = aibgen("--version")
    assert r.code == 0 and "0.1.0" in r.out


@pytest.mark.parametrize("cmd", [[], ["new"], ["catalog"], ["catalog", "list"], ["catalog", "show"],
                                 ["catalog", "regions"], ["validate"], ["explain"], ["rules"]])
def test_every_command_has_help_with_an_example(aibgen, cmd):
    r = aibgen(*cmd, "--help")
    assert r.code == 0 and "Example" in r.out and "aibgen" in r.out


def test_catalog_list_shows_origin(aibgen):
    r = aibgen("catalog", "list")
    assert r.code == 0
    line = next(l for l in r.out.splitlines() if l.startswith("ubuntu-gen2-vhd "))
    assert "built-in" in line and "VHD" in line


def test_catalog_show_json_has_every_parameter_field(aibgen):
    r = aibgen("catalog", "show", "win-update-sig", "--format", "json")
    info = json.loads(r.out)
    names = [p["name"] for p in info["parameters"]]
    assert {"identity", "galleryImageId", "location", "name"} <= set(names)
    for p in info["parameters"]:
        assert set(p) == {"name", "type", "default", "required", "example", "help"}
    identity = next(p for p in info["parameters"] if p["name"] == "identity")
    assert identity["required"] and identity["type"] == "resource-id(userAssignedIdentity)"


def test_catalog_show_text_lists_parameters(aibgen):
    r = aibgen("catalog", "show", "win-update-sig")
    assert r.code == 0 and "identity (resource-id(userAssignedIdentity), required)" in r.out
    assert "extends: windows-base" in r.out


def test_terminal_prompts_for_missing_required_parameters(workdir):
    """On a TTY, each missing required parameter is asked for and a bad answer is asked again."""
    import os
    import pty
    import subprocess
    import sys
    import time

    master, slave = pty.openpty()
    env = dict(os.environ, NO_COLOR="1", HOME=str(workdir))
    proc = subprocess.Popen([sys.executable, "-m", "aibgen", "new", "-p", "ubuntu-gen2-vhd", "-o", "t.json"],
                            stdin=slave, stdout=slave, stderr=slave, cwd=workdir, env=env)
    os.close(slave)
    seen = b""

    def wait_for(text: bytes) -> None:
        nonlocal seen
        deadline = time.time() + 30
        while text not in seen and time.time() < deadline:
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
        assert text in seen, seen

    wait_for(b"identity (resource-id(userAssignedIdentity)):")
    os.write(master, b"not-an-id\n")
    wait_for(b"not the resource id of a user-assigned identity")
    os.write(master, IDENTITY.encode() + b"\n")
    assert proc.wait(timeout=30) == 0
    os.close(master)
    doc = json.loads((workdir / "t.json").read_text())
    assert list(doc["identity"]["userAssignedIdentities"]) == [IDENTITY]


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_top_level_help_lists_every_command_with_examples(aibgen, flag):
    r = aibgen(flag)
    assert r.code == 0 and r.out.startswith("Usage: aibgen [OPTIONS] COMMAND [ARGS]...")
    for command in ("catalog", "explain", "new", "rules", "schema", "validate"):
        assert f"\n  {command} " in r.out, command
    assert "Examples:\n    aibgen catalog list" in r.out


def test_the_fast_top_level_help_is_exactly_clicks(aibgen, update_golden):
    """`aibgen --help` is answered from aibgen/cli/helptext.py without importing click."""
    from click.testing import CliRunner

    from aibgen.cli import main
    from aibgen.cli.helptext import TOP_LEVEL

    rendered = CliRunner().invoke(main, ["--help"], prog_name="aibgen").output
    if update_golden:
        source = ('"""The top-level ``aibgen --help`` text, as click renders it (tests/test_new.py keeps it so)."""'
                  f"\n\nTOP_LEVEL = {rendered!r}\n")
        (ROOT / "aibgen" / "cli" / "helptext.py").write_text(source, encoding="utf-8")
    assert TOP_LEVEL == rendered, "refresh with: python -m pytest tests/test_new.py --update-golden"
    assert aibgen("--help").out == rendered


def test_runs_write_nothing_but_their_output(aibgen, workdir):
    """No disk cache: HOME and the XDG folders stay empty, whatever the command."""
    home = workdir.parent / "home"
    xdg = {f"XDG_{k}_HOME": str(workdir.parent / k.lower()) for k in ("CACHE", "CONFIG", "DATA", "STATE")}
    for args in (("new", "-p", "ubuntu-sig", "--example-values", "-o", "out.json"),
                 ("validate", "out.json"), ("catalog", "list"), ("catalog", "lint")):
        assert aibgen(*args, env=xdg).code == 0, args
    assert sorted(p.name for p in workdir.iterdir()) == ["out.json"]
    assert list(home.rglob("*")) == []
    assert all(not (workdir.parent / k.lower()).exists() for k in ("CACHE", "CONFIG", "DATA", "STATE"))


@pytest.mark.parametrize("env", [
    {"LC_ALL": "C", "TZ": "UTC", "PYTHONHASHSEED": "1"},
    {"LC_ALL": "tr_TR.UTF-8", "LANG": "tr_TR.UTF-8", "TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "4242"},
])
def test_every_profile_is_byte_identical_whatever_locale_time_zone_seed_and_directory(aibgen, workdir, env):
    elsewhere = workdir / "some" / "where"
    elsewhere.mkdir(parents=True)
    for profile in PROFILES:
        for fmt, suffix in (("template", ".json"), ("arm", ".arm.json")):
            out = aibgen("new", "-p", profile, "--example-values", "--format", fmt, "-o", "-", env=env, cwd=elsewhere).out
            assert out == (GOLDEN / f"{profile}{suffix}").read_text(encoding="utf-8"), (profile, fmt)


def test_output_does_not_depend_on_working_directory(aibgen, workdir):
    other = workdir / "deeper" / "still"
    other.mkdir(parents=True)
    args = ("new", "-p", "win-update-sig", "--example-values", "-o", "-")
    assert aibgen(*args, cwd=other).out == aibgen(*args).out


def test_killed_while_replacing_leaves_old_or_new_file_and_no_temp_files(workdir):
    """SIGKILL at random moments of `aibgen new --force`: the output is always whole, and the
    next run removes the temporary file a kill just before the rename can leave."""
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    old = (GOLDEN / "ubuntu-gen2-vhd.json").read_bytes()
    new = (GOLDEN / "ubuntu-sig.json").read_bytes()
    target = workdir / "t.json"
    env = dict(os.environ, HOME=str(workdir.parent / "home"))
    rng = random.Random(7)
    outcomes, killed = set(), set()
    command = [sys.executable, "-m", "aibgen", "new", "-p", "ubuntu-sig", "--example-values", "-o", str(target), "--force"]
    start = time.monotonic()
    subprocess.run(command, cwd=workdir, env=env, capture_output=True, check=True)
    whole = time.monotonic() - start  # kills spread over 1.3x a whole run land both before and after the rename
    for i in range(120):
        if i >= 50 and outcomes == {True, False}:
            break
        if i >= 50:  # a loaded machine runs slower than the first timing: spread the kills wider
            whole *= 1.05
        target.write_bytes(old)
        proc = subprocess.Popen([sys.executable, "-m", "aibgen", "new", "-p", "ubuntu-sig", "--example-values",
                                 "-o", str(target), "--force"], cwd=workdir, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, whole * 1.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        content = target.read_bytes()
        assert content in (old, new)
        outcomes.add(content == new)
        # A kill between naming the temporary file and the rename can leave it (until a later run
        # gets far enough to remove it); nothing else can be left.
        killed.add(f".t.json.{proc.pid}.aibgen-tmp")
        leftovers = {p.name for p in workdir.iterdir() if p.name != "t.json"}
        assert leftovers <= killed, leftovers
    assert outcomes == {True, False}, "the kills should land both before and after the rename"
    subprocess.run(command, cwd=workdir, env=env, capture_output=True, check=True)
    assert sorted(p.name for p in workdir.iterdir()) == ["t.json"], "the next run removes a killed run's file"


def test_a_finding_points_at_the_child_line_that_set_the_value(aibgen, workdir):
    (workdir / "cat").mkdir()
    (workdir / "cat" / "child.yaml").write_text("description: child\nextends: ubuntu-gen2-vhd\nvmProfile:\n"
                                                "  osDiskSizeGB: -5\ncustomize:\n  - use: shell\n    name: x\n"
                                                "    with:\n      scriptUri: http://example.com/x.sh\n")
    r = aibgen("new", "-p", "child", "--catalog", "cat", "--example-values", "-o", "-")
    assert r.code == 1
    assert "child.yaml:4:17: error AIB512" in r.err
    assert "child.yaml:9:18: warning AIB602" in r.err

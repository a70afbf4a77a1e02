"""Bad input to `aibgen new`: one clear line naming file and line, exit 2, no traceback, no file."""
from __future__ import annotations

import os

import pytest

from conftest import DATA, IDENTITY

CATALOGS = DATA / "catalogs"

# case folder -> (text the message must contain, line:col or None when there is no line)
CATALOG_CASES = {
    "yaml-syntax": ("expected ',' or '}'", "bad.yaml:6:1"),
    "duplicate-key": ('duplicate key "distribute"', "bad.yaml:8:1"),
    "unknown-key": ("unknown key 'customise' (did you mean 'customize'?)", "bad.yaml:6:1"),
    "missing-partial": ("no partial 'customizers/bash'", "bad.yaml:7:10"),
    "invalid-json-partial": ("rendered invalid JSON", "broken.json.j2"),
    "undefined-variable": ("'no_such_name' is undefined", "uses-undefined.json.j2:2"),
    "undefined-in-profile": ("'offr' is undefined", "bad.yaml:5:"),
    "unused-with-key": ("'scriptUir' is not used by partial customizers/shell (did you mean 'scriptUri'?)", "bad.yaml:8:"),
    "missing-required-arg": ("missing required value 'sku'", "platform-image.json.j2:"),
    "missing-required-item": ("missing required value 'commands' in with:", "deprovision.json.j2:"),
    "sandbox-profile": ("unsafe template expression refused", "bad.yaml:5:"),
    "sandbox-partial": ("unsafe template expression refused", "escape.json.j2:1"),
    "extends-cycle": ("cycle:", "bad.yaml:2 → "),
    "missing-parent": ("extends unknown profile 'linux-bse' (did you mean 'linux-base'?)", "bad.yaml:2:10"),
    "bad-param-type": ("'type' is 'float'", "bad.yaml:5:"),
    "not-utf8": ("not UTF-8", "bad.yaml:1"),
    "not-a-mapping": ("a profile must be a mapping", "bad.yaml:1:1"),
    "python-tag": ("YAML tag", "bad.yaml:1:"),
}


def assert_clean_failure(r, code, *needles):
    assert r.code == code, (r.code, r.out, r.err)
    assert "Traceback" not in r.err
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize("case", sorted(CATALOG_CASES))
def test_bad_catalog(aibgen, workdir, case):
    text, where = CATALOG_CASES[case]
    r = aibgen("new", "-p", "bad", "--catalog", str(CATALOGS / case), "--example-values", "--no-input", "-o", "out.json")
    assert_clean_failure(r, 2, text, where)
    assert not (workdir / "out.json").exists()


def test_every_catalog_case_folder_is_tested():
    assert {p.name for p in CATALOGS.iterdir()} == set(CATALOG_CASES)


NEW = ["new", "-p", "ubuntu-gen2-vhd", "--no-input"]
GOOD_ID = f"identity={IDENTITY}"


@pytest.mark.parametrize("args, needles", [
    (["new", "-p", "ubuntu-gen2-vhx"], ["no profile named 'ubuntu-gen2-vhx'", "did you mean 'ubuntu-gen2-vhd'"]),
    (["new", "-p", "../etc/passwd"], ["not a valid profile name"]),
    (["new", "-p", "linux-base", "--no-input"], ["abstract"]),
    (NEW + ["--set", "identity"], ["--set 'identity': expected KEY=VALUE"]),
    (NEW + ["--set", GOOD_ID, "--set", "locaton=westus2"], ["unknown parameter 'locaton'", "did you mean 'location'"]),
    (NEW + ["--set", GOOD_ID, "--set", "buildTimeout=ninety"], ["'buildTimeout' must be a whole number"]),
    (NEW + ["--set", GOOD_ID, "--set", "location=Atlantis"], ["'Atlantis' is not a region where Image Builder runs"]),
    (NEW + ["--set", "identity=/subscriptions/abc/aib"], ["not the resource id of a user-assigned identity", "/subscriptions/<guid>"]),
    (["new", "-p", "ubuntu-private-vnet", "--no-input"],
     ["missing required parameter(s)", "identity", "subnetId", "stagingResourceGroup", "galleryImageId"]),
    (NEW + ["--set", GOOD_ID, "--api-version", "2019-05-01-preview"], ["apiVersion '2019-05-01-preview' is not bundled"]),
    (NEW + ["--set", GOOD_ID, "--values", "nope.yaml"], ["nope.yaml: cannot read"]),
    (NEW + ["--set", GOOD_ID, "-o", "no/such/dir/out.json"], ["directory 'no/such/dir' does not exist"]),
    (NEW + ["--set", GOOD_ID, "--catalog", "no-such-catalog"], ["catalog no-such-catalog: does not exist"]),
])
def test_bad_command_line(aibgen, workdir, args, needles):
    r = aibgen(*args)
    assert_clean_failure(r, 2, *needles)
    assert [p.name for p in workdir.iterdir()] == []


def test_unknown_option_is_a_usage_error(aibgen):
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--colour")
    assert r.code == 2 and "No such option" in r.err and "--colour" in r.err and "Traceback" not in r.err


@pytest.mark.parametrize("content, needle", [
    ("identity: [unclosed\n", "v.yaml:2:1"),
    ("- a\n- b\n", "must be a mapping"),
    ("identity: 42\n", "'identity' must be text"),
])
def test_bad_values_file(aibgen, workdir, content, needle):
    (workdir / "v.yaml").write_text(content)
    r = aibgen(*NEW, "--values", "v.yaml", "-o", "out.json")
    assert_clean_failure(r, 2, needle)
    assert not (workdir / "out.json").exists()


def _unwritable_dir(workdir):
    """A directory this user cannot create files in (root ignores mode bits, so try /sys too)."""
    ro = workdir / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    for candidate in (ro, "/sys"):
        probe = os.path.join(candidate, ".aibgen-probe")
        try:
            os.close(os.open(probe, os.O_CREAT | os.O_WRONLY))
            os.unlink(probe)
        except OSError:
            return str(candidate)
    pytest.skip("no unwritable directory available")


def test_output_directory_not_writable(aibgen, workdir):
    target = os.path.join(_unwritable_dir(workdir), "out.json")
    r = aibgen(*NEW, "--set", GOOD_ID, "-o", target)
    assert_clean_failure(r, 2, "cannot write")
    assert not os.path.exists(target)


def test_output_path_is_a_directory(aibgen, workdir):
    (workdir / "d").mkdir()
    r = aibgen(*NEW, "--set", GOOD_ID, "-o", "d")
    assert_clean_failure(r, 2, "is a directory")


def test_findings_exit_1_and_no_file(aibgen, workdir):
    r = aibgen("new", "-p", "ubuntu-sig", "--example-values", "--api-version", "2021-10-01", "-o", "out.json")
    assert r.code == 1 and "Traceback" not in r.err
    assert not (workdir / "out.json").exists()


def test_debug_shows_the_traceback_on_purpose(aibgen):
    r = aibgen("--debug", "new", "-p", "no-such-profile")
    assert r.code != 0 and "Traceback" in r.err

"""aibgen.yaml and [tool.aibgen]: rule selection, per-path ignores, policy; and their errors."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT

CASES = ROOT / "tests" / "cases"
WARN = (CASES / "AIB304" / "bad" / "script-without-checksum.json").read_text()
BAD = (CASES / "AIB301" / "bad" / "shell-on-windows.json").read_text()


def rules_of(r):
    return sorted({f["rule"] for f in json.loads(r.out)["findings"]})


def test_yaml_config_ignore_is_applied(aibgen, workdir):
    (workdir / "t.json").write_text(WARN)
    assert rules_of(aibgen("validate", "t.json", "--format", "json")) == ["AIB304"]
    (workdir / "aibgen.yaml").write_text("validate:\n  ignore: [AIB304]\n")
    assert rules_of(aibgen("validate", "t.json", "--format", "json")) == []
    assert rules_of(aibgen("validate", "t.json", "--format", "json", "--no-config")) == ["AIB304"]


def test_config_is_found_in_a_parent_directory(aibgen, workdir):
    sub = workdir / "images" / "linux"
    sub.mkdir(parents=True)
    (sub / "t.json").write_text(WARN)
    (workdir / "aibgen.yaml").write_text("validate:\n  ignore: [aib3]\n")
    assert rules_of(aibgen("validate", "t.json", "--format", "json", cwd=sub)) == []


def test_pyproject_tool_table(aibgen, workdir):
    (workdir / "t.json").write_text(BAD)
    (workdir / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.aibgen.validate]\nselect = ["AIB304"]\n')
    r = aibgen("validate", "t.json", "--format", "json")
    assert rules_of(r) == [] and r.code == 0


def test_per_path_ignores(aibgen, workdir):
    (workdir / "legacy").mkdir()
    (workdir / "legacy" / "old.json").write_text(BAD)
    (workdir / "new.json").write_text(BAD)
    (workdir / "aibgen.yaml").write_text("validate:\n  per-path-ignores:\n    'legacy/*.json': [AIB301]\n")
    r = aibgen("validate", ".", "--format", "json")
    assert {f["file"] for f in json.loads(r.out)["findings"]} == {"new.json"}


def test_policy_applies_to_new(aibgen, workdir):
    (workdir / "aibgen.yaml").write_text("policy:\n  allowed-regions: [westeurope]\n")
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--example-values", "-o", "out.json")
    assert r.code == 1 and "AIB701" in r.err and not (workdir / "out.json").exists()
    r = aibgen("new", "-p", "ubuntu-gen2-vhd", "--example-values", "--set", "location=westeurope", "-o", "out.json")
    assert r.code == 0, r.err


def test_config_catalog_adds_the_project_catalog(aibgen, workdir):
    (workdir / "images").mkdir()
    (workdir / "images" / "team-vhd.yaml").write_text(
        "description: team image\nextends: ubuntu-gen2-vhd\ntags: {team: red}\n")
    (workdir / "aibgen.yaml").write_text("catalog: images\n")
    r = aibgen("catalog", "list")
    assert "team-vhd" in r.out
    doc = json.loads(aibgen("new", "-p", "team-vhd", "--example-values", "-o", "-").out)
    assert doc["tags"]["team"] == "red"


@pytest.mark.parametrize("name, content, needles", [
    ("aibgen.yaml", "validate:\n  ignroe: [AIB304]\n", ["aibgen.yaml:2:3", "unknown key 'ignroe'", "did you mean 'ignore'"]),
    ("aibgen.yaml", "policy:\n  max-build-timeout: forever\n", ["aibgen.yaml:2:", "must be a whole number"]),
    ("aibgen.yaml", "validate:\n  select: [XYZ1]\n", ["aibgen.yaml:2:", "XYZ1"]),
    ("aibgen.yaml", "- a list\n", ["configuration must be a mapping"]),
    ("aibgen.yaml", "validate: {select: [AIB3\n", ["aibgen.yaml:2:"]),
    ("pyproject.toml", "[tool.aibgen]\npolicy = 3\n", ["pyproject.toml", "[tool.aibgen.policy]", "must be a mapping"]),
    ("pyproject.toml", "[tool.aibgen\n", ["invalid TOML"]),
])
def test_bad_config_is_a_one_line_error(aibgen, workdir, name, content, needles):
    (workdir / name).write_text(content)
    (workdir / "t.json").write_text(WARN)
    r = aibgen("validate", "t.json")
    assert r.code == 2 and "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1, r.err
    for needle in needles:
        assert needle in r.err


def test_missing_config_file(aibgen, workdir):
    (workdir / "t.json").write_text(WARN)
    r = aibgen("validate", "t.json", "--config", "nope.yaml")
    assert r.code == 2 and "nope.yaml: configuration file not found" in r.err


def test_dotted_keys_under_tool_are_found(aibgen, workdir):
    (workdir / "t.json").write_text(BAD)
    (workdir / "pyproject.toml").write_text('[tool]\naibgen.validate.select = ["AIB304"]\n')
    r = aibgen("validate", "t.json", "--format", "json")
    assert rules_of(r) == [] and r.code == 0


@pytest.mark.parametrize("text", ['[project\nname = "x"\n', "\xff\xfe not text", 'name = "aibgen"\n[broken'])
def test_someone_elses_broken_pyproject_in_a_parent_is_passed_over(aibgen, workdir, text):
    sub = workdir / "repo"
    sub.mkdir()
    (sub / "t.json").write_text(BAD)
    (workdir / "pyproject.toml").write_bytes(text.encode("latin-1"))
    r = aibgen("validate", "t.json", cwd=sub)
    assert r.code == 1 and "AIB301" in r.out and r.err == ""


def test_an_unreadable_pyproject_in_a_parent_is_passed_over(aibgen, workdir):
    sub = workdir / "repo"
    sub.mkdir()
    (sub / "t.json").write_text(BAD)
    (workdir / "pyproject.toml").mkdir()  # a directory where a file was expected: cannot be read
    assert aibgen("validate", "t.json", cwd=sub).code == 1


def test_a_broken_pyproject_that_holds_aibgen_settings_is_an_error(aibgen, workdir):
    (workdir / "t.json").write_text(BAD)
    (workdir / "pyproject.toml").write_text('[tool.aibgen.validate]\nselect = ["AIB3"\n')
    r = aibgen("validate", "t.json")
    assert r.code == 2 and "pyproject.toml: invalid TOML" in r.err


@pytest.mark.parametrize("rules", ['["AIB1\\n"]', '["AIB3", "AIB1 "]'])
def test_a_rule_selector_must_be_a_whole_rule_id_or_prefix(aibgen, workdir, rules):
    (workdir / "t.json").write_text(BAD)
    (workdir / "aibgen.yaml").write_text(f"validate:\n  select: {rules}\n")
    r = aibgen("validate", "t.json")
    assert r.code == 2 and "aibgen.yaml:2:" in r.err and "does not match" in r.err


def test_the_search_stops_at_the_root_of_the_project(aibgen, workdir):
    (workdir / "aibgen.yaml").write_text("validate:\n  ignore: [AIB]\n")  # above the repository: not ours
    repo = workdir / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "t.json").write_text(BAD)
    assert aibgen("validate", "t.json", cwd=repo).code == 1


def test_a_configuration_others_may_write_is_passed_over(aibgen, workdir):
    (workdir / "t.json").write_text(BAD)
    config = workdir / "aibgen.yaml"
    config.write_text("validate:\n  ignore: [AIB]\n")
    config.chmod(0o666)
    assert aibgen("validate", "t.json").code == 1
    config.chmod(0o644)
    assert aibgen("validate", "t.json").code == 0


def test_a_pyproject_with_aibgen_settings_that_is_not_utf8_is_an_error(aibgen, workdir):
    (workdir / "t.json").write_text(BAD)
    (workdir / "pyproject.toml").write_bytes(b"# author: Ren\xe9\n[tool.aibgen.policy]\nallowed-regions = ['eastus']\n")
    r = aibgen("validate", "t.json")
    assert r.code == 2 and "pyproject.toml:1: not UTF-8 text (byte 0xe9)" in r.err

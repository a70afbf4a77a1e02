"""`aibgen upgrade`: hand-made templates of every shape, their exact upgraded bytes, and refusals.

Each file in tests/data/upgrade/ is upgraded with the arguments in CASES and compared with
`<name>.upgraded` (refresh with --update-golden, then read the diff). The whole corpus,
every version to every newer one, is in tests/test_upgrade_corpus.py.
"""
from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from aibgen import resources
from aibgen.flows.validate import parse

from conftest import IDENTITY, ROOT

DATA = ROOT / "tests" / "data" / "upgrade"
NEWEST = resources.latest_api_version()
CASES = {
    "sig-2020.json": [],
    "preview-2018.json": ["--identity", IDENTITY],
    "arm-nested.json": [],
    "properties.json": ["--from", "2021-10-01", "--to", "2022-07-01"],
}


def read_json(raw: bytes):
    doc, _, _ = parse("f", raw.decode("utf-8-sig"))
    return doc


@pytest.mark.parametrize("name", sorted(CASES))
def test_upgrade_gives_exactly_the_expected_bytes(aibgen, workdir, update_golden, name):
    shutil.copy(DATA / name, workdir / name)
    r = aibgen("upgrade", name, "-o", "new.json", *CASES[name])
    assert r.code == 0, r.err
    golden = DATA / (name.removesuffix(".json") + ".upgraded")
    if update_golden:
        golden.write_bytes((workdir / "new.json").read_bytes())
    assert (workdir / "new.json").read_bytes() == golden.read_bytes()
    assert (workdir / name).read_bytes() == (DATA / name).read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_upgraded_template_validates_clean_at_the_target(aibgen, workdir, name):
    shutil.copy(DATA / name, workdir / name)
    aibgen("upgrade", name, "-o", "new.json", *CASES[name])
    target = CASES[name][CASES[name].index("--to") + 1] if "--to" in CASES[name] else NEWEST
    r = aibgen("validate", "new.json", "--api-version", target, "--format", "json")
    errors = [f for f in json.loads(r.out)["findings"] if f["severity"] == "error"]
    assert errors == [], errors


def test_upgrade_changes_only_the_values_it_names(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.json", workdir / "t.json")
    aibgen("upgrade", "t.json", "-o", "new.json")
    before, after = read_json((workdir / "t.json").read_bytes()), read_json((workdir / "new.json").read_bytes())
    sig = before["properties"]["distribute"][0]
    storage = sig.pop("storageAccountType")
    sig["targetRegions"] = [{"name": r, "storageAccountType": storage} for r in sig.pop("replicationRegions")]
    del before["properties"]["source"]["exactVersion"], before["properties"]["provisioningState"]
    before["apiVersion"] = NEWEST
    assert after == before


def test_diff_prints_the_changes_and_writes_nothing(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.json", workdir / "t.json")
    r = aibgen("upgrade", "t.json", "--diff")
    assert r.code == 0 and r.out.startswith("--- t.json\n+++ t.json\n@@ ")
    assert f'-    "apiVersion": "2020-02-14",\n+    "apiVersion": "{NEWEST}",\n' in r.out  # (text mode: CRLF read as LF)
    assert sorted(p.name for p in workdir.iterdir()) == ["t.json"]
    assert (workdir / "t.json").read_bytes() == (DATA / "sig-2020.json").read_bytes()
    assert f"t.json: would change (apiVersion 2020-02-14 → {NEWEST}):" in r.err


def test_in_place_needs_force(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.json", workdir / "t.json")
    r = aibgen("upgrade", "t.json")
    assert r.code == 2 and "pass --force" in r.err
    assert (workdir / "t.json").read_bytes() == (DATA / "sig-2020.json").read_bytes()
    assert aibgen("upgrade", "t.json", "--force").code == 0
    assert (workdir / "t.json").read_bytes() == (DATA / "sig-2020.upgraded").read_bytes()


def test_nothing_to_change_writes_nothing_and_needs_no_force(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.upgraded", workdir / "t.json")
    r = aibgen("upgrade", "t.json")
    assert r.code == 0 and r.err == f"t.json: nothing to change (apiVersion {NEWEST} → {NEWEST})\n"


def test_to_picks_the_target_and_stops_before_target_regions(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.json", workdir / "t.json")
    r = aibgen("upgrade", "t.json", "--to", "2022-02-14", "-o", "-")
    doc = read_json(r.out.encode())
    assert doc["apiVersion"] == "2022-02-14"
    assert "replicationRegions" in doc["properties"]["distribute"][0]  # targetRegions came in 2022-07-01


def test_a_directory_is_upgraded_file_by_file(aibgen, workdir):
    (workdir / "d").mkdir()
    shutil.copy(DATA / "sig-2020.json", workdir / "d" / "a.json")
    shutil.copy(DATA / "sig-2020.upgraded", workdir / "d" / "b.json")
    r = aibgen("upgrade", "d", "--force")
    assert r.code == 0, r.err
    assert (workdir / "d" / "a.json").read_bytes() == (DATA / "sig-2020.upgraded").read_bytes()
    assert "d/b.json: nothing to change" in r.err


def test_one_refused_file_stops_the_batch_before_anything_is_written(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.json", workdir / "a.json")
    (workdir / "b.json").write_text(json.dumps({"apiVersion": "2019-05-01-preview", "location": "westus2",
                                                "properties": {"source": {"type": "ISO"}, "distribute": []}}))
    r = aibgen("upgrade", "a.json", "b.json", "--force")
    assert r.code == 2 and "b.json" in r.err and len(r.err.splitlines()) == 1
    assert (workdir / "a.json").read_bytes() == (DATA / "sig-2020.json").read_bytes()


def test_stdin_to_stdout(aibgen):
    r = aibgen("upgrade", "-", "-o", "-", input=(DATA / "sig-2020.json").read_bytes().decode())
    assert r.code == 0 and read_json(r.out.encode())["apiVersion"] == NEWEST


def test_a_clean_template_of_each_version_stays_clean_at_each_newer_one(aibgen, workdir):
    good = json.loads((ROOT / "tests" / "cases" / "AIB003" / "good" / "stable-version.json").read_text())
    versions = resources.api_versions()
    for i, source in enumerate(versions[:-1]):
        (workdir / "t.json").write_text(json.dumps(dict(good, apiVersion=source), indent=2))
        assert aibgen("validate", "t.json").code == 0
        for target in versions[i + 1:]:
            assert aibgen("upgrade", "t.json", "--to", target, "-o", "new.json", "--force").code == 0
            r = aibgen("validate", "new.json")
            assert (r.code, r.out) == (0, "1 file, 0 errors, 0 warnings\n"), (source, target, r.out)


def test_every_change_is_listed(aibgen, workdir):
    shutil.copy(DATA / "preview-2018.json", workdir / "t.json")
    r = aibgen("upgrade", "t.json", "--identity", IDENTITY, "--diff")
    assert r.err.splitlines() == [
        f"t.json: would change (apiVersion 2018-02-01-preview → {NEWEST}):",
        "  /properties/customize/0/script: script → scriptUri (renamed after 2018-02-01-preview)",
        "  /properties/customize/0/type: 'shell' → 'Shell'",
        "  /properties/distribute/0/type: 'managedImage' → 'ManagedImage'",
        "  /properties/distribute/1/type: 'sharedImage' → 'SharedImage'",
        "  /identity: added (--identity)",
        "  /properties/distribute/1/replicationRegions: replicationRegions → targetRegions",
        f"  /apiVersion: 2018-02-01-preview → {NEWEST}"]


def test_help_has_examples(aibgen):
    r = aibgen("upgrade", "--help")
    assert r.code == 0 and "Examples:" in r.out and "aibgen upgrade old.json --diff" in r.out


def test_a_result_with_an_error_the_original_has_not_is_refused(aibgen, workdir):
    """Spelling `sharedImage` as the API does lets the schema see the distributor, and its
    missing galleryImageId: an error of a rule the original has none of."""
    doc = json.loads((DATA / "sig-2020.json").read_bytes())
    sig = doc["properties"]["distribute"][0]
    sig["type"] = "sharedImage"
    del sig["galleryImageId"]
    (workdir / "t.json").write_text(json.dumps(doc, indent=2))
    r = aibgen("upgrade", "t.json", "-o", "new.json")
    assert r.code == 2 and len(r.err.splitlines()) == 1 and not (workdir / "new.json").exists()
    assert r.err == ("error: t.json: the upgraded template would have an error the original has not (AIB104 at "
                     "/properties/distribute/0/galleryImageId: missing required property 'galleryImageId'); "
                     "nothing written\n")


# --- what is checked before any file is written ---------------------------------------------------

def test_a_symbolic_link_in_a_batch_is_refused_before_any_file_is_written(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.json", workdir / "p1.json")
    shutil.copy(DATA / "sig-2020.json", workdir / "p2.json")
    (workdir / "p2link.json").symlink_to("p2.json")
    r = aibgen("upgrade", "p1.json", "p2link.json", "--force")
    assert r.code == 2 and r.err.splitlines() == [
        f"error: p2link.json: is a symbolic link; upgrade rewrites only regular files, so give the file it points to "
        f"({workdir / 'p2.json'})"]
    for name in ("p1.json", "p2.json"):
        assert (workdir / name).read_bytes() == (DATA / "sig-2020.json").read_bytes()
    (workdir / "d").mkdir()  # the same for a folder that holds a link
    shutil.copy(DATA / "sig-2020.json", workdir / "d" / "a.json")
    (workdir / "d" / "b.json").symlink_to("../p2.json")
    r = aibgen("upgrade", "d", "--force")
    assert r.code == 2 and len(r.err.splitlines()) == 1 and "d/b.json: is a symbolic link" in r.err
    assert (workdir / "d" / "a.json").read_bytes() == (DATA / "sig-2020.json").read_bytes()


def test_a_read_only_file_is_refused_in_place_like_fix_does(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.json", workdir / "a.json")
    shutil.copy(DATA / "sig-2020.json", workdir / "t.json")
    os.chmod(workdir / "t.json", 0o444)
    r = aibgen("upgrade", "a.json", "t.json", "--force")
    assert r.code == 2 and r.err == ("error: t.json: is read-only (mode 0444); make it writable (chmod u+w) to "
                                     "upgrade it, or write the result to a new file with -o NEW.json, or see the "
                                     "changes with --diff\n")
    assert (workdir / "a.json").read_bytes() == (workdir / "t.json").read_bytes() == (DATA / "sig-2020.json").read_bytes()
    assert aibgen("upgrade", "t.json", "-o", "new.json").code == 0  # a new file needs no write to t.json


def test_upgrade_in_place_keeps_every_mode_bit_and_refuses_hard_links(aibgen, workdir):
    shutil.copy(DATA / "sig-2020.json", workdir / "t.json")
    os.chmod(workdir / "t.json", 0o4751)
    assert aibgen("upgrade", "t.json", "--force").code == 0
    assert stat.S_IMODE(os.stat(workdir / "t.json").st_mode) == 0o4751
    shutil.copy(DATA / "sig-2020.json", workdir / "h.json")
    os.link(workdir / "h.json", workdir / "h2.json")
    r = aibgen("upgrade", "h.json", "--force")
    assert r.code == 2 and len(r.err.splitlines()) == 1 and "h.json: has 2 hard links; upgrade writes a new file" in r.err
    assert (workdir / "h2.json").read_bytes() == (DATA / "sig-2020.json").read_bytes()


def test_a_folder_skips_json_that_is_no_template_and_says_so(aibgen, workdir):
    (workdir / "d" / "node").mkdir(parents=True)
    shutil.copy(DATA / "sig-2020.json", workdir / "d" / "image.json")
    (workdir / "d" / "package.json").write_text('{"name": "x", "version": "1.0.0"}\n')
    (workdir / "d" / "node" / "tsconfig.json").write_text('{"compilerOptions": {}, // c\n}\n')
    r = aibgen("upgrade", "d", "--force")
    assert r.code == 0, r.err
    assert r.err.splitlines()[:2] == ["d/node/tsconfig.json: no Image Builder template; skipped",
                                      "d/package.json: no Image Builder template; skipped"]
    assert (workdir / "d" / "image.json").read_bytes() == (DATA / "sig-2020.upgraded").read_bytes()
    assert (workdir / "d" / "package.json").read_text() == '{"name": "x", "version": "1.0.0"}\n'
    named = aibgen("upgrade", "d/package.json", "--force")  # named itself: an error
    assert named.code == 2 and named.err.startswith("error: d/package.json: no Image Builder template found")
    (workdir / "e").mkdir()
    shutil.copy(workdir / "d" / "package.json", workdir / "e" / "package.json")
    none = aibgen("upgrade", "e", "--force")
    assert none.code == 2 and none.err == "error: e: no Image Builder template found in any *.json file below it\n"


# --- what the regions become ----------------------------------------------------------------------

def test_an_empty_region_list_with_a_storage_account_type_is_refused(aibgen, workdir):
    doc = json.loads((DATA / "sig-2020.json").read_text())
    doc["properties"]["distribute"][0]["replicationRegions"] = []
    (workdir / "t.json").write_text(json.dumps(doc, indent=2))
    r = aibgen("upgrade", "t.json", "-o", "new.json")
    assert r.code == 2 and not (workdir / "new.json").exists()
    assert r.err.splitlines() == [
        "error: t.json:43:9: storageAccountType with an empty replicationRegions to carry it over into "
        "targetRegions; give the regions (targetRegions, each with a storageAccountType)"]


def test_comments_in_a_converted_region_list_stay(aibgen, workdir):
    text = (DATA / "sig-2020.json").read_text().replace(
        '"westus2",\n                    "eastus"\n', '"westus2", // primary\n                    /* second */ "eastus"\n')
    (workdir / "t.json").write_text(text)
    r = aibgen("upgrade", "t.json", "-o", "new.json")
    assert r.code == 0, r.err
    after = (workdir / "new.json").read_text()
    assert ('                "targetRegions": [\n                    {\n                        "name": "westus2",\n'
            '                        "storageAccountType": "Standard_ZRS"\n                    }, // primary\n'
            '                    /* second */ {\n                        "name": "eastus",\n') in after
    assert read_json(after.encode()) == read_json((DATA / "sig-2020.upgraded").read_bytes())

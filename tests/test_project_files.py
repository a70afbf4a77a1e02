"""A project's own catalog (named by aibgen.yaml): local files from anywhere in the project, and
the default profile of `aibgen new`."""
from __future__ import annotations

import json

PROFILE = ("description: d\nextends: ubuntu-gen2-vhd\ncustomize:\n  - use: shell\n    name: s\n"
           "    script: {script}\n    with: {{scriptUri: 'https://x.blob.core.windows.net/s/a.sh'}}\n")


def _project(workdir, script: str, config: str = "catalog: images\n"):
    (workdir / "images").mkdir()
    (workdir / "scripts").mkdir()
    (workdir / "scripts" / "a.sh").write_text("echo hi\n")
    (workdir / "aibgen.yaml").write_text(config)
    (workdir / "images" / "web.yaml").write_text(PROFILE.format(script=script))


def test_a_project_profile_may_use_a_file_elsewhere_in_the_project(aibgen, workdir):
    import hashlib

    _project(workdir, "../scripts/a.sh")
    run = aibgen("new", "-p", "web", "--example-values", "-o", "-")
    assert run.code == 0, run.err
    step = json.loads(run.out)["properties"]["customize"][-1]
    assert step["sha256Checksum"] == hashlib.sha256(b"echo hi\n").hexdigest()


def test_no_profile_may_use_a_file_outside_the_project(aibgen, workdir):
    _project(workdir, "../../outside.sh")
    (workdir.parent / "outside.sh").write_text("echo out\n")
    run = aibgen("new", "-p", "web", "--example-values", "-o", "-")
    assert run.code == 2 and "leads outside the project" in run.err, run.err


def test_a_catalog_the_project_does_not_name_keeps_files_inside_itself(aibgen, workdir):
    _project(workdir, "../scripts/a.sh", config="validate: {ignore: [AIB304]}\n")
    run = aibgen("new", "-p", "web", "--catalog", "images", "--example-values", "-o", "-")
    assert run.code == 2 and "leads outside the catalog root" in run.err, run.err


def test_new_renders_the_profile_aibgen_yaml_names(aibgen, workdir):
    _project(workdir, "../scripts/a.sh", config="catalog: images\nprofile: web\n")
    run = aibgen("new", "--example-values", "-o", "-")
    assert run.code == 0, run.err
    assert json.loads(run.out)["properties"]["customize"][-1]["name"] == "s"
    (workdir / "aibgen.yaml").write_text("catalog: images\nprofile: Web!\n")
    bad = aibgen("new", "--example-values", "-o", "-")
    assert bad.code == 2 and "aibgen.yaml:2" in bad.err, bad.err
    (workdir / "aibgen.yaml").unlink()
    missing = aibgen("new", "--example-values", "-o", "-")
    assert missing.code == 2 and "set 'profile:' in aibgen.yaml" in missing.err

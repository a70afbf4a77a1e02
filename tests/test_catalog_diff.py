"""`aibgen catalog diff` in a real git repository made by the test: each kind of change
shows on the profiles it reaches, with the file that caused it; the repository is never touched."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.invalid", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
SOURCE = "source:\n  use: platform-image\n  with: {publisher: Canonical, offer: ubuntu-24_04-lts, sku: server}\n"
BASE = "description: team base\nabstract: true\nextends: linux-base\n" + SOURCE + "customize:\n  - {use: greet, name: greet}\n"
CHILD = "description: image {n}\nextends: base\ndistribute:\n  - use: vhd\n"
PLAIN = "description: no greeting\nextends: linux-base\n" + SOURCE + "distribute:\n  - use: vhd\n"
GREET = '{"type": "Shell", "name": {{ item.name | tojson }}, "inline": ["echo hello"]}\n'


def git(repo, *args) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def repo(workdir):
    """A repository with a catalog (a base, three children, one profile without the base) committed on main."""
    git(workdir, "init", "-q", "-b", "main")
    (workdir / "aibgen.yaml").write_text("catalog: images\n")
    write(workdir, "images/base.yaml", BASE)
    write(workdir, "images/partials/customizers/greet.json.j2", GREET)
    for n in ("a", "b", "c"):
        write(workdir, f"images/{n}.yaml", CHILD.format(n=n))
    write(workdir, "images/plain.yaml", PLAIN)
    commit(workdir, "catalog")
    return workdir


def write(repo, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def commit(repo, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def report(aibgen, *args) -> dict:
    r = aibgen("catalog", "diff", *args, "--format", "json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def statuses(rep: dict) -> dict[str, tuple]:
    return {p["name"]: (p["status"], p["causes"]) for p in rep["profiles"] if p["status"] != "unchanged"}


def test_a_change_to_the_base_shows_on_every_profile_that_extends_it(aibgen, repo):
    write(repo, "images/base.yaml", BASE.replace("sku: server", "sku: server-gen1"))
    rep = report(aibgen, "main")
    assert statuses(rep) == {n: ("changed", ["images/base.yaml"]) for n in ("a", "b", "c")}
    assert rep["files"] == [{"file": "images/base.yaml", "change": "modified", "profiles": ["a", "b", "c"]}]
    diff = next(p["diff"] for p in rep["profiles"] if p["name"] == "a")
    assert '-      "sku": "server",\n+      "sku": "server-gen1",' in diff and diff.startswith("--- a/a.json\n+++ b/a.json")


def test_a_change_to_a_partial_shows_on_the_profiles_that_use_it(aibgen, repo):
    write(repo, "images/partials/customizers/greet.json.j2", GREET.replace("hello", "bonjour"))
    rep = report(aibgen, "main")
    assert statuses(rep) == {n: ("changed", ["images/partials/customizers/greet.json.j2"]) for n in ("a", "b", "c")}
    assert "plain" not in statuses(rep)


def test_a_change_to_a_child_shows_on_that_child_only(aibgen, repo):
    write(repo, "images/b.yaml", CHILD.format(n="b") + "tags: {team: b}\n")
    assert statuses(report(aibgen, "main")) == {"b": ("changed", ["images/b.yaml"])}


def test_renamed_and_deleted_profiles(aibgen, repo):
    git(repo, "mv", "images/a.yaml", "images/alpha.yaml")
    (repo / "images/c.yaml").unlink()
    rep = report(aibgen, "main")
    assert statuses(rep) == {"a": ("removed", ["images/a.yaml"]), "alpha": ("added", ["images/alpha.yaml"]),
                             "c": ("removed", ["images/c.yaml"])}
    alpha = next(p for p in rep["profiles"] if p["name"] == "alpha")
    assert alpha["renamedFrom"] == "a"
    assert rep["summary"] == {"added": 1, "removed": 2, "changed": 0, "unchanged": rep["summary"]["unchanged"],
                              "failing": 0}


def test_a_change_that_renders_the_same_names_the_file_but_no_profile(aibgen, repo):
    write(repo, "images/base.yaml", "# reviewed\n" + BASE)
    rep = report(aibgen, "main")
    assert statuses(rep) == {}
    assert rep["files"] == [{"file": "images/base.yaml", "change": "modified", "profiles": []}]


def test_a_local_script_is_a_cause(aibgen, repo):
    write(repo, "images/scripts/setup.sh", "echo one\n")
    write(repo, "images/b.yaml", CHILD.format(n="b") + "customize:\n  - {use: shell, name: setup, inline_file: scripts/setup.sh}\n")
    commit(repo, "script")
    write(repo, "images/scripts/setup.sh", "echo two\n")
    assert statuses(report(aibgen, "main")) == {"b": ("changed", ["images/scripts/setup.sh"])}


def test_a_profile_that_no_longer_renders_is_reported_not_a_crash(aibgen, repo):
    write(repo, "images/b.yaml", CHILD.format(n="b").replace("use: vhd", "use: vhdx"))
    r = aibgen("catalog", "diff", "main")
    assert r.code == 0 and "Traceback" not in r.err
    assert "~ changed b: images/b.yaml" in r.out
    assert "fails to render on working tree: images/b.yaml:4:10: no partial 'distributors/vhdx'" in r.out
    assert str(repo) not in r.out


def test_two_refs_and_exit_code(aibgen, repo):
    git(repo, "tag", "v1")
    write(repo, "images/c.yaml", CHILD.format(n="c") + "buildTimeoutInMinutes: 60\n")
    commit(repo, "c")
    write(repo, "images/a.yaml", CHILD.format(n="a") + "buildTimeoutInMinutes: 30\n")  # not committed: not in v2
    git(repo, "tag", "v2")
    assert statuses(report(aibgen, "v1", "v2")) == {"c": ("changed", ["images/c.yaml"])}
    assert aibgen("catalog", "diff", "v1", "v2", "--exit-code").code == 1
    assert aibgen("catalog", "diff", "v2", "v2", "--exit-code").code == 0


def test_the_repository_is_left_as_it_was(aibgen, repo):
    write(repo, "images/base.yaml", BASE.replace("sku: server", "sku: x"))
    git(repo, "add", "images/base.yaml")
    write(repo, "images/new.yaml", CHILD.format(n="new"))

    def state():
        return (git(repo, "status", "--porcelain", "--untracked-files=all"), git(repo, "for-each-ref"),
                git(repo, "worktree", "list"), git(repo, "stash", "list"), (repo / ".git/index").read_bytes(),
                sorted(p.name for p in (repo / ".git").iterdir()))

    before = state()
    assert aibgen("catalog", "diff", "main").code == 0
    assert state() == before


def test_markdown_is_a_pull_request_comment(aibgen, repo):
    write(repo, "images/base.yaml", BASE.replace("sku: server", "sku: server-gen1"))
    r = aibgen("catalog", "diff", "main", "--format", "markdown")
    assert r.code == 0, r.err
    assert "| `images/base.yaml` | modified | 3 profiles (a, b, c) |" in r.out
    assert "| `a` | changed | images/base\\.yaml | ok |" in r.out
    assert "```diff\n--- a/a.json" in r.out and r.out.count("<details>") == 3


def test_two_catalog_folders(aibgen, workdir):
    for side, sku in (("v1", "server"), ("v2", "server-gen1")):
        write(workdir, f"{side}/base.yaml", BASE.replace("sku: server", f"sku: {sku}"))
        write(workdir, f"{side}/partials/customizers/greet.json.j2", GREET)
        write(workdir, f"{side}/a.yaml", CHILD.format(n="a"))
    rep = report(aibgen, "v1", "v2", "--no-config")
    assert (rep["base"], rep["head"]) == ("v1", "v2")
    assert statuses(rep) == {"a": ("changed", ["base.yaml"])}


@pytest.mark.parametrize("args, message", [
    (["nope"], "'nope' is neither a catalog folder nor a commit, branch or tag"),
    (["main", "nope"], "'nope' is neither a catalog folder nor a commit, branch or tag"),
    (["images"], "give the folder to compare it with"),
    (["images", "missing"], "missing: no such catalog folder"),
    (["--", "-x"], "'-x' is not a git ref or a catalog folder"),
])
def test_bad_arguments_are_one_line_and_exit_2(aibgen, repo, args, message):
    r = aibgen("catalog", "diff", *args)
    assert r.code == 2 and message in r.err and len(r.err.splitlines()) == 1, r.err


def test_outside_a_repository(aibgen, workdir):
    r = aibgen("catalog", "diff", "main", "--catalog", ".", env={"GIT_CEILING_DIRECTORIES": str(workdir.parent)})
    assert r.code == 2 and "is not inside a git repository" in r.err and len(r.err.splitlines()) == 1


def test_no_catalog_root_in_the_repository(aibgen, repo):
    r = aibgen("catalog", "diff", "main", "--no-config")
    assert r.code == 2 and "no catalog root is inside the git repository" in r.err


def test_links_in_a_ref_that_lead_out_of_the_repository_are_left_out(aibgen, repo, tmp_path):
    """Each link of a chain looks inside (``l -> ..``, ``m -> l/..``), together they leave the tree."""
    secret = tmp_path / "secret.yaml"
    secret.write_text(PLAIN.replace("no greeting", "SECRET-HOST-CONTENT"), encoding="utf-8")
    git(repo, "checkout", "-q", "-b", "attack")
    images = repo / "images"
    links = ["l", "m", "n", "o", "p", "q", "r", "s", "t"]
    os.symlink("..", images / links[0])
    for prev, name in zip(links, links[1:]):
        os.symlink(f"{prev}/..", images / name)
    os.symlink(f"{links[-1]}{secret}", images / "leak.yaml")
    commit(repo, "links")
    git(repo, "checkout", "-q", "main")
    r = aibgen("catalog", "diff", "main", "attack", "--format", "json")
    assert r.code == 0, r.err
    assert "SECRET-HOST-CONTENT" not in r.out and "leak" not in {p["name"] for p in json.loads(r.out)["profiles"]}


def test_a_folder_that_is_also_a_git_ref_is_taken_as_the_folder_with_a_note(aibgen, repo):
    git(repo, "branch", "v1")
    write(repo, "v1/a.yaml", CHILD.format(n="a") + "tags: {folder: v1}\n")
    write(repo, "v1/base.yaml", BASE)
    write(repo, "v2/a.yaml", CHILD.format(n="a"))
    write(repo, "v2/base.yaml", BASE)
    r = aibgen("catalog", "diff", "v1", "v2", "--format", "json")
    assert r.code == 0, r.err
    assert "note: v1 is both a folder and a git ref; comparing the folder (write v1^0 for the git ref, " in r.err
    assert "v2" not in r.err and len(r.err.splitlines()) == 1
    assert statuses(json.loads(r.out))["a"][0] == "changed"  # the folders were compared
    r = aibgen("catalog", "diff", "./v1", "./v2", "--format", "json")
    assert r.code == 0 and r.err == ""
    r = aibgen("catalog", "diff", "v1^0", "--format", "json")
    assert r.code == 0 and r.err == "" and json.loads(r.out)["base"] == "v1^0"


def test_with_refs_each_side_reads_aibgen_yaml_as_that_ref_has_it(aibgen, repo):
    """The catalog moved from images/ to catalog/ (aibgen.yaml with it): nothing is added or removed."""
    git(repo, "mv", "images", "catalog")
    (repo / "aibgen.yaml").write_text("catalog: catalog\n")
    commit(repo, "move the catalog")
    git(repo, "branch", "moved")
    write(repo, "catalog/b.yaml", CHILD.format(n="b") + "tags: {team: b}\n")
    for args in (["main"], ["main", "moved"], ["moved", "main"]):
        rep = report(aibgen, *args)
        assert rep["summary"]["added"] == rep["summary"]["removed"] == 0, (args, rep["summary"])
    assert statuses(report(aibgen, "main")) == {"b": ("changed", ["catalog/b.yaml"])}


def test_a_ref_without_the_configuration_has_only_the_other_roots(aibgen, repo):
    (repo / "aibgen.yaml").unlink()
    commit(repo, "no configuration")
    git(repo, "branch", "bare")
    (repo / "aibgen.yaml").write_text("catalog: images\n")
    rep = report(aibgen, "bare")
    assert rep["summary"]["added"] == 4 and rep["summary"]["removed"] == 0  # a, b, c, plain


def test_a_broken_configuration_in_a_ref_is_named_by_ref_and_path(aibgen, repo):
    git(repo, "checkout", "-q", "-b", "broken")
    (repo / "aibgen.yaml").write_text("catalog: [images\n")
    commit(repo, "broken")
    git(repo, "checkout", "-q", "main")
    r = aibgen("catalog", "diff", "broken", "--format", "json")
    assert r.code == 2 and r.err.startswith("error: broken:aibgen.yaml:2:1:") and len(r.err.splitlines()) == 1


WEB = ("description: web\nextends: ubuntu-gen2-vhd\ncustomize:\n  - use: shell\n    name: s\n"
       "    script: {script}\n    with: {{scriptUri: 'https://x.blob.core.windows.net/s/s.sh'}}\n")


@pytest.fixture
def project(repo):
    """The repository's catalog (named by aibgen.yaml) with a profile whose script lies outside it."""
    write(repo, "scripts/s.sh", "echo one\n")
    write(repo, "images/web.yaml", WEB.format(script="../scripts/s.sh"))
    commit(repo, "web")
    return repo


def _checksum_changed(rep: dict) -> None:
    web = next(p for p in rep["profiles"] if p["name"] == "web")
    assert web["baseError"] is None and web["headError"] is None, web
    changed = [line for line in web["diff"].splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert [line.split(":")[0].strip() for line in changed] == ['-        "sha256Checksum"', '+        "sha256Checksum"']


def test_a_project_script_outside_the_catalog_is_a_cause_by_its_repository_path(aibgen, project):
    write(project, "scripts/s.sh", "echo two\n")
    rep = report(aibgen, "main")
    assert statuses(rep) == {"web": ("changed", ["scripts/s.sh"])}
    assert rep["files"] == [{"file": "scripts/s.sh", "change": "modified", "profiles": ["web"]}]
    _checksum_changed(rep)
    r = aibgen("catalog", "diff", "main")
    assert r.code == 0 and "fails to render" not in r.out and str(project) not in r.out and "aibgen-diff" not in r.out
    assert "~ changed web: scripts/s.sh" in r.out and "  M scripts/s.sh: 1 profile (web)" in r.out


def test_a_project_script_between_two_refs(aibgen, project):
    git(project, "tag", "v1")
    write(project, "scripts/s.sh", "echo two\n")
    commit(project, "two")
    git(project, "tag", "v2")
    write(project, "scripts/s.sh", "echo three\n")  # not committed: in neither ref
    rep = report(aibgen, "v1", "v2")
    assert statuses(rep) == {"web": ("changed", ["scripts/s.sh"])}
    _checksum_changed(rep)
    assert statuses(report(aibgen, "v2", "v2")) == {}


def test_a_project_script_a_ref_does_not_have_fails_to_render_there(aibgen, project):
    (project / "scripts/s.sh").unlink()
    commit(project, "no script")
    git(project, "tag", "gone")
    write(project, "scripts/s.sh", "echo one\n")
    rep = report(aibgen, "gone")
    web = next(p for p in rep["profiles"] if p["name"] == "web")
    assert web["status"] == "changed" and web["headError"] is None, web
    assert "scripts/s.sh" in web["baseError"] and "aibgen-diff" not in web["baseError"], web["baseError"]
    assert statuses(report(aibgen, "gone", "gone")) == {}  # missing on both sides: the same error, no change


def test_a_script_that_leaves_the_project_stays_refused_and_is_not_copied(aibgen, project, tmp_path):
    outside = project.parent / "outside.sh"
    outside.write_text("echo out\n", encoding="utf-8")
    write(project, "images/web.yaml", WEB.format(script="../../outside.sh"))
    commit(project, "outside")
    git(project, "tag", "out")
    write(project, "images/web.yaml", WEB.format(script="../../outside.sh") + "tags: {a: b}\n")  # rendered
    r = aibgen("catalog", "diff", "out", "--format", "json")
    assert r.code == 0, r.err
    web = next(p for p in json.loads(r.out)["profiles"] if p["name"] == "web")
    assert web["status"] == "unchanged" and web["causes"] == [], web
    assert web["baseError"] == web["headError"] and "'../../outside.sh' leads outside the project .;" in web["baseError"]
    assert "aibgen-diff" not in r.out and str(project) not in r.out


def test_a_catalog_the_ref_configuration_does_not_name_keeps_its_files_inside(aibgen, project):
    """In a ref whose aibgen.yaml names no catalog, --catalog images may not read ../scripts."""
    (project / "aibgen.yaml").write_text("validate: {ignore: [AIB304]}\n")
    commit(project, "no catalog")
    git(project, "tag", "plain")
    write(project, "images/web.yaml", WEB.format(script="../scripts/s.sh") + "tags: {a: b}\n")  # rendered
    rep = report(aibgen, "plain", "--catalog", "images")
    web = next(p for p in rep["profiles"] if p["name"] == "web")
    assert web["status"] == "unchanged" and web["baseError"] == web["headError"], web
    assert "'../scripts/s.sh' leads outside the catalog root images;" in web["baseError"], web


def test_a_project_script_that_is_a_link_out_of_the_repository_is_left_out(aibgen, project, tmp_path):
    import hashlib

    secret = tmp_path / "secret.sh"
    secret.write_text("SECRET\n", encoding="utf-8")
    git(project, "tag", "before")
    (project / "scripts/s.sh").unlink()
    os.symlink(str(secret), project / "scripts/s.sh")
    commit(project, "link")
    r = aibgen("catalog", "diff", "before", "main", "--format", "json")
    assert r.code == 0, r.err
    web = next(p for p in json.loads(r.out)["profiles"] if p["name"] == "web")
    assert "scripts/s.sh: cannot read" in (web["headError"] or ""), web
    assert hashlib.sha256(b"SECRET\n").hexdigest() not in r.out

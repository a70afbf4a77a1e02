"""`aibgen scaffold`: repositories from cookiecutter templates that pass their own CI as written."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, read_terminal

BIN = Path(sys.executable).parent
SCAFFOLDS = ROOT / "aibgen" / "scaffolds"


def _env(workdir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIBGEN_", "COOKIECUTTER"))}
    env.update(HOME=str(workdir.parent / "home"), NO_COLOR="1", PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    env.update(extra)
    return env


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _sh(args, cwd, env, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, (args, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc


def test_list_shows_built_in_and_catalog_scaffolds_with_their_origin(aibgen, workdir):
    org = workdir / "org" / "scaffolds"
    shutil.copytree(SCAFFOLDS / "image-repo", org / "image-repo")
    (org / "team-repo" / "{{cookiecutter.name}}").mkdir(parents=True)
    (org / "team-repo" / "cookiecutter.json").write_text('{"name": "x"}')
    (org / "not-a-scaffold").mkdir()
    run = aibgen("scaffold", "--list", "--catalog", "org", "--format", "json")
    assert run.code == 0, run.err
    rows = {r["name"]: r for r in json.loads(run.out)["scaffolds"]}
    assert set(rows) == {"catalog", "image-repo", "team-repo"}
    assert rows["catalog"]["origin"] == "built-in"
    assert rows["image-repo"]["origin"].endswith("org") and rows["image-repo"]["shadows"] == ["built-in"]
    text = aibgen("scaffold", "--list", "--catalog", "org")
    assert any(line.startswith("image-repo") and "(shadows built-in)" in line for line in text.out.splitlines())


def test_path_prints_the_cookiecutter_template(aibgen):
    run = aibgen("scaffold", "image-repo", "--path")
    assert run.code == 0, run.err
    assert (Path(run.out.strip()) / "cookiecutter.json").is_file()


@pytest.mark.parametrize("profile, ci, os_name", [("ubuntu-sig", "github", "linux"),
                                                  ("win-update-sig", "azure-pipelines", "windows"),
                                                  ("ubuntu-gen2-vhd", "both", "linux")])
def test_image_repo_passes_its_own_check_as_written(aibgen, workdir, profile, ci, os_name):
    run = aibgen("scaffold", "image-repo", "--no-input", "--profile", profile, "--set", f"ci={ci}",
                 "--set", "repo_name=golden", "-o", "golden")
    assert run.code == 0, run.err
    repo = workdir / "golden"
    files = set(_tree(repo))
    assert {"aibgen.yaml", "images/golden.yaml", "ci/check.sh", "ci/build.sh", "README.md",
            ".pre-commit-config.yaml"} <= files
    assert (".github/workflows/images.yml" in files) == (ci in ("github", "both"))
    assert ("azure-pipelines.yml" in files) == (ci in ("azure-pipelines", "both"))
    assert ("scripts/hello.sh" in files, "scripts/hello.ps1" in files) == (os_name == "linux", os_name == "windows")
    assert os.access(repo / "ci" / "check.sh", os.X_OK)
    env = _env(workdir)
    _sh(["git", "init", "-q"], repo, env)
    _sh(["ci/check.sh"], repo, env)
    template = json.loads((repo / "out" / "golden.json").read_text())
    step = next(s for s in template["properties"]["customize"] if s["name"] == "hello")
    script = (repo / "scripts" / ("hello.sh" if os_name == "linux" else "hello.ps1")).read_bytes()
    import hashlib

    assert step["sha256Checksum"] == hashlib.sha256(script).hexdigest()
    assert step["scriptUri"] == "https://contosoimages.blob.core.windows.net/scripts/" + Path(step["scriptUri"]).name
    sarif = json.loads((repo / "out" / "aibgen.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert ("galleryImageId" in (repo / "images" / "golden.yaml").read_text()) == (profile != "ubuntu-gen2-vhd")


def test_check_script_fails_when_an_image_has_errors(aibgen, workdir):
    assert aibgen("scaffold", "image-repo", "--no-input", "-o", "r").code == 0
    repo = workdir / "r"
    profile = repo / "images" / "r.yaml"
    profile.write_text(profile.read_text() + "vmProfile:\n  vmSize: 42\n")
    proc = _sh(["ci/check.sh"], repo, _env(workdir), check=False)
    assert proc.returncode != 0


def test_ci_files_pass_the_published_schemas(aibgen, workdir):
    assert aibgen("scaffold", "image-repo", "--no-input", "--set", "ci=both", "-o", "r").code == 0
    assert aibgen("scaffold", "catalog", "--no-input", "--set", "ci=both", "-o", "c").code == 0
    cjs = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    assert cjs, "check-jsonschema is part of the test extra"
    env = _env(workdir)
    for schema, files in (("vendor.github-workflows", ["r/.github/workflows/images.yml", "c/.github/workflows/catalog.yml"]),
                          ("vendor.azure-pipelines", ["r/azure-pipelines.yml", "c/azure-pipelines.yml"])):
        # the Azure Pipelines schema's patterns are ECMAScript without the unicode flag
        _sh([cjs, "--builtin-schema", schema, "--regex-variant", "nonunicode", *files], workdir, env)
    for schema, rel, old, new in (("vendor.github-workflows", "r/.github/workflows/images.yml", "runs-on:", "runs-onn:"),
                                  ("vendor.azure-pipelines", "r/azure-pipelines.yml", "condition:", "conditionn:")):
        broken = workdir / rel
        broken.write_text(broken.read_text().replace(old, new, 1))
        proc = _sh([cjs, "--builtin-schema", schema, "--regex-variant", "nonunicode", rel], workdir, env, check=False)
        assert proc.returncode == 1, proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["image-repo", "catalog"])
def test_plain_cookiecutter_gives_the_same_tree(aibgen, workdir, name):
    path = aibgen("scaffold", name, "--path").out.strip()
    env = _env(workdir)
    _sh([str(BIN / "cookiecutter"), "--no-input", path, "-o", "plain"], workdir, env)
    [plain] = list((workdir / "plain").iterdir())
    run = aibgen("scaffold", name, "--no-input", "-o", f"ours/{plain.name}")
    assert run.code == 2 and "does not exist" in run.err  # the parent folder must exist
    (workdir / "ours").mkdir()
    assert aibgen("scaffold", name, "--no-input", "-o", f"ours/{plain.name}").code == 0
    assert _tree(plain) == _tree(workdir / "ours" / plain.name)
    modes = {p.relative_to(plain).as_posix(): p.stat().st_mode for p in plain.rglob("*") if p.is_file()}
    assert modes == {p.relative_to(workdir / "ours" / plain.name).as_posix(): p.stat().st_mode
                     for p in (workdir / "ours" / plain.name).rglob("*") if p.is_file()}


def test_plain_cookiecutter_refuses_a_bad_answer_through_the_hook(aibgen, workdir):
    path = aibgen("scaffold", "image-repo", "--path").out.strip()
    proc = _sh([str(BIN / "cookiecutter"), "--no-input", path, "-o", "plain", "location=mars"], workdir,
               _env(workdir), check=False)
    assert proc.returncode != 0
    assert "answer 'location': 'mars' is not a region where Image Builder runs" in proc.stderr
    assert not (workdir / "plain").exists() or list((workdir / "plain").iterdir()) == []


def test_pre_commit_hooks_of_this_repository_run_in_the_generated_repository(aibgen, workdir, tmp_path):
    assert aibgen("scaffold", "image-repo", "--no-input", "-o", "r").code == 0
    repo = workdir / "r"
    env = _env(workdir, PRE_COMMIT_HOME=str(tmp_path / "pre-commit"), PIP_DISABLE_PIP_VERSION_CHECK="1")
    _sh(["git", "init", "-q"], repo, env)
    (repo / "templates").mkdir()
    good = json.loads(json.dumps(_built(repo, env)))
    (repo / "templates" / "good.json").write_text(json.dumps(good, indent=2))
    (repo / "package.json").write_text('{"name": "not a template"}')
    _sh(["git", "add", "-A"], repo, env)
    pre_commit = [sys.executable, "-m", "pre_commit"]
    for hook in ("aibgen-validate", "aibgen-catalog-lint"):
        _sh([*pre_commit, "try-repo", str(ROOT), hook, "--all-files"], repo, env)
    _sh([*pre_commit, "run", "--all-files"], repo, env)  # the repository's own configuration
    good["properties"]["source"]["type"] = "PlatformImag"
    (repo / "templates" / "good.json").write_text(json.dumps(good, indent=2))
    _sh(["git", "add", "-A"], repo, env)
    failed = _sh([*pre_commit, "try-repo", str(ROOT), "aibgen-validate", "--all-files"], repo, env, check=False)
    assert failed.returncode == 1 and "AIB" in failed.stdout


def _built(repo: Path, env: dict) -> dict:
    (repo / "out").mkdir(exist_ok=True)
    _sh(["aibgen", "new", "-p", "r", "--no-input", "-o", "out/r.json"], repo, env)
    return json.loads((repo / "out" / "r.json").read_text())


def test_into_adds_only_missing_files_and_lists_the_others(aibgen, workdir):
    repo = workdir / "existing"
    (repo / "ci").mkdir(parents=True)
    (repo / "README.md").write_text("mine\n")
    (repo / "ci" / "check.sh").write_text("#!/bin/sh\necho mine\n")
    run = aibgen("scaffold", "image-repo", "--no-input", "--into", "existing")
    assert run.code == 0, run.err
    assert (repo / "README.md").read_text() == "mine\n"
    assert (repo / "ci" / "check.sh").read_text() == "#!/bin/sh\necho mine\n"
    assert "kept existing/README.md (it exists)" in run.err and "kept existing/ci/check.sh" in run.err
    assert (repo / "images" / "existing.yaml").is_file() and (repo / "aibgen.yaml").is_file()
    again = aibgen("scaffold", "image-repo", "--no-input", "--into", "existing")
    assert again.code == 2 and "nothing was written" in again.err
    assert [p.name for p in workdir.iterdir()] == ["existing"]  # no staging folder left


def test_into_never_writes_through_a_link_that_leaves_the_folder(aibgen, workdir):
    outside = workdir.parent / "outside"
    outside.mkdir()
    repo = workdir / "existing"
    repo.mkdir()
    (repo / "ci").symlink_to(outside)
    run = aibgen("scaffold", "image-repo", "--no-input", "--into", "existing")
    assert run.code == 2 and "leads outside" in run.err
    assert list(outside.iterdir()) == [] and list(repo.iterdir()) == [repo / "ci"]


def test_force_writes_over_the_files_of_a_folder_and_keeps_the_others(aibgen, workdir):
    (workdir / "r").mkdir()
    (workdir / "r" / "README.md").write_text("old\n")
    (workdir / "r" / "NOTES").write_text("keep\n")
    assert aibgen("scaffold", "image-repo", "--no-input", "-o", "r").code == 2
    run = aibgen("scaffold", "image-repo", "--no-input", "-o", "r", "--force")
    assert run.code == 0, run.err
    assert (workdir / "r" / "README.md").read_text().startswith("# r")
    assert (workdir / "r" / "NOTES").read_text() == "keep\n"


def test_replay_uses_the_answers_of_the_last_run(aibgen, workdir):
    first = aibgen("scaffold", "image-repo", "--no-input", "--profile", "win-update-sig", "--set", "location=eastus",
                   "--set", "image_name=win-web", "-o", "one")
    assert first.code == 0, first.err
    assert (workdir.parent / "home" / ".cookiecutter_replay" / "image-repo.json").is_file()
    again = aibgen("scaffold", "image-repo", "--replay", "-o", "two", "--set", "ci=both")
    assert again.code == 0, again.err
    text = (workdir / "two" / "images" / "win-web.yaml").read_text()
    assert "extends: win-update-sig" in text and '"eastus"' in text
    assert (workdir / "two" / "azure-pipelines.yml").is_file()


def test_profile_parameters_no_question_covers_get_their_examples_or_set(aibgen, workdir):
    run = aibgen("scaffold", "image-repo", "--no-input", "--profile", "ubuntu-private-vnet", "-o", "v",
                 "--set", "subnetId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/n/providers/"
                          "Microsoft.Network/virtualNetworks/v/subnets/s")
    assert run.code == 0, run.err
    text = (workdir / "v" / "images" / "v.yaml").read_text()
    assert "virtualNetworks/v/subnets/s" in text and "stagingResourceGroup" in text
    _sh(["ci/check.sh"], workdir / "v", _env(workdir))


def test_catalog_package_lints_clean_and_its_scaffold_works(aibgen, workdir):
    run = aibgen("scaffold", "catalog", "--no-input", "--set", "org=fabrikam", "-o", "cat")
    assert run.code == 0, run.err
    package = workdir / "cat" / "src" / "fabrikam_aibgen_catalog"
    assert (package / "fabrikam-ubuntu.yaml").is_file()
    assert (package / "partials" / "customizers" / "fabrikam-baseline.json.j2").read_text().count("json_object") == 1
    lint = aibgen("catalog", "lint", "--catalog", str(package), "--format", "json")
    assert lint.code == 0, lint.out + lint.err
    assert "fabrikam-ubuntu" in {p["name"] for p in json.loads(lint.out)["profiles"]}
    made = aibgen("scaffold", "fabrikam-image-repo", "--catalog", str(package), "--no-input", "-o", "img")
    assert made.code == 0, made.err
    rendered = aibgen("new", "-p", "img", "--catalog", str(package), "--example-values", "-o", "-", cwd=workdir / "img")
    assert rendered.code == 0, rendered.err
    assert json.loads(rendered.out)["tags"]["owner"] == "fabrikam"


def test_ctrl_c_during_the_prompts_leaves_nothing(workdir):
    import pty
    import signal
    import time

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "aibgen", "scaffold", "image-repo"], cwd=workdir, env=_env(workdir),
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    seen = _read_until(master, b"Name of the repository")
    os.write(master, b"my-repo\n")
    seen += _read_until(master, b"Name of the image")
    os.write(master, b"\n")
    seen += _read_until(master, b"Catalog profile")
    os.write(master, b"no-such-profile\n")
    seen += _read_until(master, b"Catalog profile")
    assert b"no profile named 'no-such-profile'" in seen
    for _ in range(6):  # a signal landing between the prompt and Python's read waits for it: press again
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=5)
            break
        except subprocess.TimeoutExpired:
            continue
    assert proc.wait(timeout=30) == 130
    _read_until(master, b"interrupted", timeout=5)
    os.close(master)
    assert list(workdir.iterdir()) == []


def _read_until(fd: int, needle: bytes, timeout: float = 60) -> bytes:
    seen = read_terminal(fd, needle, timeout)
    assert needle in seen, seen[-500:]
    return seen


@pytest.mark.parametrize("args", [["--help"], ["catalog", "list"], ["validate", "t.json"],
                                  ["new", "-p", "ubuntu-gen2-vhd", "--example-values", "-o", "-"],
                                  ["scaffold", "--list"]])
def test_only_rendering_a_scaffold_imports_cookiecutter(workdir, args):
    (workdir / "t.json").write_text("{}")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "aibgen", *args], cwd=workdir,
                          env=_env(workdir), capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "aibgen" in proc.stderr and " cookiecutter" not in proc.stderr


def test_answers_are_text_never_templates(aibgen, workdir):
    """cookiecutter renders the values it is given as Jinja, and the paths it writes to again;
    aibgen hands it answers it never renders, and refuses Jinja where a path would hold it."""
    run = aibgen("scaffold", "image-repo", "--no-input", "--set", "parameters.vmSize={{ cycler.__init__.__globals__ }}",
                 "-o", "r")
    assert run.code == 0, run.err
    assert '"{{ cycler.__init__.__globals__ }}"' in (workdir / "r" / "images" / "r.yaml").read_text()
    named = aibgen("scaffold", "image-repo", "--no-input", "--set", "repo_name={{7+7}}", "--set", "image_name=img")
    assert named.code == 2 and "answer 'repo_name': names a file or folder" in named.err
    (workdir / "{{6+6}}").mkdir()
    inside = aibgen("scaffold", "image-repo", "--no-input", "-o", "x", cwd=workdir / "{{6+6}}")
    assert inside.code == 2 and "which cookiecutter reads as a template" in inside.err
    odd = aibgen("scaffold", "image-repo", "--no-input", "-o", "{{6-7}}")
    assert odd.code == 2 and "'{{6-7}}' is not a valid name" in odd.err  # the image name it gave
    assert sorted(p.name for p in workdir.iterdir()) == ["r", "{{6+6}}"] and list((workdir / "{{6+6}}").iterdir()) == []


@pytest.mark.parametrize("words, cword, expected", [
    ("aibgen scaffold ", 2, {"catalog", "image-repo"}),
    ("aibgen scaffold --catalog org im", 4, {"image-repo", "images-team"}),
    ("aibgen scaffold image-repo --set ide", 4, {"identity="}),
    ("aibgen scaffold images-team --catalog org --set ", 6, {"team="}),
    ("aibgen scaffold nosuch --set ", 4, set()),
])
def test_scaffold_names_and_questions_complete(workdir, words, cword, expected):
    team = workdir / "org" / "scaffolds" / "images-team"
    (team / "{{cookiecutter.team}}").mkdir(parents=True)
    (team / "cookiecutter.json").write_text('{"team": "x"}')
    env = _env(workdir, _AIBGEN_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD=str(cword))
    proc = subprocess.run([sys.executable, "-m", "aibgen"], cwd=workdir, env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == ""
    assert {line.split(",", 1)[1] for line in proc.stdout.splitlines() if line} == expected


def test_parameters_as_json_are_checked_and_kept(aibgen, workdir):
    run = aibgen("scaffold", "image-repo", "--no-input", "-o", "r",
                 "--set", 'parameters={"vmSize": "Standard_D4s_v3", "buildTimeout": 90}')
    assert run.code == 0, run.err
    text = (workdir / "r" / "images" / "r.yaml").read_text()
    assert '"Standard_D4s_v3"' in text and "default: 90" in text
    bad = aibgen("scaffold", "image-repo", "--no-input", "-o", "s", "--set", 'parameters={"buildTimeout": "abc"}')
    assert bad.code == 2 and "answer 'parameters.buildTimeout'" in bad.err and not (workdir / "s").exists()


def test_an_empty_folder_is_filled_in_place(aibgen, workdir):
    """An empty destination (a mount point cannot be replaced) gets the files; the folder stays the same one."""
    (workdir / "vol").mkdir()
    inode = (workdir / "vol").stat().st_ino
    run = aibgen("scaffold", "image-repo", "--no-input", "-o", "vol")
    assert run.code == 0, run.err
    assert (workdir / "vol").stat().st_ino == inode and (workdir / "vol" / "images" / "vol.yaml").is_file()


def test_answers_that_cannot_be_saved_for_replay_cost_only_replay(aibgen, workdir):
    home = workdir.parent / "home-file"
    home.write_text("not a folder")
    run = aibgen("scaffold", "image-repo", "--no-input", "-o", "r")  # fixture's HOME: saved
    assert run.code == 0 and "not saved" not in run.err
    proc = subprocess.run([sys.executable, "-m", "aibgen", "scaffold", "image-repo", "--no-input", "-o", "s"],
                          cwd=workdir, env=_env(workdir, HOME=str(home)), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "note: the answers were not saved for --replay" in proc.stderr and (workdir / "s" / "ci").is_dir()


def test_into_says_when_it_kept_an_aibgen_yaml(aibgen, workdir):
    (workdir / "ex").mkdir()
    (workdir / "ex" / "aibgen.yaml").write_text("catalog: profiles\n")
    run = aibgen("scaffold", "image-repo", "--no-input", "--into", "ex")
    assert run.code == 0, run.err
    assert "ex/aibgen.yaml is yours; the scaffold's version names its catalog and default profile" in run.err
    assert (workdir / "ex" / "aibgen.yaml").read_text() == "catalog: profiles\n"


def test_replay_passes_over_questions_the_scaffold_no_longer_asks(aibgen, workdir):
    replay = workdir.parent / "home" / ".cookiecutter_replay"
    replay.mkdir(parents=True)
    (replay / "image-repo.json").write_text(json.dumps({"cookiecutter": {"old_question": "v", "location": "eastus",
                                                                         "repo_name": None}}))
    run = aibgen("scaffold", "image-repo", "--replay", "-o", "r")
    assert run.code == 0, run.err
    assert '"eastus"' in (workdir / "r" / "images" / "r.yaml").read_text()
    (replay / "image-repo.json").write_text('{"cookiecutter": []}')
    bad = aibgen("scaffold", "image-repo", "--replay", "-o", "s")
    assert bad.code == 2 and "holds no answers" in bad.err


def test_a_noisy_hook_is_shown_only_at_its_end(aibgen, workdir):
    team = workdir / "org" / "scaffolds" / "noisy"
    (team / "{{cookiecutter.name}}").mkdir(parents=True)
    (team / "{{cookiecutter.name}}" / "f").write_text("")
    (team / "cookiecutter.json").write_text('{"name": "x"}')
    (team / "hooks").mkdir()
    (team / "hooks" / "post_gen_project.py").write_text("for i in range(100000):\n    print('line', i)\n")
    run = aibgen("scaffold", "noisy", "--catalog", "org", "--no-input", "-o", "r")
    assert run.code == 0, run.err
    assert "line 99999" in run.err and "line 0\n" not in run.err and len(run.err.splitlines()) < 50


def test_terminated_run_leaves_no_temporary_folder(workdir):
    import signal
    import time

    slow = workdir / "org" / "scaffolds" / "slow"
    (slow / "{{cookiecutter.name}}").mkdir(parents=True)
    (slow / "{{cookiecutter.name}}" / "f").write_text("")
    (slow / "cookiecutter.json").write_text('{"name": "x"}')
    (slow / "hooks").mkdir()
    (slow / "hooks" / "pre_gen_project.py").write_text("import time\ntime.sleep(5)\n")
    (workdir / "out").mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "aibgen", "scaffold", "slow", "--catalog", "org", "--no-input",
                             "-o", "out/r"], cwd=workdir, env=_env(workdir), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not list((workdir / "out").glob(".aibgen-scaffold-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # cookiecutter is in the hook
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in err
    assert list((workdir / "out").iterdir()) == []


def test_the_image_repository_pins_this_version_of_aibgen():
    from aibgen import __version__

    spec = json.loads((SCAFFOLDS / "image-repo" / "cookiecutter.json").read_text())
    assert spec["_aibgen_requirement"] == f"aibgen=={__version__}"
    catalog = json.loads((SCAFFOLDS / "catalog" / "cookiecutter.json").read_text())
    assert catalog["_aibgen_requirement"] == f"aibgen>={__version__}"

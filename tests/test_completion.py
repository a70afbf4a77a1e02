"""Shell completion: what each option completes, in a real process as the shell runs it.

Each test sets ``_AIBGEN_COMPLETE`` with the words typed so far, as the scripts of
``aibgen completion`` do, and reads the candidates; the scripts themselves are loaded by
bash, zsh and fish when those are installed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROFILE = ("description: {what}\nextends: linux-base\n{extra}source:\n  use: platform-image\n"
           "  with: {{publisher: Canonical, offer: o, sku: s}}\ndistribute:\n  - use: vhd\n")


def profile(folder: Path, name: str, what: str = "d", extra: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(PROFILE.format(what=what, extra=extra), encoding="utf-8")


def environment(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIBGEN_", "_AIBGEN_", "COMP_"))}
    env.update(HOME=str(tmp_path), NO_COLOR="1", **extra)
    return env


def complete(cwd: Path, line: str, shell: str = "bash", **env) -> list[str]:
    """The candidates for the last word of ``line`` (a trailing space: a new, empty word)."""
    words = line.split(" ")
    proc = subprocess.run([sys.executable, "-m", "aibgen"], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env=environment(cwd, _AIBGEN_COMPLETE=f"{shell}_complete", COMP_WORDS=line,
                                          COMP_CWORD=str(len(words) - 1), **env))
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    return [row.split(",", 1)[1] for row in proc.stdout.splitlines() if row]


@pytest.fixture
def work(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def test_profile_names_come_from_the_built_in_catalog(work):
    assert complete(work, "aibgen new --profile ubuntu-s") == ["ubuntu-sig", "ubuntu-sig-staged"]
    assert complete(work, "aibgen catalog show win2") == ["win2022-managed-image", "win2025-trusted-launch-sig"]


def test_new_leaves_out_abstract_profiles_that_catalog_show_and_extends_offer(work):
    profile(work / "cat", "acme-base", extra="abstract: true  # a base\n")
    profile(work / "cat", "acme-web")
    assert "linux-base" not in complete(work, "aibgen new -p linux-")
    assert complete(work, "aibgen new --catalog cat -p acme-") == ["acme-web"]
    assert "linux-base" in complete(work, "aibgen catalog show linux-")
    assert complete(work, "aibgen import --catalog cat --extends acme-") == ["acme-base", "acme-web"]


def test_profiles_of_every_root_complete(work, tmp_path):
    profile(work / "typed", "from-option")
    profile(tmp_path / "env", "from-env")
    profile(work / "project", "from-config")
    (work / "aibgen.yaml").write_text("catalog: project\n", encoding="utf-8")
    found = complete(work, "aibgen new --catalog typed -p from-", AIBGEN_CATALOG_PATH=str(tmp_path / "env"))
    assert found == ["from-config", "from-env", "from-option"]
    assert complete(work, "aibgen new --no-config -p from-") == []


def test_profiles_of_an_installed_catalog_package_complete(work, tmp_path):
    site = tmp_path / "site"
    profile(site / "contoso_images", "contoso-web")
    (site / "contoso_images" / "__init__.py").write_text("", encoding="utf-8")
    install(site, "contoso", "aibgen.catalogs", "contoso_images")
    assert complete(work, "aibgen new -p contoso", PYTHONPATH=str(site)) == ["contoso-web"]


def test_parameter_names_of_the_profile_given_complete_after_set(work):
    names = complete(work, "aibgen new -p ubuntu-gen2-vhd --set ")
    assert {"identity=", "location=", "vmSize="} <= set(names) and all(n.endswith("=") for n in names)
    assert complete(work, "aibgen new -p ubuntu-gen2-vhd --set loc") == ["location="]
    assert complete(work, "aibgen new --set identity=x --profile ubuntu-gen2-vhd --set vm") == ["vmSize="]


def test_set_completes_nothing_without_a_profile_or_after_the_equals_sign(work):
    assert complete(work, "aibgen new --set ") == []
    assert complete(work, "aibgen new -p ubuntu-gen2-vhd --set location=") == []
    assert complete(work, "aibgen new -p no-such-profile --set ") == []


def test_parameters_of_a_profile_from_a_typed_catalog_complete(work):
    profile(work / "cat", "p", extra="parameters:\n  team: {type: string, default: web}\n")
    assert complete(work, "aibgen new --catalog cat -p p --set te") == ["team="]


def test_rule_ids_complete_after_explain_select_and_ignore(work):
    found = complete(work, "aibgen explain AIB30")
    assert "AIB301" in found and all(r.startswith("AIB30") for r in found)
    assert complete(work, "aibgen explain aib60") == complete(work, "aibgen explain AIB60")
    assert "AIB3,AIB601" in complete(work, "aibgen validate t.json --select AIB3,AIB60")
    assert "AIB104" in complete(work, "aibgen validate t.json --ignore AIB10")


def test_rules_of_plugins_complete_and_a_broken_plugin_leaves_the_built_in_ones(work, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    install(site, "contoso", "aibgen.rules", "contoso_rules",
            "from aibgen.rules import rule\n\n@rule('AIB901', 'error', 'contoso rule')\ndef r(ctx):\n    return []\n")
    assert complete(work, "aibgen explain AIB9", PYTHONPATH=str(site)) == ["AIB901"]
    install(site, "broken", "aibgen.rules", "broken_rules", "raise RuntimeError('no')\n")
    assert "AIB301" in complete(work, "aibgen explain AIB3", PYTHONPATH=str(site))


@pytest.mark.parametrize("setup, line", [
    ({}, "aibgen new --catalog missing -p "),
    ({"aibgen.yaml": "catalgo: x\n"}, "aibgen new -p "),
    ({"aibgen.yaml": "catalog: [unclosed\n"}, "aibgen catalog show "),
    ({"cat/p.yaml": "description: [x\n"}, "aibgen new --catalog cat -p p --set "),
    ({"cat/p.yaml": "description: d\nextends: p\n"}, "aibgen new --catalog cat -p p --set "),
], ids=["missing-catalog", "bad-config", "config-not-yaml", "profile-not-yaml", "extends-cycle"])
def test_a_broken_catalog_or_config_completes_nothing_and_prints_nothing(work, setup, line):
    for rel, text in setup.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text, encoding="utf-8")
    assert complete(work, line) == []


def test_paths_api_versions_and_catalog_folders_are_completed(work):
    assert complete(work, "aibgen validate tem") == ["tem"]  # type "file": the shell lists the files
    assert complete(work, "aibgen new --catalog ca") == ["ca"]
    assert complete(work, "aibgen new -p x --api-version 2025") == ["2025-10-01"]


def test_zsh_and_fish_get_candidates_with_descriptions(work):
    env = environment(work, _AIBGEN_COMPLETE="zsh_complete", COMP_WORDS="aibgen explain AIB601", COMP_CWORD="2")
    zsh = subprocess.run([sys.executable, "-m", "aibgen"], cwd=work, env=env, capture_output=True, text=True)
    assert zsh.stdout.splitlines() == ["plain", "AIB601", "No secrets in inline commands or URIs"]
    env.update(_AIBGEN_COMPLETE="fish_complete", COMP_WORDS="aibgen new -p ubuntu-sig-s", COMP_CWORD="ubuntu-sig-s")
    fish = subprocess.run([sys.executable, "-m", "aibgen"], cwd=work, env=env, capture_output=True, text=True)
    assert fish.stdout == "plain,ubuntu-sig-staged\tbuilt-in\n"


def test_completion_loads_neither_jinja_nor_jsonschema(work):
    env = environment(work, _AIBGEN_COMPLETE="bash_complete", COMP_WORDS="aibgen new -p ubuntu-sig --set ",
                      COMP_CWORD="5")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "aibgen"], cwd=work, env=env,
                          capture_output=True, text=True)
    assert "location=" in proc.stdout
    assert "jinja2" not in proc.stderr and "jsonschema" not in proc.stderr


# --- the scripts ------------------------------------------------------------------------------


def script(shell: str, work: Path) -> str:
    proc = subprocess.run([sys.executable, "-m", "aibgen", "completion", shell], cwd=work, env=environment(work),
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
    return proc.stdout


@pytest.fixture
def on_path(tmp_path):
    """PATH with an ``aibgen`` that runs this checkout (the scripts call it by name)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "aibgen"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m aibgen "$@"\n', encoding="utf-8")
    exe.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


def need(shell: str) -> str:
    found = shutil.which(shell)
    if found is None:
        pytest.skip(f"{shell} is not installed")
    return found


def test_the_bash_script_parses_and_completes(work, on_path):
    bash = need("bash")
    text = script("bash", work)
    assert subprocess.run([bash, "-n"], input=text, text=True).returncode == 0
    probe = ('eval "$(aibgen completion bash)"; COMP_WORDS=(aibgen new -p ubuntu-gen2-vhd --set loc); COMP_CWORD=5; '
             '_aibgen_completion aibgen 2>/dev/null; printf "%s\\n" "${COMPREPLY[@]}"; complete -p aibgen')
    proc = subprocess.run([bash, "--norc", "-c", probe], cwd=work, env=environment(work, PATH=on_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.splitlines() == ["location=", "complete -o nosort -F _aibgen_completion aibgen"]
    assert "compopt -o nospace" in text  # no space after "location=", so the value follows


def test_the_zsh_script_parses_and_registers(work, on_path):
    zsh = need("zsh")
    assert subprocess.run([zsh, "-n"], input=script("zsh", work), text=True).returncode == 0
    probe = 'autoload -U compinit && compinit -u && eval "$(aibgen completion zsh)" && print $_comps[aibgen]'
    proc = subprocess.run([zsh, "-f", "-c", probe], cwd=work, env=environment(work, PATH=on_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "_aibgen_completion", proc.stderr


def test_the_fish_script_parses_and_completes(work, on_path):
    fish = need("fish")
    assert subprocess.run([fish, "-n"], input=script("fish", work), text=True).returncode == 0
    probe = 'aibgen completion fish | source; complete -C "aibgen explain AIB60"'
    proc = subprocess.run([fish, "--no-config", "-c", probe], cwd=work, env=environment(work, PATH=on_path),
                          capture_output=True, text=True, timeout=60)
    assert [line.split("\t")[0] for line in proc.stdout.splitlines()] == ["AIB601", "AIB602"], proc.stderr


def test_the_help_shows_how_to_install_each_script(work):
    proc = subprocess.run([sys.executable, "-m", "aibgen", "completion", "--help"], cwd=work, env=environment(work),
                          capture_output=True, text=True)
    assert 'eval "$(aibgen completion bash)"' in proc.stdout and "~/.config/fish/completions" in proc.stdout


def install(site: Path, name: str, group: str, module: str, body: str | None = None) -> None:
    """A distribution as pip leaves it: ``module`` with an entry point ``name`` in ``group``."""
    if body is not None:
        (site / f"{module}.py").write_text(body, encoding="utf-8")
    info = site / f"{module}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[{group}]\n{name} = {module}\n", encoding="utf-8")

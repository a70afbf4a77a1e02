"""The wheel: built from the repository, installed into a fresh virtualenv, used from elsewhere."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT

PROFILES = sorted(p.stem for p in (ROOT / "catalog").glob("*.yaml") if "abstract: true" not in p.read_text())


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Path of the ``aibgen`` script in a fresh virtualenv that has only the built wheel."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    source = base / "source"  # a copy, so the build leaves nothing in the repository
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__",
                                                                ".nox", ".venv"))
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source)],
                   check=True, capture_output=True, cwd=base)
    [wheel] = dist.glob("aibgen-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, capture_output=True)
    return env_dir / "bin" / "aibgen"


def test_wheel_ships_catalog_partials_and_schemas(installed):
    import zipfile

    [wheel] = (installed.parent.parent.parent / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "aibgen/catalog/ubuntu-gen2-vhd.yaml" in names
    assert "aibgen/partials/customizers/shell.json.j2" in names
    assert "aibgen/schemas/2025-10-01.json" in names
    assert "aibgen/data/regions.json" in names


@pytest.mark.parametrize("profile", PROFILES)
def test_installed_wheel_renders_every_profile_outside_the_repo(installed, tmp_path, profile):
    proc = subprocess.run([str(installed), "new", "-p", profile, "--example-values", "--no-input", "-o", "out.json"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rendered = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert rendered == (ROOT / "tests" / "golden" / f"{profile}.json").read_text(encoding="utf-8")
    assert json.loads(rendered)["type"] == "Microsoft.VirtualMachineImages/imageTemplates"


def test_installed_catalog_list_names_built_in_origin(installed, tmp_path):
    proc = subprocess.run([str(installed), "catalog", "list"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert all(f"{p} " in proc.stdout for p in PROFILES)
    assert "built-in" in proc.stdout


def test_organisation_rule_plugin_is_found_through_its_entry_point(installed, tmp_path):
    """A package exposing rules under the `aibgen.rules` entry point adds AIB9xx rules."""
    pkg = tmp_path / "contoso_rules"
    (pkg / "contoso_rules").mkdir(parents=True)
    (pkg / "contoso_rules" / "__init__.py").write_text(
        "from aibgen.rules import rule\n\n\n"
        "@rule('AIB901', 'error', 'Templates name an owner tag')\n"
        "def owner(ctx):\n"
        "    '''Contoso templates carry an owner tag.'''\n"
        "    if 'owner' not in (ctx.resource.get('tags') or {}):\n"
        "        yield '/tags', 'add an owner tag'\n")
    (pkg / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "contoso-rules"\nversion = "1.0"\n\n'
        '[project.entry-points."aibgen.rules"]\ncontoso = "contoso_rules"\n')
    python = installed.parent / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(pkg)],
                   check=True, capture_output=True)
    try:
        template = ROOT / "tests" / "cases" / "AIB003" / "good" / "stable-version.json"
        proc = subprocess.run([str(installed), "validate", str(template), "--format", "json"],
                              cwd=tmp_path, capture_output=True, text=True)
        assert proc.returncode == 1, proc.stderr
        assert [f["rule"] for f in json.loads(proc.stdout)["findings"]] == ["AIB901"]
        explain = subprocess.run([str(installed), "explain", "AIB901"], capture_output=True, text=True)
        assert "owner tag" in explain.stdout
    finally:  # the virtualenv is shared with the other tests of this module
        subprocess.run([str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "contoso-rules"],
                       check=True, capture_output=True)


def test_catalog_installed_as_a_package_is_found_through_its_entry_point(installed, tmp_path):
    """A pip-installed package listed under `aibgen.catalogs` adds profiles and partials."""
    pkg = tmp_path / "contoso_images"
    (pkg / "contoso_images" / "partials" / "distributors").mkdir(parents=True)
    (pkg / "contoso_images" / "__init__.py").write_text("")
    (pkg / "contoso_images" / "contoso-ubuntu.yaml").write_text(
        "description: Contoso Ubuntu\nextends: ubuntu-gen2-vhd\ntags: {org: contoso}\n")
    (pkg / "contoso_images" / "partials" / "distributors" / "vhd.json.j2").write_text(
        '{{ json_object(type="VHD", runOutputName="contoso-" ~ args.get("runOutputName", template.name)) }}\n')
    (pkg / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "contoso-images"\nversion = "1.0"\n\n'
        '[project.entry-points."aibgen.catalogs"]\ncontoso = "contoso_images"\n\n'
        '[tool.setuptools.package-data]\ncontoso_images = ["*.yaml", "partials/*/*.j2"]\n')
    python = installed.parent / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(pkg)], check=True, capture_output=True)
    cleanup = [str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "contoso-images"]
    try:
        _check_contoso_catalog(installed, tmp_path)
    finally:
        subprocess.run(cleanup, check=True, capture_output=True)


def _check_contoso_catalog(installed, tmp_path):
    listing = subprocess.run([str(installed), "catalog", "list"], cwd=tmp_path, capture_output=True, text=True)
    line = next(x for x in listing.stdout.splitlines() if x.startswith("contoso-ubuntu "))
    assert "package:contoso" in line
    proc = subprocess.run([str(installed), "new", "-p", "contoso-ubuntu", "--example-values", "-o", "-"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["tags"]["org"] == "contoso"
    assert doc["properties"]["distribute"][0]["runOutputName"] == "contoso-contoso-ubuntu"


def test_wheel_ships_every_file_of_the_scaffolds(installed):
    import zipfile

    [wheel] = (installed.parent.parent.parent / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "aibgen" / "scaffolds").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert ".github/workflows/images.yml" in " ".join(shipped)
    assert shipped - names == set()


def test_installed_scaffold_makes_a_repository_that_passes_its_check(installed, tmp_path):
    proc = subprocess.run([str(installed), "scaffold", "image-repo", "--no-input", "-o", "golden"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    env = dict(os.environ, PATH=f"{installed.parent}{os.pathsep}{os.environ['PATH']}")
    check = subprocess.run(["ci/check.sh"], cwd=tmp_path / "golden", env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads((tmp_path / "golden" / "out" / "golden.json").read_text())["location"] == "westus2"


def test_scaffolded_catalog_package_is_found_once_installed(installed, tmp_path):
    """catalog scaffold -> wheel -> pip install: its profiles and scaffold come from the package."""
    python = installed.parent / "python"
    made = subprocess.run([str(installed), "scaffold", "catalog", "--no-input", "--set", "org=fabrikam", "-o",
                           "fabrikam-images"], cwd=tmp_path, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    subprocess.run([str(python), "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "dist"),
                    str(tmp_path / "fabrikam-images")], check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("fabrikam_images-0.1.0-*.whl")  # -o names the distribution
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel), "pytest"], check=True,
                   capture_output=True)
    try:
        listing = subprocess.run([str(installed), "catalog", "list"], cwd=tmp_path, capture_output=True, text=True)
        line = next(x for x in listing.stdout.splitlines() if x.startswith("fabrikam-ubuntu "))
        assert "package:fabrikam" in line
        scaffolds = subprocess.run([str(installed), "scaffold", "--list", "--format", "json"], cwd=tmp_path,
                                   capture_output=True, text=True)
        rows = {r["name"]: r["origin"] for r in json.loads(scaffolds.stdout)["scaffolds"]}
        assert rows["fabrikam-image-repo"] == "package:fabrikam"
        tests = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                               cwd=tmp_path / "fabrikam-images", capture_output=True, text=True)
        assert tests.returncode == 0 and "2 passed" in tests.stdout, tests.stdout + tests.stderr
        made = subprocess.run([str(installed), "scaffold", "fabrikam-image-repo", "--no-input", "-o", "img"],
                              cwd=tmp_path, capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
        rendered = subprocess.run([str(installed), "new", "-p", "img", "--example-values", "-o", "-"],
                                  cwd=tmp_path / "img", capture_output=True, text=True)
        assert rendered.returncode == 0, rendered.stderr
        assert json.loads(rendered.stdout)["tags"]["owner"] == "fabrikam"
    finally:
        subprocess.run([str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "fabrikam-images"],
                       check=True, capture_output=True)

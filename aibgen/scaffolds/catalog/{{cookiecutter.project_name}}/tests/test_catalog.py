"""The catalog renders and passes aibgen's checks, and aibgen finds it once installed."""
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "{{ cookiecutter.package_name }}"


def aibgen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aibgen", *args], capture_output=True, text=True)


def test_every_profile_renders_and_passes_the_checks():
    proc = aibgen("catalog", "lint", "--catalog", str(PACKAGE), "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = {p["name"] for p in json.loads(proc.stdout)["profiles"]}
    assert {p.stem for p in PACKAGE.glob("*.yaml")} <= names


def test_installed_catalog_is_found_through_its_entry_point():
    proc = aibgen("catalog", "list", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    origins = {p["name"]: p["origin"] for p in json.loads(proc.stdout)}
    assert origins["{{ cookiecutter.org }}-ubuntu"] == "package:{{ cookiecutter.org }}"

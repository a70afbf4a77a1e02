"""The house rules of the code base (DESIGN.md): one-way arrows, small modules, single sources."""
from __future__ import annotations

import ast
import re

import pytest

from conftest import ROOT

PACKAGE = ROOT / "aibgen"
SCAFFOLDS = PACKAGE / "scaffolds"  # cookiecutter templates: the files of other projects, not aibgen's modules
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts
                 and (p.parent == SCAFFOLDS or SCAFFOLDS not in p.parents))
# subpackage -> subpackages it must never import
FORBIDDEN = {
    "check": {"profiles", "render", "flows", "cli", "cloud"},
    "render": {"check", "flows", "cli", "cloud"},
    "profiles": {"check", "render", "flows", "cli", "cloud"},
    "report": {"check", "profiles", "render", "flows", "cli", "cloud"},
    "facts": {"check", "profiles", "render", "flows", "cli", "report", "rules", "cloud"},
    "sources": {"check", "profiles", "render", "flows", "cli", "report", "rules", "facts", "cloud"},
    "flows": {"cli", "cloud"},
    "convert": {"flows", "cli", "cloud"},
    "rules": {"profiles", "render", "flows", "cli", "cloud"},
    "cloud": {"profiles", "render", "check", "flows", "cli", "report", "rules", "convert"},
}


def _room(path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aibgen."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("aibgen."))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_one_way(path):
    bad = _imports(path) & FORBIDDEN.get(_room(path), set())
    assert not bad, f"{path.relative_to(ROOT)} imports aibgen.{', aibgen.'.join(sorted(bad))}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


@pytest.mark.parametrize("path", [p for p in MODULES if _room(p) != "cli"], ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_cli_prints_or_exits(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(print\(|sys\.exit\(|click\.echo\()", text, re.M)


def test_findings_take_their_severity_from_the_rule_registry():
    literal = re.compile(r'Finding\(\s*"AIB\d{3}"\s*,\s*"(error|warning|info)"')
    assert [str(p.relative_to(ROOT)) for p in MODULES if literal.search(p.read_text(encoding="utf-8"))] == []


def test_aib003_explains_every_bundled_api_version():
    from aibgen import resources
    from aibgen.rules import load_builtin

    text = load_builtin()["AIB003"].explain
    assert all(v in text for v in resources.api_versions())


def test_every_subpackage_is_packaged():
    """A subpackage setup.cfg does not list is missing from the wheel (the editable install hides it)."""
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = set(cfg["options"]["packages"].split())
    found = {"aibgen." + p.parent.relative_to(PACKAGE).as_posix().replace("/", ".")
             for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE and "__pycache__" not in p.parts
             and SCAFFOLDS not in p.parents}
    assert found - listed == set()

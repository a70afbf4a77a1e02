"""Every built-in partial is pinned by a golden file: some built-in profile with a golden renders it.

Which partials a profile renders is recorded, not guessed: each built-in profile that has
a golden file in tests/golden/ is rendered in-process exactly as ``aibgen new -p NAME
--example-values`` does (both formats), and every Jinja template the renderer creates a
context for (rendered, included or imported) is noted by its file. Profile items skipped
by ``when:``, property blocks the profile does not set, and partials only reachable
through ``{% include %}`` are therefore all counted the way the real render counts them.
"""
from __future__ import annotations

from pathlib import Path

import jinja2.environment
import pytest

from aibgen import resources
from aibgen.flows.new import Request, build
from aibgen.profiles.roots import Root, load_catalog

from conftest import ROOT

PARTIALS = ROOT / "partials"
GOLDEN = ROOT / "tests" / "golden"
SUFFIX = ".json.j2"
FORMATS = {"template": ".json", "arm": ".arm.json"}


def _goldens() -> list[tuple[str, str, Path]]:
    """``(profile, format, golden file)`` for each built-in profile's golden files."""
    found = []
    for profile in sorted(p.stem for p in (ROOT / "catalog").glob("*.yaml")):
        for fmt, suffix in FORMATS.items():
            if (GOLDEN / f"{profile}{suffix}").exists():
                found.append((profile, fmt, GOLDEN / f"{profile}{suffix}"))
    return found


def _partial_files() -> list[str]:
    """Every built-in partial, as its path under partials/ (``customizers/shell.json.j2``)."""
    return sorted(p.relative_to(PARTIALS).as_posix() for p in PARTIALS.rglob(f"*{SUFFIX}"))


class _Recorder:
    """Notes the file of every Jinja template that gets a render context."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self._original = jinja2.environment.Template.new_context

    def __call__(self, template, *args, **kwargs):
        if template.filename:
            self.files.add(template.filename)
        return self._original(template, *args, **kwargs)


@pytest.fixture(scope="module")
def renders() -> dict[tuple[str, str], tuple[str, set[str]]]:
    """``(profile, format)`` → (rendered text, built-in partials used), for every golden file."""
    builtin = Path(str(resources.builtin_partials()))
    catalog = load_catalog([Root("built-in", resources.builtin_catalog(), resources.builtin_partials())])
    out = {}
    for profile, fmt, _ in _goldens():
        recorder = _Recorder()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(jinja2.environment.Template, "new_context",
                          lambda self, *a, **kw: recorder(self, *a, **kw))
            text = build(catalog, Request(profile, format=fmt, use_examples=True)).text
        used = {Path(f).relative_to(builtin).as_posix() for f in recorder.files if Path(f).is_relative_to(builtin)}
        out[profile, fmt] = (text, used)
    return out


def test_the_package_ships_exactly_the_partials_under_partials():
    """So a partial file used by the installed package is the file of the same path here."""
    base = Path(str(resources.builtin_partials()))
    assert sorted(p.relative_to(base).as_posix() for p in base.rglob(f"*{SUFFIX}")) == _partial_files()


@pytest.mark.parametrize("profile, fmt, golden", [pytest.param(*g, id=g[2].name) for g in _goldens()])
def test_recorded_render_is_the_one_its_golden_file_pins(renders, profile, fmt, golden):
    """The partials are recorded on the very render the golden file holds, byte for byte."""
    assert renders[profile, fmt][0] == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("partial", [p for p in _partial_files() if not p.endswith("/raw.json.j2")])
def test_partial_is_rendered_by_a_profile_with_a_golden_file(renders, partial):
    """Every partial but ``raw`` (which writes what no profile of the catalog should need: items
    ``aibgen import`` keeps as written; tests/test_import.py renders it in every kind)."""
    users = sorted(f"{p} ({fmt})" for (p, fmt), (_, used) in renders.items() if partial in used)
    assert users, (f"partials/{partial} is rendered by no built-in profile that has a golden file in tests/golden/; "
                   "add a profile (or an item to one) that uses it, then run pytest --update-golden")

"""Every rule has good and bad example files under tests/cases/<RULE>/; each bad file's .expect pins what users see."""
from __future__ import annotations

from pathlib import Path

import pytest

from aibgen.check.engine import Options, check_document
from aibgen.rules import REGISTRY, Rule, load_builtin, register
from aibgen.flows.validate import validate_file
from aibgen.report.text import to_text

from conftest import TODAY

CASES = Path(__file__).resolve().parent / "cases"
EXEMPT = {
    "AIB000": "reported when a rule itself fails; see test_a_failing_rule_becomes_a_finding",
    "AIB100": "fallback for schema keywords the bundled schemas do not use",
    "AIB207": "needs a profile's imageDefinition, so its cases are profiles: tests/test_fit.py",
}


@pytest.fixture(autouse=True)
def cases_judged_on_a_fixed_day(monkeypatch):
    """Rules that depend on the date (AIB205, end of support) judge every case as of one day,
    so the .expect files stay true when the calendar moves on."""
    monkeypatch.setenv("AIBGEN_TODAY", TODAY)


def _cases(kind: str):
    return [pytest.param(p.parent.parent.name, p, id=f"{p.parent.parent.name}/{p.stem}")
            for p in sorted(CASES.glob(f"*/{kind}/*.json"))]


def _options(rule: str) -> Options:
    """Options for a rule's cases: its folder's aibgen.yaml (organisation policy) if any."""
    from aibgen import config

    cfg = config.load(CASES / rule / "aibgen.yaml") if (CASES / rule / "aibgen.yaml").exists() else config.Config()
    return Options(policy=cfg.policy, config=cfg)


@pytest.mark.parametrize("rule, path", _cases("good"))
def test_good_case_has_no_finding_of_its_rule(rule, path):
    found = [f for f in validate_file(str(path), _options(rule)) if f.rule == rule]
    assert found == []


def _shown(path: Path, rule: str) -> str:
    """What ``aibgen validate`` prints for a case file in text format, without the file-name prefix."""
    prefix = f"{path}:"
    lines = to_text(validate_file(str(path), _options(rule))).splitlines(keepends=True)
    assert all(line.startswith(prefix) for line in lines), lines
    return "".join(line[len(prefix):] for line in lines)


@pytest.mark.parametrize("rule, path", _cases("bad"))
def test_bad_case_is_flagged_by_its_rule(rule, path):
    assert rule in {f.rule for f in validate_file(str(path), _options(rule))}


@pytest.mark.parametrize("rule, path", _cases("bad"))
def test_bad_case_output_is_exactly_its_expect_file(rule, path, update_golden):
    """The .expect file pins every line a user sees: ``line:col: severity RULE message [pointer]``."""
    shown = _shown(path, rule)
    expect = path.with_suffix(".expect")
    if update_golden:
        expect.write_text(shown, encoding="utf-8")
    assert expect.exists(), f"{expect} is missing; create it with: python -m pytest tests/test_rules.py --update-golden"
    assert shown == expect.read_text(encoding="utf-8")


def test_every_expect_file_belongs_to_a_bad_case():
    strays = [p for p in CASES.glob("*/*/*.expect") if p.parent.name != "bad" or not p.with_suffix(".json").exists()]
    assert strays == []


def test_every_rule_has_good_and_bad_cases():
    missing = []
    for rid in load_builtin():
        if rid in EXEMPT:
            continue
        for kind in ("good", "bad"):
            if not list((CASES / rid / kind).glob("*.json")):
                missing.append(f"{rid}/{kind}")
    assert missing == []


def test_case_folders_name_registered_rules():
    assert {p.name for p in CASES.iterdir()} <= set(load_builtin())


def test_policy_rules_are_silent_without_a_policy():
    for rule in [r for r in load_builtin() if r.startswith("AIB7")]:
        for path in sorted((CASES / rule / "bad").glob("*.json")):
            assert [f for f in validate_file(str(path)) if f.rule == rule] == []


@pytest.mark.parametrize("rid", sorted(load_builtin()))
def test_rule_is_documented(rid):
    r = REGISTRY[rid]
    assert r.summary and len(r.explain) > len(r.summary)
    assert r.id.startswith("AIB") and r.severity in ("error", "warning", "info")


def test_registry_refuses_a_duplicate_id():
    with pytest.raises(ValueError, match="registered twice"):
        register(Rule("AIB301", "error", "again", "again"))


def test_registry_refuses_a_malformed_id():
    with pytest.raises(ValueError, match="not of the form"):
        register(Rule("X1", "error", "bad", "bad"))


def test_a_failing_rule_becomes_a_finding(monkeypatch):
    def broken(ctx):
        raise KeyError("boom")
        yield  # pragma: no cover

    load_builtin()
    monkeypatch.setitem(REGISTRY, "AIB999", Rule("AIB999", "error", "broken", "broken", broken))
    doc = {"location": "westus2", "properties": {"source": {}, "distribute": []}}
    found = [f for f in check_document(doc) if f.rule == "AIB000"]
    assert len(found) == 1 and "AIB999" in found[0].message and "KeyError" in found[0].message


def test_select_and_ignore_filter_by_prefix():
    path = str(CASES / "AIB304" / "bad" / "script-without-checksum.json")
    assert {f.rule for f in validate_file(path, Options(ignore=("AIB3",)))} == set()
    assert {f.rule for f in validate_file(path, Options(select=("AIB304",)))} == {"AIB304"}

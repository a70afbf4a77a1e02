"""aibgen/data/lifecycle.json (end of support of Marketplace images, rule AIB205) is well formed and unambiguous."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
from conftest import ROOT

from aibgen.check.engine import check_document
from aibgen.facts import lifecycle

DATA = ROOT / "aibgen" / "data" / "lifecycle.json"
ENTRIES = json.loads(DATA.read_text(encoding="utf-8"))["entries"]
REQUIRED = {"product", "publisher", "offers", "sku", "examples", "end", "support", "successor", "source", "checked"}
OPTIONAL = {"note"}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Current images no entry may claim: the newest releases, rolling "latest minor" skus, LTSC editions.
NOT_COVERED = [
    ("Canonical", "ubuntu-24_04-lts", "server"),
    ("Canonical", "ubuntu-24_04-lts", "server-gen1"),
    ("Canonical", "0001-com-ubuntu-pro-focal", "pro-20_04-lts-gen2"),
    ("RedHat", "RHEL", "8-lvm-gen2"),
    ("RedHat", "RHEL", "8_10"),
    ("RedHat", "RHEL", "810-gen2"),
    ("RedHat", "RHEL", "9-lvm-gen2"),
    ("RedHat", "rhel-byos", "rhel-lvm810-gen2"),
    ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition"),
    ("MicrosoftWindowsServer", "WindowsServer", "2025-datacenter-azure-edition"),
    ("MicrosoftWindowsDesktop", "windows-10", "rs5-enterprise-standard-g2"),
    ("MicrosoftWindowsDesktop", "windows-11", "win11-24h2-ent-ltsc"),
    ("MicrosoftWindowsDesktop", "windows-11", "win11-25h2-ent"),
    ("MicrosoftWindowsDesktop", "office-365", "win11-25h2-avd-m365"),
]


def _ids(entries):
    return [e.get("product", "?") for e in entries]


def test_the_file_has_entries():
    assert len(ENTRIES) > 10


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_entry_has_exactly_the_documented_fields(entry):
    assert REQUIRED <= set(entry) <= REQUIRED | OPTIONAL, sorted(set(entry) ^ REQUIRED)
    texts = ("product", "publisher", "sku", "support", "successor", "source")
    assert all(isinstance(entry[k], str) and entry[k].strip() for k in texts)
    assert entry["offers"] and all(isinstance(o, str) and o.strip() for o in entry["offers"])


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_entry_names_an_https_source(entry):
    assert re.fullmatch(r"https://[^\s/]+\.[^\s/]+/\S*", entry["source"]), entry["source"]


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_end_and_checked_are_iso_dates(entry):
    for key in ("end", "checked"):
        assert ISO_DAY.fullmatch(entry[key]), f"{key}: {entry[key]!r}"
        date.fromisoformat(entry[key])


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_sku_pattern_compiles_and_matches_its_examples(entry):
    pattern = re.compile(entry["sku"], re.IGNORECASE)
    assert entry["examples"], "each entry needs at least one example sku"
    assert [s for s in entry["examples"] if not pattern.fullmatch(s)] == []


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_no_other_entry_covers_its_examples(entry):
    for offer in entry["offers"]:
        for sku in entry["examples"]:
            found = [e.product for e in lifecycle.matches(entry["publisher"], offer, sku)]
            assert found == [entry["product"]], f"{entry['publisher']} {offer} {sku}: {found}"


def test_products_are_unique():
    names = _ids(ENTRIES)
    assert sorted({n for n in names if names.count(n) > 1}) == []


@pytest.mark.parametrize("publisher, offer, sku", NOT_COVERED, ids=[" ".join(i) for i in NOT_COVERED])
def test_current_images_are_not_covered(publisher, offer, sku):
    assert lifecycle.matches(publisher, offer, sku) == []


def test_lookup_ignores_case_and_reads_the_dates():
    eos = lifecycle.end_of_support("canonical", "ubuntuserver", "18.04-lts")
    assert (eos.product, eos.end, eos.support) == ("Ubuntu 18.04 LTS", date(2023, 5, 31), "standard support")
    assert lifecycle.end_of_support("Canonical", "UbuntuServer", "19.04") is None


# -- the rule's clock ---------------------------------------------------------------------------
def _aib205(sku: str, offer: str = "WindowsServer") -> list[str]:
    doc = {"location": "westus2", "properties": {
        "source": {"type": "PlatformImage", "publisher": "MicrosoftWindowsServer", "offer": offer, "sku": sku,
                   "version": "latest"},
        "distribute": [{"type": "VHD", "runOutputName": "vhd"}]}}
    return [f.message for f in check_document(doc) if f.rule in ("AIB205", "AIB000")]


@pytest.mark.parametrize("today, expected", [
    ("2026-10-13", []),                                   # 91 days before the end: quiet
    ("2026-10-14", ["reaches end of extended support on 2027-01-12"]),
    ("2027-01-12", ["reached end of extended support on 2027-01-12"]),
])
def test_aibgen_today_sets_the_day_the_rule_judges_by(monkeypatch, today, expected):
    monkeypatch.setenv("AIBGEN_TODAY", today)
    found = _aib205("2016-Datacenter")
    assert [m for m in found if not any(e in m for e in expected)] == []
    assert len(found) == len(expected)


def test_a_malformed_aibgen_today_is_named(monkeypatch):
    monkeypatch.setenv("AIBGEN_TODAY", "25/11/2026")
    [message] = _aib205("2016-Datacenter")
    assert "AIB205" in message and "AIBGEN_TODAY='25/11/2026' is not a date" in message


def test_an_expression_sku_is_not_judged(monkeypatch):
    monkeypatch.setenv("AIBGEN_TODAY", "2030-01-01")
    assert _aib205("[parameters('sku')]") == []
    assert _aib205("<sku>") == []

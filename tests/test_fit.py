"""AIB207: `aibgen new` checks the source and distributors against the profile's imageDefinition.

The profiles in tests/data/fit/ each break one requirement (or none); the CLI runs in a
subprocess and must refuse each broken one with the finding on the profile line that
caused it, and write the one that fits.
"""
from __future__ import annotations

import pytest

from conftest import DATA

FIT = DATA / "fit"

CASES = {
    "gen1-trusted": ("fit-base.yaml:6:", "2022-datacenter is a Gen1 image but securityType TrustedLaunchSupported needs V2"),
    "gen1-into-v2": ("fit-base.yaml:6:", "is a Gen1 image but the image definition is V2"),
    "trusted-v1": ("trusted-v1.yaml:4:", "securityType TrustedLaunch needs hyperVGeneration V2"),
    "trusted-managed": ("trusted-managed.yaml:9:", "a managed image cannot be used for securityType TrustedLaunchSupported"),
    "arm-definition": ("fit-base.yaml:6:", "is an x64 image but the image definition is Arm64"),
    "arm-v1": ("arm-v1.yaml:4:", "architecture Arm64 needs hyperVGeneration V2"),
    "bad-value": ("bad-value.yaml:4:", "securityType 'TrustedLunch' is not one of Standard, TrustedLaunchSupported"),
}


@pytest.mark.parametrize("profile", sorted(CASES))
def test_a_profile_that_does_not_fit_its_image_definition_is_refused(aibgen, workdir, profile):
    where, message = CASES[profile]
    r = aibgen("new", "--catalog", str(FIT), "-p", profile, "--example-values", "--no-input", "-o", "out.json")
    assert r.code == 1, (r.code, r.err)
    findings = [line for line in r.err.splitlines() if " AIB207 " in line]
    assert len(findings) == 1, r.err
    assert where in findings[0] and message in findings[0], findings[0]
    assert not (workdir / "out.json").exists()


def test_a_profile_that_fits_is_written(aibgen, workdir):
    r = aibgen("new", "--catalog", str(FIT), "-p", "fits", "--example-values", "--no-input", "-o", "out.json")
    assert r.code == 0, r.err
    assert (workdir / "out.json").exists()


def test_every_fit_profile_is_tested():
    assert {p.stem for p in FIT.glob("*.yaml")} == set(CASES) | {"fits", "fit-base"}


def test_validate_knows_no_profile_so_aib207_stays_silent(aibgen, workdir):
    """The same template, checked by `validate`, has no image definition to compare with."""
    r = aibgen("new", "--catalog", str(FIT), "-p", "fits", "--example-values", "--no-input", "-o", "t.json")
    assert r.code == 0, r.err
    text = (workdir / "t.json").read_text(encoding="utf-8").replace("2022-datacenter-g2", "2022-datacenter")
    (workdir / "t.json").write_text(text, encoding="utf-8")
    r = aibgen("validate", "t.json")
    assert "AIB207" not in r.out + r.err

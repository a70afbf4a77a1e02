"""Bad-input classes of the hardening work: names and messages (same case shape as cases.py)."""
from __future__ import annotations

CASES: list[tuple] = [
    ("new-profile-newline", "profile name with a trailing newline", {}, ["new", "-p", "ubuntu-sig\n"], 2,
     "not a valid profile name"),
    ("cat-symlink-loop", "--catalog directory that is a symbolic link loop", {},
     ["catalog", "list", "--catalog", "loop", "LINK:loop=loop"], 2, "Too many levels of symbolic links"),
]

_T = {"t.json": '{"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01", "location": "westus2"}'}
CASES += [
    ("val-select-garbage", "--select that names no rule", _T, ["validate", "t.json", "--select", "XYZ"], 2,
     "not a rule id or prefix"),
    ("cfg-select-newline", "configuration select with a trailing newline", dict(_T, **{"aibgen.yaml": 'validate:\n  select: ["AIB1\\n"]\n'}),
     ["validate", "t.json"], 2, "does not match"),
    ("cfg-pyproject-broken-ours", "pyproject.toml with broken [tool.aibgen]",
     dict(_T, **{"pyproject.toml": '[tool.aibgen.validate]\nselect = ["AIB3"\n'}), ["validate", "t.json"], 2, "invalid TOML"),
]
CASES += [
    ("new-set-huge-integer", "--set of an integer with 5,000 digits", {},
     ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "--set", "buildTimeout=" + "9" * 5000], 2,
     "must be a whole number of at most 18 digits"),
]

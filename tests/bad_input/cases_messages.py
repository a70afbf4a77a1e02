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

_NEW = ["new", "-p", "p", "--catalog", "cat", "--example-values", "--no-input", "-o", "out.json"]
_P = "description: d\nextends: ubuntu-gen2-vhd\n"
CASES += [
    ("prof-recursive-alias", "profile with an anchor used inside itself", {"cat/p.yaml": _P + "tags: &a {t: *a}\n"},
     _NEW, 2, "this YAML anchor is used inside itself"),
    ("prof-nan", "profile with .nan as a parameter example",
     {"cat/p.yaml": _P + "parameters:\n  n: {type: string, example: .nan}\n"}, _NEW, 2, "is not a number JSON can hold"),
    ("val-nan", "template with a NaN literal", {"t.json": '{"variables": {"x": NaN}, "resources": []}'},
     ["validate", "t.json"], 1, "NaN is not a JSON number"),
    ("out-trailing-slash", "-o naming a folder that does not exist", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "-o", "newdir/"],
     2, "ends with '/'"),
    ("out-empty", "-o with an empty path", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "-o", ""], 2,
     "the output path is empty"),
]

"""Bad-input classes of the hardening work: inputs (same case shape as cases.py).

Files that are not regular files (FIFOs, devices) and files too large to read; numbers
Python cannot hold; half surrogate pairs; a lenient reading that must stay linear. FIFOs
and 3 GB sparse files, which a case's ``files`` cannot make, are in tests/test_hostile_inputs.py.
"""
from __future__ import annotations

_ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
       "Microsoft.ManagedIdentity/userAssignedIdentities/aib")
_PROFILE = ("description: d\nextends: linux-base\nsource:\n  use: platform-image\n"
            "  with: {publisher: Canonical, offer: o, sku: s}\ndistribute:\n  - use: vhd\n")
_NEW = ["new", "-p", "p", "--catalog", "cat", "--example-values", "--no-input", "-o", "out.json"]
_VALUES = ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml", "-o", "out.json"]
_TEMPLATE = ('{"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01",'
             ' "location": "westus2", "identity": {"type": "UserAssigned", "userAssignedIdentities": {"' + _ID + '": {}}},'
             ' "properties": {"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o", "sku": "s"},'
             ' "distribute": [{"type": "VHD", "runOutputName": "o"}]}}')

CASES: list[tuple] = [
    # --- files that are not regular files ------------------------------------------------------
    ("val-device", "template that is a device (a link to /dev/zero)", {}, ["validate", "LINK:t.json=/dev/zero", "t.json"], 2,
     "t.json: not a regular file (a character device)"),
    ("val-device-late", "device given after a good template (refused before any report)", {"a.json": _TEMPLATE},
     ["validate", "a.json", "LINK:t.json=/dev/null", "t.json", "--format", "sarif"], 2, "t.json: not a regular file"),
    ("values-device", "--values file that is a device (a link to /dev/zero)", {}, _VALUES + ["LINK:v.yaml=/dev/zero"], 2,
     "v.yaml: not a regular file (a character device)"),
    ("values-too-large", "--values file over 5 MiB", {"v.yaml": "# " + "x" * (6 * 1024 * 1024) + "\n"}, _VALUES, 2,
     "v.yaml: larger than 5 MiB"),
    ("cfg-too-large", "aibgen.yaml over 5 MiB", {"aibgen.yaml": "# " + "x" * (6 * 1024 * 1024) + "\n", "t.json": _TEMPLATE},
     ["validate", "t.json"], 2, "aibgen.yaml: larger than 5 MiB"),
    # --- numbers Python cannot hold ---------------------------------------------------------------
    ("val-huge-int", "template with an integer of 5,000 digits", {"t.json": '{"a": ' + "1" * 5000 + "}"},
     ["validate", "t.json"], 1, "t.json:1:7: error AIB001 a number of 5000 digits is too long"),
    ("values-huge-int", "--values file with an integer of 5,000 digits", {"v.yaml": "buildTimeout: 1" + "0" * 5000 + "\n"},
     _VALUES, 2, "v.yaml:1:15: number "),
    ("values-huge-hex", "--values file with a hex integer too long to print", {"v.yaml": "buildTimeout: 0x" + "f" * 20000 + "\n"},
     _VALUES, 2, "too long for an integer"),
    ("values-bad-date", "--values file with a date that does not exist", {"v.yaml": "identity: 2024-02-30\n"}, _VALUES, 2,
     "v.yaml:1:11: cannot read value '2024-02-30'"),
    ("prof-huge-int", "profile with an integer of 5,000 digits", {"cat/p.yaml": _PROFILE + "tags: {n: 1" + "0" * 5000 + "}\n"},
     _NEW, 2, "p.yaml:8:11: number "),
    ("cfg-huge-int", "aibgen.yaml with an integer of 5,000 digits",
     {"aibgen.yaml": "policy:\n  n: 1" + "0" * 5000 + "\n", "t.json": _TEMPLATE}, ["validate", "t.json"], 2, "too long for an integer"),
    # --- half surrogate pairs ------------------------------------------------------------------------
    ("val-surrogate", "template with a \\ud800 escape (half a surrogate pair)",
     {"t.json": _TEMPLATE.replace('"o", "sku"', '"o\\ud800", "sku"')}, ["validate", "t.json"], 1,
     "error AIB001 not valid Unicode: '\\ud800' is half of a surrogate pair"),
    ("values-surrogate", "--values file with a \\udc00 escape", {"v.yaml": 'vmSize: "x\\udc00"\n'}, _VALUES, 2,
     "v.yaml:1:9: '\\udc00' is half of a surrogate pair"),
    ("prof-surrogate", "profile with a \\ud800 escape in a key", {"cat/p.yaml": _PROFILE + 'tags: {"k\\ud800": v}\n'}, _NEW, 2,
     "'\\ud800' is half of a surrogate pair"),
    # --- the lenient reading stays linear -----------------------------------------------------------
    ("val-comment-openers", "template of 1 MB of unclosed /* (took hours)", {"t.json": "/* " * 350_000},
     ["validate", "t.json"], 1, "t.json:1:1: error AIB001 not valid JSON"),
    ("val-unclosed-quotes", "template of 1 MB of escaped quotes in an unclosed string, after a comment",
     {"t.json": "// x\n" + '"' + '\\"' * 350_000}, ["validate", "t.json"], 1, "t.json:1:1: error AIB001 not valid JSON"),
]

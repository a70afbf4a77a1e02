"""Bad-input classes of ``aibgen import`` (same case shape as cases.py)."""
from __future__ import annotations

import json

_ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
       "Microsoft.ManagedIdentity/userAssignedIdentities/aib")


def _template(name: str = "t", **props) -> dict:
    return {"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01", "name": name,
            "location": "westus2", "identity": {"type": "UserAssigned", "userAssignedIdentities": {_ID: {}}},
            "properties": dict({"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o",
                                           "sku": "s", "version": "latest"},
                                "distribute": [{"type": "VHD", "runOutputName": "o"}]}, **props)}


_GOOD = json.dumps(_template())
_TWO = json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                   "contentVersion": "1.0.0.0", "resources": [_template("a"), _template("b")]})
_MIXED = json.dumps({"contentVersion": "1.0.0.0", "resources": [_template()], "properties": _template()["properties"]})
_EXPR = json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                    "contentVersion": "1.0.0.0",
                    "resources": [dict(_template(), name="[concat('img-', uniqueString(resourceGroup().id))]")]})
_UNKNOWN = json.dumps(_template(customize=[{"type": "Ansible", "name": "play", "playbook": "site.yml"}]))

CASES: list[tuple] = [
    ("import-missing", "template file that does not exist", {}, ["import", "t.json"], 2, "t.json: no such file"),
    ("import-not-json", "file that is not JSON", {"t.json": "type: imageTemplates\n"}, ["import", "t.json"], 2,
     "t.json:1:1: not valid JSON"),
    ("import-not-template", "JSON that holds no image template", {"t.json": '{"a": 1}'}, ["import", "t.json"], 2,
     "no Image Builder template found"),
    ("import-mixed-shapes", "ARM resources beside a template's own properties", {"t.json": _MIXED},
     ["import", "t.json"], 2, "the top level mixes an ARM deployment template and"),
    ("import-several-to-file", "several templates in one file and -o FILE", {"t.json": _TWO},
     ["import", "t.json", "-o", "p.yaml"], 2, "-o names one file"),
    ("import-several-to-stdout", "several templates and no -o", {"t.json": _TWO}, ["import", "t.json"], 2,
     "give -o DIR to write one profile file each"),
    ("import-unreadable", "template file the OS refuses to read (a link to /proc/self/mem)", {},
     ["LINK:t.json=/proc/self/mem", "import", "t.json"], 2, "t.json: cannot read"),
    ("import-out-exists", "profile file exists without --force", {"t.json": _GOOD, "p.yaml": "keep\n"},
     ["import", "t.json", "-o", "p.yaml"], 2, "p.yaml: already exists; pass --force"),
    ("import-out-not-yaml", "-o that is not a .yaml file", {"t.json": _GOOD}, ["import", "t.json", "-o", "p.json"], 2,
     "a profile file ends in .yaml"),
    ("import-out-bad-name", "-o whose name cannot name a profile", {"t.json": _GOOD},
     ["import", "t.json", "-o", "My Image.yaml"], 2, "cannot name a profile"),
    ("import-empty-dir", "directory without JSON files", {"legacy/readme.txt": "x"}, ["import", "legacy"], 2,
     "no *.json files"),
    ("import-dir-no-templates", "directory whose JSON files hold no template", {"legacy/p.json": '{"a": 1}'},
     ["import", "legacy", "-o", "images/"], 2, "no Image Builder template found in any file"),
    ("import-expression", "ARM expression that is not a plain reference (imported, with a warning)",
     {"t.json": _EXPR}, ["import", "t.json"], 0, "is kept as text: aibgen cannot evaluate it"),
    ("import-unknown-type", "customizer type no partial writes (imported, with a warning)", {"t.json": _UNKNOWN},
     ["import", "t.json"], 0, "kept as it is with the raw partial"),
]

"""Bad-input classes of `aibgen upgrade` and `aibgen validate --fix` (same case shape as cases.py)."""
from __future__ import annotations

import json

ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
      "Microsoft.ManagedIdentity/userAssignedIdentities/aib")
_RESOURCE = {"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2020-02-14", "location": "westus2",
             "identity": {"type": "UserAssigned", "userAssignedIdentities": {ID: {}}},
             "properties": {"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o", "sku": "s"},
                            "distribute": [{"type": "VHD", "runOutputName": "o"}]}}
OLD = json.dumps(_RESOURCE, indent=2) + "\n"
PREVIEW = json.dumps({k: v for k, v in _RESOURCE.items() if k != "identity"} | {"apiVersion": "2019-05-01-preview"})
ISO = json.dumps(_RESOURCE | {"apiVersion": "2019-05-01-preview", "properties": {
    "source": {"type": "ISO", "sourceUri": "https://x/rhel.iso", "sha256Checksum": "0" * 64},
    "distribute": [{"type": "VHD", "runOutputName": "o"}]}})
ARM = json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "contentVersion": "1.0.0.0", "parameters": {"v": {"type": "string"}},
                  "resources": [_RESOURCE | {"apiVersion": "[parameters('v')]"}]})
_UP = ["upgrade", "t.json", "-o", "new.json"]

CASES: list[tuple] = [
    ("upgrade-not-json", "upgrade of a file that is not JSON", {"t.json": "{oops"}, _UP, 2,
     "t.json:1:2: not valid JSON"),
    ("upgrade-not-template", "upgrade of JSON that is not a template", {"t.json": "[1, 2]"}, _UP, 2,
     "t.json: no Image Builder template found"),
    ("upgrade-mixed-shapes", "upgrade of a resource with properties at its top level too",
     {"t.json": json.dumps(_RESOURCE | {"source": _RESOURCE["properties"]["source"]})}, _UP, 2,
     "mixes an imageTemplates resource and a properties object"),
    ("upgrade-several", "upgrade -o FILE of a list of several templates",
     {"t.json": json.dumps([_RESOURCE, _RESOURCE])}, _UP, 2, "a JSON list of 2 documents"),
    ("upgrade-unreadable", "upgrade of a file the OS refuses to read (a link to /proc/self/mem)", {},
     ["upgrade", "LINK:t.json=/proc/self/mem", "t.json", "-o", "new.json"], 2, "t.json: cannot read"),
    ("upgrade-missing", "upgrade of a file that does not exist", {}, _UP, 2, "t.json: no such file or directory"),
    ("upgrade-several-files", "upgrade -o FILE of several files", {"t.json": OLD, "u.json": OLD},
     ["upgrade", "t.json", "u.json", "-o", "new.json"], 2, "-o names one output file, and there are 2 templates"),
    ("upgrade-to-older", "--to older than the template", {"t.json": OLD.replace("2020-02-14", "2024-02-01")},
     _UP + ["--to", "2022-07-01"], 2, "the template is for apiVersion 2024-02-01, newer than --to 2022-07-01"),
    ("upgrade-unknown-to", "--to that is not a bundled apiVersion", {"t.json": OLD}, _UP + ["--to", "2030-01-01"], 2,
     "--to: apiVersion '2030-01-01' is not bundled"),
    ("upgrade-unknown-from", "--from that is not an apiVersion", {"t.json": OLD}, _UP + ["--from", "2017-01-01"], 2,
     "--from: '2017-01-01' is not an Image Builder apiVersion"),
    ("upgrade-output-exists", "upgrade output that exists without --force", {"t.json": OLD, "new.json": "old"}, _UP, 2,
     "new.json: already exists; pass --force"),
    ("upgrade-in-place", "upgrade in place without --force", {"t.json": OLD}, ["upgrade", "t.json"], 2,
     "t.json: upgrading in place replaces it; pass --force"),
    ("upgrade-stdin", "upgrade of standard input with no -o", {}, ["upgrade", "-"], 2, "give -o FILE"),
    ("upgrade-expression", "upgrade of an ARM apiVersion expression with no default", {"t.json": ARM}, _UP, 2,
     "pass --from VERSION"),
    ("upgrade-unknown-version", "upgrade of a template whose apiVersion is unknown",
     {"t.json": OLD.replace("2020-02-14", "2021-01-01")}, _UP, 2, "apiVersion '2021-01-01' is not an Image Builder version"),
    ("upgrade-iso", "upgrade of a retired ISO source", {"t.json": ISO}, _UP, 2, "source type 'ISO' ended with the preview API"),
    ("upgrade-no-identity", "upgrade of a preview template without identity", {"t.json": PREVIEW}, _UP, 2,
     "no identity; from 2020-02-14 a template needs a user-assigned identity"),
    ("upgrade-bad-identity", "--identity that is not an identity id", {"t.json": PREVIEW}, _UP + ["--identity", "aib"], 2,
     "--identity 'aib': not the resource id of a user-assigned identity"),
    ("fix-read-only", "--fix on a read-only file", {}, ["validate", "--fix", "/proc/version"], 2,
     "/proc/version: is read-only (mode 0444)"),
    ("fix-symlink", "--fix on a symbolic link", {"real.json": OLD}, ["validate", "--fix", "LINK:t.json=real.json", "t.json"],
     2, "t.json: is a symbolic link; --fix rewrites only regular files"),
    ("fix-stdin", "--fix on standard input", {}, ["validate", "--fix", "-"], 2, "--fix rewrites files"),
    ("fix-diff-alone", "--diff without --fix", {"t.json": OLD}, ["validate", "--diff", "t.json"], 2,
     "--diff shows what --fix would change"),
]

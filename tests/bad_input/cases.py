"""The bad-input classes: each a command line and the files it reads.

A case is (id, what, files, args, exit code, text the message must contain). Files are
created in an empty working directory; ``{id}`` in text stands for a valid identity id.
"""
from __future__ import annotations

ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
      "Microsoft.ManagedIdentity/userAssignedIdentities/aib")
GOOD_TEMPLATE = ('{"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01",'
                 ' "location": "westus2", "identity": {"type": "UserAssigned", "userAssignedIdentities": {"' + ID + '": {}}},'
                 ' "properties": {"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o", "sku": "s"},'
                 ' "distribute": [{"type": "VHD", "runOutputName": "o"}]}}')
PROFILE = ("description: d\nextends: linux-base\nsource:\n  use: platform-image\n"
           "  with: {publisher: Canonical, offer: o, sku: s}\ndistribute:\n  - use: vhd\n")
NEW = ["new", "-p", "p", "--catalog", "cat", "--example-values", "--no-input", "-o", "out.json"]


def laughs(levels: int = 9) -> str:
    lines = ["description: bomb", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    return "\n".join(lines) + "\n"


CASES = [
    # --- new: command line -------------------------------------------------------------
    ("new-unknown-profile", "profile name that does not exist", {}, ["new", "-p", "ubuntu-gen2-vhx"], 2, "did you mean 'ubuntu-gen2-vhd'"),
    ("new-profile-path", "profile name with ../", {}, ["new", "-p", "../../etc/passwd"], 2, "not a valid profile name"),
    ("new-absolute-profile", "profile name that is an absolute path", {}, ["new", "-p", "/etc/passwd"], 2, "not a valid profile name"),
    ("new-abstract", "abstract profile", {}, ["new", "-p", "linux-base", "--no-input"], 2, "is abstract"),
    ("new-unknown-option", "unknown option", {}, ["new", "-p", "ubuntu-sig", "--colour"], 2, "No such option"),
    ("new-set-no-equals", "--set without =", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "identity"], 2, "expected KEY=VALUE"),
    ("new-set-empty-key", "--set with an empty key", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "=x"], 2, "expected KEY=VALUE"),
    ("new-set-unknown", "--set of an unknown parameter", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "locaton=westus"], 2, "did you mean 'location'"),
    ("new-set-integer", "text for an integer parameter", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "--set", "buildTimeout=2h"], 2, "must be a whole number"),
    ("new-set-boolean", "text for a boolean parameter", {"cat/p.yaml": PROFILE.replace("description: d\n", "description: d\nparameters:\n  flag: {type: boolean, default: false}\n")},
     NEW + ["--set", "flag=maybe"], 2, "must be true or false"),
    ("new-set-choice", "value outside a choice", {}, ["new", "-p", "win11-avd-sig", "--example-values", "--set", "sku=win12"], 2, "must be one of"),
    ("new-set-region", "region that does not exist", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "--set", "location=Atlantis"], 2, "not a region where Image Builder runs"),
    ("new-set-region-list", "value that cannot be a region inside a list", {}, ["new", "-p", "ubuntu-sig", "--example-values", "--set", "regions=eastus,no/where"], 2, "cannot be an Azure region name"),
    ("new-set-resource-id", "malformed resource id", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "identity=/subscriptions/x/aib"], 2, "not the resource id of a user-assigned identity"),
    ("new-set-wrong-kind", "resource id of the wrong kind", {}, ["new", "-p", "ubuntu-sig", "--example-values", "--set",
     "galleryImageId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/r/providers/Microsoft.Compute/images/x"], 2, "gallery image definition"),
    ("new-set-undecodable", "--set value with bytes that are not UTF-8", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "--set", "vmSize=caf\udce9"], 2, "not valid Unicode text"),
    ("new-missing-required", "required parameters missing under --no-input", {}, ["new", "-p", "ubuntu-private-vnet", "--no-input"], 2, "identity (resource-id(userAssignedIdentity)); subnetId"),
    ("new-api-version", "unknown --api-version", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "--api-version", "2019-05-01-preview"], 2, "is not bundled"),
    ("new-older-api", "property the chosen apiVersion lacks", {}, ["new", "-p", "ubuntu-sig", "--example-values", "--api-version", "2021-10-01", "-o", "out.json"], 1, "needs apiVersion 2022-02-14"),
    # --- new: values files -------------------------------------------------------------------
    ("values-missing", "--values file that does not exist", {}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "v.yaml: cannot read"),
    ("values-directory", "--values names a directory", {"v.yaml/x": "a"}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "is a directory"),
    ("values-not-yaml", "--values file that is not YAML", {"v.yaml": "identity: [oops\n"}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "v.yaml:2:1"),
    ("values-not-mapping", "--values file that is a list", {"v.yaml": "- a\n- b\n"}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "must be a mapping"),
    ("values-wrong-type", "--values value of the wrong type", {"v.yaml": "identity: 42\n"}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "'identity' must be text"),
    ("values-duplicate", "--values file with a duplicate key", {"v.yaml": f"identity: {ID}\nidentity: {ID}\n"}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "v.yaml:2:1: duplicate key"),
    ("values-not-utf8", "--values file that is not UTF-8", {"v.yaml": b"identity: \xff\n"}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "not UTF-8"),
    ("values-bomb", "--values file with a YAML alias expansion bomb", {"v.yaml": laughs()}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "aliases expanding"),
    ("values-python-tag", "--values file with a Python object tag", {"v.yaml": "identity: !!python/object/apply:os.system [id]\n"}, ["new", "-p", "ubuntu-gen2-vhd", "--values", "v.yaml"], 2, "YAML tag"),
    # --- new: output -------------------------------------------------------------------------
    ("out-missing-dir", "output in a missing directory", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "-o", "no/dir/t.json"], 2, "does not exist"),
    ("out-is-dir", "output path is a directory", {"d/x": "a"}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "-o", "d"], 2, "is a directory"),
    ("out-exists", "output file exists without --force", {"t.json": "old"}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "-o", "t.json"], 2, "already exists"),
    ("out-read-only-fs", "output on a read-only filesystem", {}, ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}", "-o", "/sys/t.json"], 2, "cannot write"),
    # --- catalog and profiles -------------------------------------------------------------------
    ("cat-missing", "--catalog directory that does not exist", {}, ["catalog", "list", "--catalog", "nope"], 2, "does not exist"),
    ("cat-file", "--catalog names a file", {"f": "x"}, ["catalog", "list", "--catalog", "f"], 2, "is not a directory"),
    ("cat-env-missing", "AIBGEN_CATALOG_PATH entry that does not exist", {}, ["catalog", "list", "ENV:AIBGEN_CATALOG_PATH=nope"], 2, "does not exist"),
    ("prof-yaml", "profile YAML syntax error", {"cat/p.yaml": "description: [x\n"}, NEW, 2, "p.yaml:2:1"),
    ("prof-unreadable", "profile the OS refuses to read (a link to /proc/self/mem)", {"cat/q.yaml": "description: q\n"}, ["LINK:cat/p.yaml=/proc/self/mem"] + NEW, 2, "p.yaml: cannot read"),
    ("prof-empty", "empty profile", {"cat/p.yaml": ""}, NEW, 2, "profile is empty"),
    ("prof-bom-crlf", "profile with a BOM and CRLF lines and a typo", {"cat/p.yaml": b"\xef\xbb\xbfdescription: d\r\ncustomise: []\r\n"}, NEW, 2, "p.yaml:2:1: unknown key 'customise'"),
    ("prof-duplicate", "duplicate key in a profile", {"cat/p.yaml": "description: a\ndescription: b\n"}, NEW, 2, "p.yaml:2:1: duplicate key"),
    ("prof-unknown-key", "unknown key in a profile", {"cat/p.yaml": PROFILE + "distribut: []\n"}, NEW, 2, "did you mean 'distribute'"),
    ("prof-wrong-type", "wrong type in a profile", {"cat/p.yaml": PROFILE + "customize: {use: shell}\n"}, NEW, 2, "must be a list"),
    ("prof-not-utf8", "profile that is not UTF-8", {"cat/p.yaml": b"description: caf\xe9\n"}, NEW, 2, "p.yaml:1: not UTF-8"),
    ("prof-too-large", "profile over 5 MiB", {"cat/p.yaml": "description: d\n# " + "x" * (6 * 1024 * 1024) + "\n"}, NEW, 2, "larger than 5 MiB"),
    ("prof-deep", "deeply nested profile", {"cat/p.yaml": PROFILE + "tags: " + "[" * 3000 + "]" * 3000 + "\n"}, NEW, 2, "p.yaml"),
    ("prof-bomb", "profile with a YAML alias expansion bomb", {"cat/p.yaml": laughs()}, NEW, 2, "aliases expanding"),
    ("prof-cycle", "extends cycle", {"cat/p.yaml": "description: a\nextends: q\n", "cat/q.yaml": "description: b\nextends: p\n"}, NEW, 2, "p.yaml:2 → "),
    ("prof-missing-parent", "extends a missing profile", {"cat/p.yaml": "description: a\nextends: linux-bse\n"}, NEW, 2, "did you mean 'linux-base'"),
    ("prof-bad-op", "list operation naming a missing item", {"cat/p.yaml": PROFILE + "customize:\n  - {op: remove, name: x}\n"}, NEW, 2, "no inherited item"),
    ("prof-use-path", "partial name with ../", {"cat/p.yaml": PROFILE + "customize:\n  - {use: ../../x}\n"}, NEW, 2, "does not match"),
    ("prof-missing-partial", "missing partial", {"cat/p.yaml": PROFILE + "customize:\n  - {use: bash}\n"}, NEW, 2, "no partial 'customizers/bash'"),
    ("prof-undefined", "undefined name in a profile string", {"cat/p.yaml": PROFILE + "tags: {a: '{{ nope }}'}\n"}, NEW, 2, "'nope' is undefined"),
    ("prof-jinja-syntax", "Jinja syntax error in a profile string", {"cat/p.yaml": PROFILE + "tags: {a: '{{ 1 + }}'}\n"}, NEW, 2, "template syntax error"),
    ("prof-sandbox-mro", "sandbox escape through __mro__ in a profile", {"cat/p.yaml": PROFILE + "tags: {a: \"{{ ''.__class__.__mro__ }}\"}\n"}, NEW, 2, "unsafe"),
    ("prof-sandbox-globals", "sandbox escape through cycler globals in a profile", {"cat/p.yaml": PROFILE + "tags: {a: '{{ cycler.__init__.__globals__ }}'}\n"}, NEW, 2, "unsafe"),
    ("prof-script-escape", "local script outside the catalog", {"cat/p.yaml": PROFILE + "customize:\n  - {use: shell, inline_file: ../x.sh}\n", "x.sh": "x"}, NEW, 2, "leads outside the catalog root"),
    ("prof-unused-arg", "with: key the partial does not read", {"cat/p.yaml": PROFILE + "customize:\n  - {use: shell, with: {inlne: [x]}}\n"}, NEW, 2, "did you mean 'inline'"),
    ("partial-json", "partial that renders invalid JSON", {"cat/p.yaml": PROFILE + "customize:\n  - {use: bad}\n", "cat/partials/customizers/bad.json.j2": '{"a": }'}, NEW, 2, "rendered invalid JSON"),
    ("partial-undefined", "partial that uses an undefined name", {"cat/p.yaml": PROFILE + "customize:\n  - {use: bad}\n", "cat/partials/customizers/bad.json.j2": "{{ nothing }}"}, NEW, 2, "bad.json.j2:1: 'nothing' is undefined"),
    ("partial-sandbox", "sandbox escape in a partial", {"cat/p.yaml": PROFILE + "customize:\n  - {use: bad}\n", "cat/partials/customizers/bad.json.j2": "{{ ''.__class__.__mro__ | tojson }}"}, NEW, 2, "unsafe"),
    ("partial-not-utf8", "partial that is not UTF-8", {"cat/p.yaml": PROFILE + "customize:\n  - {use: bad}\n", "cat/partials/customizers/bad.json.j2": b"\xff"}, NEW, 2, "cannot read partial"),
    ("show-unknown", "catalog show of a missing profile", {}, ["catalog", "show", "ubuntu-sg"], 2, "did you mean 'ubuntu-sig'"),
    ("lint-bad", "catalog lint over a broken profile", {"cat/p.yaml": "description: [x\n"}, ["catalog", "lint", "--catalog", "cat"], 1, "1 failed"),
    # --- validate -------------------------------------------------------------------------------
    ("val-missing", "file that does not exist", {}, ["validate", "nope.json"], 2, "no such file"),
    ("val-broken-link", "symbolic link to nothing", {}, ["validate", "LINK:t.json=missing.json", "t.json"], 2, "no such file"),
    ("val-unreadable", "file the OS refuses to read (a link to /proc/self/mem)", {}, ["validate", "LINK:t.json=/proc/self/mem", "t.json"], 2, "t.json: cannot read"),
    ("val-empty-dir", "directory without templates", {"d/readme.txt": "x"}, ["validate", "d"], 2, "no *.json files"),
    ("val-not-json", "file that is not JSON", {"t.json": "{oops"}, ["validate", "t.json"], 1, "t.json:1:2: error AIB001"),
    ("val-empty", "empty file", {"t.json": ""}, ["validate", "t.json"], 1, "empty file"),
    ("val-binary", "binary file", {"t.json": b"\x00\x01\x02\x03"}, ["validate", "t.json"], 1, "binary data"),
    ("val-not-utf8", "file that is not UTF-8", {"t.json": b'{"a": "\xff"}'}, ["validate", "t.json"], 1, "not UTF-8"),
    ("val-deep", "deeply nested JSON", {"t.json": "[" * 100000 + "]" * 100000}, ["validate", "t.json"], 1, "nested too deeply"),
    ("val-not-template", "JSON that is not a template", {"t.json": "[1, 2]"}, ["validate", "t.json"], 1, "no Image Builder template"),
    ("val-duplicate", "duplicate key in a template", {"t.json": GOOD_TEMPLATE.replace('"location": "westus2"', '"location": "westus2", "location": "eastus"')}, ["validate", "t.json"], 1, "duplicate key 'location'"),
    ("val-api-version", "unknown --api-version", {"t.json": GOOD_TEMPLATE}, ["validate", "t.json", "--api-version", "2030-01-01"], 2, "is not bundled"),
    ("val-bad-format", "unknown --format", {"t.json": GOOD_TEMPLATE}, ["validate", "t.json", "--format", "xml"], 2, "Invalid value"),
    ("val-too-large", "file over 64 MiB", {"t.json": " " * (65 * 1024 * 1024)}, ["validate", "t.json"], 2, "too large"),
    ("cfg-unknown-key", "configuration with an unknown key", {"aibgen.yaml": "validat: {}\n", "t.json": GOOD_TEMPLATE}, ["validate", "t.json"], 2, "aibgen.yaml:1:1: unknown key 'validat'"),
    ("cfg-bad-policy", "configuration policy of the wrong type", {"aibgen.yaml": "policy:\n  allowed-regions: westus2\n", "t.json": GOOD_TEMPLATE}, ["validate", "t.json"], 2, "must be a list"),
    ("cfg-toml", "pyproject.toml that is not TOML", {"pyproject.toml": "[tool.aibgen\n", "t.json": GOOD_TEMPLATE}, ["validate", "t.json"], 2, "invalid TOML"),
    ("explain-unknown", "explain of an unknown rule", {}, ["explain", "AIB3O1"], 2, "no rule AIB3O1"),
    ("schema-unknown", "schema of an unknown kind", {}, ["schema", "bicep"], 2, "Invalid value"),
]

from cases_completion import CASES as _COMPLETION  # noqa: E402
from cases_cloud import CASES as _CLOUD  # noqa: E402
from cases_docs import CASES as _DOCS  # noqa: E402
from cases_import import CASES as _IMPORT  # noqa: E402
from cases_inputs import CASES as _INPUTS  # noqa: E402
from cases_messages import CASES as _MESSAGES  # noqa: E402
from cases_output import CASES as _OUTPUT  # noqa: E402
from cases_render import CASES as _RENDER  # noqa: E402
from cases_scaffold import CASES as _SCAFFOLD  # noqa: E402
from cases_upgrade import CASES as _UPGRADE  # noqa: E402

CASES += _INPUTS + _OUTPUT + _MESSAGES + _RENDER + _IMPORT
CASES += _UPGRADE
CASES += _DOCS
CASES += _COMPLETION
CASES += _CLOUD
CASES += _SCAFFOLD

"""Bad-input classes of the Azure commands (same case shape as cases.py).

Most fail before a request is sent (the endpoint, where one is needed, is a closed port on
127.0.0.1, and the only credential tried is the Azure CLI's, which is not on PATH). The
cases marked ``ARM:`` talk to the fake Resource Manager on 127.0.0.1 (and ``{azurite}`` to
Azurite), with a fake ``az`` as the credential: see ``_azure`` in test_suite.py.
"""
from __future__ import annotations

import json

from fakearm_fixtures import TEMPLATE

_SUB = "ENV:AZURE_SUBSCRIPTION_ID=11111111-2222-3333-4444-555555555555"
_NO_SUB = "ENV:AZURE_SUBSCRIPTION_ID="
_LOCAL = "ENV:AIBGEN_ARM_ENDPOINT=https://127.0.0.1:9"
_CLI_ONLY = ["ENV:AZURE_TOKEN_CREDENTIALS=AzureCliCredential", "ENV:PATH=/nonexistent", "ENV:AZURE_CONFIG_DIR=az"]
_ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
       "Microsoft.ManagedIdentity/userAssignedIdentities/aib")
_TEMPLATE = {"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01", "location": "westus2",
             "identity": {"type": "UserAssigned", "userAssignedIdentities": {_ID: {}}},
             "properties": {"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o", "sku": "s"},
                            "distribute": [{"type": "VHD", "runOutputName": "o"}]}}
_FINDINGS = json.loads(json.dumps(_TEMPLATE))
_FINDINGS["properties"]["customize"] = [{"type": "PowerShell", "inline": ["x"]}]
_ARM = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0", "resources": [_TEMPLATE]}
_STATUS = ["status", "-g", "img-rg", "-n", "ubuntu"]
_CHANGED = json.loads(json.dumps(TEMPLATE))
_CHANGED["properties"]["buildTimeoutInMinutes"] = 120
_SCRIPTED = ("description: a profile with a local script\nextends: linux-base\nsource:\n  use: platform-image\n"
             "  with: {publisher: Canonical, offer: o, sku: s}\ncustomize:\n  - use: shell\n    name: setup\n"
             "    script: setup.sh\n    with: {scriptUri: 'https://example.invalid/setup.sh'}\ndistribute:\n  - use: vhd\n")

CASES: list[tuple] = [
    ("cloud-no-credentials", "Azure command with no credential to use",
     {}, _STATUS + [_SUB, _LOCAL] + _CLI_ONLY, 2, "no Azure credentials: run 'az login'"),
    ("cloud-subscription-format", "--subscription that is not a GUID",
     {}, _STATUS + ["--subscription", "my-subscription"], 2, "not a subscription id; give its GUID"),
    ("cloud-no-subscription", "no subscription given and no Azure CLI default",
     {}, _STATUS + [_NO_SUB, "ENV:AZURE_CONFIG_DIR=az"], 2, "no subscription: pass --subscription GUID"),
    ("cloud-broken-profile", "Azure CLI profile that is not JSON",
     {"az/azureProfile.json": "{oops"}, _STATUS + [_NO_SUB, "ENV:AZURE_CONFIG_DIR=az"], 2, "cannot read the Azure CLI profile"),
    ("cloud-unknown-cloud", "--cloud that is not a known cloud",
     {}, _STATUS + [_SUB, "--cloud", "AzureGermanCloud"], 2, "not a known cloud; use one of AzureCloud"),
    ("cloud-http-endpoint", "--arm-endpoint over plain http",
     {}, _STATUS + [_SUB, "--arm-endpoint", "http://127.0.0.1:9"], 2, "give the https:// URL"),
    ("cloud-poll-interval", "--poll-interval of zero",
     {}, ["run", "-g", "img-rg", "-n", "ubuntu", "--wait", "--poll-interval", "0"], 2, "Invalid value for '--poll-interval'"),
    ("deploy-findings", "deploy of a template with error findings",
     {"t.json": json.dumps(_FINDINGS)}, ["deploy", "t.json", "-g", "img-rg", _SUB, _LOCAL], 1, "nothing was sent to Azure"),
    ("deploy-arm-template", "deploy of an ARM deployment template",
     {"t.json": json.dumps(_ARM)}, ["deploy", "t.json", "-g", "img-rg", _SUB, _LOCAL], 2, "not a bare imageTemplates resource"),
    ("deploy-missing-file", "deploy of a file that does not exist",
     {}, ["deploy", "t.json", "-g", "img-rg", _SUB, _LOCAL], 2, "t.json: cannot read"),
    ("deploy-bad-name", "deploy of a file whose name cannot name a template (and no -n)",
     {"my image.json": json.dumps(_TEMPLATE)}, ["deploy", "my image.json", "-g", "img-rg", _SUB, _LOCAL], 2,
     "template name 'my image': use 1-64 letters"),
    ("logs-out-exists", "logs into a file that exists, without --force",
     {"build.log": "old"}, ["logs", "-g", "img-rg", "-n", "ubuntu", "-o", "build.log", _SUB, _LOCAL], 2,
     "build.log: already exists; pass --force"),
    ("logs-out-missing-folder", "logs into a folder that does not exist",
     {}, ["logs", "-g", "img-rg", "-n", "ubuntu", "-o", "nope/build.log", _SUB, _LOCAL], 2,
     "directory 'nope' does not exist"),
    ("cloud-bad-group", "-g that cannot be a resource group name",
     {}, ["status", "-g", "img/rg", "-n", "ubuntu", _SUB], 2, "'img/rg' is not a resource group name"),
    ("cloud-bad-name", "-n that cannot be an image template name",
     {}, ["status", "-g", "img-rg", "-n", "../x", _SUB], 2, "'../x' is not an image template name"),
    ("upload-bad-destination", "build --upload-scripts that names no container",
     {}, ["build", "-p", "ubuntu-gen2-vhd", "--example-values", "-g", "img-rg", "--upload-scripts", "acct", _SUB, _LOCAL],
     2, "--upload-scripts 'acct': give ACCOUNT/CONTAINER"),
    ("cloud-no-such-template", "-n that does not exist in the resource group",
     {}, ["status", "-g", "img-rg", "-n", "nope", "ARM:"], 2, "404 ResourceNotFound: no image template 'nope' in resource group 'img-rg'"),
    ("deploy-replace-while-building", "deploy --replace while the deployed template is building",
     {"ubuntu.json": json.dumps(_CHANGED)}, ["deploy", "ubuntu.json", "-g", "img-rg", "--replace", "ARM:running"], 2,
     "a build is running"),
    ("upload-missing-container", "build --upload-scripts to a container that does not exist",
     {"cat/p.yaml": _SCRIPTED, "cat/setup.sh": "#!/bin/sh\necho hi\n"},
     ["build", "-p", "p", "--catalog", "cat", "--example-values", "-g", "img-rg", "--upload-scripts",
      "{azurite}/nosuchcontainer", "ARM:"], 2, "no such container in storage account"),
]

"""Fixtures for the cloud commands' tests: the fake ARM server, a fake ``az`` and the CLI in a subprocess.

The CLI runs as a real subprocess whose credential is the Azure CLI's (a fake ``az`` on PATH
that prints a token; ``AZURE_TOKEN_CREDENTIALS=AzureCliCredential`` keeps
DefaultAzureCredential from trying anything else), whose endpoint is the fake server and
whose CA bundle is the test CA. HOME and AZURE_CONFIG_DIR are temporary folders, and every
HTTP(S) request to an address other than 127.0.0.1 is sent to a closed local port as proxy,
so nothing a test starts can reach the network.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakearm import SUBSCRIPTION, TOKEN, FakeArm, Server

IDENTITY = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/aib")
TEMPLATE = {
    "type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01", "name": "ubuntu-golden",
    "location": "westus2",
    "identity": {"type": "UserAssigned", "userAssignedIdentities": {IDENTITY: {}}},
    "properties": {
        "source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "ubuntu-24_04-lts",
                   "sku": "server", "version": "latest"},
        "customize": [{"type": "Shell", "name": "patch", "inline": ["sudo apt-get update"]}],
        "distribute": [{"type": "VHD", "runOutputName": "ubuntu-vhd"}],
    },
}
FAKE_AZ = '''#!{python}
import base64, json, os, sys, time
with open({log!r}, "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
if sys.argv[1:3] != ["account", "get-access-token"]:
    sys.stderr.write("ERROR: fake az knows only 'account get-access-token'\\n")
    sys.exit(2)
resource = sys.argv[sys.argv.index("--resource") + 1]
token = {token!r}
if "storage" in resource:  # a JWT of the shape Azurite checks (its signature is not checked)
    now = int(time.time())
    claims = {{"aud": os.environ.get("FAKE_AZ_STORAGE_AUDIENCE", "https://storage.azure.com"), "nbf": now - 60,
              "iat": now - 60, "exp": now + 3600, "iss": "https://sts.windows.net/00000000-0000-0000-0000-00000000000a/"}}
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    token = part({{"alg": "RS256", "typ": "JWT"}}) + "." + part(claims) + ".c2ln"
print(json.dumps({{"accessToken": token, "expires_on": int(time.time()) + 3600, "tokenType": "Bearer"}}))
'''


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory):
    """A trustme CA and its PEM file."""
    import trustme

    ca = trustme.CA()
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return ca, pem


@pytest.fixture
def arm(test_ca):
    """The fake ARM (its state: ``arm.arm``; its URL: ``arm.url``), serving for one test."""
    with Server(test_ca[0], FakeArm()) as server:
        yield server


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cloud_env(tmp_path, arm, test_ca):
    """Environment for a CLI subprocess that talks to the fake ARM only."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    az = bin_dir / "az"
    az.write_text(FAKE_AZ.format(python=sys.executable, log=str(tmp_path / "az.log"), token=TOKEN))
    az.chmod(0o755)
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("AZURE_", "AIBGEN_", "MSI_", "IDENTITY_")) and "proxy" not in k.lower()}
    dead = f"http://127.0.0.1:{_closed_port()}"
    keep.update(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", HOME=str(tmp_path / "home"),
                AZURE_CONFIG_DIR=str(tmp_path / "azure"), AZURE_TOKEN_CREDENTIALS="AzureCliCredential",
                AZURE_SUBSCRIPTION_ID=SUBSCRIPTION, AIBGEN_ARM_ENDPOINT=arm.url,
                REQUESTS_CA_BUNDLE=str(test_ca[1]), SSL_CERT_FILE=str(test_ca[1]), NO_COLOR="1",
                HTTPS_PROXY=dead, HTTP_PROXY=dead, NO_PROXY="127.0.0.1")
    return keep


@pytest.fixture
def cloud(cloud_env, tmp_path):
    """Run ``python -m aibgen ARGS`` against the fake ARM; returns a :class:`Run`."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)

    def run(*args, env=None, timeout=120) -> Run:
        proc = subprocess.run([sys.executable, "-m", "aibgen", *args], cwd=work, env={**cloud_env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)
        return Run(proc.returncode, proc.stdout, proc.stderr)

    run.work = work
    return run


def write_template(folder: Path, doc: dict | None = None, name: str = "ubuntu.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(doc or TEMPLATE, indent=2), encoding="utf-8")
    return path

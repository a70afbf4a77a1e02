"""Azurite (the Azure Storage emulator, from npm) over HTTPS on 127.0.0.1, for the logs tests.

Azurite is taken from ``AIBGEN_TEST_AZURITE`` (a folder where ``npm install azurite`` ran;
.ci/run sets it), else installed once with npm into a cache folder under the system's
temporary directory (never into HOME). The tests skip, saying why, only when node or npm is
missing. It keeps its data in a temporary folder, runs with telemetry off, with the trustme CA's certificate and with
OAuth checks on, so the CLI reads blobs with a bearer token as it would from Azure.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

VERSION = "3.37.0"
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="  # Azurite's published key


def _installed() -> Path:
    """The azurite-blob executable, installed into the cache folder if need be."""
    given = os.environ.get("AIBGEN_TEST_AZURITE")
    folder = Path(given) if given else Path(tempfile.gettempdir()) / f"aibgen-test-azurite-{VERSION}"
    exe = folder / "node_modules" / ".bin" / "azurite-blob"
    if exe.exists():
        return exe
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run Azurite, the storage emulator the logs tests use")
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:  # one install for all test workers
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not exe.exists():
            env = {**os.environ, "npm_config_cache": str(folder / "npm-cache"), "npm_config_update_notifier": "false"}
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), f"azurite@{VERSION}"],
                           check=True, capture_output=True, env=env, timeout=600)
    return exe


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def azurite(tmp_path_factory, test_ca):
    """The blob endpoint ``https://127.0.0.1:<port>/devstoreaccount1`` of a running Azurite."""
    exe = _installed()
    folder = tmp_path_factory.mktemp("azurite")
    cert = test_ca[0].issue_cert("127.0.0.1", "localhost")
    cert.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    cert.private_key_pem.write_to_path(str(folder / "key.pem"))
    port = _free_port()
    proc = subprocess.Popen([str(exe), "--blobHost", "127.0.0.1", "--blobPort", str(port), "--cert", str(folder / "cert.pem"),
                             "--key", str(folder / "key.pem"), "--oauth", "basic",
                             "--disableTelemetry", "--skipApiVersionCheck", "--silent", "--location", str(folder)],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "HOME": str(folder)})
    try:
        _wait_for(port, proc)
        yield f"https://127.0.0.1:{port}/{ACCOUNT}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for(port: int, proc) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"Azurite ended: {proc.stderr.read().decode(errors='replace')[-500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("Azurite did not start within 60 seconds")


def put_blob(endpoint: str, ca_pem, container: str, name: str, data: bytes) -> None:
    """Store a blob with the account key (as Image Builder's own identity would write it)."""
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient(endpoint, credential={"account_name": ACCOUNT, "account_key": KEY},
                                connection_verify=str(ca_pem))
    box = service.get_container_client(container)
    if not box.exists():
        box.create_container()
    box.upload_blob(name, data, overwrite=True)


def clear(endpoint: str, ca_pem, container: str) -> None:
    """Delete ``container`` (and its blobs), so a test starts from an empty account."""
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient(endpoint, credential={"account_name": ACCOUNT, "account_key": KEY},
                                connection_verify=str(ca_pem))
    box = service.get_container_client(container)
    for blob in box.list_blobs() if box.exists() else []:
        box.delete_blob(blob.name)


def blob_bytes(endpoint: str, ca_pem, container: str, name: str) -> bytes:
    """A blob's content, read with the account key."""
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient(endpoint, credential={"account_name": ACCOUNT, "account_key": KEY},
                                connection_verify=str(ca_pem))
    return service.get_blob_client(container, name).download_blob().readall()

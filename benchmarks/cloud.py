"""Benchmark of the Azure commands: ``aibgen status`` against the local fake ARM server.

The floor, measured in the same run, is ``python -c 'import azure.mgmt.imagebuilder'`` (aim:
status within 1.5x of it, the token from a fake ``az`` and one HTTPS round trip included).
That import alone cannot send a request, so two more rows show what every command must
import on top of it: the SDK's requests transport (what any call through the SDK needs),
then azure.identity (DefaultAzureCredential). The token is fetched while the SDK is
imported, so the fake ``az`` adds little. ``aibgen --help`` is measured by run.py and must
not change, as it never imports the SDK.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from timing import samples, stats

TESTS = Path(__file__).resolve().parent.parent / "tests"
TRANSPORT = "import azure.mgmt.imagebuilder, azure.core.pipeline.transport._requests_basic"
NEEDED = TRANSPORT + ", azure.identity"


def rows(aibgen: list[str], tmp: Path, runs: int, env: dict) -> list[tuple]:
    sys.path.insert(0, str(TESTS))
    import trustme
    from fakearm import SUBSCRIPTION, TOKEN, FakeArm, Server
    from fakearm_fixtures import FAKE_AZ, TEMPLATE

    ca = trustme.CA()
    pem = tmp / "cloud-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    bindir = tmp / "cloud-bin"
    bindir.mkdir()
    (bindir / "az").write_text(FAKE_AZ.format(python=sys.executable, log=str(tmp / "az.log"), token=TOKEN))
    (bindir / "az").chmod(0o755)
    floor = stats(samples([sys.executable, "-c", "import azure.mgmt.imagebuilder"], runs, env))
    sending = stats(samples([sys.executable, "-c", TRANSPORT], runs, env))
    both = stats(samples([sys.executable, "-c", NEEDED], runs, env))
    with Server(ca, FakeArm()) as server:
        server.arm.add("img-rg", "bench", TEMPLATE)
        cloud = {k: v for k, v in env.items() if not k.startswith(("AZURE_", "AIBGEN_")) and "proxy" not in k.lower()}
        cloud.update(PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}", HOME=str(tmp / "cloud-home"),
                     AZURE_CONFIG_DIR=str(tmp / "cloud-azure"), AZURE_TOKEN_CREDENTIALS="AzureCliCredential",
                     AZURE_SUBSCRIPTION_ID=SUBSCRIPTION, AIBGEN_ARM_ENDPOINT=server.url, REQUESTS_CA_BUNDLE=str(pem))
        ours = stats(samples(aibgen + ["status", "-g", "img-rg", "-n", "bench"], runs, cloud))
    return [("import floor (azure.mgmt.imagebuilder)", floor, ""),
            ("+ the SDK's transport (needed to send anything)", sending, f"{sending[1] / floor[1]:.2f}x of the floor"),
            ("+ azure.identity: imports every request needs", both, f"{both[1] / floor[1]:.2f}x of the floor"),
            ("aibgen status, local fake ARM", ours, f"{ours[1] / floor[1]:.2f}x of the import floor (aim 1.5x), "
             f"{ours[1] / both[1]:.2f}x of the imports every request needs")]


if __name__ == "__main__":
    import tempfile

    from timing import aibgen_command, print_rows

    with tempfile.TemporaryDirectory() as folder:
        print_rows(rows(aibgen_command(), Path(folder), 5, dict(os.environ)))

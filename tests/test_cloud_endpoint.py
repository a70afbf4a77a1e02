"""Where the commands connect: --arm-endpoint over verified TLS, and a certificate nobody trusts."""
from __future__ import annotations

from fakearm import SUBSCRIPTION
from fakearm_fixtures import TEMPLATE, arm, cloud, cloud_env, test_ca  # noqa: F401 (fixtures)

G, N = ["-g", "img-rg"], ["-n", "ubuntu-golden"]
KEY = ("img-rg", "ubuntu-golden")
PATH = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/img-rg/providers/Microsoft.VirtualMachineImages/imageTemplates/ubuntu-golden"


def test_arm_endpoint_option_over_https(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("status", *G, *N, "--arm-endpoint", arm.url + "/", env={"AIBGEN_ARM_ENDPOINT": ""})
    assert r.code == 0, r.err
    assert r.out.startswith(f"template     {PATH}\n")
    assert arm.arm.calls() == [f"GET {PATH}"]


def test_the_option_wins_over_the_environment(cloud, arm):
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("status", *G, *N, "--arm-endpoint", arm.url, env={"AIBGEN_ARM_ENDPOINT": "https://127.0.0.1:9"})
    assert r.code == 0, r.err


def test_a_server_certificate_from_an_untrusted_ca_is_refused(cloud, arm, tmp_path):
    import trustme

    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    arm.arm.add(*KEY, TEMPLATE)
    r = cloud("status", *G, *N, env={"REQUESTS_CA_BUNDLE": str(other), "SSL_CERT_FILE": str(other)})
    assert (r.code, r.out) == (2, "")
    line = r.err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"error: GET {PATH}: cannot reach Azure Resource Manager:") and "CERTIFICATE_VERIFY_FAILED" in line
    assert arm.arm.requests == []  # the handshake failed: no request, so no token, reached the server

"""The Resource Manager token is asked for in a background thread while the SDK is imported."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("azure.identity")

from azure.core.credentials import AccessTokenInfo  # noqa: E402

from aibgen.cloud.connect import Prefetched  # noqa: E402
from fakearm_fixtures import TEMPLATE, arm, cloud, cloud_env, test_ca  # noqa: E402,F401 (fixtures)

SCOPES = ("https://management.azure.com/.default",)


class FakeCredential:
    """Records each request; the first one waits until the test lets it go. Tokens last ``life`` seconds."""

    def __init__(self, error: Exception | None = None, life: float = 3600) -> None:
        self.life = life
        self.calls: list[tuple] = []
        self.asked = threading.Event()
        self.release = threading.Event()
        self.error = error
        self.closed = False

    def get_token_info(self, *scopes, options=None):
        self.calls.append(("info", scopes, options))
        self.asked.set()
        assert self.release.wait(10)
        if self.error is not None:
            raise self.error
        return AccessTokenInfo(f"token-{len(self.calls)}", int(time.time() + self.life))

    def get_token(self, *scopes, **kwargs):
        self.calls.append(("token", scopes, kwargs))
        return "plain"

    def close(self) -> None:
        self.closed = True


def test_the_token_is_asked_for_before_anyone_needs_it_and_kept():
    cred = FakeCredential()
    early = Prefetched(cred, SCOPES)
    assert cred.asked.wait(10)  # the thread asked; nobody has called get_token_info yet
    cred.release.set()
    assert early.get_token_info(*SCOPES).token == "token-1"
    assert early.get_token_info(*SCOPES).token == "token-1"  # kept while it is far from its end
    assert cred.calls == [("info", SCOPES, None)]


def test_a_token_near_its_end_is_asked_for_again():
    cred = FakeCredential(life=Prefetched.REFRESH - 10)
    cred.release.set()
    early = Prefetched(cred, SCOPES)
    assert early.get_token_info(*SCOPES).token == "token-2"  # the thread's was already near its end
    assert early.get_token_info(*SCOPES).token == "token-3"
    assert len(cred.calls) == 3


def test_other_scopes_and_options_go_to_the_credential():
    cred = FakeCredential()
    cred.release.set()
    early = Prefetched(cred, SCOPES)
    assert cred.asked.wait(10)
    early._thread.join(10)  # the thread's request is the first one
    assert early.get_token_info("https://storage.azure.com/.default").token == "token-2"
    assert early.get_token_info(*SCOPES, options={"claims": "x"}).token == "token-3"
    assert early.get_token("a", tenant_id="t") == "plain"
    assert early.get_token_info(*SCOPES).token == "token-1"
    assert cred.calls == [("info", SCOPES, None), ("info", ("https://storage.azure.com/.default",), None),
                          ("info", SCOPES, {"claims": "x"}), ("token", ("a",), {"tenant_id": "t"})]
    early.close()
    assert cred.closed


def test_the_threads_error_is_raised_where_the_token_is_needed():
    from azure.identity import CredentialUnavailableError

    cred = FakeCredential(CredentialUnavailableError("no az"))
    cred.release.set()
    early = Prefetched(cred, SCOPES)
    with pytest.raises(CredentialUnavailableError, match="no az"):
        early.get_token_info(*SCOPES)
    cred.error = None
    assert early.get_token_info(*SCOPES).token == "token-2"  # after the error, the credential is asked again


@pytest.mark.parametrize("args", [["status", "-g", "img-rg", "-n", "ubuntu-golden"],
                                  ["build", "-p", "ubuntu-gen2-vhd", "--example-values", "-g", "img-rg",
                                   "--poll-interval", "0.01"]])
def test_a_command_asks_the_azure_cli_once(cloud, arm, tmp_path: Path, args):
    arm.arm.add("img-rg", "ubuntu-golden", TEMPLATE)
    r = cloud(*args)
    assert r.code == 0, r.err
    lines = (tmp_path / "az.log").read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("account get-access-token")  # build's two clients share it

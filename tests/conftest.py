"""Shared test helpers: run the real CLI in a subprocess, in an isolated HOME and cwd."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

# Test the installed aibgen (its catalog and partials are packaged from the top-level
# folders), not the source folder that `python -m pytest` puts first on sys.path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
assert "aibgen" not in sys.modules, "aibgen was imported before tests/conftest.py"
TODAY = "2026-11-25"  # the day the lifecycle data in aibgen/data/lifecycle.json was last checked
XDG = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
IDENTITY = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/aib")


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory):
    """HOME and the XDG folders point into the test run's temporary folder, for every test
    and every process it starts, so no test reads or writes the real user's files."""
    base = tmp_path_factory.mktemp("user")
    saved = {k: os.environ.get(k) for k in ("HOME", *XDG)}
    os.environ["HOME"] = str(base / "home")
    for name in XDG:
        os.environ[name] = str(base / name.lower())
    yield base
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def fresh_memo():
    """Each in-process test starts with aibgen's per-process cache empty."""
    from aibgen import memo

    memo.clear()
    yield


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty working directory with its own HOME."""
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    return work


@pytest.fixture
def aibgen(workdir):
    """Run ``python -m aibgen ARGS`` in ``workdir``; returns a :class:`Run`."""

    def run(*args, env=None, input=None, cwd=None) -> Run:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("AIBGEN_")}
        # AIB205 judges end of support by the date; tests judge as of one fixed day
        full_env.update(HOME=str(workdir.parent / "home"), NO_COLOR="1", AIBGEN_TODAY=TODAY)
        full_env.update(env or {})
        proc = subprocess.run([sys.executable, "-m", "aibgen", *args], cwd=cwd or workdir, env=full_env,
                              input=input, capture_output=True, text=True, timeout=120)
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run


def read_terminal(fd: int, needle: bytes | None = None, timeout: float = 60) -> bytes:
    """What a pseudo-terminal's program writes: until ``needle`` shows, or (without one) until
    the terminal closes with the program, or ``timeout`` seconds pass."""
    import select
    import time

    seen, end = b"", time.monotonic() + timeout
    while (needle is None or needle not in seen) and time.monotonic() < end:
        if not select.select([fd], [], [], 0.5)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the terminal closed with the program
            break
        if not chunk:
            break
        seen += chunk
    return seen

"""Every class of bad input: clean exit code, one line naming the place, no output touched.

README.md in this folder lists each class with the line the user sees; refresh it with
``pytest tests/bad_input --update-golden`` after an intended change of a message.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cases import CASES, ID
from fakearm_fixtures import arm, cloud_env, test_ca  # noqa: F401 (fixtures of the cases that talk to Azure)
from fakearm_storage import azurite  # noqa: F401

HERE = Path(__file__).resolve().parent
SEEN: dict[str, str] = {}


def _setup(work: Path, files: dict) -> None:
    for rel, content in files.items():
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _snapshot(work: Path) -> dict:
    """Every file's bytes (a link's target for links) below ``work``."""
    out = {}
    for p in sorted(work.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(work))] = os.readlink(p)
        elif p.is_file():
            out[str(p.relative_to(work))] = p.read_bytes()
    return out


def _interrupted_at(command: list[str], work: Path, env: dict, prompt: str) -> subprocess.CompletedProcess:
    """Run ``command`` on a pseudo-terminal and press Ctrl-C once ``prompt`` shows."""
    import pty
    import select
    import signal
    import time

    master, slave = pty.openpty()
    proc = subprocess.Popen(command, cwd=work, env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    seen, end, interrupted, shown_at = b"", time.monotonic() + 60, 0.0, None
    while time.monotonic() < end:
        if shown_at is None and prompt.encode() in seen:
            shown_at = time.monotonic()
        # as a person would: a moment after the prompt shows (a signal that lands between the
        # prompt and Python's read of the terminal waits for the read; pressing again ends it)
        if shown_at is not None and time.monotonic() - max(shown_at, interrupted) > (0.3 if not interrupted else 5):
            proc.send_signal(signal.SIGINT)
            interrupted = time.monotonic()
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    if not interrupted:
        proc.kill()
    proc.wait(timeout=30)
    os.close(master)
    text = seen.decode("utf-8", "replace").replace("\r\n", "\n")
    assert interrupted, f"{prompt!r} never shown: {text[-300:]}"
    return subprocess.CompletedProcess(command, proc.returncode, "", text)


def _azure(request, tmp_path: Path, args: list[str]) -> tuple[dict, dict]:
    """For a case that talks to Azure: the fake ARM's environment, and the text that stands for its parts.

    ``ARM:`` starts the fake Resource Manager on 127.0.0.1 (tests/fakearm.py) with a fake
    ``az`` as the only credential; ``ARM:running`` also deploys ``img-rg/ubuntu-golden`` with a
    build in progress. ``{azurite}`` in an argument starts Azurite and stands for its blob
    endpoint.
    """
    if not any(a.startswith("ARM:") for a in args):
        return {}, {}
    from fakearm_fixtures import TEMPLATE

    env = request.getfixturevalue("cloud_env")
    arm = request.getfixturevalue("arm")
    if "ARM:running" in args:
        arm.arm.add("img-rg", "ubuntu-golden", TEMPLATE, running=True)
        arm.arm.tick = 0  # the build runs for the whole case
    parts = {"{azurite}": request.getfixturevalue("azurite")} if any("{azurite}" in a for a in args) else {}
    return {**env, "HOME": str(tmp_path), "NO_COLOR": "1"}, parts


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(case, tmp_path, request):
    name, what, files, args, code, needle = case
    work = tmp_path / "work"
    work.mkdir()
    _setup(work, files)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIBGEN_")}
    env.update(HOME=str(tmp_path), NO_COLOR="1")
    azure_env, parts = _azure(request, tmp_path, args)
    env.update(azure_env)
    argv, prompt = [], None
    for arg in args:
        for key, value in parts.items():
            arg = arg.replace(key, value)
        if arg.startswith("ARM:"):
            continue
        if arg.startswith("CTRL-C:"):  # on a terminal: Ctrl-C once this prompt is shown
            prompt = arg[7:]
        elif arg.startswith("ENV:"):
            key, _, value = arg[4:].partition("=")
            env[key] = value
        elif arg.startswith("LINK:"):
            link, _, target = arg[5:].partition("=")
            (work / link).symlink_to(work / target)
        else:
            argv.append(f"identity={ID}" if arg == "{id}" else arg)
    before = _snapshot(work)
    command = [sys.executable, "-m", "aibgen", *argv]
    if prompt is None:
        proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=120)
    else:
        proc = _interrupted_at(command, work, env, prompt)
    message = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
    assert proc.returncode == code, (proc.returncode, proc.stdout[-500:], proc.stderr[-500:])
    assert "Traceback" not in proc.stderr
    first = next((line for line in message if needle in line), None)
    assert first is not None, f"{needle!r} not in {message[:3]}"
    if code == 2:
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert _snapshot(work) == before, "the command created or changed files"
    shown = first.replace(str(work) + os.sep, "").replace(str(tmp_path), "<tmp>")
    for key, value in parts.items():
        shown = shown.replace(value, key)
    shown = re.sub(r"https://127\.0\.0\.1:\d+", "https://127.0.0.1:<port>", shown)
    SEEN[name] = re.sub(r"/\S*/(catalog|partials)/", r"<built-in>/\1/", shown)


def test_readme_lists_every_class_with_what_the_user_sees(request):
    if len(SEEN) != len(CASES):
        pytest.skip("run the whole bad-input suite to check the README")
    lines = ["# Bad input: what the user sees", "",
             "Each class of bad input the suite in this folder checks, with the one line aibgen prints.",
             "Every case also asserts the exit code, that there is no traceback, and that no file was",
             "created or changed. Refresh with `pytest tests/bad_input --update-golden`.", "",
             "| class | input | exit | what the user sees |", "|---|---|---|---|"]
    for name, what, _files, _args, code, _needle in CASES:
        lines.append(f"| `{name}` | {what} | {code} | `{SEEN[name].replace('|', '¦')[:200]}` |")
    text = "\n".join(lines) + "\n"
    readme = HERE / "README.md"
    if request.config.getoption("--update-golden"):
        readme.write_text(text, encoding="utf-8")
    assert readme.read_text(encoding="utf-8") == text
    assert len(CASES) >= 60

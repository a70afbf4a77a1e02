"""Rule and catalog plugins that misbehave cannot hide findings or fake a clean exit.

Each plugin is a real distribution found through its entry point: a ``.dist-info`` folder
on PYTHONPATH, as pip would leave it, used by the CLI in a subprocess.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

BAD = ROOT / "tests" / "cases" / "AIB301" / "bad" / "shell-on-windows.json"
HEAD = "from aibgen.rules import rule\n\n@rule('AIB901', 'error', 'contoso rule')\ndef contoso(ctx):\n"
RULE_BODIES = {
    "system-exit": "    raise SystemExit(0)\n",
    "keyboard-interrupt": "    raise KeyboardInterrupt\n",
    "generator-exit-code": "    yield '/x', 'first'\n    raise SystemExit(3)\n",
    "non-string-pointer": "    yield 7, 'message'\n",
    "relative-pointer": "    yield 'properties', 'message'\n",
    "not-a-pair": "    yield 'just text'\n",
    "empty-message": "    yield '/location', ''\n",
    "bad-repr": "    class X:\n        def __repr__(self):\n            raise ValueError\n    yield X()\n",
    # results that run code when they are inspected
    "str-subclass-ne": "    class M(str):\n        def __ne__(self, other):\n            raise SystemExit(0)\n"
                       "    yield '/location', M('message')\n",
    "tuple-subclass-len": "    class T(tuple):\n        def __len__(self):\n            raise SystemExit(0)\n"
                          "    yield T(('/location', 'message'))\n",
    "str-subclass-startswith": "    class P(str):\n        def startswith(self, *a):\n            raise ValueError('no')\n"
                               "    yield P('/location'), 'message'\n",
}


def install(site, name: str, group: str, module: str, body: str) -> None:
    (site / f"{module}.py").write_text(body, encoding="utf-8")
    info = site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[{group}]\n{name} = {module}\n", encoding="utf-8")


def run(tmp_path, *args):
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"), NO_COLOR="1", HOME=str(tmp_path))
    return subprocess.run([sys.executable, "-m", "aibgen", *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("kind", RULE_BODIES)
def test_a_failing_rule_is_one_finding_and_the_others_stay(tmp_path, site, kind):
    install(site, "contoso", "aibgen.rules", "contoso_rules", HEAD + RULE_BODIES[kind])
    r = run(tmp_path, "validate", str(BAD), "--format", "json")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    rules = [f["rule"] for f in json.loads(r.stdout)["findings"]]
    assert "AIB301" in rules and "AIB000" in rules
    [broken] = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "AIB000"]
    assert "AIB901" in broken["message"]


def test_an_unencodable_message_is_reported_not_a_crash(tmp_path, site):
    install(site, "contoso", "aibgen.rules", "contoso_rules", HEAD + "    yield '/location', 'bad \\ud800 text'\n")
    r = run(tmp_path, "validate", str(BAD))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "AIB901" in r.stdout and "\\ud800" in r.stdout


@pytest.mark.parametrize("raised", ["SystemExit(0)", "KeyboardInterrupt", "ImportError('no')", "RecursionError"])
def test_a_rule_plugin_that_fails_to_load_is_named_and_exits_2(tmp_path, site, raised):
    install(site, "contoso", "aibgen.rules", "contoso_rules", f"raise {raised}\n")
    r = run(tmp_path, "validate", str(BAD))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "rule plugin 'contoso'" in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.parametrize("raised", ["SystemExit(0)", "KeyboardInterrupt", "ValueError('x')"])
def test_a_catalog_plugin_that_fails_to_load_is_named_and_exits_2(tmp_path, site, raised):
    install(site, "contoso", "aibgen.catalogs", "contoso_images", f"raise {raised}\n")
    r = run(tmp_path, "catalog", "list")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "catalog package 'contoso'" in r.stderr and r.stderr.count("\n") == 1


def test_ctrl_c_inside_a_rule_still_stops_the_run_with_130(tmp_path, site):
    import signal
    import time

    marker = tmp_path / "in-rule"
    install(site, "contoso", "aibgen.rules", "contoso_rules",
            HEAD + f"    import pathlib, time\n    pathlib.Path({str(marker)!r}).touch()\n    time.sleep(60)\n"
            "    yield from ()\n")
    env = dict(os.environ, PYTHONPATH=str(site), NO_COLOR="1", HOME=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "aibgen", "validate", str(BAD)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the rule never ran"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and err.strip() == "interrupted" and "AIB000" not in out




def test_a_plugin_may_not_replace_a_built_in_rule(tmp_path, site):
    install(site, "contoso", "aibgen.rules", "contoso_rules",
            "from aibgen.rules import REGISTRY, Rule\nREGISTRY['AIB301'] = Rule('AIB301', 'error', 'off', 'off', None)\n")
    r = run(tmp_path, "validate", str(BAD))
    assert r.returncode == 2 and "rule plugin 'contoso' replaced built-in rule AIB301" in r.stderr

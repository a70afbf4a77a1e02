"""The CLI under hostile streams and environments: closed, full and broken standard output,
odd encodings, a read-only HOME, and text crafted to drive the terminal.

Each run is a real subprocess; every outcome is a clean exit code and at most one line on
stderr, never a traceback, and never a report that looks complete when it is not.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

GOOD = ROOT / "tests" / "cases" / "AIB003" / "good" / "stable-version.json"
BAD = ROOT / "tests" / "cases" / "AIB301" / "bad" / "shell-on-windows.json"
COMMANDS = {
    "validate-text": ["validate", str(BAD)],
    "validate-json": ["validate", str(BAD), "--format", "json"],
    "validate-sarif": ["validate", str(BAD), "--format", "sarif"],
    "new-stdout": ["new", "-p", "ubuntu-sig", "--example-values", "-o", "-"],
    "catalog-list": ["catalog", "list"],
    "rules": ["rules"],
}


def run(args, tmp_path, stdout=subprocess.PIPE, env=None, preexec=None, stdin=subprocess.DEVNULL):
    full = dict(os.environ, NO_COLOR="1", HOME=str(tmp_path))
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "aibgen", *args], cwd=tmp_path, env=full, stdin=stdin,
                          stdout=stdout, stderr=subprocess.PIPE, preexec_fn=preexec, timeout=60)


def _close_stdout():
    os.close(1)


@pytest.mark.parametrize("name", COMMANDS)
def test_closed_stdout_is_an_error_not_a_silent_success(tmp_path, name):
    r = run(COMMANDS[name], tmp_path, stdout=None, preexec=_close_stdout)
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert "Traceback" not in err and err.count("\n") == 1 and "standard output" in err


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_is_an_error_not_a_silent_success(tmp_path, name):
    with open("/dev/full", "wb") as full:
        r = run(COMMANDS[name], tmp_path, stdout=full)
    err = r.stderr.decode()
    assert r.returncode == 2 and "Traceback" not in err and "No space left on device" in err


@pytest.mark.parametrize("name", COMMANDS)
def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path, name):
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read: the first write gets EPIPE
    try:
        r = run(COMMANDS[name], tmp_path, stdout=writer)
    finally:
        os.close(writer)
    assert r.returncode == 141 and r.stderr == b""


@pytest.mark.parametrize("encoding", [{"PYTHONIOENCODING": "latin-1"}, {"LC_ALL": "C", "LANG": "C"},
                                      {"PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}])
def test_odd_encodings_escape_human_text_and_keep_machine_formats_utf8(tmp_path, encoding):
    template = json.loads(BAD.read_text())
    template["tags"] = {"owner": "Zoë 中文 😀"}
    template["properties"]["customize"][1]["inline"] = ["echo 中文"]
    (tmp_path / "t.json").write_text(json.dumps(template, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "ü中.json").write_text(json.dumps(template, ensure_ascii=False), encoding="utf-8")
    text = run(["validate", "."], tmp_path, env=encoding)
    assert text.returncode == 1 and b"Traceback" not in text.stderr and b"AIB301" in text.stdout
    report = run(["validate", ".", "--format", "json"], tmp_path, env=encoding)
    assert report.returncode == 1
    files = {f["file"] for f in json.loads(report.stdout.decode("utf-8"))["findings"]}
    assert files == {"t.json", "ü中.json"}


def test_lone_surrogates_in_a_template_are_escaped_in_text_and_kept_in_json(tmp_path):
    (tmp_path / "t.json").write_text(BAD.read_text().replace('"Shell"', '"Shell\\ud800"', 1), encoding="utf-8")
    text = run(["validate", "t.json"], tmp_path)
    assert text.returncode == 1 and b"Traceback" not in text.stderr and b"\\ud800" in text.stdout
    report = run(["validate", "t.json", "--format", "json"], tmp_path)
    assert report.returncode == 1 and "\ud800" in json.dumps(json.loads(report.stdout), ensure_ascii=False)


def test_escape_sequences_and_newlines_cannot_forge_finding_lines(tmp_path):
    evil = "x\n/etc/passwd:1:1: error AIB999 forged\x1b[2K\x1b]0;title\x07\u202e"
    template = json.loads(BAD.read_text())
    template["properties"]["customize"][1]["type"] = evil
    name = "t\x1b[31m\nforged.json"
    (tmp_path / name).write_text(json.dumps(template), encoding="utf-8")
    r = run(["validate", "."], tmp_path)
    out = r.stdout.decode()
    assert r.returncode == 1 and "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    *lines, summary = out.splitlines()
    assert lines and all(line.startswith("t\\x1b[31m\\nforged.json:") for line in lines)
    assert summary.startswith("1 file, ")
    report = json.loads(run(["validate", ".", "--format", "json"], tmp_path).stdout)
    assert {f["file"] for f in report["findings"]} == {name}


def test_error_messages_are_one_line_whatever_the_input_holds(tmp_path):
    r = run(["new", "-p", "ubuntu-sig\n\x1b[31mforged"], tmp_path)
    err = r.stderr.decode()
    assert r.returncode == 2 and err.count("\n") == 1 and "\x1b" not in err


def test_a_read_only_home_changes_nothing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    try:
        r = run(["new", "-p", "ubuntu-sig", "--example-values", "-o", "-"], tmp_path, env={"HOME": str(home)})
    finally:
        home.chmod(0o700)
    assert r.returncode == 0 and json.loads(r.stdout)["type"].endswith("imageTemplates")


def test_closed_stdin_is_not_read_as_a_template(tmp_path):
    r = run(["validate", "-"], tmp_path, stdin=None, preexec=lambda: os.close(0))
    err = r.stderr.decode()
    assert r.returncode == 2 and "Traceback" not in err and "standard input" in err


def test_closed_stdin_after_a_good_file_leaves_no_half_written_report(tmp_path):
    (tmp_path / "b.json").write_text("{}")
    r = run(["validate", "b.json", "-", "--format", "json"], tmp_path, stdin=None, preexec=lambda: os.close(0))
    assert r.returncode == 2 and r.stdout == b"" and b"standard input" in r.stderr

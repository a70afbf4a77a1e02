"""Hostile inputs: FIFOs, devices, huge sparse files, huge numbers, deep nesting, half surrogates.

Every kind of file aibgen reads (a template for validate, a --values file, a profile and a
partial in a --catalog directory, a local script a profile inlines, aibgen.yaml and
pyproject.toml, found or named with --config) is replaced by each hostile form. Each run is
the real CLI in a subprocess, with a timeout and 2 GiB of address space, so a hang or a
3 GB read fails the test: the outcome must be exit 2 (or 1 with a finding, where that is
the contract) and one line, with no traceback and no file written.

The lenient JSON reading (comments and trailing commas) is checked against the regular
expression it replaced, on inputs hypothesis generates.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import IDENTITY, ROOT

TIMEOUT = 20
MEMORY = 2 * 1024 ** 3
GOOD = (ROOT / "tests" / "cases" / "AIB003" / "good" / "stable-version.json").read_text()
PROFILE = ("description: d\nextends: linux-base\nsource:\n  use: platform-image\n"
           "  with: {publisher: Canonical, offer: o, sku: s}\ndistribute:\n  - use: vhd\n")
NEW = ["new", "-p", "p", "--catalog", "cat", "--example-values", "--no-input", "-o", "out.json"]
VALUES = ["new", "-p", "ubuntu-gen2-vhd", "--set", f"identity={IDENTITY}", "--values", "v.yaml", "-o", "out.json"]
# Inputs that still go around aibgen.sources.reader until profiles/load.py, config.py,
# render/environment.py and profiles/roots.py read through it (see the hardening report).
PENDING: dict[tuple[str, str], str] = {}  # (input, kind) -> why it does not hold yet: none left


def run(work: Path, *args: str, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    """The CLI in ``work``, with a timeout and capped memory; stdout and stderr as text."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIBGEN_")}
    env.update(HOME=str(work.parent / "home"), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "aibgen", *args], cwd=work, env=env, stdin=stdin,
                          capture_output=True, text=True, errors="backslashreplace", timeout=TIMEOUT,
                          preexec_fn=_cap_memory)


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def files(work: Path) -> set[str]:
    return {str(p.relative_to(work)) for p in work.rglob("*")}


@pytest.fixture
def work(tmp_path) -> Path:
    (tmp_path / "home").mkdir()
    path = tmp_path / "work"
    path.mkdir()
    return path


# --- the hostile forms of a file -------------------------------------------------------------

def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _sparse(path: Path) -> None:
    with open(path, "wb") as handle:  # 3 GB that take no disk
        handle.truncate(3 * 1024 ** 3)


def _device(target: str):
    return lambda path: path.symlink_to(target)


FORMS = {"fifo": _fifo, "sparse": _sparse, "dev-zero": _device("/dev/zero"), "dev-null": _device("/dev/null")}
SAID = {"fifo": "not a regular file (a FIFO)", "sparse": "larger than", "dev-zero": "not a regular file (a character device)",
        "dev-null": "not a regular file (a character device)"}


# --- every kind of input, each as (the file to make hostile, setup, command, expected outcome) ---
# An outcome is (exit code, text the one stderr line must hold); None for the text when the
# hostile file is passed over (a FIFO among the profiles of a catalog is not a profile).

def _catalog(work: Path, extra: str = "") -> None:
    (work / "cat" / "partials" / "customizers").mkdir(parents=True)
    (work / "cat" / "p.yaml").write_text(PROFILE + extra)


def _template(work: Path) -> None:
    (work / "t.json").write_text(GOOD)


KINDS = {
    "template": ("t.json", lambda w: None, ["validate", "t.json"], {}),
    "values": ("v.yaml", lambda w: None, VALUES, {}),
    "profile": ("cat/p.yaml", lambda w: (w / "cat").mkdir(), NEW,
                {"fifo": (2, None), "dev-zero": (2, None), "dev-null": (2, None)}),
    "profile-lint": ("cat/p.yaml", lambda w: (w / "cat").mkdir(), ["catalog", "lint", "--catalog", "cat"],
                     {"fifo": (0, None), "dev-zero": (0, None), "dev-null": (0, None), "sparse": (1, "larger than")}),
    "partial": ("cat/partials/customizers/bad.json.j2", lambda w: _catalog(w, "customize:\n  - {use: bad}\n"), NEW,
                {"fifo": (2, "no partial 'customizers/bad'"), "dev-zero": (2, "no partial"), "dev-null": (2, "no partial")}),
    "script": ("cat/x.sh", lambda w: _catalog(w, "customize:\n  - {use: shell, inline_file: x.sh}\n"), NEW,
               {"dev-zero": (2, "leads outside the catalog root"), "dev-null": (2, "leads outside the catalog root")}),
    "aibgen.yaml": ("aibgen.yaml", _template, ["validate", "t.json"],
                    {"fifo": (0, None), "dev-zero": (0, None), "dev-null": (0, None)}),
    "pyproject": ("pyproject.toml", _template, ["validate", "t.json"],  # someone else's: passed over
                  {"fifo": (0, None), "dev-zero": (0, None), "dev-null": (0, None), "sparse": (0, None)}),
    "--config aibgen.yaml": ("aibgen.yaml", _template, ["validate", "t.json", "--config", "aibgen.yaml"], {}),
    "--config pyproject": ("pyproject.toml", _template, ["validate", "t.json", "--config", "pyproject.toml"], {}),
}


def _pending(kind: str, form: str):
    reason = PENDING.get((kind, form))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(kind, form, id=f"{kind}-{form}", marks=marks)


@pytest.mark.parametrize(("kind", "form"), [_pending(k, f) for k in KINDS for f in FORMS])
def test_every_input_refuses_fifos_devices_and_huge_files_at_once(work, kind, form):
    target, setup, args, outcomes = KINDS[kind]
    setup(work)
    (work / target).parent.mkdir(parents=True, exist_ok=True)
    FORMS[form](work / target)
    before = files(work)
    r = run(work, *args)
    code, needle = outcomes.get(form, (2, SAID[form]))
    assert r.returncode == code, r.stderr
    assert "Traceback" not in r.stderr
    if code == 2:
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    if needle:
        assert needle in r.stderr or needle in r.stdout, r.stderr
        assert Path(target).name in r.stderr or Path(target).name in r.stdout or "no partial" in needle
    assert files(work) == before


# --- validate: standard input, directories, early errors -----------------------------------------

def test_stdin_is_read_with_the_same_cap(work):
    with open("/dev/zero", "rb") as zero:
        r = run(work, "validate", "-", stdin=zero)
    assert r.returncode == 2 and r.stderr.strip() == "error: <stdin>: larger than 64 MiB, too large for a JSON template"


def test_a_walked_directory_passes_over_fifos_and_refuses_huge_files(work):
    (work / "d").mkdir()
    (work / "d" / "t.json").write_text(GOOD)
    os.mkfifo(work / "d" / "pipe.json")
    assert run(work, "validate", "d").returncode == 0
    _sparse(work / "d" / "huge.json")
    r = run(work, "validate", "d", "--format", "sarif")
    assert r.returncode == 2 and "huge.json: larger than 64 MiB" in r.stderr and r.stdout == ""


def test_a_bad_file_given_after_good_ones_fails_before_any_report(work):
    _template(work)
    os.mkfifo(work / "pipe.json")
    r = run(work, "validate", "t.json", "pipe.json", "--format", "sarif")
    assert r.returncode == 2 and r.stdout == "" and "pipe.json: not a regular file (a FIFO)" in r.stderr


def test_comment_openers_are_scanned_once_not_once_each(work):
    (work / "t.json").write_text("/* " * 700_000)  # 2 MB: the quadratic scan took hours
    r = run(work, "validate", "t.json")
    assert r.returncode == 1 and "t.json:1:1: error AIB001 not valid JSON" in r.stdout


# --- numbers Python cannot convert ---------------------------------------------------------------

def test_a_huge_integer_in_a_template_is_a_finding_at_its_line(work):
    (work / "t.json").write_text('{\n  "properties": {\n    "buildTimeoutInMinutes": ' + "9" * 5000 + "\n  }\n}\n")
    r = run(work, "validate", "t.json", "--format", "json")
    [f] = json.loads(r.stdout)["findings"]
    assert r.returncode == 1 and (f["rule"], f["line"], f["column"]) == ("AIB001", 3, 30)
    assert "5000 digits" in f["message"]


def test_a_huge_integer_after_a_comment_is_found_too(work):
    (work / "t.json").write_text('// note\n{"a": "' + "1" * 5000 + '", "b": ' + "1" * 5000 + "}\n")
    r = run(work, "validate", "t.json")
    assert r.returncode == 1 and "t.json:2:" in r.stdout and "5000 digits" in r.stdout


def test_long_floats_are_values_not_errors(work):
    doc = json.loads(GOOD)
    (work / "t.json").write_text(json.dumps(doc)[:-1] + ', "tags": {"x": 1.' + "5" * 100_000 + "}}")
    r = run(work, "validate", "t.json", "--format", "json")
    assert r.returncode == 1 and "Traceback" not in r.stderr  # AIB104-type findings, not a crash


@pytest.mark.parametrize("value", ["1" + "0" * 5000, "0x" + "f" * 50_000, "-" + "9" * 4400])
def test_a_huge_integer_in_yaml_is_an_error_at_its_line(work, value):
    (work / "v.yaml").write_text(f"vmSize: Standard_D2s_v3\nbuildTimeout: {value}\n")
    r = run(work, *VALUES)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("error: v.yaml:2:15: number ") and "too long for an integer" in r.stderr


@pytest.mark.parametrize("where", ["profile", "aibgen.yaml"])
def test_a_huge_integer_in_a_profile_or_the_configuration_is_an_error(work, where):
    _catalog(work)
    target, args = ("cat/p.yaml", NEW) if where == "profile" else ("aibgen.yaml", ["validate", "t.json"])
    _template(work)
    (work / target).write_text(PROFILE + "tags: {a: 1" + "0" * 5000 + "}\n" if where == "profile"
                               else "policy:\n  n: 1" + "0" * 5000 + "\n")
    r = run(work, *args)
    assert r.returncode == 2 and "too long for an integer" in r.stderr and len(r.stderr.splitlines()) == 1


def test_a_huge_integer_in_pyproject_is_an_error(work):
    _template(work)
    (work / "pyproject.toml").write_text("[tool.aibgen]\nn = 1" + "0" * 5000 + "\n")
    r = run(work, "validate", "t.json")
    assert r.returncode == 2 and "pyproject.toml: invalid TOML" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("where", ["search", "--config"])
def test_deep_nesting_in_pyproject_is_an_error(work, where):
    _template(work)
    (work / "pyproject.toml").write_text("[tool.aibgen]\nn = " + "[" * 5000 + "]" * 5000 + "\n")
    r = run(work, "validate", "t.json", *(["--config", "pyproject.toml"] if where == "--config" else []))
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr and len(r.stderr.splitlines()) <= 1


@pytest.mark.parametrize("value", ["2024-02-30", "!!int x", '"\\U00110000"'])
def test_yaml_values_python_cannot_build_are_errors(work, value):
    (work / "v.yaml").write_text(f"vmSize: {value}\n")
    r = run(work, *VALUES)
    assert r.returncode == 2 and r.stderr.startswith("error: v.yaml") and "Traceback" not in r.stderr


# --- deep nesting ------------------------------------------------------------------------------

def test_deep_nesting_behind_a_comment_is_a_finding(work):
    (work / "t.json").write_text("// c\n" + "[" * 100_000 + "]" * 100_000)
    r = run(work, "validate", "t.json")
    assert r.returncode == 1 and "AIB001" in r.stdout and "Traceback" not in r.stderr


@pytest.mark.parametrize("where", ["v.yaml", "aibgen.yaml"])
def test_deep_nesting_in_yaml_is_an_error(work, where):
    _template(work)
    (work / where).write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    r = run(work, *(VALUES if where == "v.yaml" else ["validate", "t.json"]))
    assert r.returncode == 2 and where in r.stderr and len(r.stderr.splitlines()) == 1


# --- half surrogate pairs and bytes that are not UTF-8 -------------------------------------------

def test_a_half_surrogate_in_a_template_is_a_finding_at_its_value(work):
    doc = json.loads(GOOD)
    text = json.dumps(doc, indent=2).replace('"Canonical"', '"Canon\\ud800ical"')
    (work / "t.json").write_text(text)
    r = run(work, "validate", "t.json", "--format", "json")
    [f] = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "AIB001"]
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "Canon" in s)
    assert r.returncode == 1 and f["line"] == line and f["pointer"] == "/properties/source/publisher"
    assert "'\\ud800' is half of a surrogate pair" in f["message"]


def test_a_half_surrogate_in_a_key_is_located_at_the_key(work):
    (work / "t.json").write_text('{\n  "x\\udc00": 1\n}\n')
    r = run(work, "validate", "t.json")
    assert r.returncode == 1 and "t.json:2:3: error AIB001 not valid Unicode: '\\udc00'" in r.stdout


def test_surrogates_encoded_as_bytes_are_not_utf8(work):
    (work / "t.json").write_bytes(b'{"a": "\xed\xa0\x80"}')
    r = run(work, "validate", "t.json")
    assert r.returncode == 1 and "t.json:1:8: error AIB001 not UTF-8 text (byte 0xed)" in r.stdout


@pytest.mark.parametrize("where", ["v.yaml", "cat/p.yaml", "aibgen.yaml"])
def test_a_half_surrogate_in_yaml_is_an_error_at_its_line(work, where):
    _catalog(work)
    _template(work)
    body = {"v.yaml": 'vmSize: "Standard\\ud800"\n', "cat/p.yaml": PROFILE.replace("description: d", 'description: "d\\udfff"'),
            "aibgen.yaml": 'catalog: "c\\ud800"\n'}[where]
    (work / where).write_text(body)
    args = {"v.yaml": VALUES, "cat/p.yaml": NEW, "aibgen.yaml": ["validate", "t.json"]}[where]
    r = run(work, *args)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1
    assert re.match(rf"error: (\S*/)?{re.escape(where)}:\d+:\d+: '\\u(d800|dfff)' is half of a surrogate pair", r.stderr)


def test_a_file_name_that_is_not_utf8_is_reported_not_crashed_on(work):
    name = os.fsdecode(b"caf\xe9.json")
    (work / name).write_text('{"a": 1}')
    for fmt in ("text", "json", "sarif", "junit"):
        r = run(work, "validate", name, "--format", fmt)
        assert r.returncode == 1 and "Traceback" not in r.stderr and r.stdout, fmt
    assert "caf%E9.json" in run(work, "validate", name, "--format", "sarif").stdout


# --- SARIF, written as results arrive ---------------------------------------------------------------

def test_sarif_results_come_before_the_tool_and_index_its_rules(work):
    for i, text in enumerate(["{oops", '{"a": 1}', GOOD.replace('"Canonical"', "1")]):
        (work / f"{i}.json").write_text(text)
    r = run(work, "validate", ".", "--format", "sarif")
    log = json.loads(r.stdout)
    [run_] = log["runs"]
    assert list(run_) == ["results", "tool"] and r.returncode == 1
    rules = run_["tool"]["driver"]["rules"]
    assert all(rules[x["ruleIndex"]]["id"] == x["ruleId"] for x in run_["results"])
    assert len({x["id"] for x in rules}) == len(rules) == len({x["ruleId"] for x in run_["results"]})


def test_sarif_with_no_findings_is_an_empty_run(work):
    _template(work)
    log = json.loads(run(work, "validate", "t.json", "--format", "sarif").stdout)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


# --- the lenient reading: exactly the comments and trailing commas, in one pass -------------------

# A line comment ends before a CRLF's "\r"; a comma is trailing when only spaces and whole
# comments (to the line end, to the first "*/") part it from a closing bracket.
_LINE = r"//(?:[^\r\n]|\r(?!\n))*(?=\r\n|\n|$)"
_BLOCK = r"/\*(?:[^*]|\*(?!/))*\*/"
_OLD = re.compile(rf'"(?:[^"\\]|\\.)*"|{_LINE}|{_BLOCK}|,(?=(?:\s|{_LINE}|{_BLOCK})*[\]}}])', re.S)


def _reference(text: str) -> str:
    """The regular expression the lenient scan replaced (quadratic on unclosed openers)."""
    return _OLD.sub(lambda m: m.group() if m.group().startswith('"') else "\n" * m.group().count("\n") + " ", text)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet='"\\/*,]}{[ \r\n\ta1:', max_size=60))
def test_lenient_matches_the_reference_on_any_text(text):
    from aibgen.sources.positions import lenient, noise

    assert lenient(text) == _reference(text)
    assert lenient(text).count("\n") == text.count("\n")
    first = next((m for m in _OLD.finditer(text) if not m.group().startswith('"')), None)
    assert next(noise(text), None) == (first.span() if first else None)


_OLD_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='"\\a\n', max_size=40))
def test_the_string_scan_of_python_3_10_ends_strings_where_the_reference_does(text):
    from aibgen.sources.positions import scanned_string_end

    for i in (i for i, ch in enumerate(text) if ch == '"'):
        m = _OLD_STRING.match(text, i)
        assert scanned_string_end(text, i) == (m.end() if m else -1)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='"\\/*,]} \na', max_size=40))
def test_lenient_matches_the_reference_with_the_python_3_10_string_scan(text):
    from unittest import mock

    from aibgen.sources import positions

    with mock.patch.object(positions, "_QUOTE", '"'), \
            mock.patch.object(positions, "_NOISE", positions._noise_patterns('"')):
        assert positions.lenient(text) == _reference(text)


_STRINGS = st.text(alphabet=st.sampled_from(list('ab"\\/*,]}\n\u00e9\U0001f600')), max_size=8)
_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | _STRINGS,
                       lambda kids: st.lists(kids, max_size=3) | st.dictionaries(_STRINGS, kids, max_size=3), max_leaves=8)
_NOISE = st.sampled_from(["", " ", "// c, ] }\n", "/* a, */", "/* \n */", "\n"])


def _noisy(value, noise, space) -> str:
    """``value`` as JSON with comments between tokens and, where ``space`` is not None, trailing commas."""
    def trailing(items):
        gap = space()
        return "," + gap if items and gap is not None else ""

    if isinstance(value, list):
        items = [noise() + _noisy(v, noise, space) + noise() for v in value]
        return "[" + ",".join(items) + trailing(items) + "]"
    if isinstance(value, dict):
        items = [noise() + json.dumps(k, ensure_ascii=False) + noise() + ":" + _noisy(v, noise, space)
                 for k, v in value.items()]
        return "{" + ",".join(items) + trailing(items) + "}"
    return noise() + json.dumps(value, ensure_ascii=False) + noise()


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.data())
def test_lenient_removes_comments_and_trailing_commas_and_keeps_strings(value, data):
    from aibgen.sources.positions import lenient

    text = _noisy(value, lambda: data.draw(_NOISE), lambda: data.draw(st.sampled_from([None, "", " ", "\n\t"])))
    relaxed = lenient(text)
    assert json.loads(relaxed) == value
    assert relaxed.count("\n") == text.count("\n")


@pytest.mark.parametrize("text", ["/* " * 50_000, '"' * 100_000, '"\\"' * 50_000, ",]" * 50_000, "//\n" * 50_000,
                                  "/*" + "*" * 100_000, ", " * 50_000 + "x", ", /*" * 50_000, ",//\r\n" * 50_000,
                                  ",/**/" * 50_000 + "]"])
def test_lenient_agrees_with_the_reference_on_adversarial_text(text):
    from aibgen.sources.positions import lenient

    small = text[:3000]
    assert lenient(small) == _reference(small)
    assert lenient(text).count("\n") == text.count("\n")

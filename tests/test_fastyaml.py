"""The fast YAML reader (libyaml) gives exactly what the pure ruamel.yaml loader gives, data
and line:column of every value, or leaves the file to it: never a different answer."""
from __future__ import annotations

import importlib.util

import pytest

from conftest import ROOT
from aibgen.errors import ProfileError
from aibgen.sources import fastyaml, yamlsrc

pytestmark = pytest.mark.skipif(importlib.util.find_spec("yaml") is None or importlib.util.find_spec("yaml._yaml") is None,
                                reason="PyYAML with libyaml is not installed (the pure loader reads everything)")

FILES = sorted(p for folder in ("catalog", "tests", "docs", "aibgen") for p in (ROOT / folder).rglob("*.y*ml")
               if p.suffix in (".yaml", ".yml"))
TRICKY = [
    "a:\nb: 1\n", "a: {x: 1, y: [1, 2, {z: }]}\n", "- a\n-\n- - b\n  - c\n", "a: |\n  one\n  two\nb: >-\n  x\n  y\n",
    "a: 'it''s'\nb: \"q\"\n", "a:    # c\n  b: 1\n", "a: b\r\nc: d\r\n", "? a\n: b\n", "a: [x,\n  y]\n",
    "a: -1\nb: +2\nc: 0\nd: 1.5\ne: -0.0\n", "a: true\nb: False\nc: ~\nd: null\ne: NULL\n",
    "a: yes\nb: on\nc: 0o17\nd: 017\ne: 1_000\nf: 1e3\n", "a: !!str 1\n", "a: !foo x\n", "a: ! x\n", "a: &x 1\nb: *x\n",
    "a: &x [1]\nb: *x\n", "a: &x {k: 1}\nb: {<<: *x}\n", "a: 2024-01-01\n", "a: \"\\u00e9\\n\"\n", "a: \"\\ud800\"\n",
    "a: x\na: y\n", "  a: 1\n", "a:\n  b:\n    c: [ ]\n    d: {}\n", "'': 1\n", "a: 'multi\n  line'\n",
    "a: plain\n  continued\n", "--- \na: 1\n...\n", "%YAML 1.1\n---\na: yes\n", "a: |+\n  x\n\nb: 1\n", "[1, 2]\n", "x\n",
    "", "# only a comment\n", "a: \t1\n", "a:\n\t- 1\n", "a: 'tab\there'\n", "a: 1\n---\nb: 2\n", "a: .inf\n", "a: .nan\n",
    "a: 12345678901234567890123\n", "a: " + "9" * 5000 + "\n", "k: 'é ✓ 𝄞'\n", "a: x\u2028y\n", "a: x\x85y\n", "a: \x07\n",
    "? [a]\n: 1\n", "1: a\n", "true: a\n", "null: a\n", "a: -\n", "a: - b\n", "a: \"\\/\"\n", "key: value with: colon\n",
    "a: #x\n  b\n", "a: |2\n   x\n  y\n", "a: >\n  x\n\n    more\n  y\n", "a: \"l1\n  l2\"\n", "a: x\nb:\n", "- \n",
    "a: {x: y,}\n", "? |\n  k\n: v\n", "a: \"\"\n", "a: ''\n", "a: [\n", "a: b: c\n", "\ufeffa: 1\n", "a: 1.\n", "a: .5\n",
    "a: 0x1F\n", "a: +.5e3\n", "a/b~c: 1\n", "[a, b]: 1\n", "a: [*x]\n", "a: b\rc: d\r",
    "x: \"é𝄞\"\ny: \"a\\tb\"\n", "a: " + "[" * 2000 + "]" * 2000 + "\n", "".join(" " * i + "k:\n" for i in range(900)),
]


def _pure(text: str, monkeypatch) -> tuple:
    with monkeypatch.context() as m:
        m.setattr(fastyaml, "_parser_class", lambda: None)
        try:
            got = yamlsrc.load(text, "f.yaml")
        except ProfileError as exc:
            return None, str(exc)
    return got, None


def _same_or_left_to_pure(text: str, monkeypatch) -> bool:
    """Whether the fast reader read ``text`` (and then read it exactly as the pure loader does)."""
    fast = fastyaml.load(text, "f.yaml", yamlsrc.MAX_NODES)
    if fast is None:
        return False
    pure, error = _pure(text, monkeypatch)
    assert error is None, f"the pure loader refuses what the fast one read: {error}"
    assert repr(fast.data) == repr(pure.data) and fast.positions == pure.positions
    return True


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_tricky_yaml_is_read_alike_or_left_to_the_pure_loader(text, monkeypatch):
    _same_or_left_to_pure(text, monkeypatch)


def test_every_yaml_file_of_the_repository_is_read_alike(monkeypatch):
    assert len(FILES) > 20
    texts = []
    for path in FILES:
        try:
            texts.append(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:  # a bad-input case: never reaches either reader
            continue
    read = [text for text in texts if _same_or_left_to_pure(text, monkeypatch)]
    assert len(read) >= 0.8 * len(texts)  # the fast path is the usual one


def test_plain_profiles_take_the_fast_path_with_positions():
    text = (ROOT / "catalog" / "ubuntu-sig.yaml").read_text(encoding="utf-8")
    fast = fastyaml.load(text, "ubuntu-sig.yaml", yamlsrc.MAX_NODES)
    assert fast is not None and fast.data["description"] and fast.positions["/description"] == (1, 14)


@pytest.mark.parametrize("text, left", [("a: 2024-01-01\n", True), ("a: &x 1\nb: *x\n", True), ("a: x\na: y\n", True),
                                        ("a: !!str 1\n", True), ("a:\nb: 1\n", True), ("a: 1\n", False)])
def test_what_the_fast_reader_leaves_to_the_pure_loader(text, left):
    assert (fastyaml.load(text, "f.yaml", yamlsrc.MAX_NODES) is None) is left


def test_errors_still_come_from_the_pure_loader():
    with pytest.raises(ProfileError, match=r"^f\.yaml:2:1: duplicate key"):
        yamlsrc.load("a: x\na: y\n", "f.yaml")
    with pytest.raises(ProfileError, match=r"^f\.yaml:1:4: found character '\\t'"):
        yamlsrc.load("a: \t1\n", "f.yaml")

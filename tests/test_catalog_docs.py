"""`aibgen catalog docs`: golden pages of the built-in catalog, a folder kept in step, and
profile text that cannot break out of the Markdown it is written into."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
GOLDEN_DIR = GOLDEN / "catalog-docs"
GOLDEN_JSON = GOLDEN / "catalog-docs.json"
SHIPPED = ROOT / "docs" / "catalog"
CHILD = ("description: {desc}\nextends: linux-base\nsource:\n  use: platform-image\n"
         "  with: {{publisher: Canonical, offer: o, sku: s}}\ndistribute:\n  - use: vhd\n")
MERMAID_NODE = re.compile(r'  (n\d+)\["([A-Za-z0-9 ._/:,()-]*)"\]')
MERMAID_EDGE = re.compile(r"  (n\d+) --> (n\d+)")
MERMAID_STYLE = re.compile(r"  style (n\d+) stroke-width:3px")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", text, re.S)


def check_mermaid(block: str) -> None:
    """The graph syntax aibgen emits: a header, quoted nodes, edges between them, one style."""
    lines = block.rstrip("\n").split("\n")
    assert lines[0] in ("graph BT", "graph TD"), lines[0]
    nodes = set()
    for line in lines[1:]:
        node, edge, style = MERMAID_NODE.fullmatch(line), MERMAID_EDGE.fullmatch(line), MERMAID_STYLE.fullmatch(line)
        assert node or edge or style, f"not Mermaid aibgen writes: {line!r}"
        if node:
            nodes.add(node.group(1))
        for ref in (edge.groups() if edge else (style.group(1),) if style else ()):
            assert ref in nodes, f"{ref} used before it is declared"


def links(text: str) -> list[str]:
    found = []
    for token in markdown().parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(child.attrs["href"])
    return found


@pytest.fixture(scope="module")
def builtin_docs(tmp_path_factory):
    """The built-in catalog's docs, written once for the module's tests."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("docs") / "catalog"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIBGEN_")}
    proc = subprocess.run([sys.executable, "-m", "aibgen", "catalog", "docs", "-o", str(out), "--no-config"],
                          env=env, capture_output=True, text=True, cwd=out.parent, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


def test_markdown_matches_the_golden_folder(builtin_docs, aibgen, update_golden):
    if update_golden:
        for folder in (GOLDEN_DIR, SHIPPED):
            r = aibgen("catalog", "docs", "-o", str(folder), "--no-config")
            assert r.code == 0, r.err
    assert files(builtin_docs) == files(GOLDEN_DIR)


def test_json_matches_its_golden_file(aibgen, workdir, update_golden):
    r = aibgen("catalog", "docs", "--format", "json", "--no-config")
    assert r.code == 0, r.err
    if update_golden:
        GOLDEN_JSON.write_text(r.out, encoding="utf-8")
    assert r.out == GOLDEN_JSON.read_text(encoding="utf-8")


def test_the_docs_shipped_in_the_repository_are_current(aibgen):
    r = aibgen("catalog", "docs", "-o", str(SHIPPED), "--check", "--no-config")
    assert r.code == 0, f"docs/catalog is out of date; run pytest --update-golden ({r.err})"


def test_output_is_the_same_bytes_whatever_the_hash_seed(aibgen, workdir):
    for seed in ("1", "2"):
        r = aibgen("catalog", "docs", "-o", f"out{seed}", "--no-config", env={"PYTHONHASHSEED": seed})
        assert r.code == 0, r.err
    assert files(workdir / "out1") == files(workdir / "out2")


def test_json_and_markdown_describe_the_same_profiles(builtin_docs):
    doc = json.loads(GOLDEN_JSON.read_text(encoding="utf-8"))
    pages = {p.stem for p in (builtin_docs / "profiles").glob("*.md")}
    assert pages == {r["name"] for r in doc["profiles"]}
    sig = next(r for r in doc["profiles"] if r["name"] == "ubuntu-sig")
    assert sig["chain"] == ["linux-base", "ubuntu-sig"] and sig["template"]["name"] == "ubuntu-sig"
    assert [p["name"] for p in sig["parameters"]][:2] == ["location", "identity"]


def test_index_lists_every_concrete_profile_with_its_facts(builtin_docs):
    index = (builtin_docs / "README.md").read_text(encoding="utf-8")
    assert "| [ubuntu-sig](profiles/ubuntu-sig.md) |" in index
    row = next(line for line in index.splitlines() if line.startswith("| [ubuntu-sig]"))
    assert "linux" in row and "Canonical:ubuntu-24_04-lts:server:latest" in row and "SharedImage" in row
    assert "built-in" in row


def test_a_page_has_parameters_chain_steps_and_the_template(builtin_docs):
    page = (builtin_docs / "profiles" / "ubuntu-sig.md").read_text(encoding="utf-8")
    assert "| name | type | default | required | example | help |" in page
    assert "| `identity` | resource-id(userAssignedIdentity) |" in page
    line = next(n for n, t in enumerate((ROOT / "catalog/ubuntu-sig.yaml").read_text().splitlines(), 1)
                if t.startswith("  - use: shell"))
    assert f"| customize 1 | patch | `customizers/shell` (built-in) |   | [ubuntu-sig](ubuntu-sig.md) line {line} |" in page
    golden = (GOLDEN / "ubuntu-sig.json").read_text(encoding="utf-8")
    assert f"```json\n{golden}```" in page  # exactly what `aibgen new --example-values` writes


def test_abstract_pages_list_their_descendants(builtin_docs):
    page = (builtin_docs / "profiles" / "linux-base.md").read_text(encoding="utf-8")
    assert "## Extended by" in page and "- [ubuntu-sig](ubuntu-sig.md)" in page
    assert "## Template" not in page


def test_every_mermaid_block_parses(builtin_docs):
    blocks = [b for p in builtin_docs.rglob("*.md") for b in mermaid_blocks(p.read_text(encoding="utf-8"))]
    assert blocks
    for block in blocks:
        check_mermaid(block)


def test_every_link_resolves_to_a_file_written(builtin_docs):
    written = {p.resolve() for p in builtin_docs.rglob("*.md")}
    for page in builtin_docs.rglob("*.md"):
        for href in links(page.read_text(encoding="utf-8")):
            assert "://" not in href and not href.startswith("/"), href
            assert (page.parent / href).resolve() in written, f"{page.name}: {href}"

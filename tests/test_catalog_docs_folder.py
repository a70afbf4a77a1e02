"""`aibgen catalog docs`: the folder it keeps (marker, stale pages, --check) and profile text
that tries to break out of the Markdown (HTML, links, tables, fences, Mermaid)."""
from __future__ import annotations

import json

from markdown_it import MarkdownIt

from test_catalog_docs import CHILD, check_mermaid, files, links, mermaid_blocks

HOSTILE = '<script>alert(1)</script> [click](javascript:alert(1)) ![x](http://e.invalid/x.png) | a | b |\n# heading'
EVIL = f"""\
description: {json.dumps(HOSTILE)}
extends: linux-base
parameters:
  flavour:
    type: string
    default: "a|b`c<b>bold</b>"
    help: "line one\\nline two | <img src=x onerror=alert(1)> &lt;tag&gt; ```"
    example: "```\\n</table>"
source:
  use: platform-image
  with: {{publisher: Canonical, offer: o, sku: s}}
customize:
  - use: shell
    name: "\\"]; click n0 href \\"javascript:alert(1)\\"; x[\\""
    when: "{{{{ flavour != '|' }}}}"
    with: {{inline: ["echo '</details>' ```"]}}
distribute:
  - use: vhd
"""


def write_catalog(workdir, **profiles):
    cat = workdir / "cat"
    cat.mkdir(exist_ok=True)
    for name, text in profiles.items():
        (cat / f"{name}.yaml").write_text(text, encoding="utf-8")
    return cat


def docs(aibgen, *args):
    return aibgen("catalog", "docs", "--catalog", "cat", "--no-config", *args)


def test_a_new_folder_is_made_with_a_marker_listing_the_pages(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p"))
    r = docs(aibgen, "-o", "site/docs")
    assert r.code == 0, r.err
    marker = (workdir / "site/docs/.aibgen-docs").read_text().splitlines()
    assert "README.md" in marker and "profiles/p.md" in marker and "profiles/linux-base.md" in marker


def test_pages_no_longer_made_are_removed_and_other_files_kept(aibgen, workdir):
    cat = write_catalog(workdir, p=CHILD.format(desc="p"), q=CHILD.format(desc="q"))
    assert docs(aibgen, "-o", "out").code == 0
    (workdir / "out/notes.md").write_text("mine")
    (workdir / "out/profiles/extra.md").write_text("mine too")
    (cat / "q.yaml").unlink()
    r = docs(aibgen, "-o", "out")
    assert r.code == 0 and "1 file(s) removed: profiles/q.md" in r.err
    assert not (workdir / "out/profiles/q.md").exists()
    assert (workdir / "out/notes.md").read_text() == "mine" and (workdir / "out/profiles/extra.md").exists()


def test_a_non_empty_folder_without_the_marker_is_refused_untouched(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p"))
    (workdir / "out").mkdir()
    (workdir / "out/README.md").write_text("someone else's")
    r = docs(aibgen, "-o", "out")
    assert r.code == 2 and "is not empty and has no .aibgen-docs" in r.err and len(r.err.splitlines()) == 1
    assert files(workdir / "out") == {"README.md": b"someone else's"}


def test_a_marker_cannot_make_aibgen_remove_other_files(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p"))
    (workdir / "precious.md").write_text("keep")
    (workdir / "out/profiles").mkdir(parents=True)
    (workdir / "out/.aibgen-docs").write_text("../precious.md\n/etc/passwd\nprofiles/../../precious.md\n")
    assert docs(aibgen, "-o", "out").code == 0
    assert (workdir / "precious.md").read_text() == "keep"


def test_a_linked_page_folder_is_refused_before_anything_is_written(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p"))
    (workdir / "elsewhere").mkdir()
    (workdir / "out").mkdir()
    (workdir / "out/.aibgen-docs").write_text("README.md\n")
    (workdir / "out/profiles").symlink_to(workdir / "elsewhere")
    r = docs(aibgen, "-o", "out")
    assert r.code == 2 and "is not a folder aibgen made" in r.err
    assert list((workdir / "elsewhere").iterdir()) == [] and not (workdir / "out/README.md").exists()


def test_check_names_a_linked_page_folder_even_when_its_pages_match(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p"))
    assert docs(aibgen, "-o", "out").code == 0
    (workdir / "out/profiles").rename(workdir / "elsewhere")
    (workdir / "out/profiles").symlink_to(workdir / "elsewhere")
    before = files(workdir / "elsewhere")
    r = docs(aibgen, "-o", "out", "--check")
    assert r.code == 1 and "out/profiles is a link or a file, not a folder aibgen made" in r.err
    assert len(r.err.splitlines()) == 1 and files(workdir / "elsewhere") == before
    r = docs(aibgen, "-o", "out")
    assert r.code == 2 and "out/profiles: is not a folder aibgen made" in r.err


def test_an_empty_output_name_is_a_usage_error(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p"))
    for fmt in ("markdown", "json"):
        r = docs(aibgen, "--format", fmt, "-o", "")
        assert r.code == 2 and "-o needs a folder or file name" in r.err and len(r.err.splitlines()) == 1
    assert list(workdir.iterdir()) == [workdir / "cat"]


def test_check_exits_1_when_out_of_date_and_writes_nothing(aibgen, workdir):
    cat = write_catalog(workdir, p=CHILD.format(desc="p"))
    assert docs(aibgen, "-o", "out").code == 0
    assert docs(aibgen, "-o", "out", "--check").code == 0
    (cat / "p.yaml").write_text(CHILD.format(desc="changed"))
    before = files(workdir / "out")
    r = docs(aibgen, "-o", "out", "--check")
    assert r.code == 1 and "out of date" in r.err and "profiles/p.md" in r.err
    assert files(workdir / "out") == before
    assert docs(aibgen, "-o", "missing", "--check").code == 1 and not (workdir / "missing").exists()


def test_json_goes_to_a_file_it_replaces_only_when_aibgen_wrote_it(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p"))
    assert docs(aibgen, "--format", "json", "-o", "c.json").code == 0
    assert json.loads((workdir / "c.json").read_text())["generator"] == "aibgen catalog docs"
    assert docs(aibgen, "--format", "json", "-o", "c.json", "--check").code == 0
    (workdir / "other.json").write_text("{}")
    r = docs(aibgen, "--format", "json", "-o", "other.json")
    assert r.code == 2 and "did not write it" in r.err and (workdir / "other.json").read_text() == "{}"


def test_a_json_file_that_only_starts_like_ours_is_not_replaced(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p"))
    assert docs(aibgen, "--format", "json", "-o", "c.json").code == 0
    ours = (workdir / "c.json").read_text()
    for mine in ('{\n  "generator": "aibgen catalog docs", "budget": 1}\n',
                 '{\n  "generator": "aibgen catalog docs",\n  "roots": [],\n  "profiles": [1]}\n',
                 '{\n  "generator": "aibgen catalog docs"\nmy notes\n', ours.replace('"profiles"', '"notes"')):
        (workdir / "mine.json").write_text(mine)
        r = docs(aibgen, "--format", "json", "-o", "mine.json")
        assert r.code == 2 and "did not write it" in r.err, mine
        assert (workdir / "mine.json").read_text() == mine
    (workdir / "c.json").write_text(ours.replace('"description": "p"', '"description": "old"'))
    assert docs(aibgen, "--format", "json", "-o", "c.json").code == 0
    assert (workdir / "c.json").read_text() == ours


def test_a_profile_that_does_not_render_gets_a_page_saying_why(aibgen, workdir):
    write_catalog(workdir, p=CHILD.format(desc="p").replace("use: vhd", "use: nope"), q="description: [x\n")
    r = docs(aibgen, "-o", "out")
    assert r.code == 0 and "warning: 1 profile(s) do not render with their example values (p)" in r.err
    assert "warning: 1 profile(s) cannot be read (q)" in r.err
    page = (workdir / "out/profiles/p.md").read_text()
    assert "**This profile does not render with its example values:**" in page and "cat/p\\.yaml:" in page
    broken = (workdir / "out/profiles/q.md").read_text()
    assert "**This profile cannot be read:**" in broken and str(workdir) not in broken


def test_profile_text_cannot_inject_html_links_or_table_cells(aibgen, workdir):
    write_catalog(workdir, evil=EVIL)
    assert docs(aibgen, "-o", "out").code == 0
    md = MarkdownIt("commonmark").enable("table")
    for page in (workdir / "out").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        tokens = md.parse(text)
        kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
        assert not kinds & {"html_inline", "html_block", "image"}, page.name
        assert all("javascript" not in href and "://" not in href for href in links(text)), page.name
        html = md.render(text)
        assert "<script" not in html and "<img" not in html and "<b>" not in html
        for block in mermaid_blocks(text):
            check_mermaid(block)
    page = (workdir / "out/profiles/evil.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `flavour`")]
    assert len(rows) == 1
    cells = MarkdownIt("commonmark").enable("table").render(rows[0].join(
        ["| name | type | default | required | example | help |\n|---|---|---|---|---|---|\n", "\n"]))
    assert cells.count("<td>") == 6  # the pipes in the values did not make more cells
    assert "a|b`c&lt;b&gt;bold&lt;/b&gt;" in cells and "line one line two" in cells


def test_roots_from_the_configuration_are_shown_relative_to_the_working_directory(aibgen, workdir):
    (workdir / "aibgen.yaml").write_text("catalog: images\n")
    (workdir / "images").mkdir()
    (workdir / "images/ubuntu-sig.yaml").write_text(CHILD.format(desc="our own ubuntu-sig"))
    r = aibgen("catalog", "docs", "--format", "json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["roots"] == ["built-in", "images"]
    sig = next(p for p in doc["profiles"] if p["name"] == "ubuntu-sig")
    assert (sig["origin"], sig["file"], sig["shadows"]) == ("images", "images/ubuntu-sig.yaml", ["built-in"])
    assert str(workdir) not in r.out

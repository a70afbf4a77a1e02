"""The built-in catalog's docs as a reader sees them: Markdown rendered to HTML by markdown-it-py
and opened in headless Chromium (Debian's `chromium`), asserting on the DOM it builds."""
from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package 'chromium'; "
                                                          ".ci/run installs it)")
STYLE = "table{border-collapse:collapse}td,th{border:1px solid #888;padding:2px 6px;font:13px sans-serif}"


class Tables(HTMLParser):
    """Every table of a document as rows of cell texts (the header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.tables:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
             f"--user-data-dir={tmp_path / 'chromium-profile'}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=180)


def test_a_profile_page_shows_its_parameters_table(aibgen, workdir, tmp_path):
    assert aibgen("catalog", "docs", "-o", "site", "--no-config").code == 0
    text = (workdir / "site/profiles/ubuntu-sig.md").read_text(encoding="utf-8")
    body = MarkdownIt("commonmark").enable("table").render(text)
    page = workdir / "ubuntu-sig.html"
    page.write_text(f'<!doctype html><html><head><meta charset="utf-8"><title>ubuntu-sig</title>'
                    f"<style>{STYLE}</style></head><body>{body}</body></html>", encoding="utf-8")

    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parser = Tables()
    parser.feed(dom.stdout)
    params = next(t for t in parser.tables if t and t[0] == ["name", "type", "default", "required", "example", "help"])
    rows = {row[0]: row for row in params[1:]}
    assert rows["identity"][1:4] == ["resource-id(userAssignedIdentity)", "", "yes"]
    assert rows["storageAccountType"][1] == "choice(Standard_LRS|Standard_ZRS|Premium_LRS)"
    assert rows["regions"][4] == '["westus2", "eastus"]'

    shot = tmp_path / "ubuntu-sig.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,1800", "--hide-scrollbars", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

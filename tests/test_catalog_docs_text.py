"""`aibgen catalog docs`: profile text that a renderer would turn into links by itself (bare
URLs, host names, e-mail addresses, @mentions, #123) stays plain text on the pages."""
from __future__ import annotations

import importlib.util
import json
import re

import pytest
from markdown_it import MarkdownIt

from test_catalog_docs import CHILD
from test_catalog_docs_folder import docs, write_catalog

AUTOLINKS = ("see https://evil.example.com/x.y?z=1 or www.evil.example.com, write to a.b@evil.example.com or "
             "mailto:c@evil.example.com, ask @octocat and @org/team, fixes #123, ftp://files.evil.example.com")
PROFILE = CHILD.format(desc=json.dumps(AUTOLINKS)).replace(
    "source:", "parameters:\n  p: {type: string, default: x, help: 'docs at docs.evil.example.com'}\nsource:")


@pytest.fixture
def page(aibgen, workdir) -> str:
    write_catalog(workdir, p=PROFILE)
    r = docs(aibgen, "-o", "out")
    assert r.code == 0, r.err
    return (workdir / "out/profiles/p.md").read_text(encoding="utf-8")


def test_autolink_text_is_escaped_or_broken_up_on_the_page(page):
    assert "https\\://evil\\.example\\.com/x\\.y" in page and "www\\.evil\\.example\\.com" in page
    assert "a\\.b@&#8203;evil\\.example\\.com" in page and "mailto\\:c@&#8203;evil\\.example\\.com" in page
    assert "@&#8203;octocat" in page and "#&#8203;123" in page and "docs\\.evil\\.example\\.com" in page


def _hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


@pytest.mark.skipif(importlib.util.find_spec("linkify_it") is None, reason="linkify-it-py is not installed")
def test_markdown_it_with_linkify_makes_no_link_of_profile_text(page):
    html = MarkdownIt("gfm-like").render(page)  # tables, strikethrough and linkify
    assert "evil.example.com" in html and not [h for h in _hrefs(html) if "evil" in h]
    assert all(not h.startswith(("http", "mailto", "ftp", "www")) for h in _hrefs(html))


def test_markdown_it_with_linkify_does_link_the_unescaped_text():
    """The check above can fail: the same renderer does make links of the raw text."""
    if importlib.util.find_spec("linkify_it") is None:
        pytest.skip("linkify-it-py is not installed")
    assert len(_hrefs(MarkdownIt("gfm-like").render(AUTOLINKS))) >= 4


@pytest.mark.skipif(importlib.util.find_spec("cmarkgfm") is None, reason="cmarkgfm (GitHub's renderer) is not installed")
def test_githubs_renderer_makes_no_link_of_profile_text(page):
    import cmarkgfm

    assert len(_hrefs(cmarkgfm.github_flavored_markdown_to_html(AUTOLINKS))) >= 4  # it would link the raw text
    html = cmarkgfm.github_flavored_markdown_to_html(page)
    assert "evil.example.com" in html and not [h for h in _hrefs(html) if "evil" in h]
    assert "@\u200boctocat" in html and "#\u200b123" in html  # GitHub's mention and issue filters see no name

"""Markdown that text from a profile cannot break out of: escaped text, tables, fences, Mermaid.

Profile text (descriptions, help, names, values, messages) is untrusted: :func:`text` makes
it one line of literal text (every character Markdown gives a meaning to is
backslash-escaped, so no raw HTML, entity, link, image, emphasis, table cell or math can
start in it, and what GitHub or a linkify renderer would turn into a link by itself, a bare
URL, a ``www.`` or other host name, an e-mail address, an ``@mention`` or an ``#123``
issue reference, is broken up with an escape or a zero-width space, so it stays text),
:func:`fence` picks a code fence longer than any backtick run in the content, and
:func:`mermaid` writes graph node ids of its own with labels stripped of Mermaid syntax.
"""
from __future__ import annotations

import json
import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~$])")  # what can start markup anywhere on a line
_ORDERED = re.compile(r"^(\d+)([.)])")
# autolinks: the dot before a host name's next label, the colon of a scheme (https:, mailto:)
_AUTO_ESCAPE = re.compile(r"(?<=[\w-])\.(?=[^\W\d_])|(?<=[A-Za-z]):(?=[^\s\d])")
# GitHub links @user and #123 in the HTML itself, where escapes are gone: a zero-width space
_AUTO_BREAK = re.compile(r"([@#])(?=\w)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_LABEL = re.compile(r"[^A-Za-z0-9 ._/:,()-]")


def text(value: object) -> str:
    """``value`` as literal Markdown text on one line (newlines become spaces)."""
    flat = " ".join(_CONTROL.sub(" ", "" if value is None else str(value)).split())
    escaped = _SPECIAL.sub(r"\\\1", flat)
    if "." in escaped or ":" in escaped:
        escaped = _AUTO_ESCAPE.sub(r"\\\g<0>", escaped)
    if "@" in escaped or "#" in escaped:
        escaped = _AUTO_BREAK.sub(r"\1&#8203;", escaped)
    if escaped[:1] in ("#", ">", "+", "=", "-"):  # a heading, quote, list or rule at a line's start
        return "\\" + escaped
    return _ORDERED.sub(r"\1\\\2", escaped)  # "1." or "1)" would start a numbered list


def code_cell(value: object) -> str:
    """``value`` as a code span for a table cell (JSON for data); no backtick or pipe in it ends it."""
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    shown = " ".join(_CONTROL.sub(" ", shown).split())
    if not shown:
        return '`""`' if value == "" else ""
    ticks = "`" * (_longest_run(shown) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{ticks}{pad}{shown}{pad}{ticks}".replace("|", "\\|")


def fence(content: str, info: str = "") -> str:
    """A fenced code block holding ``content`` exactly (the fence is longer than any backtick run)."""
    ticks = "`" * max(3, _longest_run(content) + 1)
    body = content if content.endswith("\n") else content + "\n"
    return f"{ticks}{info}\n{body}{ticks}\n"


def _longest_run(content: str) -> int:
    return max((len(m) for m in re.findall(r"`+", content)), default=0)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub table; cells are Markdown already (use :func:`text` or :func:`code_cell` for data)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def link(label: str, target: str) -> str:
    """A link to a file aibgen wrote (``target`` is a path of its own making, never profile text)."""
    return f"[{text(label)}]({target})"


def mermaid(nodes: list[str], edges: list[tuple[str, str]], direction: str = "BT",
            highlight: str | None = None) -> str:
    """A Mermaid ``graph`` block: one node per name (ids n0, n1, ...), an edge child --> parent."""
    ids = {name: f"n{i}" for i, name in enumerate(nodes)}
    lines = [f"graph {direction}"]
    lines += [f'  {ids[name]}["{label(name)}"]' for name in nodes]
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in edges if a in ids and b in ids]
    if highlight in ids:
        lines.append(f"  style {ids[highlight]} stroke-width:3px")
    return fence("\n".join(lines), "mermaid")


def label(name: str) -> str:
    """Text safe inside a quoted Mermaid label: letters, digits and plain punctuation only."""
    return _LABEL.sub("_", " ".join(_CONTROL.sub(" ", name).split()))[:80]

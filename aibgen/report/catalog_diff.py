"""``aibgen catalog diff`` as text (a terminal) or Markdown (a pull-request comment).

Both read the report of :mod:`aibgen.flows.diff`. Unchanged profiles are only counted.
The Markdown keeps within what a pull-request comment holds: past :data:`MARKDOWN_BUDGET`
characters, further template diffs are left out, and it says how many.
"""
from __future__ import annotations

from aibgen.report.markdown import code_cell, fence, table, text

MARKDOWN_BUDGET = 50_000
_MARK = {"added": "+", "removed": "-", "changed": "~"}
_CHANGE = {"added": "A", "deleted": "D", "modified": "M"}


def headline(report: dict) -> str:
    """One line: what changed between the two sides."""
    return f"{report['base']} → {report['head']}: {counts(report)}"


def counts(report: dict) -> str:
    """How many profiles changed, were added, removed, stayed the same, fail to render."""
    s = report["summary"]
    parts = [f"{s[k]} {k}" for k in ("changed", "added", "removed") if s[k]] or ["no profile changed"]
    line = f"{', '.join(parts)}; {s['unchanged']} unchanged"
    return line + (f"; {s['failing']} fail to render on {report['head']}" if s["failing"] else "")


def to_text(report: dict) -> list[str]:
    """The report as lines for a terminal (the caller makes them printable)."""
    lines = [headline(report)]
    if report["files"]:
        lines += ["", "changed files:"]
        lines += [f"  {_CHANGE[f['change']]} {f['file']}: {_reach(f['profiles'])}" for f in report["files"]]
    for r in report["profiles"]:
        if r["status"] == "unchanged":
            continue
        lines += ["", f"{_MARK[r['status']]} {r['status']} {r['name']}: {_cause(r)}"]
        for side, key in ((report["base"], "baseError"), (report["head"], "headError")):
            if r[key]:
                lines.append(f"  fails to render on {side}: {r[key]}")
        if r["diff"]:
            lines += ["  " + line for line in r["diff"].splitlines()]
    return lines


def _reach(names: list[str]) -> str:
    if not names:
        return "changes no profile's template"
    shown = ", ".join(names[:8]) + (f", ... ({len(names) - 8} more)" if len(names) > 8 else "")
    return f"{len(names)} profile{'s' if len(names) != 1 else ''} ({shown})"


def _cause(r: dict) -> str:
    cause = ", ".join(r["causes"]) or "no file differs"
    return cause + (f" (renamed from {r['renamedFrom']})" if r["renamedFrom"] else "")


def to_markdown(report: dict) -> str:
    """The report as a pull-request comment."""
    parts = [f"### aibgen catalog diff: {text(report['base'])} → {text(report['head'])}\n",
             text(counts(report)) + "\n"]
    if report["files"]:
        rows = [[code_cell(f["file"]), f["change"], text(_reach(f["profiles"]))] for f in report["files"]]
        parts.append(table(["file", "change", "templates it changes"], rows))
    shown = [r for r in report["profiles"] if r["status"] != "unchanged"]
    if shown:
        rows = [[code_cell(r["name"]), r["status"], text(_cause(r)), _errors(report, r)] for r in shown]
        parts.append(table(["profile", "status", "cause", "render"], rows))
    parts += _diffs(shown)
    return "\n".join(parts)


def _errors(report: dict, r: dict) -> str:
    failed = [(report[side], r[key]) for side, key in (("base", "baseError"), ("head", "headError")) if r[key]]
    return "; ".join(f"fails on {text(side)}: {code_cell(message)}" for side, message in failed) or "ok"


def _diffs(records: list[dict]) -> list[str]:
    parts, size, left = [], 0, 0
    for r in records:
        if not r["diff"]:
            continue
        block = fence(r["diff"], "diff")
        if size + len(block) > MARKDOWN_BUDGET:
            left += 1
            continue
        size += len(block)
        parts.append(f"<details><summary>{text(r['name'])}</summary>\n\n{block}\n</details>\n")
    if left:
        parts.append(f"{left} more template diff(s) left out to keep this comment short; "
                     "run `aibgen catalog diff` to see them all.\n")
    return parts

"""The Markdown pages of ``aibgen catalog docs``: ``README.md`` (the index) and ``profiles/NAME.md``.

Made from the JSON document of :mod:`aibgen.flows.docs`, so Markdown and JSON say the same.
Every piece of profile text goes through :mod:`aibgen.report.markdown`; links point only at
pages written in the same run.
"""
from __future__ import annotations

from aibgen.emit import dumps
from aibgen.report.markdown import code_cell, fence, link, mermaid, table, text

INDEX = "README.md"
FOLDER = "profiles"
NOTICE = "Written by `aibgen catalog docs`; edit the profiles, then run it again, not this page."


def pages(doc: dict) -> dict[str, str]:
    """Relative path -> Markdown text of every page (the index first)."""
    records = doc["profiles"]
    parents = {r["name"]: r["extends"] for r in records}
    out = {INDEX: index(doc)}
    for record in records:
        out[f"{FOLDER}/{record['name']}.md"] = page(record, parents)
    return out


def index(doc: dict) -> str:
    """The index: a table of the concrete profiles, then one of the abstract ones."""
    concrete = [r for r in doc["profiles"] if not r["abstract"]]
    abstract = [r for r in doc["profiles"] if r["abstract"]]
    roots = ", ".join(text(r) for r in doc["roots"])
    parts = ["# Image catalog\n", f"{len(concrete)} profiles and {len(abstract)} abstract bases from the catalog "
             f"roots {roots} (lowest precedence first). {NOTICE}\n", "## Profiles\n"]
    rows = [[link(r["name"], f"{FOLDER}/{r['name']}.md"), text(r["description"]), text(r["os"] or ""),
             code_cell(r["source"]) if r["source"] else " ", "; ".join(text(d) for d in r["distribution"]),
             text(r["origin"])] for r in concrete]
    parts.append(table(["profile", "description", "OS", "source image", "distribution", "origin"], rows))
    if abstract:
        parts.append("## Abstract profiles\n")
        parts.append("Bases that other profiles extend; they are not rendered on their own.\n")
        rows = [[link(r["name"], f"{FOLDER}/{r['name']}.md"), text(r["description"]),
                 _count(r["descendants"]), text(r["origin"])] for r in abstract]
        parts.append(table(["profile", "description", "extended by", "origin"], rows))
    return "\n".join(parts)


def _count(below: list[dict]) -> str:
    concrete = sum(1 for d in below if not d["abstract"])
    return f"{concrete} profile{'s' if concrete != 1 else ''}"


def page(record: dict, parents: dict[str, list[str]]) -> str:
    """One profile's page."""
    name = record["name"]
    kind = "abstract profile" if record["abstract"] else "profile"
    parts = [f"# {text(name)}\n", f"[Image catalog](../{INDEX}) › {kind} {text(name)}\n"]
    if record["description"]:
        parts.append(text(record["description"]) + "\n")
    parts.append(_facts(record))
    if record["error"]:
        what = "does not render with its example values" if record["resolved"] else "cannot be read"
        parts.append(f"**This profile {what}:** {text(record['error'])}\n")
    parts += _chain(record, parents) + _parameters(record) + _steps(record) + _below(record)
    if record["template"] is not None:
        parts.append("## Template with the example values\n")
        parts.append(f"What `aibgen new --profile {name} --example-values` writes:\n")
        parts.append(fence(dumps(record["template"]), "json"))
    return "\n".join(parts)


def _facts(record: dict) -> str:
    """Origin, file, OS, apiVersion, source image and distribution, as a list."""
    origin = text(record["origin"])
    if record["shadows"]:
        origin += " (overrides " + ", ".join(text(s) for s in record["shadows"]) + ")"
    facts = [("origin", origin), ("file", text(record["file"]))]
    for label, key in (("OS", "os"), ("apiVersion", "apiVersion"), ("source image", "source")):
        if record[key]:
            facts.append((label, text(record[key])))
    if record["distribution"]:
        facts.append(("distribution", "; ".join(text(d) for d in record["distribution"])))
    return "".join(f"- **{label}:** {value}\n" for label, value in facts)


def _chain(record: dict, parents: dict[str, list[str]]) -> list[str]:
    chain = record["chain"]
    if len(chain) < 2:
        return []
    edges = [(child, parent) for child in chain for parent in parents.get(child, []) if parent in chain]
    order = " → ".join(f"**{text(n)}**" if n == record["name"] else link(n, f"{n}.md") for n in chain)
    return ["## Extends\n", mermaid(chain, edges, highlight=record["name"]),
            f"Applied in this order, each over the ones before it: {order}\n"]


def _parameters(record: dict) -> list[str]:
    if not record["parameters"]:
        return []
    rows = [[code_cell(p["name"]), text(p["type"]), "" if p["default"] is None else code_cell(p["default"]),
             "yes" if p["required"] else "no", "" if p["example"] is None else code_cell(p["example"]),
             text(p["help"])] for p in record["parameters"]]
    return ["## Parameters\n", table(["name", "type", "default", "required", "example", "help"], rows)]


def _steps(record: dict) -> list[str]:
    if not record["steps"]:
        return []
    rows, counts = [], {}
    for step in record["steps"]:
        counts[step["phase"]] = counts.get(step["phase"], 0) + 1
        where = step["phase"] if step["phase"] == "source" else f"{step['phase']} {counts[step['phase']]}"
        partial = code_cell(step["partial"]) + (f" ({text(step['partialOrigin'])})" if step["partialOrigin"]
                                                else " (missing)")
        by = link(step["profile"], f"{step['profile']}.md") if step["profile"] else code_cell(step["file"])
        rows.append([where, text(step["name"] or ""), partial, code_cell(step["when"]) if step["when"] else "",
                     f"{by} line {step['line']}"])
    return ["## Steps\n", "Each step and distributor of the template, the partial that writes it, and the "
            "profile line that adds it.\n", table(["step", "name", "partial", "when", "added by"], rows)]


def _below(record: dict) -> list[str]:
    if not record["descendants"]:
        return []
    items = [f"- {link(d['name'], d['name'] + '.md')}" + (" (abstract)" if d["abstract"] else "")
             for d in record["descendants"]]
    return ["## Extended by\n", "\n".join(items) + "\n"]

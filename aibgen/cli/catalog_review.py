"""``aibgen catalog docs`` and ``aibgen catalog diff``: browse a catalog, review a change to it."""
from __future__ import annotations

import json
import os
import sys

import click

from aibgen.cli import streams
from aibgen.cli.base import CONTEXT, catalog_option, config_options, load_catalog, load_config
from aibgen.errors import EXIT_FINDINGS
from aibgen.report.text import printable


class Progress:
    """A progress bar on standard error while it is a terminal (made once the total is known)."""

    def __init__(self, label: str) -> None:
        self.label, self.bar = label, None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(1)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@click.command("docs", context_settings=CONTEXT)
@click.option("-o", "--output", metavar="DIR|FILE",
              help="Folder for the Markdown pages; with --format json a file, or - for standard output [default: -].")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="markdown: README.md and profiles/NAME.md; json: one document (for portals).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the output is not what this run would write.")
@catalog_option
@config_options
def docs(output, fmt, check, catalogs, config_path, no_config):
    """Write the catalog's documentation: an index and a page per profile.

    Each page has the description, origin, parameters, the extends chain (a Mermaid diagram),
    each step with the partial and profile line behind it, the profiles that extend it, and
    the template rendered with the example values. Output is the same, byte for byte, for the
    same catalog. Files are replaced, and files no longer made removed, only in a folder that
    aibgen wrote before (it holds .aibgen-docs); a non-empty folder without it is refused.

    \b
    Examples:
      aibgen catalog docs -o docs/catalog/
      aibgen catalog docs -o docs/catalog/ --check        # in CI: exit 1 when out of date
      aibgen catalog docs --format json -o catalog.json   # for portals such as Backstage
    """
    from aibgen.flows.docs import catalog_docs, to_json

    if output == "":
        raise click.UsageError("-o needs a folder or file name; '' is none (write -o . for this folder)")
    if fmt == "markdown" and output in (None, "-"):
        raise click.UsageError("Markdown docs are a folder of pages: give it with -o DIR (or use --format json)")
    if check and output in (None, "-"):
        raise click.UsageError("--check compares with what -o names: give -o")
    with Progress("documenting profiles") as bar:
        doc = catalog_docs(load_catalog(catalogs, load_config(config_path, no_config)), progress=bar)
    for resolved, what in ((False, "cannot be read"), (True, "do not render with their example values")):
        broken = [r["name"] for r in doc["profiles"] if r["error"] and r["resolved"] is resolved]
        if broken:
            shown = ", ".join(broken[:5]) + (f" and {len(broken) - 5} more" if len(broken) > 5 else "")
            streams.err(printable(f"warning: {len(broken)} profile(s) {what} ({shown}); their pages say why"))
    if fmt == "json" and output in (None, "-"):
        streams.data(to_json(doc))
        return
    stale = _write(output, fmt, doc, check)
    if check and stale:
        streams.err(printable(f"{output}: out of date ({stale}); run 'aibgen catalog docs' without --check"))
        sys.exit(EXIT_FINDINGS)
    streams.err(printable(f"{output}: {stale or 'up to date'}"))


def _write(output: str, fmt: str, doc: dict, check: bool) -> str:
    """Write (or with ``check`` compare) the docs; what differed, in words ('' when nothing)."""
    from aibgen.flows.docs import is_document, to_json
    from aibgen.flows.docs_folder import sync, sync_file
    from aibgen.report.catalog_docs import pages

    if fmt == "json":
        return ("differs" if check else "written") if sync_file(output, to_json(doc), is_document, check) else ""
    result = sync(output, pages(doc), check)
    parts = [f"{os.path.join(output, name)} is a link or a file, not a folder aibgen made: remove it"
             for name in result.blocked]
    if result.written:
        verb = "differ" if check else "written"
        parts.append(f"{len(result.written)} file(s) {verb}: {_names(result.written)}")
    if result.removed:
        verb = "no longer made" if check else "removed"
        parts.append(f"{len(result.removed)} file(s) {verb}: {_names(result.removed)}")
    return "; ".join(parts)


def _names(names: list[str]) -> str:
    return ", ".join(names[:5]) + (f", ... ({len(names) - 5} more)" if len(names) > 5 else "")


@click.command("diff", context_settings=CONTEXT)
@click.argument("base")
@click.argument("head", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text for a terminal, markdown for a pull-request comment, json for scripts.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when a profile's template changed, or one was added or removed.")
@catalog_option
@config_options
def diff(base, head, fmt, exit_code, catalogs, config_path, no_config):
    """Show what a change to the catalog does to every profile's template.

    BASE and HEAD are two catalog folders, or two git refs of the repository in the
    working directory (HEAD defaults to the working tree, edits included); refs are read
    with git into a temporary folder, and the repository is never changed. Each concrete
    profile is rendered on both sides with its example values: added, removed, changed
    (with a unified diff of the template) or unchanged, and each change names its cause,
    the files that differ in its extends chain, its local scripts and the partials it uses.

    \b
    Examples:
      aibgen catalog diff main                               # this branch against main
      aibgen catalog diff v1.4 v1.5 --exit-code
      aibgen catalog diff ../catalog-v1 ../catalog-v2
      aibgen catalog diff main --format markdown > comment.md
    """
    import tempfile
    from pathlib import Path

    from aibgen.flows.diff import compare
    from aibgen.flows.diff_sides import sides
    from aibgen.report.catalog_diff import to_markdown, to_text

    with tempfile.TemporaryDirectory(prefix="aibgen-diff-") as tmp, Progress("comparing profiles") as bar:
        pair = sides(base, head, list(catalogs), Path(tmp), config_path, not no_config)
        for side in pair:
            if side.note:
                streams.err(printable(side.note))
        report = compare(*pair, progress=bar)
    if fmt == "json":
        streams.data(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        streams.data(to_markdown(report))
    else:
        for line in to_text(report):
            streams.out(printable(line))
    summary = report["summary"]
    if exit_code and (summary["changed"] or summary["added"] or summary["removed"]):
        sys.exit(EXIT_FINDINGS)

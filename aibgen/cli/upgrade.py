"""``aibgen upgrade``: rewrite templates for a newer apiVersion."""
from __future__ import annotations

import os

import click

from aibgen.cli import completion, streams
from aibgen.cli.base import CONTEXT, complete_files
from aibgen.report.text import printable


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="FILE...", shell_complete=complete_files)
@click.option("--to", "to", metavar="YYYY-MM-DD", shell_complete=completion.api_versions,
              help="Target apiVersion [default: the newest bundled].")
@click.option("--from", "source", metavar="VERSION",
              help="The apiVersion the templates are written for, when they do not say (a properties object, "
                   "an ARM expression without a default); overrides the one they say.")
@click.option("--identity", metavar="RESOURCE_ID",
              help="User-assigned identity to add to a template that has none (every stable apiVersion needs one).")
@click.option("-o", "--output", metavar="PATH", shell_complete=complete_files,
              help="Output file for one FILE, or - for standard output "
                   "[default: FILE itself, which needs --force].")
@click.option("-f", "--force", is_flag=True, help="Replace the output file if it exists (FILE itself without -o).")
@click.option("--diff", is_flag=True, help="Print a unified diff of the changes instead of writing.")
def upgrade(paths, to, source, identity, output, force, diff):
    """Rewrite templates for a newer apiVersion, keeping the rest as written.

    FILE is a bare imageTemplates resource, an ARM deployment template (every image
    template in it, nested deployments too) or a properties object; a directory (every
    *.json below it; those that hold no template are skipped); or - for standard input. Retired previews move to a stable version;
    replicationRegions and storageAccountType become targetRegions where the target has
    them; read-only properties go; apiVersion becomes the target. Comments, ARM
    expressions and layout stay. What cannot be upgraded safely is refused with the
    reason, and then no file is written; nor is a result that would have errors the
    original has not. Without -o each FILE is rewritten in place, which needs --force
    and a regular, writable file with no other hard links.

    \b
    Examples:
      aibgen upgrade old.json --diff
      aibgen upgrade old.json --to 2025-10-01 -o new.json
      aibgen upgrade templates/ --force
      aibgen upgrade props.json --from 2020-02-14 -o -
      aibgen upgrade preview.json --identity /subscriptions/.../userAssignedIdentities/aib -o new.json
    """
    from aibgen import resources
    from aibgen.flows.upgrade import Request, upgrade_paths

    req = Request(resources.require_api_version(to or resources.latest_api_version(), "--to"),
                  _known(source), _identity(identity))
    if output is None and "-" in paths and not diff:
        raise click.UsageError("-: give -o FILE (or -o - for standard output) for the upgraded template")
    results, skipped = upgrade_paths(list(paths), req)  # every file worked out before any is written
    if output is not None and len(results) > 1:
        raise click.UsageError(f"-o names one output file, and there are {len(results)} templates; "
                               "upgrade them in place with --force, or see the changes with --diff")
    if diff:
        for r in results:
            streams.data(r.diff(output if output not in (None, "-") else None))
    elif output == "-":
        streams.data(results[0].after.decode("utf-8"))
    else:
        _write(results, output, force)
    for name in skipped:  # after the writes: a refusal stays one line
        streams.err(printable(f"{name}: no Image Builder template; skipped"))
    for r in results:
        _report(r, output or r.name, diff)


def _known(source: str | None) -> str | None:
    from aibgen.errors import InputError
    from aibgen.flows.upgrade import known_versions

    if source is not None and source not in known_versions():
        raise InputError(f"--from: '{source}' is not an Image Builder apiVersion; use one of {', '.join(known_versions())}")
    return source


def _identity(value: str | None) -> str | None:
    from aibgen.check.values import is_expression
    from aibgen.errors import InputError
    from aibgen.facts.resource_ids import is_resource_id, resource_id_form

    if value is not None and not (is_resource_id("userAssignedIdentity", value) or is_expression(value)):
        raise InputError(f"--identity {printable(value)!r}: not the resource id of a user-assigned identity; "
                         f"expected {resource_id_form('userAssignedIdentity')}")
    return value


def _write(results, output: str | None, force: bool) -> None:
    """Write each result that changed (or the one given -o); FILE itself only with --force.

    Every target is checked before the first is written: a FILE rewritten in place must be a
    regular file, writable, with no other hard links (see ``check_in_place``)."""
    from aibgen.errors import OutputError
    from aibgen.flows.rewrite import check_in_place
    from aibgen.output import write_file

    todo = [r for r in results if r.changed or output is not None]
    for r in todo:
        target = output or r.name
        in_place = output is None or (os.path.exists(output) and os.path.exists(r.name)
                                      and os.path.samefile(output, r.name))
        if not in_place:
            continue
        if not force:
            raise OutputError(f"{r.name}: upgrading in place replaces it; pass --force, or -o NEW.json to write "
                              "a new file, or --diff to see the changes")
        check_in_place(target, "upgrade", "upgrade", "write the result to a new file with -o NEW.json, "
                                                     "or see the changes with --diff")
    for r in todo:
        write_file(output or r.name, r.after, force)


def _report(result, target: str, diff: bool) -> None:
    """What changed, on standard error."""
    moves = ", ".join(sorted({f"{a} → {b}" for a, b in result.versions}))
    if not result.changed:
        streams.err(printable(f"{result.name}: nothing to change (apiVersion {moves})"))
        return
    done = "would change" if diff else "upgraded" if target in (result.name, "-") else f"upgraded into {target}"
    streams.err(printable(f"{result.name}: {done} (apiVersion {moves}):"))
    for line in result.changes:
        streams.err(printable(f"  {line}"))
    errors = sum(f.severity == "error" for f in result.findings)
    if errors:
        shown = target if target != "-" else result.name
        streams.err(printable(f"  {errors} error{' remains' if errors == 1 else 's remain'}, as in the original: "
                              f"see 'aibgen validate {shown}'"))

"""``aibgen import``: bring existing template files into the catalog as profiles."""
from __future__ import annotations

import click

from aibgen.cli import completion, streams
from aibgen.cli.base import CONTEXT, catalog_option, complete_files, config_options, load_catalog, load_config
from aibgen.report.text import printable


@click.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", shell_complete=complete_files)
@click.option("-o", "--output", metavar="PATH", shell_complete=complete_files,
              help="Profile file (NAME.yaml: the profile is called NAME) for one template, or a directory for "
                   "several; - for standard output [default: -].")
@click.option("--extends", metavar="PROFILE", shell_complete=completion.profiles,
              help="Make each profile a child of this catalog profile: what it already provides is left out.")
@click.option("-f", "--force", is_flag=True, help="Replace profile files that exist.")
@catalog_option
@config_options
def import_(paths, output, extends, force, catalogs, config_path, no_config):
    """Turn Image Builder templates into catalog profiles that render them again.

    PATH is a template file (bare resource, ARM deployment template, or properties
    object), a directory (every *.json below it), or - for standard input. Each
    template becomes one profile: every source, customizer, validator and distributor an
    item using the partial of its type, the values the template leaves open
    ([parameters('x')], <placeholders>) and its location, identity, name and resource
    ids parameters with the template's values as examples. The import renders the
    profile back and reports anything that does not come out the same.

    \b
    Examples:
      aibgen import helloImageTemplateWin.json -o images/win-hello.yaml
      aibgen import armTemplateWinSIG.json --extends windows-base -o images/win-sig.yaml
      aibgen import legacy/ -o images/
      aibgen new --profile win-hello --catalog images/ --example-values -o again.json
    """
    from aibgen.flows.imports import plan, write_all

    cfg = load_config(config_path, no_config)
    results = plan(list(paths), output, load_catalog(catalogs, cfg), extends)
    for note in (n for r in results.profiles for n in r.notes):
        streams.err(printable(f"{note.file}:{note.line}:{note.column}: warning: {note.message}"))
    for skipped in results.skipped:
        streams.err(printable(f"{skipped}: no Image Builder template; skipped"))
    if results.stdout:
        streams.data(results.profiles[0].text)
        return
    for target, imported in write_all(results, force):
        streams.err(printable(f"wrote {target} (profile {imported.name}, from {imported.source})"))

"""``aibgen new``: render a catalog profile into a checked template file."""
from __future__ import annotations

import sys

import click

from aibgen.cli import completion, streams
from aibgen.cli.base import (CONTEXT, catalog_option, complete_files, config_options, load_catalog, load_config,
                             warn)
from aibgen.report.text import printable, printable_lines


@click.command(context_settings=CONTEXT)
@click.option("-p", "--profile", "profile", metavar="NAME",
              help="Catalog profile to render [default: 'profile' of aibgen.yaml].",
              shell_complete=completion.renderable_profiles)
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Set a parameter (repeatable).",
              shell_complete=completion.parameters)
@click.option("--values", "values_files", multiple=True, metavar="FILE.yaml", shell_complete=complete_files,
              help="YAML mapping of parameter values (repeatable; --set wins).")
@click.option("--example-values", is_flag=True, help="Start from the profile's documented example values.")
@click.option("--no-input", is_flag=True, help="Never prompt; report every missing required parameter.")
@click.option("--api-version", metavar="YYYY-MM-DD", shell_complete=completion.api_versions,
              help="Image Builder apiVersion (default: the profile's, else newest).")
@click.option("--format", "fmt", type=click.Choice(["template", "arm", "arm-parameters"]), default="template",
              show_default=True,
              help="template: the bare resource (az image builder create --image-template); "
                   "arm: an ARM deployment template whose parameters are the profile's; "
                   "arm-parameters: a deployment parameters file for it, from --values and --set.")
@click.option("--bake", is_flag=True,
              help="arm: give the ARM parameters the values of --values and --set as defaults.")
@click.option("--with-prerequisites", "prerequisites", is_flag=True,
              help="arm: add what a build needs first - the identity, its role and role assignment, "
                   "the gallery and image definition.")
@click.option("-o", "--output", metavar="PATH", shell_complete=complete_files, help="Output file, or - for stdout [default: ./<name>.json].")
@click.option("-f", "--force", is_flag=True, help="Replace the output file if it exists.")
@catalog_option
@config_options
def new(profile, sets, values_files, example_values, no_input, api_version, fmt, bake, prerequisites, output, force,
        catalogs, config_path, no_config):
    """Render a catalog profile into a checked Image Builder template.

    Parameter values come from defaults, then --values files, then --set; on a terminal,
    missing required parameters are prompted for. The template is checked against the
    schema of its apiVersion and written only if it has no errors.

    \b
    Examples:
      aibgen new --profile ubuntu-gen2-vhd \\
          --set identity=/subscriptions/<guid>/resourceGroups/img/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib \\
          -o ubuntu.json
      aibgen new --profile win-update-sig --format arm -o win.arm.json
      aibgen new --profile win-update-sig --format arm --with-prerequisites -o all.arm.json
      aibgen new --profile win-update-sig --format arm-parameters --values prod.yaml -o prod.parameters.json
      aibgen new --profile ubuntu-sig --example-values -o -
    """
    from aibgen.flows.new import Request, build, output_name
    from aibgen.output import write_file

    cfg = load_config(config_path, no_config)
    from_config = not profile and cfg.profile
    profile = profile or cfg.profile
    if not profile:
        raise click.UsageError("Missing option '-p' / '--profile' (or set 'profile:' in aibgen.yaml)")
    if bake and not (sets or values_files):
        from aibgen.errors import ParameterError

        raise ParameterError("--bake keeps the values of --values and --set as the ARM parameters' defaults; give some")
    if prerequisites and fmt == "template":
        from aibgen.errors import ParameterError

        raise ParameterError("--with-prerequisites adds resources to an ARM template; use it with --format arm")
    req = Request(profile, list(values_files), list(sets), api_version, fmt, example_values, cfg.policy, bake,
                  prerequisites)
    interactive = not no_input and sys.stdin.isatty()
    catalog = load_catalog(catalogs, cfg)
    if from_config and profile not in catalog.profiles:
        from aibgen.errors import CatalogError, did_you_mean

        raise CatalogError(f"{cfg.path}: profile: no profile named '{profile}'{did_you_mean(profile, catalog.profiles)}; "
                           "'aibgen catalog list' shows them")
    result = build(catalog, req, _prompt if interactive else None)
    warn(result.findings)
    target = output if output is not None else output_name(result, req)
    if target == "-":
        streams.data(result.text)
        return
    write_file(target, result.text.encode("utf-8"), force)
    streams.err(printable(f"wrote {target} ({result.profile.name}, apiVersion {result.api_version})"))


def _prompt(param):
    """Ask for one parameter on the terminal until the answer parses."""
    from aibgen.errors import ParameterError
    from aibgen.profiles.params import parse

    label = printable(f"{param.name} ({param.describe_type()})")
    if param.help:
        streams.err(printable_lines(param.help))
    while True:
        text = click.prompt(label, err=True)
        try:
            return parse(param, text, "input")
        except ParameterError as exc:
            streams.err(f"  {printable(str(exc))}")

"""The ``aibgen`` click group, with every command family registered on it.

Heavy libraries (jinja2, ruamel.yaml) are imported inside the commands that use them.
"""
from __future__ import annotations

import click

from aibgen import __version__
from aibgen.cli.base import CONTEXT, Group
from aibgen.cli.catalog import catalog
from aibgen.cli.cloud import cancel, outputs, status
from aibgen.cli.cloud_build import build
from aibgen.cli.cloud_deploy import deploy, diff
from aibgen.cli.cloud_logs import logs
from aibgen.cli.cloud_run import run
from aibgen.cli.completion import completion
from aibgen.cli.imports import import_
from aibgen.cli.new import new
from aibgen.cli.scaffold import scaffold
from aibgen.cli.rules import explain, list_rules, schema
from aibgen.cli.upgrade import upgrade
from aibgen.cli.validate import validate


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="aibgen")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
def main(debug: bool) -> None:
    """Azure VM Image Builder templates from a catalog of reviewed profiles.

    \b
    Examples:
      aibgen catalog list
      aibgen catalog show ubuntu-gen2-vhd
      aibgen new --profile ubuntu-gen2-vhd --set identity=/subscriptions/.../userAssignedIdentities/aib -o ubuntu.json
      aibgen validate ubuntu.json
      aibgen explain AIB301
    """


for command in (new, validate, catalog, import_, explain, list_rules, schema, upgrade, completion, scaffold,
                deploy, run, status, outputs, logs, cancel, diff, build):
    main.add_command(command)

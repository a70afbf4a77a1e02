"""What every command shares: the group with its error wrapper, options, and output helpers.

The wrapper turns :class:`~aibgen.errors.AibgenError` and click's usage errors into one
red line on stderr and the documented exit code (see :mod:`aibgen.errors`); any other
exception is a bug, shown as a traceback. Ctrl-C exits 130, end of input at a prompt 2.
"""
from __future__ import annotations

import os
import sys

import click

from aibgen.errors import EXIT_INTERRUPTED, EXIT_USAGE, AibgenError

CONTEXT = {"help_option_names": ["-h", "--help"], "terminal_width": 100, "max_content_width": 100}


class Group(click.Group):
    """A click group whose errors are one-line messages with the documented exit codes."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx is not None else "aibgen"
            click.echo(f"error: {err.format_message()} (see '{where} --help')", err=True)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            click.echo(f"error: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        except click.Abort as err:
            interrupted = isinstance(err.__cause__ or err.__context__, KeyboardInterrupt)
            click.echo("interrupted" if interrupted else "aborted: no input", err=True)
            sys.exit(EXIT_INTERRUPTED if interrupted else EXIT_USAGE)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AibgenError as err:
            if ctx.find_root().params.get("debug"):
                raise
            fail(err)


def fail(err: AibgenError) -> None:
    """Print ``err`` (and the findings it carries) to stderr and exit with its code."""
    color = use_color(sys.stderr)
    click.echo(click.style("error: ", fg="red", bold=True) + str(err), err=True, color=color)
    findings = getattr(err, "findings", None)
    if findings:
        from aibgen.report.text import to_text

        click.echo(to_text(findings, color=color), err=True, nl=False, color=color)
    sys.exit(err.exit_code)


def use_color(stream) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set."""
    return stream.isatty() and "NO_COLOR" not in os.environ


catalog_option = click.option(
    "--catalog", "catalogs", multiple=True, metavar="DIR",
    help="Extra catalog directory (repeatable); later ones win. Also read from AIBGEN_CATALOG_PATH.")


def config_options(fn):
    """--config FILE and --no-config."""
    fn = click.option("--no-config", is_flag=True, help="Ignore aibgen.yaml / pyproject.toml.")(fn)
    return click.option("--config", "config_path", metavar="FILE",
                        help="Configuration file [default: nearest aibgen.yaml or pyproject.toml with "
                             "[tool.aibgen]].")(fn)


def load_config(path: str | None, disabled: bool):
    """The configuration the command runs under."""
    from aibgen import config

    return config.load(path, search=not disabled)


def load_catalog(dirs, cfg=None):
    """The catalog: built-in, installed, AIBGEN_CATALOG_PATH, the project's, then ``dirs``."""
    from aibgen.profiles.roots import default_roots, load_catalog as load

    return load(default_roots(list(cfg.catalogs if cfg else []) + list(dirs)))


def warn(findings) -> None:
    """Show the warnings of a result that was produced anyway."""
    from aibgen.report.text import to_text

    shown = [f for f in findings if f.severity != "error"]
    if shown:
        click.echo(to_text(shown, color=use_color(sys.stderr)), err=True, nl=False)


def echo_json(value) -> None:
    """Print ``value`` as indented JSON."""
    import json

    click.echo(json.dumps(value, indent=2, ensure_ascii=False))

"""What every command shares: the group with its error wrapper, options, and output helpers.

The wrapper turns :class:`~aibgen.errors.AibgenError` and click's usage errors into one
red line on stderr and the documented exit code (see :mod:`aibgen.errors`); any other
exception is a bug, shown as a traceback. Ctrl-C exits 130, end of input at a prompt 2,
a reader of standard output that went away 141 (as a Unix tool killed by SIGPIPE), quietly.
Everything is written through :mod:`aibgen.cli.streams`.
"""
from __future__ import annotations

import os
import sys

import click

from aibgen.cli import streams
from aibgen.report.text import printable
from aibgen.errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_USAGE, AibgenError, Interrupted

CONTEXT = {"help_option_names": ["-h", "--help"], "terminal_width": 100, "max_content_width": 100}


class Group(click.Group):
    """A click group whose errors are one-line messages with the documented exit codes."""

    def main(self, *args, **kwargs):
        kwargs["standalone_mode"] = False
        _catch_ctrl_c()
        try:
            result = super().main(*args, **kwargs)
            _flush()
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx is not None else "aibgen"
            streams.err(f"error: {printable(err.format_message())} (see '{where} --help')")
            sys.exit(err.exit_code)
        except click.ClickException as err:
            streams.err(f"error: {printable(err.format_message())}")
            sys.exit(err.exit_code)
        except click.Abort as err:
            interrupted = isinstance(err.__cause__ or err.__context__, KeyboardInterrupt)
            streams.err("interrupted" if interrupted else "aborted: no input")
            sys.exit(EXIT_INTERRUPTED if interrupted else EXIT_USAGE)
        except Interrupted:
            streams.err("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except streams.BrokenPipe:
            _silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
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
    label = click.style("error: ", fg="red", bold=True) if color else "error: "
    streams.err(label + (printable(str(err)) or type(err).__name__))
    findings = getattr(err, "findings", None)
    if findings:
        from aibgen.report.text import to_text

        streams.err(to_text(findings, color=color), nl=False)
    sys.exit(err.exit_code)


def _catch_ctrl_c() -> None:
    """Ctrl-C raises :class:`~aibgen.errors.Interrupted`, which no plugin guard swallows."""
    import signal
    import threading

    def interrupted(signum, frame):
        raise Interrupted()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, interrupted)


def _flush() -> None:
    """Flush standard output while a failure can still be reported."""
    from aibgen.errors import OutputError

    try:
        streams.flush()
    except OutputError as err:
        fail(err)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def use_color(stream) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set."""
    try:
        return stream is not None and stream.isatty() and "NO_COLOR" not in os.environ
    except ValueError:  # a closed stream
        return False


def complete_files(ctx, param, incomplete: str) -> list:
    """Shell completion of file names (the shell lists them)."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete or "", type="file")]


def complete_folders(ctx, param, incomplete: str) -> list:
    """Shell completion of folder names (the shell lists them)."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete or "", type="dir")]


def text_or_json(help: str | None = None):
    """--format text|json, the choice of every command that prints a listing or a record."""
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help=help)


catalog_option = click.option(
    "--catalog", "catalogs", multiple=True, metavar="DIR", shell_complete=complete_folders,
    help="Extra catalog directory (repeatable); later ones win. Also read from AIBGEN_CATALOG_PATH.")


def config_options(fn):
    """--config FILE and --no-config."""
    fn = click.option("--no-config", is_flag=True, help="Ignore aibgen.yaml / pyproject.toml.")(fn)
    return click.option("--config", "config_path", metavar="FILE", shell_complete=complete_files,
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
        streams.err(to_text(shown, color=use_color(sys.stderr)), nl=False)


def echo_json(value) -> None:
    """Print ``value`` as indented JSON (UTF-8, exact)."""
    import json

    streams.data(json.dumps(value, indent=2, ensure_ascii=False) + "\n")

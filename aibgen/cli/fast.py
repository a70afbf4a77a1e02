"""The console entry point: ``--version`` and ``--help`` answered without importing click.

Both are asked for far more often than they change, and importing click and every command
costs several times Python's own start-up. The top-level help is click's own text, kept in
:mod:`aibgen.cli.helptext` (tests/test_new.py fails when it differs from what click renders;
refresh it with ``pytest tests/test_new.py --update-golden``). Anything else runs the CLI.
"""
from __future__ import annotations

import sys


def run() -> None:
    """Run ``aibgen`` with ``sys.argv``."""
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from aibgen import __version__

        _say(f"aibgen, version {__version__}\n")
    elif args in (["--help"], ["-h"]):
        from aibgen.cli.helptext import TOP_LEVEL

        _say(TOP_LEVEL)
    else:
        from aibgen.cli import main

        main(prog_name="aibgen")


def _say(text: str) -> None:
    """Write ``text`` to stdout as the full CLI would: exit 2 if it cannot, 141 on a broken pipe."""
    from aibgen.cli import streams
    from aibgen.errors import EXIT_BROKEN_PIPE, EXIT_USAGE, OutputError

    try:
        streams.out(text, nl=False)
    except streams.BrokenPipe:
        sys.exit(EXIT_BROKEN_PIPE)
    except OutputError as err:
        streams.err(f"error: {err}")
        sys.exit(EXIT_USAGE)

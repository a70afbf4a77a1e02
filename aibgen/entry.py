"""Console entry point: answers ``--version`` without importing click, else runs the CLI."""
from __future__ import annotations

import sys


def run() -> None:
    """Run ``aibgen`` with ``sys.argv``."""
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from aibgen import __version__

        print(f"aibgen, version {__version__}")
        return
    if args in (["--help"], ["-h"]):
        from aibgen.helptext import TOP_LEVEL  # pre-rendered by click; a test keeps it identical

        sys.stdout.write(TOP_LEVEL)
        return
    from aibgen.cli import main

    main(prog_name="aibgen")

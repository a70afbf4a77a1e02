"""Console entry point: answers ``--version`` without importing click, else runs the CLI."""
from __future__ import annotations

import sys


def run() -> None:
    """Run ``aibgen`` with ``sys.argv``."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from aibgen import __version__

        print(f"aibgen, version {__version__}")
        return
    from aibgen.cli import main

    main(prog_name="aibgen")

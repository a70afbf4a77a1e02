"""The ``aibgen`` command line: click only. Each command family has a module here that turns
arguments into a call to :mod:`aibgen.flows` and the result into output; the core never
prints or exits. The console script is :func:`aibgen.cli.fast.run`, which answers
``--version`` and ``--help`` before click is imported; :data:`main` (the click group, in
:mod:`aibgen.cli.app`) is imported on first use.
"""
from __future__ import annotations


def __getattr__(name: str):
    if name == "main":
        from aibgen.cli.app import main

        return main
    raise AttributeError(f"module 'aibgen.cli' has no attribute {name!r}")

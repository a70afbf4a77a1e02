"""Allow ``python -m aibgen``."""
from aibgen.cli.fast import run

run()

"""Allow ``python -m aibgen``."""
from aibgen.cli import main

main(prog_name="aibgen")

"""Allow ``python -m aibgen``."""
from aibgen.entry import run

run()

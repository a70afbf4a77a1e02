"""Bad-input classes of the hardening work: names and messages (same case shape as cases.py)."""
from __future__ import annotations

CASES: list[tuple] = [
    ("new-profile-newline", "profile name with a trailing newline", {}, ["new", "-p", "ubuntu-sig\n"], 2,
     "not a valid profile name"),
    ("cat-symlink-loop", "--catalog directory that is a symbolic link loop", {},
     ["catalog", "list", "--catalog", "loop", "LINK:loop=loop"], 2, "Too many levels of symbolic links"),
]

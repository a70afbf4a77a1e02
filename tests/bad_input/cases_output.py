"""Bad-input classes of the hardening work: output paths and names (same case shape as cases.py)."""
from __future__ import annotations

_NEW = ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}"]

CASES: list[tuple] = [
    ("out-name-escape", "template name that climbs out of the folder", {}, _NEW + ["--set", "name=../../x"], 2,
     "template name '../../x' is not valid"),
    ("out-name-absolute", "template name that is an absolute path", {}, _NEW + ["--set", "name=/tmp/x"], 2,
     "template name '/tmp/x' is not valid"),
    ("out-name-space", "template name with a space", {}, _NEW + ["--set", "name=my template"], 2,
     "template name 'my template' is not valid"),
    ("out-name-newline", "template name with a newline", {}, _NEW + ["--set", "name=a\nb"], 2,
     "template name 'a\\nb' is not valid"),
    ("out-force-symlink", "--force onto a symbolic link", {"target.json": "precious"},
     _NEW + ["-o", "t.json", "--force", "LINK:t.json=target.json"], 2, "is a symbolic link; aibgen writes only regular files"),
    ("out-dangling-symlink", "output name that is a dangling symbolic link", {},
     _NEW + ["-o", "t.json", "LINK:t.json=missing.json"], 2, "is a symbolic link; aibgen writes only regular files"),
]

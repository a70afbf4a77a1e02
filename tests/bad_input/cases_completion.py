"""Bad-input classes of `completion` (same case shape as cases.py)."""
from __future__ import annotations

CASES: list[tuple] = [
    ("completion-unknown-shell", "completion for a shell it has no script for", {}, ["completion", "tcsh"], 2,
     "'tcsh' is not one of 'bash', 'zsh', 'fish'"),
    ("completion-no-shell", "completion without a shell", {}, ["completion"], 2,
     "name the shell: aibgen completion bash, zsh or fish"),
]

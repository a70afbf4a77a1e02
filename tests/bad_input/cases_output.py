"""Bad-input classes of the hardening work: output (same case shape as cases.py)."""
from __future__ import annotations

CASES: list[tuple] = []

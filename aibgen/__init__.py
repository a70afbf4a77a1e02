"""aibgen: Azure VM Image Builder templates from a catalog of reviewed profiles."""
from __future__ import annotations

__version__ = "0.1.0"

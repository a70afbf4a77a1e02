"""Values whose content is not known when a template is checked.

An ARM template expression (``"[parameters('x')]"``) is evaluated at deployment, and an
unfilled ``<placeholder>`` is meant to be replaced before use: checks that need such a
value skip it (placeholders are reported once, on their own).
"""
from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9 _.:/-]{0,60}>")
# Fields holding commands or filters: '<' there is shell or PowerShell syntax, not a placeholder.
COMMAND_FIELDS = frozenset({"inline", "restartCommand", "restartCheckCommand", "searchCriteria", "filters"})


def is_expression(value: object) -> bool:
    """True for an ARM template expression string (``[...]`` but not the ``[[`` escape)."""
    return isinstance(value, str) and len(value) > 1 and value[0] == "[" and value[-1] == "]" and value[1] != "["


def placeholder(value: object) -> str | None:
    """The first ``<placeholder>`` in a string, or None."""
    if not isinstance(value, str) or "<" not in value:
        return None
    match = PLACEHOLDER.search(value)
    return match.group() if match else None


def is_unknown(value: object) -> bool:
    """True when a value's content cannot be checked (an expression or a placeholder)."""
    return is_expression(value) or placeholder(value) is not None


def known_str(value: object) -> str | None:
    """The value when it is a string whose content is known, else None."""
    return value if isinstance(value, str) and not is_unknown(value) else None

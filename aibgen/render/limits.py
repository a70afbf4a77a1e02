"""A Jinja sandbox with limits, so no profile or partial can make a render hang or fill memory.

Jinja's own sandbox stops access to Python internals; this one also bounds the work: the
items of all ``range()`` calls in one render, the length of text or lists made with
``*``, ``%`` widths and filter or method arguments, the size of ``**`` results, and the
characters one render may write. Going past a limit is a :class:`LimitError`, reported
like any template error: naming the partial or profile line.
"""
from __future__ import annotations

import functools
import operator
import re

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_ITEMS = 1_000_000        # range() items one render may create, all calls together
MAX_LENGTH = 1_000_000       # characters or items one operation may create
MAX_OUTPUT = 16 * 1024 * 1024  # characters one render may write
_WIDE = re.compile(r"%[-+ #0]*(?:\*|\d{7,})|\{[^{}]*\d{7,}[^{}]*\}")


class LimitError(SecurityError):
    """A render went past one of the sandbox's limits."""


class LimitedSandbox(SandboxedEnvironment):
    """:class:`SandboxedEnvironment` with the limits of this module."""

    intercepted_binops = frozenset(["*", "**", "%"])

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.spent = 0
        self.globals.pop("lipsum", None)  # text on demand in any amount: nothing a partial needs
        self.globals["range"] = self._range
        self.filters = {name: _checked(f) for name, f in self.filters.items()}

    def start(self) -> None:
        """Begin a new render: the range budget starts afresh."""
        self.spent = 0

    def render(self, template, context: dict) -> str:
        """``template`` rendered with ``context``, stopped once it writes more than MAX_OUTPUT."""
        self.start()
        parts, size = [], 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise LimitError(f"the output is larger than {MAX_OUTPUT // (1024 * 1024)} MiB")
            parts.append(chunk)
        return "".join(parts)

    def _range(self, *args) -> range:
        _numbers(args)
        items = range(*args)
        self.spent += len(items)
        if self.spent > MAX_ITEMS:
            raise LimitError(f"loops over range() went past {MAX_ITEMS:,} items")
        return items

    def call_binop(self, context, op: str, left, right):
        if op == "*":
            _repeat(left, right)
            _repeat(right, left)
        elif op == "**" and _number(left) and _number(right) and abs(right) > 64 and abs(left) > 1:
            raise LimitError("a power with an exponent above 64")
        elif op == "%" and isinstance(left, str) and _WIDE.search(left):
            raise LimitError("a % format with a width or precision above a million")
        return {"*": operator.mul, "**": operator.pow, "%": operator.mod}[op](left, right)

    def call(self, __context, __obj, *args, **kwargs):
        if isinstance(getattr(__obj, "__self__", None), str):  # str methods: center, zfill, ljust, ...
            _numbers(args + tuple(kwargs.values()))
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        """``str.format`` and ``format_map`` as the sandbox runs them, without giant widths."""
        fmt = super().wrap_str_format(value)
        if fmt is None:
            return None
        if _WIDE.search(value.__self__):
            raise LimitError("a format width or precision above a million")

        def limited(*args, **kwargs):
            _numbers(args + tuple(kwargs.values()))
            return fmt(*args, **kwargs)

        return limited


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers(values) -> None:
    if any(_number(v) and abs(v) > MAX_LENGTH for v in values):
        raise LimitError(f"a number above {MAX_LENGTH:,} as a size or count")


def _repeat(seq, times) -> None:
    if isinstance(seq, (str, list, tuple)) and _number(times) and len(seq) * times > MAX_LENGTH:
        raise LimitError(f"text or a list repeated past {MAX_LENGTH:,} items")


def _checked(fn):
    """A filter that refuses size or count arguments above MAX_LENGTH (center, indent, batch, ...)."""
    @functools.wraps(fn)
    def checked(*args, **kwargs):
        _numbers(args[1:] + tuple(kwargs.values()))
        return fn(*args, **kwargs)

    return checked

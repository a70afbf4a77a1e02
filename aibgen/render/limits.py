"""A Jinja sandbox with limits, so no profile or partial can make a render hang or fill memory.

Jinja's own sandbox stops access to Python internals; this one also bounds the work.
Cheap checks refuse an operation whose size is known before it runs (``range()`` items
per render, ``*``/``+`` results, ``%``/``format`` widths, size arguments, ``**``, ``join``,
``replace``, list growth, output per partial). Behind them each render (a whole profile)
has a budget for what no check foresees: :data:`MAX_SECONDS` of wall-clock time (a timer
signal, main thread) and, on Linux, :data:`MAX_MEMORY` more address space (a lowered
``RLIMIT_AS``). Going past a limit is a :class:`LimitError`, naming the partial or profile line.
"""
from __future__ import annotations

import contextlib
import functools
import operator
import os
import re
import signal
import threading
import time

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None  # type: ignore[assignment]

MAX_ITEMS = 1_000_000        # range() items one render may create, all calls together
MAX_LENGTH = 1_000_000       # characters or items one operation may create
MAX_OUTPUT = 16 * 1024 * 1024  # characters one render may write (and one joined or replaced text may have)
MAX_SECONDS = 10.0           # wall-clock time one render may take
MAX_MEMORY = 1024 * 1024 * 1024  # bytes of address space one render may add (Linux)
# a {format spec} with a number of seven or more digits (a width or precision above a million)
_WIDE_SPEC = re.compile(r"\{[^{}]*\d{7,}[^{}]*\}")
_PERCENT_SPEC = re.compile(r"[-+ #0]*(?:\*|[1-9]\d{6,}|\d*\.0*(?:\*|[1-9]\d{6,}))")


def _wide(text: str) -> bool:
    """Whether a format text has a ``%`` or ``{}`` width or precision that is ``*`` or above a million
    (a ``%(key)`` may come first, its parentheses nesting as Python counts them)."""
    if _WIDE_SPEC.search(text):
        return True
    i = text.find("%")
    while i >= 0:
        j = i + 1
        if text.startswith("(", j):
            depth = 0
            while j < len(text):
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
        if _PERCENT_SPEC.match(text, j):
            return True
        i = text.find("%", j + text.startswith("%", j))  # %% is a literal percent sign
    return False


class LimitError(SecurityError):
    """A render went past one of the sandbox's limits."""


class LimitedSandbox(SandboxedEnvironment):
    """:class:`SandboxedEnvironment` with the limits of this module."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.spent = 0
        self._depth = 0
        self.globals.pop("lipsum", None)  # text on demand in any amount: nothing a partial needs
        self.globals["range"] = self._range
        self.filters = {name: _checked(f) for name, f in self.filters.items()}
        for name, check in (("format", _format_check), ("join", _join_check), ("replace", _replace_check)):
            self.filters[name] = _guarded(self.filters[name], check)

    def start(self) -> None:
        self.spent = 0  # a new render: the range budget starts afresh

    @contextlib.contextmanager
    def budget(self):
        """Run one render: a fresh range budget, MAX_SECONDS and MAX_MEMORY (nested uses share it)."""
        outer = not self._depth
        if outer:
            self.start()
        self._depth += 1
        out_of_memory = False
        try:
            with _time_limit(MAX_SECONDS) if outer else contextlib.nullcontext(), \
                    _memory_limit(MAX_MEMORY) if outer else contextlib.nullcontext():
                try:
                    yield
                except MemoryError as exc:
                    exc.__traceback__ = None  # let go of the frames holding the memory
                    out_of_memory = True  # raised below, once the frames holding the memory are gone
        finally:
            self._depth -= 1
        if out_of_memory:
            raise LimitError(f"the template needed more than {MAX_MEMORY // (1024 * 1024)} MiB of memory")

    def render(self, template, context: dict) -> str:
        """``template`` rendered with ``context``, stopped once it writes more than MAX_OUTPUT."""
        with self.budget():
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
        elif op == "+":
            _concat(left, right)
        elif op == "**" and _number(left) and _number(right) and abs(right) > 64 and abs(left) > 1:
            raise LimitError("a power with an exponent above 64")
        elif op == "%" and isinstance(left, str) and _wide(left):
            raise LimitError("a % format with a width or precision above a million")
        return {"*": operator.mul, "**": operator.pow, "%": operator.mod, "+": operator.add}[op](left, right)

    def call(self, __context, __obj, *args, **kwargs):
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):  # str methods: center, zfill, ljust, join, replace, ...
            _numbers(args + tuple(kwargs.values()))
            _str_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        elif isinstance(owner, list):  # list growth: append, extend, insert
            _list_method(owner, getattr(__obj, "__name__", ""), args)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        """``str.format`` and ``format_map`` as the sandbox runs them, without giant widths."""
        fmt = super().wrap_str_format(value)
        if fmt is None:
            return None
        if _wide(value.__self__):
            raise LimitError("a format width or precision above a million")

        def limited(*args, **kwargs):
            _numbers(args + tuple(kwargs.values()))
            return fmt(*args, **kwargs)

        return limited


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise LimitError in the code running after ``seconds`` (main thread, where setitimer exists)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    state = {"active": True}

    def expired(signum, frame):
        if state.pop("active", False):
            raise LimitError(f"the template ran longer than {seconds:g} seconds")

    began = time.monotonic()
    old_handler = signal.signal(signal.SIGALRM, expired)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        state.clear()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay:  # someone else's timer: give it back what is left of it
            left = max(old_delay - (time.monotonic() - began), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, old_interval)


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextlib.contextmanager
def _memory_limit(extra: int):
    """Lower the RLIMIT_AS soft limit to current use + ``extra`` for the block, where possible."""
    used = _address_space()
    if resource is None or not hasattr(resource, "RLIMIT_AS") or used is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + extra if hard == resource.RLIM_INFINITY else min(used + extra, hard)
    changed = soft == resource.RLIM_INFINITY or soft > limit  # else already as tight: leave it
    try:
        if changed:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        changed = False
    try:
        yield
    finally:
        if changed:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers(values) -> None:
    if any(_number(v) and abs(v) > MAX_LENGTH for v in values):
        raise LimitError(f"a number above {MAX_LENGTH:,} as a size or count")


def _repeat(seq, times) -> None:
    if isinstance(seq, (str, list, tuple)) and _number(times) and len(seq) * times > MAX_LENGTH:
        raise LimitError(f"text or a list repeated past {MAX_LENGTH:,} items")


def _grown(text: int = 0, items: int = 0) -> None:
    """Refuse text made past MAX_OUTPUT characters or a list grown past MAX_LENGTH items."""
    if text > MAX_OUTPUT:
        raise LimitError(f"text joined or replaced past {MAX_OUTPUT // (1024 * 1024)} MiB")
    if items > MAX_LENGTH:
        raise LimitError(f"a list grown past {MAX_LENGTH:,} items")


def _concat(left, right) -> None:
    if isinstance(left, str) and isinstance(right, str):
        _grown(text=len(left) + len(right))
    elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        _grown(items=len(left) + len(right))


def _joined(sep, items) -> None:
    """Refuse ``sep.join(items)`` beyond MAX_OUTPUT, where the items are known in advance."""
    if isinstance(items, (list, tuple)):
        _grown(sum(len(i) for i in items if isinstance(i, str)) + len(str(sep)) * max(len(items) - 1, 0))


def _replaced(s, old, new, count=-1) -> None:
    """Refuse ``s.replace(old, new, count)`` whose result would pass MAX_OUTPUT."""
    if isinstance(s, str) and isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        hits = s.count(old) if old else len(s) + 1
        hits = min(hits, int(count)) if _number(count) and count >= 0 else hits
        _grown(len(s) + hits * (len(new) - len(old)))


def _str_method(owner: str, name: str, args: tuple, kwargs: dict) -> None:
    size = (args or tuple(kwargs.values()) or (8,))[0]
    if name == "join" and args:
        _joined(owner, args[0])
    elif name == "replace" and len(args) >= 2:
        _replaced(owner, *args[:3])
    elif name == "expandtabs" and _number(size):
        _grown(len(owner) + owner.count("\t") * max(int(size), 0))


def _list_method(owner: list, name: str, args: tuple) -> None:
    if name in ("append", "insert"):
        _grown(items=len(owner) + 1)
    elif name == "extend" and args and hasattr(args[0], "__len__"):
        _grown(items=len(owner) + len(args[0]))


def _guarded(fn, check):  # the filter fn, calling check with its arguments first
    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        check(*args, **kwargs)
        return fn(*args, **kwargs)

    return guarded


def _checked(fn):
    """A filter that refuses size or count arguments above MAX_LENGTH (center, indent, batch, ...)."""
    return _guarded(fn, lambda *args, **kwargs: _numbers(args[1:] + tuple(kwargs.values())))


def _format_check(value, *args, **kwargs) -> None:
    if _wide(str(value)):
        raise LimitError("a % format with a width or precision above a million")


def _join_check(eval_ctx, value, d="", attribute=None) -> None:
    _joined(d, value if attribute is None else ())


def _replace_check(eval_ctx, s, old, new, count=None) -> None:
    _replaced(str(s), str(old), str(new), -1 if count is None else count)

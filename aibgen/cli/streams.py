"""The one way the CLI writes to standard output and standard error.

* Human text goes out in the stream's encoding; what the encoding cannot hold (or a lone
  surrogate from a broken input) is written as a backslash escape, never a crash.
  User-derived parts are made printable before they get here
  (:func:`aibgen.report.text.printable`), so no input can move the cursor or forge a line.
* Machine formats (JSON, SARIF, JUnit, templates) are UTF-8 whatever the locale says;
  a lone surrogate becomes a ``\\ud800``-style escape, which JSON reads back as the same string.
* A closed stream, a full disk or any other write error is one line on stderr and exit 2
  (:class:`~aibgen.errors.OutputError`); a reader that went away (broken pipe) ends the run
  quietly, as Unix tools do.
"""
from __future__ import annotations

import sys

from aibgen.errors import OutputError


class BrokenPipe(Exception):
    """The reader of standard output went away."""


def out(text: str = "", nl: bool = True) -> None:
    """Human text on standard output."""
    _write_text(sys.stdout, "standard output", text + ("\n" if nl else ""))


def err(text: str = "", nl: bool = True) -> None:
    """Human text on standard error (nothing, if standard error is closed)."""
    if sys.stderr is not None:
        try:
            _write_text(sys.stderr, "standard error", text + ("\n" if nl else ""))
        except (OutputError, BrokenPipe):
            pass  # nowhere left to report it; the exit code still tells


def data(text: str) -> None:
    """Machine-readable text on standard output, as UTF-8."""
    write_bytes(text.encode("utf-8", "backslashreplace"))


def write_bytes(raw: bytes) -> None:
    """Bytes on standard output, exactly."""
    stream = _stream(sys.stdout, "standard output")
    _guard(lambda: (stream.flush(), stream.buffer.write(raw), stream.buffer.flush()), "standard output")


def is_terminal(stream) -> bool:
    """Whether ``stream`` (sys.stdout, sys.stderr, sys.stdin) is an open terminal."""
    try:
        return stream is not None and stream.isatty()
    except ValueError:  # closed
        return False


def flush() -> None:
    """Flush standard output, so a failure is reported while it can still be."""
    if sys.stdout is not None:
        _guard(sys.stdout.flush, "standard output")


def _write_text(stream, name: str, text: str) -> None:
    stream = _stream(stream, name)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    raw = text.encode(encoding, "backslashreplace")
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (e.g. under a test runner)
        _guard(lambda: stream.write(raw.decode(encoding)), name)
        return
    _guard(lambda: (stream.flush(), buffer.write(raw), buffer.flush()), name)


def _stream(stream, name: str):
    if stream is None or getattr(stream, "closed", False):
        raise OutputError(f"{name} is closed; nothing could be written")
    return stream


def _guard(action, name: str) -> None:
    try:
        action()
    except BrokenPipeError:
        raise BrokenPipe() from None
    except (OSError, ValueError) as exc:  # ValueError: I/O on a closed file
        detail = getattr(exc, "strerror", None) or str(exc)
        raise OutputError(f"{name}: cannot write: {detail}") from None

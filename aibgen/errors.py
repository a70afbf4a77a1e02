"""Exceptions aibgen raises for problems a user can fix, and the exit codes they map to.

Exit codes (every command):

* 0 - success;
* 1 - the input was read and has problems (error findings, or warnings under ``--strict``);
* 2 - usage or environment errors: unknown option, missing file, unreadable or broken
  catalog, bad ``--set`` value, output that cannot be written, end of input at a prompt;
* 130 - interrupted (Ctrl-C);
* 141 - the reader of standard output went away (``aibgen ... | head``), quietly.

Every :class:`AibgenError` carries a one-line message that names the file and line where
there is one and says what to do. The CLI prints it and exits with ``exit_code``; any
other exception is a bug and shows a traceback only under ``--debug``.
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
EXIT_BROKEN_PIPE = 141  # the reader of standard output went away, as shells report SIGPIPE


class AibgenError(Exception):
    """A problem the user can act on; ``str(err)`` is the whole message."""

    exit_code = EXIT_USAGE


class CatalogError(AibgenError):
    """A catalog root, profile or partial cannot be found or read."""


class ProfileError(AibgenError):
    """A profile file is malformed: YAML syntax, unknown keys, wrong types, bad extends."""


class ParameterError(AibgenError):
    """A parameter value (default, --values, --set, prompt) is missing or invalid."""


class RenderError(AibgenError):
    """A partial failed to render or rendered something that is not one JSON value."""


class OutputError(AibgenError):
    """The output file cannot be written (exists without --force, missing directory, ...)."""


class InputError(AibgenError):
    """A file given to a command cannot be read."""


class FindingsError(AibgenError):
    """The rendered template has error findings, so nothing was written."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, findings: list) -> None:
        super().__init__(message)
        self.findings = findings


class Interrupted(BaseException):
    """The user pressed Ctrl-C (raised by the CLI's SIGINT handler, never by other code).

    Rules and catalog plugins run under guards that turn any exception of theirs, even
    ``KeyboardInterrupt`` or ``SystemExit``, into a finding or error naming them; this one
    class passes every guard, so Ctrl-C still stops the run.
    """


def guarded(exc: BaseException) -> bool:
    """True for an exception a plugin guard must turn into a finding or error (not Ctrl-C)."""
    return not isinstance(exc, Interrupted)


def did_you_mean(word: str, choices) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    import difflib

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""

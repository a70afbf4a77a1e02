"""A template file rewritten in place, in passes, for ``validate --fix`` and ``upgrade``.

A :class:`Draft` holds the text of one file and what it parses to. Each pass edits the
text at the places of the values it changes (:mod:`aibgen.sources.textedit`), then reads
the new text back: it must parse to exactly the document the pass meant (the old one
with the same change made to it), or the rewrite stops with nothing written. So no edit
can change what a JSON parser reads beyond the values it was asked to change.
"""
from __future__ import annotations

import difflib
import os
import stat

from aibgen.errors import AibgenError, InputError
from aibgen.flows.validate import decode, parse
from aibgen.report.finding import Finding
from aibgen.sources.keywords import _equal
from aibgen.sources.spans import Spans
from aibgen.sources.textedit import Edit, Op, apply, apply_to, edits

BOM = "\ufeff"


class RewriteError(AibgenError):
    """An edit would not read back as intended (a bug): nothing is written."""


class Draft:
    """One file's text being rewritten, and the document it reads as."""

    def __init__(self, name: str, raw: bytes) -> None:
        self.name, self.raw = name, raw
        text, self.findings = decode(name, raw)
        self.bom = BOM if raw.startswith(BOM.encode("utf-8")) else ""
        self.text = text if text is not None else ""
        self.doc, self.located = None, self.text
        if text is not None:
            self.doc, found, self.located = parse(name, text)
            self.findings += found

    @property
    def readable(self) -> bool:
        """True when the file parses (strictly, or with comments and trailing commas)."""
        return self.doc is not None

    def problem(self) -> Finding | None:
        """The first error that keeps the file from being read, if any."""
        return None if self.readable else self.findings[0]

    def where(self, ptr: str) -> str:
        """``file:line:column`` of a pointer in the text as read."""
        from aibgen.sources.positions import Positions

        line, column = Positions(self.located, [ptr]).lookup(ptr)
        return f"{self.name}:{line}:{column}"

    def spans(self) -> Spans:
        return Spans(self.text)

    def change(self, ops: list[Op]) -> None:
        """Make ``ops`` (pointers into the current document) in the text."""
        if ops:
            self._commit(apply(self.text, edits(self.spans(), ops)), apply_to(self.doc, ops))

    def edit(self, changes: list[Edit]) -> None:
        """Make text edits that leave the document as it reads unchanged (comments, repeated keys)."""
        if changes:
            self._commit(apply(self.text, changes), self.doc)

    def _commit(self, text: str, expected) -> None:
        doc, _, _ = parse(self.name, text)
        if doc is None or not _equal(doc, expected):
            raise RewriteError(f"{self.name}: an edit did not read back as intended; nothing was written "
                               "(this is a bug in aibgen: please report it with the file)")
        self.text, self.doc = text, doc

    def data(self) -> bytes:
        """The bytes of the rewritten file (a byte-order mark kept if it had one)."""
        return (self.bom + self.text).encode("utf-8")


def unified(name: str, before: bytes, after: bytes, new_name: str | None = None) -> str:
    """A unified diff of two versions of a file (empty when they are the same)."""
    if before == after:
        return ""
    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, name, new_name or name)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def check_in_place(path: str, command: str, verb: str, instead: str) -> None:
    """Refuse, in one line, a file that a rewrite in place (a new file renamed over it) would
    harm or could not make: a symbolic link (the link would become a file), a read-only file,
    a file with other hard links (they would keep the old text), one in a directory aibgen
    cannot write in. ``command`` names the rewrite (``--fix``), ``verb`` what it does to the
    file (``fix``), ``instead`` the other ways (``use --fix --diff to see the fixes``)."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        raise InputError(f"{path}: is a symbolic link; {command} rewrites only regular files, so give "
                         f"the file it points to ({os.path.realpath(path)})")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: is not a regular file; {command} rewrites only regular files")
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise InputError(f"{path}: is read-only (mode {stat.S_IMODE(st.st_mode):04o}); make it writable "
                         f"(chmod u+w) to {verb} it, or {instead}")
    if st.st_nlink > 1:
        raise InputError(f"{path}: has {st.st_nlink} hard links; {command} writes a new file and renames it over "
                         f"this one, which would split them (the other names would keep the old text): "
                         f"{verb} a copy with one link, or {instead}")
    folder = os.path.dirname(path) or "."
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{path}: its directory '{folder}' is not writable, and {command} writes a new file beside "
                         f"it; {instead}")

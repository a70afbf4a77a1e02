"""``aibgen validate --fix``: the fixes that cannot change what a template means, made in place.

Each fix belongs to the rule whose finding it removes (the rule registry says which rules
are fixable, and ``aibgen rules`` shows it); a rule left out by ``--select``/``--ignore``
or the configuration is not fixed either. A file that holds no image template (a
``tsconfig.json`` in a walked folder) is never edited. In order, each a pass over the text:

* AIB001: comments are removed from bare templates and properties objects (an ARM
  deployment template keeps them: ARM reads them), trailing commas from every file;
* AIB006: of a repeated key, the earlier members go and the last stays, as JSON parsers read it;
* AIB106: a type name that differs from an allowed one only in case gets that spelling
  (source, customizer, validator and distributor ``type``; and the resource type), first,
  since the schema finds a type's read-only members by its exact name;
* AIB103: members the schema of the template's apiVersion marks read-only are removed;
* AIB303: an upper-case hexadecimal ``sha256Checksum`` is written in lower case, where the
  schema has one (customizers, validators, an optimize workload): a tag keeps its value.

Only the characters of the fixed values change (see :mod:`aibgen.flows.rewrite`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aibgen.check.casing import checksums, type_names
from aibgen.check.engine import Options
from aibgen.check.readonly import read_only
from aibgen.check.shapes import is_deployment, templates
from aibgen.check.versions import resolve_version
from aibgen.errors import InputError
from aibgen.flows.rewrite import Draft, check_in_place, unified
from aibgen.flows.validate import read
from aibgen.sources import reader
from aibgen.sources.positions import noise
from aibgen.sources.spans import blank
from aibgen.sources.textedit import Edit, Op, alone_after, alone_before, delete, line_after, line_start


@dataclass
class Fixed:
    """One file's fixes: the bytes before and after, and ``(rule, pointer)`` of each fix."""

    name: str
    before: bytes
    after: bytes
    fixes: list[tuple[str, str]] = field(default_factory=list)
    holds_template: bool = False  # False: --fix leaves the file alone, whatever it holds

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        return unified(self.name, self.before, self.after)


def check_writable(files: list[str]) -> None:
    """Refuse, before anything is changed, files --fix cannot rewrite: stdin, links, read-only files,
    files with other hard links (see :func:`~aibgen.flows.rewrite.check_in_place`)."""
    for path in files:
        if path == reader.STDIN:
            raise InputError("-: --fix rewrites files; give the file itself rather than standard input")
        check_in_place(path, "--fix", "fix", "use --fix --diff to see the fixes")


def fix_file(path: str, opts: Options | None = None) -> Fixed:
    """The fixes for one file (nothing is written)."""
    name, raw = read(path)
    return fix_bytes(name, raw, opts or Options())


def fix_bytes(name: str, raw: bytes, opts: Options) -> Fixed:
    """The fixes for one file's bytes, for the rules ``opts`` selects."""
    opts = opts.for_file(name)
    draft = Draft(name, raw)
    if not draft.readable or not templates(draft.doc):  # not JSON, or JSON of something else (tsconfig.json)
        return Fixed(name, raw, raw)
    fixes: list[tuple[str, str]] = []
    for rule, step in _STEPS:
        if opts.wants(rule):
            fixes += [(rule, ptr) for ptr in step(draft, opts)]
    return Fixed(name, raw, draft.data() if fixes else raw, fixes, holds_template=True)


def _noise(draft: Draft, opts: Options) -> list[str]:
    """Trailing commas everywhere, comments outside ARM deployment templates (AIB001)."""
    text, keep_comments = draft.text, is_deployment(draft.doc)
    spans = [(s, e) for s, e in noise(text) if text[s:e] == "," or not keep_comments]
    if not spans:
        return []
    plain = blank(text)  # the text as it reads once every comment and trailing comma is gone
    ranges = sorted((s, e) if text[s:e] == "," else _comment(text, plain, s, e) for s, e in spans)
    draft.edit([Edit(s, e, "") for s, e in _merged(ranges)])
    return ["" for _ in spans]


def _comment(text: str, plain: str, start: int, end: int) -> tuple[int, int]:
    """What to remove for a comment: its lines when it has them alone, else it and the spaces beside it."""
    if alone_before(plain, start) and alone_after(plain, end):
        return line_start(text, start), line_after(text, end)
    if alone_after(plain, end):
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        return start, end
    while end < len(text) and text[end] in " \t":
        end += 1
    return start, end


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in ranges:
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _duplicates(draft: Draft, opts: Options) -> list[str]:
    """The earlier members of each repeated key (AIB006)."""
    shadowed = draft.spans().shadowed
    draft.edit(delete(draft.text, [m for _, m in shadowed]))
    return [ptr for ptr, _ in shadowed]


def _read_only(draft: Draft, opts: Options) -> list[str]:
    """Members the service sets itself (AIB103)."""
    ptrs = [t.in_document(p) for t in templates(draft.doc)
            for p in read_only(t.resource, resolve_version(t, opts), t.properties_only)]
    draft.change([Op("delete", p) for p in ptrs])
    return ptrs


def _type_names(draft: Draft, opts: Options) -> list[str]:
    """Type names in the wrong case (AIB106)."""
    ops = [Op("set", t.in_document(p), name) for t in templates(draft.doc)
           for p, name in type_names(t.resource, resolve_version(t, opts), t.properties_only)]
    draft.change(ops)
    return [op.pointer for op in ops]


def _checksums(draft: Draft, opts: Options) -> list[str]:
    """Upper-case sha256Checksum values (AIB303)."""
    ops = [Op("set", t.in_document(p), value) for t in templates(draft.doc)
           for p, value in checksums(t.resource, resolve_version(t, opts))]
    draft.change(ops)
    return [op.pointer for op in ops]


_STEPS = (("AIB001", _noise), ("AIB006", _duplicates), ("AIB106", _type_names), ("AIB103", _read_only),
          ("AIB303", _checksums))
FIXABLE = tuple(sorted(rule for rule, _ in _STEPS))  # the rules --fix repairs (the registry says so too)

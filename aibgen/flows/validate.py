"""``aibgen validate`` as a library call: read files, parse JSON, check, locate findings.

JSON is parsed with the standard library (fast); duplicate keys are recorded. A file that
is not strict JSON only because of comments or trailing commas is reported (AIB001) and
still checked. Line and column are computed only for files that have findings.

Hostile input ends in a finding or a one-line error, never a hang, a traceback or a full
memory: files are read through :mod:`aibgen.sources.reader` (regular files only, at most
64 MiB, checked while reading); an integer too long for Python to convert (thousands of
digits) is an AIB001 error at its line (the document is not checked further: no setting
takes such a number); a string with half a surrogate pair (a ``"\\ud800"`` escape, which
is not Unicode) is an AIB001 error at that value, and the rest is checked as it is (the
CLI's output layer writes such text as a ``\\ud800``-style escape).
"""
from __future__ import annotations

import json
import re
import stat
import sys
from pathlib import Path

from aibgen.check.engine import Options, check_document
from aibgen.check.shapes import is_deployment
from aibgen.errors import InputError
from aibgen.flows.workers import ordered_map
from aibgen.sources.jsonlimits import MAX_DEPTH, MAX_KEY, NotJson, depth, long_keys, no_constant
from aibgen.report.finding import Finding
from aibgen.rules import finding
from aibgen.sources import reader
from aibgen.sources.pointers import escape
from aibgen.sources.positions import Positions, lenient, noise

MAX_BYTES = 64 * 1024 * 1024
WHAT = "a JSON template"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def expand(paths: list[str]) -> list[str]:
    """Files to check: files as given, directories walked for ``*.json`` (sorted)."""
    out: list[str] = []
    for path in paths:
        if path == "-":
            out.append(path)
            continue
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*.json") if _walked(f))
            if not found:
                raise InputError(f"{path}: no *.json files in this directory")
            out.extend(found)
        elif not p.exists():
            raise InputError(f"{path}: no such file or directory")
        else:
            reader.check(path, MAX_BYTES, WHAT)  # fail before any report is written
            out.append(path)
    return out


def _walked(path: Path) -> bool:
    """A regular file found in a walked directory (FIFOs and devices are passed over); too large is an error."""
    st = reader.stat_or_none(path)
    if st is None:
        return False
    if stat.S_ISREG(st.st_mode) and st.st_size > MAX_BYTES:
        raise InputError(reader.too_large(str(path), MAX_BYTES, WHAT))
    return stat.S_ISREG(st.st_mode)


def read(path: str) -> tuple[str, bytes]:
    """(display name, bytes) of a file, or of stdin for ``-``."""
    return reader.display(path), reader.read_bytes(path, MAX_BYTES, WHAT, stdin=True)


def decode(name: str, raw: bytes) -> tuple[str | None, list[Finding]]:
    """Text of the file, or None and an AIB001 finding for bytes that are not UTF-8 text."""
    if b"\x00" in raw[:8192]:
        return None, [finding("AIB001", "binary data, not a JSON text file", "", name)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [finding("AIB001", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                              "", name, line, col)]


def parse(name: str, text: str) -> tuple[object, list[Finding], str]:
    """The JSON value (or None), AIB001/AIB006 findings, and the text to locate pointers in."""
    if not text.strip():
        return None, [finding("AIB001", "empty file: expected a JSON object", "", name)], text
    dups: list[str] = []
    try:
        doc = _loads(text, dups)
    except json.JSONDecodeError as exc:
        first = finding("AIB001", f"not valid JSON: {exc.msg}", "", name, exc.lineno, exc.colno)
    except RecursionError:
        return None, [finding("AIB001", f"JSON nested too deeply (over {MAX_DEPTH} levels)", "", name)], text
    except NotJson as exc:
        return None, [_not_json(name, text, exc)], text
    except ValueError:  # an integer past Python's int-string conversion limit
        return None, [_long_number(name, text)], text
    else:
        return _unicode(name, doc, _duplicates(name, text, dups), text)
    relaxed = lenient(text)
    try:
        doc = _loads(relaxed, dups)
    except (json.JSONDecodeError, RecursionError):
        return None, [first], text
    except NotJson as exc:
        return None, [_not_json(name, relaxed, exc)], text
    except ValueError:
        return None, [_long_number(name, relaxed)], text
    return _unicode(name, doc, [_lenient_note(name, text, doc)] + _duplicates(name, relaxed, dups), relaxed)


def _loads(text: str, dups: list):
    def hook(pairs):
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen = set()
            dups.extend(k for k, _ in pairs if k in seen or seen.add(k))
        return obj

    doc = json.loads(text, object_pairs_hook=hook, parse_constant=no_constant)
    if text.count("[") + text.count("{") > MAX_DEPTH and depth(doc) > MAX_DEPTH:
        raise RecursionError
    if len(text) > MAX_KEY * 16:  # only a large text can hold a key long enough to matter
        long_keys(doc)
    return doc





def _not_json(name: str, text: str, exc: NotJson) -> Finding:
    at = max(text.find(exc.needle), 0)
    line = text.count("\n", 0, at) + 1
    return finding("AIB001", f"not valid JSON: {exc}", "", name, line, at - text.rfind("\n", 0, at))


def _lenient_note(name: str, text: str, doc) -> Finding:
    """AIB001 at the first comment or trailing comma (the same on every Python version); AIB010,
    a note, when the only extras are comments in an ARM deployment template, which ARM accepts."""
    spans = list(noise(text))
    start, end = spans[0] if spans else (0, 0)
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    if is_deployment(doc) and all(text[s:e] != "," for s, e in spans):
        return finding("AIB010", "comments: ARM accepts them in a deployment template, plain JSON tools and "
                       "'az image builder create' do not (the rest was checked)", "", name, line, column)
    what = "a trailing comma" if text[start:end] == "," else "a comment"
    return finding("AIB001", f"not valid JSON: {what} (JSON has neither comments nor trailing commas;"
                   " the rest was checked)", "", name, line, column)


def _long_number(name: str, text: str) -> Finding:
    """AIB001 at the first integer too long for Python to convert (strings skipped)."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
    pattern = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(?<![0-9])[0-9]{%d,}' % (limit + 1))
    at, start, digits = 0, 0, 0
    while (m := pattern.search(text, at)) is not None:
        at = m.end()
        if m.group()[0] != '"' and text[at:at + 1] not in (".", "e", "E"):
            start, digits = m.start(), at - m.start()
            break
    line, column = text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
    return finding("AIB001", f"a number of {digits or 'over ' + str(limit)} digits is too long to read (the limit is "
                   f"{limit}); no template setting takes a number this large", "", name, line, column)


def _unicode(name: str, doc, found: list[Finding], text: str) -> tuple[object, list[Finding], str]:
    """AIB001 at the first string with half a surrogate pair (only a ``\\ud800``-style escape can make one)."""
    if not _SURROGATE_ESCAPE.search(text):
        return doc, found, text
    bad = _first_surrogate(doc, "")
    if bad is not None:
        pointer, char = bad
        message = (f"not valid Unicode: '\\u{ord(char):04x}' is half of a surrogate pair, not a character; "
                   "write the character itself (the rest was checked)")
        found = found + [finding("AIB001", message, pointer, name, *Positions(text, [pointer]).lookup(pointer))]
    return doc, found, text


def _first_surrogate(value, pointer: str) -> tuple[str, str] | None:
    """``(pointer, character)`` of the first half surrogate pair in a key or string of ``value``."""
    if isinstance(value, str):
        m = _SURROGATE.search(value)
        return None if m is None else (pointer, m.group())
    items = enumerate(value) if isinstance(value, list) else value.items() if isinstance(value, dict) else ()
    for key, item in items:
        here = f"{pointer}/{escape(str(key))}"
        found = (_first_surrogate(key, here) if isinstance(key, str) else None) or _first_surrogate(item, here)
        if found:
            return found
    return None


def _duplicates(name: str, text: str, dups: list) -> list[Finding]:
    if not dups:
        return []
    pos = Positions(text)
    return [finding("AIB006", f"duplicate key '{p.rsplit('/', 1)[-1]}'; JSON keeps only the last one",
                    p, name, *pos.lookup(p)) for p in pos.duplicates]


def validate_bytes(name: str, raw: bytes, opts: Options) -> list[Finding]:
    """Findings for one file's bytes."""
    opts = opts.for_file(name)
    text, found = decode(name, raw)
    if text is None:
        return found
    doc, found, located = parse(name, text)
    if doc is None:
        return found
    checked = check_document(doc, opts)
    if checked:
        pos = Positions(located, {f.pointer for f in checked})
        found += [Finding(f.rule, f.severity, f.message, f.pointer, name, *pos.lookup(f.pointer)) for f in checked]
    return [f for f in found if opts.wants(f.rule)] if opts.filtering else found


def validate_file(path: str, opts: Options | None = None) -> list[Finding]:
    """Findings for one file (``-`` reads stdin)."""
    name, raw = read(path)
    return validate_bytes(name, raw, opts or Options())


def _worker(args):
    path, opts, given = args
    try:
        return validate_bytes(*given, opts) if given is not None else validate_file(path, opts)
    except InputError as exc:
        return exc


def iter_findings(files: list[str], opts: Options | None = None, jobs: int | None = None):
    """``(file, findings)`` for each of ``files`` in order, as they are checked.

    Large batches are spread over the machine's cores; results are handed on as they come,
    so memory stays flat however many files there are. Standard input is read first, so a
    failure to read it comes before any report is written.
    """
    opts = opts or Options()
    stdin = read(reader.STDIN) if reader.STDIN in files else None
    tasks = [(f, opts, stdin if f == reader.STDIN else None) for f in files]
    return _results(files, ordered_map(_worker, tasks, 1 if stdin else jobs, threshold=200, warm=_warm))


def _results(files: list[str], results):
    for name, result in zip(files, results):
        if isinstance(result, InputError):
            raise result
        yield name, result


def validate_paths(paths: list[str], opts: Options | None = None, jobs: int | None = None) -> tuple[list[Finding], int]:
    """Findings for every file under ``paths`` and the number of files checked."""
    files = expand(paths)
    findings = [f for _, found in iter_findings(files, opts, jobs) for f in found]
    return findings, len(files)


def _warm() -> None:
    """Load the rules and compile the newest schema once, before worker processes fork."""
    from aibgen import resources
    from aibgen.check.engine import validator
    from aibgen.rules import load_builtin

    load_builtin()
    validator(resources.latest_api_version())

"""``aibgen validate`` as a library call: read files, parse JSON, check, locate findings.

JSON is parsed with the standard library (fast); duplicate keys are recorded. A file that
is not strict JSON only because of comments or trailing commas is reported (AIB001) and
still checked. Line and column are computed only for files that have findings.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from aibgen.check.engine import Options, check_document
from aibgen.errors import InputError
from aibgen.flows.workers import ordered_map
from aibgen.report.finding import Finding
from aibgen.rules import finding
from aibgen.sources.positions import Positions

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 200




def expand(paths: list[str]) -> list[str]:
    """Files to check: files as given, directories walked for ``*.json`` (sorted)."""
    out: list[str] = []
    for path in paths:
        if path == "-":
            out.append(path)
            continue
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*.json") if f.is_file())
            if not found:
                raise InputError(f"{path}: no *.json files in this directory")
            out.extend(found)
        elif not p.exists():
            raise InputError(f"{path}: no such file or directory")
        else:
            out.append(path)
    return out


def read(path: str) -> tuple[str, bytes]:
    """(display name, bytes) of a file, or of stdin for ``-``."""
    if path == "-":
        return "<stdin>", sys.stdin.buffer.read()
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise InputError(f"{path}: {size // (1024 * 1024)} MiB is too large for an image template "
                             f"(limit {MAX_BYTES // (1024 * 1024)} MiB)")
        with open(path, "rb") as handle:
            return path, handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


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
        return _loads(text, dups), _duplicates(name, text, dups), text
    except json.JSONDecodeError as exc:
        first = finding("AIB001", f"not valid JSON: {exc.msg}", "", name, exc.lineno, exc.colno)
    except RecursionError:
        return None, [finding("AIB001", f"JSON nested too deeply (over {MAX_DEPTH} levels)", "", name)], text
    relaxed = _lenient(text)
    try:
        doc = _loads(relaxed, dups)
    except (json.JSONDecodeError, RecursionError):
        return None, [first], text
    return doc, [_lenient_note(name, text)] + _duplicates(name, relaxed, dups), relaxed


def _loads(text: str, dups: list):
    def hook(pairs):
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen = set()
            dups.extend(k for k, _ in pairs if k in seen or seen.add(k))
        return obj

    doc = json.loads(text, object_pairs_hook=hook)
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth(doc) > MAX_DEPTH:
        raise RecursionError
    return doc


def _depth(value, level: int = 0) -> int:
    stack = [(value, level)]
    deepest = 0
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > MAX_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node if isinstance(v, (dict, list)))
    return deepest


_STRINGS_OR_NOISE = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/|,(?=\s*[\]}])', re.S)


def _lenient(text: str) -> str:
    """The text without comments and trailing commas (strings untouched, line numbers kept)."""
    def keep(m):
        s = m.group()
        if s.startswith('"'):
            return s
        return "\n" * s.count("\n") + (" " if not s.startswith(",") else " ")

    return _STRINGS_OR_NOISE.sub(keep, text)


def _lenient_note(name: str, text: str) -> Finding:
    """AIB001 at the first comment or trailing comma (the same on every Python version)."""
    noise = next(m for m in _STRINGS_OR_NOISE.finditer(text) if not m.group().startswith('"'))
    what = "a trailing comma" if noise.group() == "," else "a comment"
    line = text.count("\n", 0, noise.start()) + 1
    column = noise.start() - text.rfind("\n", 0, noise.start())
    return finding("AIB001", f"not valid JSON: {what} (JSON has neither comments nor trailing commas;"
                   " the rest was checked)", "", name, line, column)


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
    path, opts = args
    try:
        return validate_file(path, opts)
    except InputError as exc:
        return exc


def iter_findings(files: list[str], opts: Options | None = None, jobs: int | None = None):
    """``(file, findings)`` for each of ``files`` in order, as they are checked.

    Large batches are spread over the machine's cores; results are handed on as they come,
    so memory stays flat however many files there are.
    """
    opts = opts or Options()
    tasks = [(f, opts) for f in files]
    results = ordered_map(_worker, tasks, 1 if "-" in files else jobs, threshold=200, warm=_warm)
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

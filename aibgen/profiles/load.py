"""Read one profile file: YAML with positions, checked against the profile schema.

Built-in profiles come pre-parsed from the wheel's index (``tools/gen_builtin_index.py``,
keyed by the SHA-256 of their bytes, so an edited file is parsed again); every file is
read once per process and content (:mod:`aibgen.memo`).
"""
from __future__ import annotations

import hashlib

from aibgen import memo, resources
from aibgen.errors import ProfileError, did_you_mean
from aibgen.profiles.roots import Entry
from aibgen.sources import reader, yamlsrc
from aibgen.sources.schemaerrors import describe, pointer, unexpected
from aibgen.sources.validator import Validator


def load_file(entry: Entry) -> yamlsrc.Located:
    """Read one profile file and check it against the profile schema (once per content: the same
    bytes under another name, e.g. the other side of ``catalog diff``, are not parsed again)."""
    name, raw = str(entry.path), _read(entry)
    digest = hashlib.sha256(raw).hexdigest()
    return memo.get("profile", (name, digest), lambda: _relabel(
        memo.get("profile-content", digest, lambda: _load(entry, name, raw, digest)), name))


def _relabel(doc: yamlsrc.Located, name: str) -> yamlsrc.Located:
    """``doc`` as read from file ``name`` (positions are line and column, so they hold for any name)."""
    return doc if doc.file == name else yamlsrc.Located(doc.data, name, doc.positions)


def _load(entry: Entry, name: str, raw: bytes, digest: str) -> yamlsrc.Located:
    hit = _builtin_index().get(digest) if entry.root == "built-in" else None
    if hit is None:
        return parse(name, raw)
    return yamlsrc.Located(hit["data"], name, {p: tuple(v) for p, v in hit["positions"].items()})


def _builtin_index() -> dict:
    """Built-in profiles parsed at build time, by SHA-256 of their bytes."""
    def read() -> dict:
        try:
            return resources.data("builtin-profiles")
        except (OSError, ValueError):
            return {}

    return memo.get("builtin-index", None, read)


def parse(name: str, raw: bytes) -> yamlsrc.Located:
    """Parse and check the bytes of profile file ``name``."""
    text = yamlsrc.decode(raw, name)
    doc = yamlsrc.load(text, name)
    if doc.data is None:
        raise ProfileError(f"{name}:1:1: profile is empty; start with 'description:'")
    if not isinstance(doc.data, dict):
        raise ProfileError(f"{name}:1:1: a profile must be a mapping of keys such as description, source, customize")
    errors = sorted(_validator().iter_errors(doc.data), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    if errors:
        raise ProfileError(_message(doc, errors[0]))
    return doc


def _validator():
    """The compiled validator of the profile schema (built once per process; no jsonschema import)."""
    return memo.get("validator", "profile", lambda: Validator(resources.schema("profile")))


def _read(entry: Entry) -> bytes:
    """The profile's bytes: a regular file, at most yamlsrc.MAX_BYTES (checked while reading)."""
    return reader.read_bytes(entry.path, yamlsrc.MAX_BYTES, "a YAML profile", ProfileError)


def _message(doc: yamlsrc.Located, error) -> str:
    if error.validator == "additionalProperties":
        key = unexpected(error)[0]
        where = pointer(error.absolute_path) + "/" + yamlsrc.escape(key)
        hint = did_you_mean(key, error.schema.get("properties", {}))
        return f"{doc.where(where)}: unknown key '{key}'{hint}"
    where, text = describe(error)
    return f"{doc.where(where)}: {text}"

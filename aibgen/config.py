"""Project configuration: ``aibgen.yaml``, or ``[tool.aibgen]`` in ``pyproject.toml``.

Found by ``--config FILE`` or by looking in the working directory and its parents; the
first ``aibgen.yaml``, or ``pyproject.toml`` with a ``tool.aibgen`` table (a ``[tool.aibgen]``
header or dotted ``aibgen.…`` keys under ``[tool]``), wins. A ``pyproject.toml`` that is
someone else's and cannot be read or parsed is passed over; one that holds aibgen settings
must parse. The file is checked against a shipped schema; a mistake names the file, line
and key.
"""
from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from aibgen.sources import reader, yamlsrc
from aibgen.errors import AibgenError, did_you_mean


class ConfigError(AibgenError):
    """The configuration file is malformed."""


@dataclass
class Config:
    """Settings read from a configuration file (empty when there is none)."""

    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_path_ignores: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    policy: dict = field(default_factory=dict)
    catalogs: list[str] = field(default_factory=list)
    profile: str | None = None  # what `aibgen new` renders without --profile

    def ignores_for(self, file: str) -> tuple[str, ...]:
        """Rules to skip for ``file`` from per-path-ignores (patterns relative to the config)."""
        if not self.per_path_ignores:
            return ()
        rel = _relative(file, self.path.parent if self.path else Path.cwd())
        out: tuple[str, ...] = ()
        for pattern, rules in self.per_path_ignores:
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(rel).name, pattern):
                out += rules
        return out


def _relative(file: str, base: Path) -> str:
    try:
        return Path(os.path.abspath(file)).relative_to(base.resolve()).as_posix()
    except ValueError:
        return Path(file).as_posix()


MAX_BYTES = 5 * 1024 * 1024
# where a pyproject.toml that does not parse still shows it holds aibgen settings
_OURS = re.compile(r"^\s*\[\s*tool\s*\.\s*[\"']?aibgen\b|^\s*[\"']?aibgen[\"']?\s*[.=]", re.M)


PROJECT_MARKERS = (".git", ".hg", ".svn")


def find(start: Path | None = None) -> Path | None:
    """The nearest aibgen.yaml, or pyproject.toml with a tool.aibgen table, at or above ``start``.

    The search stops at the root of the project (the folder holding ``.git``, ``.hg`` or
    ``.svn``), and passes over files that another user owns or that others may write: a
    configuration can replace profiles and switch rules off, so only one's own counts.
    """
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        for name in ("aibgen.yaml", "aibgen.yml"):
            if (folder / name).is_file() and _trusted(folder / name):
                return folder / name
        if _holds_settings(folder / "pyproject.toml") and _trusted(folder / "pyproject.toml"):
            return folder / "pyproject.toml"
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return None
    return None


def _trusted(path: Path) -> bool:
    """True for a file owned by this user (or root) that no one else may write."""
    st = reader.stat_or_none(path)
    if st is None:
        return False
    if not hasattr(os, "geteuid"):
        return True
    return st.st_uid in (os.geteuid(), 0) and not st.st_mode & 0o022


def _holds_settings(path: Path) -> bool:
    """True when ``path`` is a pyproject.toml with aibgen settings (or one that only fails to parse)."""
    try:
        raw = reader.read_bytes(path, MAX_BYTES, "a TOML file", ConfigError)
    except (ConfigError, FileNotFoundError):
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # ours only if it says so; then loading it reports the encoding
        return bool(_OURS.search(raw.decode("latin-1")))
    if "aibgen" not in text:
        return False
    try:
        tool = _tomllib().loads(text).get("tool")
    except (ValueError, RecursionError):  # TOMLDecodeError, an integer too long to convert, deep nesting
        return bool(_OURS.search(text))
    return isinstance(tool, dict) and "aibgen" in tool


def load(path: str | Path | None = None, search: bool = True) -> Config:
    """Read and check a configuration file (``path``, else the nearest one, else none)."""
    if path is None:
        found = find() if search else None
        if found is None:
            return Config()
        path = found
    path = Path(path)
    if not path.exists():  # a FIFO or a device: the reader says what it is
        raise ConfigError(f"{path}: configuration file not found")
    if path.name == "pyproject.toml":
        data, where = _toml(path), None
    else:
        located = yamlsrc.load(yamlsrc.read_text(path, ConfigError), str(path), ConfigError)
        data, where = located.data if located.data is not None else {}, located
    _check(data, path, where)
    return _build(data, path)


def _tomllib():
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib
    return tomllib


def _toml(path: Path) -> dict:
    raw = reader.read_bytes(path, MAX_BYTES, "a TOML file", ConfigError)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8") from None
    try:
        doc = _tomllib().loads(text)
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except ValueError as exc:  # TOMLDecodeError and UnicodeDecodeError are ValueErrors, as is a huge integer
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    tool = doc.get("tool")
    return tool.get("aibgen", {}) if isinstance(tool, dict) else {}


def _check(data, path: Path, located) -> None:
    from aibgen.sources.schemaerrors import describe, pointer, unexpected

    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1:1: configuration must be a mapping (validate:, policy:, catalog:)")
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    error = errors[0]
    if error.validator == "additionalProperties":
        key = unexpected(error)[0]
        ptr = pointer(error.absolute_path) + "/" + yamlsrc.escape(key)
        message = f"unknown key '{key}'{did_you_mean(key, error.schema.get('properties', {}))}"
    else:
        ptr, message = describe(error)
    where = located.where(ptr) if located else f"{path} [tool.aibgen{ptr.replace('/', '.')}]"
    raise ConfigError(f"{where}: {message}")


def _validator():
    """The compiled validator of the configuration schema (built once per process; no jsonschema import)."""
    from aibgen import memo, resources
    from aibgen.sources.validator import Validator

    return memo.get("validator", "config", lambda: Validator(resources.schema("config")))


def _build(data: dict, path: Path) -> Config:
    v = data.get("validate") or {}
    upper = lambda rules: tuple(r.upper() for r in rules or ())  # noqa: E731
    catalogs = data.get("catalog") or []
    catalogs = [catalogs] if isinstance(catalogs, str) else catalogs
    return Config(path=path, select=upper(v.get("select")), ignore=upper(v.get("ignore")),
                  per_path_ignores=[(p, upper(r)) for p, r in (v.get("per-path-ignores") or {}).items()],
                  policy=dict(data.get("policy") or {}),
                  catalogs=[str((path.parent / c).resolve()) for c in catalogs], profile=data.get("profile"))

"""Scaffolds: cookiecutter templates for new repositories, found in every catalog root.

A scaffold is a cookiecutter template: a folder holding ``cookiecutter.json`` and one
project folder named after an answer (``{{cookiecutter.repo_name}}``). The built-in ones
ship in the wheel (``aibgen.scaffolds``); a catalog root may add or shadow them with
``scaffolds/<name>/``, so an organisation ships its standard repository layout. Roots come
in the order of profiles (built-in, ``aibgen.catalogs`` packages, ``AIBGEN_CATALOG_PATH``,
the project's catalog, ``--catalog``); a later root wins.

``cookiecutter.json`` may hold an ``_aibgen`` mapping, which cookiecutter passes through
without prompting (its keys start with ``_``), telling aibgen how to check the answers::

    "_aibgen": {
      "answers": {"repo_name": {"type": "folder-name"}, "location": {"type": "region"}},
      "profile": {"answer": "profile", "os": "os", "rest": "parameters",
                  "parameters": {"location": "location", "identity": "identity"}}
    }

``answers`` gives an answer a type (:data:`aibgen.flows.scaffold_answers.TYPES`);
``profile`` names the answer that picks a catalog profile, the answer that must match its
operating system, the answers that fill that profile's parameters (checked with the
parameter's own type, and empty when the profile has no such parameter) and a mapping
answer for the rest of its parameters.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from aibgen import resources
from aibgen.errors import CatalogError, did_you_mean
from aibgen.profiles.roots import NAME_RE, Root
from aibgen.sources import reader

SPEC_BYTES = 1024 * 1024
_VARIABLE = re.compile(r"cookiecutter\s*\.\s*(\w+)")
TYPES = ("folder-name", "name", "new-profile", "python-name", "profile", "url", "string", "integer", "boolean", "choice", "region",
         "azure-region", "resource-id")


@dataclass
class Scaffold:
    """One scaffold: its folder and the root it comes from."""

    name: str
    path: Path
    origin: str
    shadows: list[str] = field(default_factory=list)


@dataclass
class Spec:
    """What ``cookiecutter.json`` asks, and how aibgen checks the answers."""

    scaffold: Scaffold
    variables: dict
    answers: dict[str, dict]
    profile: dict

    @property
    def folder(self) -> str | None:
        """The question that names the project's folder (``{{cookiecutter.repo_name}}``)."""
        for item in sorted(self.scaffold.path.iterdir()):
            found = _VARIABLE.search(item.name) if item.is_dir() and "{{" in item.name else None
            if found and found.group(1) in self.variables:
                return found.group(1)
        return None

    @property
    def questions(self) -> list[str]:
        """The variables cookiecutter would prompt for, in order."""
        return [k for k in self.variables if not k.startswith("_")]

    def prompt_text(self, name: str) -> str:
        """The question for ``name`` (``__prompts__``, else the variable's name)."""
        prompts = self.variables.get("__prompts__")
        text = prompts.get(name) if isinstance(prompts, dict) else None
        if isinstance(text, dict):  # choice prompts: {"__prompt__": ..., choice: label}
            text = text.get("__prompt__")
        return text if isinstance(text, str) and text.strip() else name


def scaffold_folders(roots: list[Root]):
    """(root label, folder of scaffolds) for every root that has one, lowest precedence first."""
    for root in roots:
        folder = resources.builtin_scaffolds() if root.label == "built-in" else root.profiles.joinpath("scaffolds")
        if folder.is_dir():
            yield root.label, folder


def find(roots: list[Root]) -> dict[str, Scaffold]:
    """Every scaffold by name; a later root shadows an earlier one."""
    found: dict[str, Scaffold] = {}
    for label, folder in scaffold_folders(roots):
        try:
            items = sorted(folder.iterdir(), key=lambda t: t.name)
        except OSError as exc:
            raise CatalogError(f"catalog {label}: cannot read {folder}: {exc.strerror or exc}") from None
        for item in items:
            if NAME_RE.fullmatch(item.name) and item.is_dir() and item.joinpath("cookiecutter.json").is_file():
                old = found.get(item.name)
                shadows = old.shadows + [old.origin] if old else []
                found[item.name] = Scaffold(item.name, Path(str(item)), label, shadows)
    return found


def choose(scaffolds: dict[str, Scaffold], name: str) -> Scaffold:
    """The scaffold called ``name``, or a one-line error listing the others."""
    if name not in scaffolds:
        known = ", ".join(sorted(scaffolds)) or "none"
        raise CatalogError(f"no scaffold named '{name}'{did_you_mean(name, scaffolds)}; "
                           f"'aibgen scaffold --list' shows them ({known})")
    return scaffolds[name]


def read_spec(scaffold: Scaffold) -> Spec:
    """Read and check a scaffold's ``cookiecutter.json``."""
    path = scaffold.path / "cookiecutter.json"
    raw = reader.read_bytes(path, SPEC_BYTES, "a cookiecutter.json file", CatalogError)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}; "
                           "fix the scaffold's cookiecutter.json") from None
    except RecursionError:
        raise CatalogError(f"{path}: invalid JSON: nested too deeply") from None
    except ValueError:  # a number too long to convert
        raise CatalogError(f"{path}: invalid JSON: a number is too long to read") from None
    if not isinstance(data, dict) or not data:
        raise CatalogError(f"{path}: must be a JSON object of the scaffold's questions and their defaults")
    extra = data.get("_aibgen") or {}
    if not isinstance(extra, dict):
        raise CatalogError(f"{path}: _aibgen must be a mapping (answers:, profile:)")
    answers = _answers(path, data, extra.get("answers") or {})
    return Spec(scaffold, data, answers, _binding(path, data, extra.get("profile") or {}))


def _answers(path: Path, data: dict, answers) -> dict[str, dict]:
    if not isinstance(answers, dict):
        raise CatalogError(f"{path}: _aibgen.answers must map answer names to their types")
    for name, spec in answers.items():
        where = f"{path}: _aibgen.answers.{name}"
        if name not in data:
            raise CatalogError(f"{where}: no such question in cookiecutter.json{did_you_mean(name, data)}")
        if not isinstance(spec, dict) or spec.get("type") not in TYPES:
            raise CatalogError(f"{where}: give a type, one of {', '.join(TYPES)}")
        if spec["type"] == "resource-id" and not isinstance(spec.get("resource"), str):
            raise CatalogError(f"{where}: a resource-id answer names its resource kind (resource: userAssignedIdentity)")
        try:
            re.compile(spec.get("pattern") or "")
        except (re.error, TypeError) as exc:
            raise CatalogError(f"{where}: pattern is not a regular expression ({exc})") from None
    return answers


def _binding(path: Path, data: dict, binding) -> dict:
    if not isinstance(binding, dict):
        raise CatalogError(f"{path}: _aibgen.profile must be a mapping (answer:, os:, parameters:, rest:)")
    if not binding:
        return {}
    for key in ("answer", "os", "rest"):
        name = binding.get(key)
        if name is not None and name not in data:
            raise CatalogError(f"{path}: _aibgen.profile.{key}: no question '{name}' in cookiecutter.json")
    if "answer" not in binding:
        raise CatalogError(f"{path}: _aibgen.profile.answer: name the question that picks the profile")
    params = binding.get("parameters") or {}
    if not isinstance(params, dict) or any(a not in data for a in params):
        raise CatalogError(f"{path}: _aibgen.profile.parameters must map questions of cookiecutter.json "
                           "to parameters of the profile")
    return binding

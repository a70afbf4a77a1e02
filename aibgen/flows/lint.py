"""``aibgen catalog lint``: render and check every concrete profile with its example values."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from aibgen import memo
from aibgen.errors import AibgenError, FindingsError
from aibgen.flows.workers import ordered_map
from aibgen.report.finding import Finding


@dataclass
class Outcome:
    """What linting one profile found: findings, or the error that stopped it."""

    name: str
    file: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not any(f.severity == "error" for f in self.findings)

    def as_dict(self) -> dict:
        return {"name": self.name, "file": self.file, "ok": self.ok, "error": self.error,
                "findings": [f.as_dict() for f in self.findings]}


def lint_one(args: tuple) -> Outcome:
    """Lint one profile (a picklable call for worker processes)."""
    catalog_dirs, name, policy = args
    from aibgen.flows.new import Request, build

    catalog = _catalog(tuple(catalog_dirs))
    entry = catalog.profiles[name]
    try:
        result = build(catalog, Request(name, use_examples=True, policy=policy))
        return Outcome(name, str(entry.path), result.findings)
    except FindingsError as err:
        return Outcome(name, str(entry.path), err.findings)
    except AibgenError as err:
        return Outcome(name, str(entry.path), error=str(err))


def _catalog(dirs: tuple):
    """The catalog of ``dirs`` over the default roots, loaded once per process (and worker)."""
    from aibgen.profiles.roots import default_roots, load_catalog

    return memo.get("catalog", dirs, lambda: load_catalog(default_roots(list(dirs))))


def concrete_profiles(catalog) -> list[str]:
    """Names of the profiles that are not abstract (a profile that cannot be read counts)."""
    from aibgen.profiles.load import load_file

    names = []
    for name, entry in sorted(catalog.profiles.items()):
        try:
            if load_file(entry).data.get("abstract"):
                continue
        except AibgenError:
            pass
        names.append(name)
    return names


def profiles_to_lint(catalog_dirs: list[str]) -> list[str]:
    """The concrete profiles of the catalog over ``catalog_dirs``."""
    return concrete_profiles(_catalog(tuple(catalog_dirs)))


def lint(catalog_dirs: list[str], policy: dict, jobs: int | None = None,
         progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Lint every concrete profile; large catalogs use every core."""
    catalog = _catalog(tuple(catalog_dirs))
    names = concrete_profiles(catalog)
    tasks = [(tuple(catalog_dirs), n, policy) for n in names]
    return [_report(outcome, progress) for outcome in ordered_map(lint_one, tasks, jobs, threshold=20)]


def _report(outcome: Outcome, progress) -> Outcome:
    if progress is not None:
        progress(outcome)
    return outcome

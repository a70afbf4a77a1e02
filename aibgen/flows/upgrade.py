"""``aibgen upgrade``: rewrite a template for a newer apiVersion, keeping everything else as written.

Every image template in the document (a bare resource, the templates of an ARM deployment
template and its nested deployments, or a properties object) is moved from the version it
is written for to the target (the steps are in :mod:`aibgen.flows.upgrade_steps`). Only
the values that change are edited; comments, ARM expressions, order and layout stay.

The upgrade refuses, with one line naming the file and place, what it cannot do safely:
a file that is not JSON or holds no template (a file found in a folder that holds none is
skipped instead) or several in a list; a document mixing shapes; a version it cannot tell
(pass ``--from``); a target older than the template; a retired ISO source; a preview
template without the identity every stable version needs (pass ``--identity``); a
distributor-level storageAccountType with no regions to put it on (none, or an empty list).
Last, it checks the result: it must have no error finding of a rule that the original
(at its own version) had none of; else nothing is written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from aibgen import resources
from aibgen.check.engine import Options
from aibgen.check.shapes import Template, shapes_of, templates
from aibgen.check.values import is_expression, placeholder
from aibgen.check.versions import RETIRED, literal
from aibgen.errors import InputError
from aibgen.facts.previews import IDENTITY_REQUIRED, RETIRED_SOURCES
from aibgen.flows import upgrade_steps
from aibgen.flows.rewrite import Draft, unified
from aibgen.flows.validate import expand, read, validate_bytes
from aibgen.report.finding import Finding
from aibgen.sources.pointers import resolve, tokens


@dataclass
class Request:
    """The target apiVersion; the version the template is written for, if given; an identity to add."""

    to: str
    source: str | None = None
    identity: str | None = None


@dataclass
class Upgraded:
    """The result: bytes before and after, each template's (from, to), what changed, findings after."""

    name: str
    before: bytes
    after: bytes
    versions: list[tuple[str, str]]
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, new_name: str | None = None) -> str:
        return unified(self.name, self.before, self.after, new_name)


class NoTemplate(InputError):
    """The file is JSON of something other than an image template (a package.json)."""


def upgrade_paths(paths: list[str], req: Request) -> tuple[list[Upgraded], list[str]]:
    """Every file of ``paths`` upgraded (nothing written), and the files found in a folder
    that were skipped as holding no image template; a file named itself is never skipped."""
    results: list[Upgraded] = []
    skipped: list[str] = []
    for path in paths:
        walked = path != "-" and os.path.isdir(path)
        found = 0
        for file in expand([path]):
            try:
                results.append(upgrade_file(file, req))
                found += 1
            except NoTemplate:
                if not walked:
                    raise
                skipped.append(file)
        if walked and not found:
            raise InputError(f"{path}: no Image Builder template found in any *.json file below it")
    return results, skipped


def known_versions() -> list[str]:
    """Every apiVersion a template may be written for: the retired previews, then the stable ones."""
    return sorted(RETIRED) + resources.api_versions()


def upgrade_file(path: str, req: Request) -> Upgraded:
    """Upgrade one file (``-``: standard input); nothing is written."""
    name, raw = read(path)
    return upgrade_bytes(name, raw, req)


def upgrade_bytes(name: str, raw: bytes, req: Request) -> Upgraded:
    """Upgrade one file's bytes, or raise :class:`InputError` saying why it cannot be done safely."""
    draft = Draft(name, raw)
    problem = draft.problem()
    if problem is not None:
        raise InputError(f"{name}:{problem.line}:{problem.column}: {problem.message}; fix that, then upgrade")
    found = _templates(draft)
    plans = [_plan(draft, t, req) for t in found]
    changes = upgrade_steps.run(draft, plans, req.identity)
    after = draft.data() if changes else raw
    findings = _guard(name, raw, after, req) if changes else []
    return Upgraded(name, raw, after, [(p.source, p.target) for p in plans], changes, findings)


def _templates(draft: Draft) -> list[Template]:
    """The image templates to upgrade; a document that holds none, or no one way to read it, is refused."""
    doc, name = draft.doc, draft.name
    if isinstance(doc, list) and any(templates(item) for item in doc):
        raise InputError(f"{name}: a JSON list of {len(doc)} documents; aibgen upgrades one template document at a "
                         "time: put each in a file of its own (an ARM template may hold several image templates)")
    shapes = shapes_of(doc)
    if len(shapes) > 1:
        raise InputError(f"{name}: the top level mixes {' and '.join(shapes)}; keep one shape, then upgrade")
    found = templates(doc)
    if not found:
        raise NoTemplate(f"{name}: no Image Builder template found: expected an imageTemplates resource, "
                         "an ARM template with one, or its properties object")
    return found


def _plan(draft: Draft, t: Template, req: Request) -> upgrade_steps.Plan:
    """From which version to which ``t`` moves; refused when that cannot be done safely."""
    source = req.source or _written_for(draft, t)
    where = draft.where(t.in_document("/apiVersion" if not t.properties_only else ""))
    if source > req.to:
        raise InputError(f"{where}: the template is for apiVersion {source}, newer than --to {req.to}; "
                         "upgrade moves templates forward only")
    props = t.resource.get("properties")
    src = props.get("source") if isinstance(props, dict) else None
    kind = src.get("type") if isinstance(src, dict) else None
    if isinstance(kind, str) and kind.lower() in RETIRED_SOURCES:
        raise InputError(f"{draft.where(t.in_document('/properties/source/type'))}: source type '{kind}' ended with "
                         f"the preview API; no stable version has it: {RETIRED_SOURCES[kind.lower()]}")
    if not t.properties_only and "identity" not in t.resource and not req.identity and source < IDENTITY_REQUIRED:
        raise InputError(f"{draft.where(t.in_document(''))}: no identity; from {IDENTITY_REQUIRED} a template needs a user-assigned identity "
                         f"({source} did not): pass --identity /subscriptions/<guid>/resourceGroups/<rg>/providers/"
                         "Microsoft.ManagedIdentity/userAssignedIdentities/<name>")
    plan = upgrade_steps.Plan(source, req.to)
    for ptr in upgrade_steps.stranded_storage_types(t, plan):
        none = "an empty replicationRegions" if "replicationRegions" in resolve(t.resource, tokens(ptr)[:-1]) \
            else "no replicationRegions"
        raise InputError(f"{draft.where(t.in_document(ptr))}: storageAccountType with {none} to carry it over into "
                         f"targetRegions; give the regions (targetRegions, each with a storageAccountType)")
    return plan


def _written_for(draft: Draft, t: Template) -> str:
    """The apiVersion the template says it is written for; refused when it does not say one aibgen knows."""
    hint = "pass --from VERSION to say which one it is written for"
    if t.properties_only:
        raise InputError(f"{draft.name}: a properties object has no apiVersion; {hint}")
    value = t.resource.get("apiVersion")
    where = draft.where(t.in_document("/apiVersion" if "apiVersion" in t.resource else ""))
    if is_expression(value) and isinstance(literal(value, t.arm), str):
        value = literal(value, t.arm)
    if not isinstance(value, str):
        raise InputError(f"{where}: {'no apiVersion' if value is None else 'apiVersion is not text'}; {hint}")
    if is_expression(value):
        raise InputError(f"{where}: apiVersion is {value}, known only when deployed; {hint}")
    if placeholder(value):
        raise InputError(f"{where}: apiVersion is the placeholder {placeholder(value)}; {hint}")
    if value not in known_versions():
        raise InputError(f"{where}: apiVersion '{value}' is not an Image Builder version aibgen knows "
                         f"({', '.join(known_versions())}); {hint}")
    return value


def _guard(name: str, before: bytes, after: bytes, req: Request) -> list[Finding]:
    """The result's findings; refused if it has an error of a rule the original had no error of."""
    source = RETIRED.get(req.source, req.source) if req.source else None  # a preview is judged as validate does
    old = {f.rule for f in validate_bytes(name, before, Options(source)) if f.severity == "error"}
    found = validate_bytes(name, after, Options(req.to))
    new = [f for f in found if f.severity == "error" and f.rule not in old]
    if new:
        f = new[0]
        raise InputError(f"{name}: the upgraded template would have an error the original has not ({f.rule} at "
                         f"{f.pointer or '/'}: {f.message}); nothing written")
    return found

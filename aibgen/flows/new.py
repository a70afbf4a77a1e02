"""``aibgen new`` as a library call: profile + values → checked template text.

catalog → resolved profile → bound parameters → rendered dict → schema check → JSON text.
Nothing here prints, prompts or exits: prompting is a callback the CLI supplies.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from aibgen import emit, resources
from aibgen.profiles import params
from aibgen.sources import yamlsrc
from aibgen.sources.pointers import nearest
from aibgen.profiles.roots import Catalog
from aibgen.check.engine import Options, Template, check_template
from aibgen.errors import FindingsError, ParameterError, ProfileError
from aibgen.facts.resource_ids import TEMPLATE_NAME
from aibgen.report.finding import Finding
from aibgen.profiles.resolve import Profile, resolve

Prompt = Callable[[params.Parameter], object]
ARM_FORMATS = ("arm", "arm-parameters")


@dataclass
class Request:
    """Everything ``aibgen new`` was asked for."""

    profile: str
    values_files: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)
    api_version: str | None = None
    format: str = "template"
    use_examples: bool = False
    policy: dict = field(default_factory=dict)
    bake: bool = False  # arm: required parameters given by --values/--set keep them as defaults
    prerequisites: bool = False  # arm: add the identity, role, gallery and image definition a build needs


@dataclass
class Result:
    """The rendered template, its text, and the checks' findings (no errors)."""

    profile: Profile
    doc: dict
    text: str
    findings: list[Finding]
    api_version: str


def choose_api_version(prof: Profile, override: str | None) -> str:
    """``--api-version``, else the profile's pin, else the newest bundled version."""
    version = override or prof.data.get("apiVersion") or resources.latest_api_version()
    where = "--api-version" if override else "{}:{}:{}".format(*prof.where("/apiVersion"))
    return resources.require_api_version(version, where, ParameterError)


def read_values(path: str) -> dict:
    """A ``--values`` YAML file as a mapping."""
    from aibgen.errors import InputError

    text = yamlsrc.read_text(Path(path), InputError, "a YAML --values file")  # regular files, size-capped
    doc = yamlsrc.load(text, path, InputError)
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        raise InputError(f"{path}:1:1: --values file must be a mapping of parameter: value")
    return doc.data


def bind(prof: Profile, req: Request, prompt: Prompt | None) -> dict:
    """Parameter values from defaults, examples, --values, --set and prompts.

    For ARM output a missing required parameter is no error: it becomes a parameter each
    deployment gives, and its example stands in for it while the template is rendered."""
    sources = [(f, read_values(f)) for f in req.values_files]
    if req.use_examples:
        sources.insert(0, (f"{prof.file} (examples)", prof.examples()))
    values, missing = params.bind(prof.params, sources, req.sets)
    if req.format in ARM_FORMATS and missing:
        examples = prof.examples()
        filled = {n: examples[n] for n in missing if n in examples}
        values.update(params.bind({n: prof.params[n] for n in filled}, [("examples", filled)], [])[0])
        missing = [n for n in missing if n not in filled]
        prompt = None
    if missing and prompt is not None:
        for name in missing:
            values[name] = prompt(prof.params[name])
        missing = []
    if missing:
        detail = "; ".join(f"{n} ({prof.params[n].describe_type()})" for n in missing)
        raise ParameterError(f"missing required parameter(s): {detail}; pass --set NAME=VALUE or --values FILE")
    return values


def build(catalog: Catalog, req: Request, prompt: Prompt | None = None) -> Result:
    """Resolve, bind, render and check; raise FindingsError if the template has errors."""
    from aibgen.render import arm
    from aibgen.render import renderer as render

    prof = resolve(catalog, req.profile)
    if prof.abstract:
        below = descendants(catalog, prof.name)
        hint = f"render a profile that extends it, e.g. {', '.join(below[:3])}" if below else \
            "no concrete profile extends it yet; write one with 'extends: " + prof.name + "'"
        raise ProfileError(f"{prof.file}: profile '{prof.name}' is abstract (a base for others); {hint}")
    version = choose_api_version(prof, req.api_version)
    values = bind(prof, req, prompt)
    _check_name(values.get("name"))
    rendered = render.render(catalog, prof, values, version)
    opts = Options(api_version=version, policy=req.policy, image=rendered.image)
    findings = locate(check_template(Template("", rendered.doc), opts), prof, rendered.origins)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise FindingsError(f"{prof.file}: the rendered template has {len(errors)} error(s); nothing was written",
                            findings)
    doc = emit.ordered(rendered.doc, version)
    if req.format in ARM_FORMATS:
        doc = arm.wrap(lambda v: emit.ordered(render.render(catalog, prof, v, version).doc, version),
                       values, prof.params, prof.name, given(prof, req) if req.bake else frozenset())
    if req.format in ARM_FORMATS and req.prerequisites:
        from aibgen.render import prereqs

        doc = prereqs.add(doc, rendered.doc, rendered.image, prof.data.get("os"), prof.name)
    if req.format == "arm-parameters":
        doc = arm.parameters_file(doc, values, given(prof, req) | (frozenset(doc["parameters"]) if req.use_examples
                                                                   else frozenset()))
    return Result(prof, doc, emit.dumps(doc), findings, version)


def given(prof: Profile, req: Request) -> frozenset:
    """Names of the parameters given by --values files and --set."""
    names = {k for f in req.values_files for k in read_values(f)}
    names.update(params.parse_assignment(text)[0] for text in req.sets)
    return frozenset(n for n in names if n in prof.params)


def descendants(catalog: Catalog, name: str) -> list[str]:
    """The concrete profiles that extend ``name``, directly or through others."""
    from aibgen.errors import AibgenError
    from aibgen.profiles.load import load_file

    parents: dict[str, tuple[list, bool]] = {}
    for other, entry in catalog.profiles.items():
        try:
            data = load_file(entry).data
        except AibgenError:
            continue
        ext = data.get("extends") or []
        parents[other] = ([ext] if isinstance(ext, str) else list(ext), bool(data.get("abstract")))

    def reaches(start: str) -> bool:
        todo, seen = list(parents.get(start, ([], False))[0]), set()
        while todo:
            parent = todo.pop()
            if parent == name:
                return True
            if parent not in seen:
                seen.add(parent)
                todo.extend(parents.get(parent, ([], False))[0])
        return False

    return sorted(n for n, (_, abstract) in parents.items() if not abstract and reaches(n))


def _check_name(name: object) -> None:
    """The template name must be one the API accepts (it also names the default output file)."""
    if not isinstance(name, str) or not TEMPLATE_NAME.fullmatch(name):
        raise ParameterError(f"template name {name!r} is not valid: use 1 to 64 letters, digits, '-', '_' "
                             "and '.' (set it with --set name=...)")


def output_name(result: Result, req: Request) -> str:
    """The default output file in the working directory: ``<template name>.json``, or
    ``<profile>.arm.json`` for ARM (names checked against the API's and the catalog's patterns)."""
    base = {"arm": f"{req.profile}.arm", "arm-parameters": f"{req.profile}.parameters"}.get(
        req.format, str(result.doc.get("name") or req.profile))
    if not TEMPLATE_NAME.fullmatch(base) or base in (".", ".."):
        raise ParameterError(f"'{base}' cannot name the output file; give one with -o")
    return f"{base}.json"


def locate(findings: list[Finding], prof: Profile, origins: dict[str, str]) -> list[Finding]:
    """Point each finding at the profile line that produced the value (the child's line when
    a child profile set it, not the parent's block it landed in)."""
    out = []
    for f in findings:
        file, line, col = prof.where(profile_pointer(f.pointer, prof.positions, origins))
        out.append(Finding(f.rule, f.severity, f.message, f.pointer, file, line, col))
    return out


def profile_pointer(ptr: str, positions: dict, origins: dict[str, str]) -> str:
    """The profile pointer behind template pointer ``ptr``: the block or item it was rendered
    from, then, where the profile holds it, the same key inside it (directly or under ``with``)."""
    block = nearest(origins, ptr, "")
    base = next((o for o in _ancestors(ptr) if origins.get(o) == block), "")
    rest = ptr[len(base):]
    for candidate in (block + rest, f"{block}/with{rest}"):
        if rest and candidate in positions:
            return candidate
    return block


def _ancestors(ptr: str):
    while True:
        yield ptr
        if not ptr:
            return
        ptr = ptr.rsplit("/", 1)[0]

"""An import checks itself: items through their partials, the whole profile against the template.

:func:`check_items` renders each item with the partial chosen for it and the parameters'
example values; where the partial writes something else than the template has (a default
it adds, a key it does not read), the item is kept as written with the ``raw`` partial.
:func:`render_text` renders the finished YAML as ``aibgen new --example-values`` would, and
:func:`compare` lists where that differs from the template.
"""
from __future__ import annotations

import json

from aibgen import resources
from aibgen.convert.template import Mapped
from aibgen.convert.values import Values
from aibgen.errors import AibgenError
from aibgen.profiles import params as params_mod
from aibgen.profiles.load import parse
from aibgen.profiles.resolve import Profile, standalone
from aibgen.profiles.roots import Catalog
from aibgen.sources.pointers import escape


def examples(prof: Profile) -> dict:
    """The profile's parameters bound to their example values (defaults where none)."""
    values, _ = params_mod.bind(prof.params, [("examples", prof.examples())], [])
    return values


def check_items(catalog: Catalog, profile: dict, mapped: Mapped, values: Values, version: str | None) -> None:
    """Switch each item its partial cannot write exactly to the raw partial (in place)."""
    from aibgen.render.renderer import Renderer

    specs = {n: p.spec for n, p in values.params.items()}
    prof = Profile("imported", "<import>", profile, {}, {})
    try:
        prof.params = {n: params_mod.from_profile(n, dict(s), n) for n, s in specs.items()}
        prof.params.setdefault("name", params_mod.Parameter("name", default="imported"))
        bound = examples(prof)
        renderer = Renderer(catalog, prof, bound, version or resources.latest_api_version())
        renderer.location = renderer.value(profile.get("location"), "/location")
    except AibgenError:
        return  # the whole-profile check reports it
    for item in mapped.items:
        if item.mapped is item.raw or item.mapped == item.raw:
            continue
        use = item.mapped.get("use")
        try:
            written = renderer.partial(item.kind, item.mapped, item.ptr)
        except AibgenError as exc:
            reason = str(exc).rsplit(": ", 1)[-1].split(" (rendering")[0]
        else:
            if written == item.expected:
                continue
            found: list = []
            _diff(item.expected, written, "", found)
            reason = found[0][1].replace("the profile", "it") if found else "it writes something else"
        item.mapped.clear()
        item.mapped.update(item.raw)
        values.notes.append((item.ptr, f"kept as written with the raw partial, since the {use} partial cannot "
                                       f"write it: {reason}"))


def render_text(catalog: Catalog, name: str, text: str, version: str | None, extends: bool = False):
    """The :class:`~aibgen.render.renderer.Rendered` template of the profile ``text`` with its
    example values, or why it does not render (text).

    A profile that extends others is written to a temporary catalog folder, the last root,
    and resolved there as ``aibgen new`` would."""
    from aibgen.render.renderer import render

    try:
        if not extends:
            prof = standalone(name, parse(f"{name}.yaml", text.encode("utf-8")))
            return render(catalog, prof, examples(prof), version or resources.latest_api_version())
        return _render_child(catalog, name, text, version)
    except AibgenError as exc:
        return str(exc)


def _render_child(catalog: Catalog, name: str, text: str, version: str | None):
    import tempfile
    from pathlib import Path

    from aibgen.profiles.resolve import resolve
    from aibgen.profiles.roots import directory_root, load_catalog
    from aibgen.render.renderer import render

    with tempfile.TemporaryDirectory(prefix="aibgen-import-") as folder:
        (Path(folder) / f"{name}.yaml").write_text(text, encoding="utf-8")
        both = load_catalog(catalog.roots + [directory_root(folder, "import")])
        prof = resolve(both, name)
        return render(both, prof, examples(prof), version or prof.data.get("apiVersion")
                      or resources.latest_api_version())


def compare(expected: dict, rendered, named: bool) -> list[tuple[str, str]]:
    """Where the rendered template differs from the template (at most five places)."""
    if isinstance(rendered, str):
        return [("", f"the profile does not render: {rendered}")]
    got = {k: v for k, v in rendered.doc.items() if k not in ("type", "apiVersion")}
    if not named:
        got.pop("name", None)
    for key in ("location", "identity"):
        if key not in expected:  # the template has none: the profile asks for it
            got.pop(key, None)
    found: list[tuple[str, str]] = []
    _diff(expected, got, "", found)
    return [(p, m) for p, m in found[:5]]


def _diff(want, got, ptr: str, found: list) -> None:
    if isinstance(want, dict) and isinstance(got, dict):
        for key in list(want) + [k for k in got if k not in want]:
            here = f"{ptr}/{escape(key)}"
            if key not in got:
                found.append((here, f"the profile does not write {here}; the template has {_show(want[key])}"))
            elif key not in want:
                found.append((here or "/", f"the profile writes {here} ({_show(got[key])}), which the template "
                                           "does not have"))
            else:
                _diff(want[key], got[key], here, found)
        return
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for i, (w, g) in enumerate(zip(want, got)):
            _diff(w, g, f"{ptr}/{i}", found)
        return
    if want != got or type(want) is not type(got):
        found.append((ptr, f"the profile writes {ptr} as {_show(got)}; the template has {_show(want)}"))


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def new_errors(child, alone, version: str | None) -> list[str]:
    """Error findings of the rendered ``child`` that the profile standing alone does not have."""
    from aibgen.check.engine import Options, Template, check_template

    def errors(rendered) -> dict:
        if isinstance(rendered, str):
            return {}
        opts = Options(api_version=version or rendered.doc.get("apiVersion"), image=rendered.image)
        found = check_template(Template("", rendered.doc), opts)
        return {(f.rule, f.pointer): f for f in found if f.severity == "error"}

    if isinstance(child, str):
        return []
    before = errors(alone)
    return [f"{f.rule} {f.message}" for key, f in errors(child).items() if key not in before]

"""``aibgen import`` as a library call: template files → catalog profiles that render them again.

Each image template found in a file (a bare resource, every one in an ARM deployment
template including nested deployments, or a properties object) becomes one profile. The
import checks itself: each item is rendered through the partial chosen for it and kept
with the ``raw`` partial where that partial would write it differently, and the whole
profile is rendered with its example values and compared with the template; what still
differs is reported. Nothing is fetched: a ``scriptUri`` stays a URI.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from aibgen import resources
from aibgen.check.readonly import read_only
from aibgen.check.shapes import shapes_of, templates
from aibgen.check.versions import RETIRED
from aibgen.convert.roles import role_of
from aibgen.convert.template import Mapped, map_template
from aibgen.convert.values import Param, Values
from aibgen.convert.verify import check_items, compare, render_text
from aibgen.convert.yamlout import dump
from aibgen.errors import InputError
from aibgen.flows import validate as reading
from aibgen.profiles.roots import NAME_RE, Catalog
from aibgen.sources.positions import Positions
from aibgen.sources.yamlsrc import MAX_BYTES

MAX_NAME = 60  # a profile name, and so its file name, with room for a "-N" suffix
_WINDOWS = ("PowerShell", "WindowsRestart", "WindowsUpdate")


@dataclass
class Note:
    """Something the user should know about an import, at a place in the source file."""

    file: str
    line: int
    column: int
    message: str


@dataclass
class Imported:
    """One profile made from one template."""

    name: str
    source: str
    pointer: str
    text: str
    notes: list[Note] = field(default_factory=list)


def read_document(path: str):
    """``(display name, JSON text, document, notes)`` of a template file; an error when it is not JSON.

    Comments, trailing commas and duplicate keys are read as JSON parsers do (the last of
    duplicate keys wins) and named in the notes."""
    name, raw = reading.read(path)
    text, found = reading.decode(name, raw)
    if text is None:
        raise InputError(_located(found[0]))
    doc, found, located = reading.parse(name, text)
    bad = next((f for f in found if "not valid Unicode" in f.message), None)
    if doc is None or bad is not None:  # a profile cannot hold half a surrogate pair
        raise InputError(_located(bad or found[0]) + ("; fix it, then import" if bad else ""))
    return name, located, doc, [Note(f.file, f.line or 1, f.column or 1, f.message) for f in found]


def import_file(path: str, catalog: Catalog, stem: str | None = None, extends: str | None = None) -> list[Imported]:
    """Every template in the file at ``path`` as a profile (named after ``stem`` or the file)."""
    name, text, doc, read_notes = read_document(path)
    shapes = shapes_of(doc)
    if len(shapes) > 1:
        raise InputError(f"{name}: the top level mixes {' and '.join(shapes)}; keep one shape, so the import "
                         "cannot read it two ways")
    found = templates(doc)
    if not found:
        raise InputError(f"{name}: no Image Builder template found (expected a resource of type "
                         "Microsoft.VirtualMachineImages/imageTemplates, an ARM deployment template holding one, "
                         "or a properties object with source and distribute)")
    base = profile_name(stem or Path(name).stem)
    names = [base] if len(found) == 1 else [f"{base}-{i + 1}" for i in range(len(found))]
    positions = Positions(text)
    result = [_one(t, pname, name, positions, catalog, extends) for t, pname in zip(found, names)]
    result[0].notes[:0] = read_notes
    return result


def profile_name(text: str) -> str:
    """A catalog profile name made from a file name: lower case, other characters as '-'."""
    name = re.sub(r"[^a-z0-9._-]+", "-", text.lower())[:MAX_NAME].strip("-._") or "imported"
    return name if NAME_RE.fullmatch(name) else f"p-{name}"


def _one(t, pname: str, source: str, positions: Positions, catalog: Catalog, extends: str | None) -> Imported:
    resource = dict(t.resource)
    values = Values(arm=t.arm)
    version, pin_note = _version(resource, t)
    if pin_note:
        values.notes.append(("/apiVersion", pin_note))
    ro = read_only(resource, version or resources.latest_api_version(), t.properties_only)
    mapped = map_template(resource, values, {p.split("/")[2] for p in ro if p.count("/") == 2})
    for key in ("location", "identity") if t.properties_only else ("location",):
        if key not in mapped.profile:  # a resource needs them: parameters, with made-up examples
            mapped.profile[key], _ = values.text(f"<{key}>", f"/{key}", role_of(f"/{key}"))
            values.notes.append(("", f"the template has no {key}; it became the required parameter '{key}'"))
    if "name" not in values.params and len(pname) > 64:  # the template has no name: the profile's is too long
        values.params["name"] = Param("name", {"type": "string", "default": pname[:64].rstrip("-._"),
                                               "help": "Name of the image template resource."})
    profile = _profile(mapped, values, version, source, t.base)
    check_items(catalog, profile, mapped, values, version)
    header = [f"Imported from {source}" + (f" (template at {t.base})" if t.base else "") + " by 'aibgen import'.",
              f"Render it again: aibgen new --profile {pname} --catalog <this folder> --example-values"]
    text = dump(profile, header)
    rendered = render_text(catalog, pname, text, version)
    if extends:
        text, rendered = _child(catalog, extends, pname, profile, values, header, version, rendered)
    for ptr, message in compare(mapped.expected, rendered, "name" in resource):
        values.notes.append((ptr, message))
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(f"{source}{' ' + t.base if t.base else ''}: the profile would be larger than "
                         f"{MAX_BYTES // (1024 * 1024)} MiB, more than aibgen reads in a profile; split the template")
    notes = [_note(source, positions, t, ptr, msg) for ptr, msg in values.notes]
    return Imported(pname, source, t.base, text, notes)


def _child(catalog: Catalog, extends: str, pname: str, profile: dict, values: Values, header: list[str],
           version: str | None, alone):
    """The profile as a child of ``extends``: its text and its rendered template."""
    from aibgen.convert.extends import child_of
    from aibgen.convert.verify import new_errors
    from aibgen.profiles.resolve import resolve

    parent = resolve(catalog, extends)
    text = dump(child_of(extends, parent.data, parent.params, profile, values), header)
    rendered = render_text(catalog, pname, text, version, extends=True)
    for error in new_errors(rendered, alone, version):
        values.notes.append(("", f"as a child of {extends}, the profile fails a check the template passes: {error}"))
    return text, rendered


def _version(resource: dict, t) -> tuple[str | None, str]:
    """The apiVersion to pin, and a note when it is not the template's own."""
    stable = resources.api_versions()
    if t.properties_only:
        return None, ""
    value = resource.get("apiVersion")
    if isinstance(value, str) and value in stable:
        return value, ""
    if isinstance(value, str) and value in RETIRED:
        return RETIRED[value], f"apiVersion {value} is a retired preview; the profile pins {RETIRED[value]}"
    if isinstance(value, str) and t.arm is not None:
        from aibgen.check.versions import literal

        lit = literal(value, t.arm)
        if isinstance(lit, str) and lit in stable:
            return lit, ""
    if value is None:
        return None, "the template has no apiVersion; the profile uses the newest bundled one"
    return None, (f"apiVersion {str(value)[:60]!r} is not a stable version aibgen can read; the profile uses the "
                  "newest bundled one (pin another with apiVersion:)")


def _profile(mapped: Mapped, values: Values, version: str | None, source: str, base: str) -> dict:
    prof = dict(mapped.profile)
    out: dict = {"description": f"Imported from {Path(source).name}" + (f" ({base})" if base else "") + "."}
    if version:
        out["apiVersion"] = version
    os_name = _os(mapped)
    if os_name:
        out["os"] = os_name
    if values.params:
        out["parameters"] = {n: p.spec for n, p in values.params.items()}
    out.update(prof)
    return out


def _os(mapped: Mapped) -> str | None:
    kinds = {str(i.expected.get("type")) for i in mapped.items if isinstance(i.expected, dict)}
    if kinds & set(_WINDOWS):
        return "windows"
    if "Shell" in kinds:
        return "linux"
    return None


def _note(source: str, positions: Positions, t, ptr: str, message: str) -> Note:
    line, col = positions.lookup(t.in_document(ptr))
    return Note(source, line, col, message)


def _located(f) -> str:
    where = f"{f.file}:{f.line}:{f.column}" if f.line else f.file
    return f"{where}: {f.message}"


@dataclass
class Plan:
    """What an import run writes: profiles and their files (or standard output)."""

    profiles: list[Imported]
    targets: list[Path] = field(default_factory=list)
    stdout: bool = False
    skipped: list[str] = field(default_factory=list)


def plan(paths: list[str], output: str | None, catalog: Catalog, extends: str | None = None) -> Plan:
    """Import every template under ``paths`` and decide where each profile goes."""
    into_dir = output not in (None, "-") and (output.endswith(("/", "\\")) or Path(output).is_dir())
    single = None if into_dir or output in (None, "-") else _single_name(output)
    result = Plan([])
    for path in paths:
        walked = path != "-" and Path(path).is_dir()
        files = reading.expand([path])
        for file in files:
            try:
                result.profiles += import_file(file, catalog, single, extends)
            except InputError as exc:
                if not walked or "no Image Builder template found" not in str(exc):
                    raise
                result.skipped.append(file)
    count = len(result.profiles)
    if count == 0:
        raise InputError(f"{', '.join(paths)}: no Image Builder template found in any file")
    if output in (None, "-"):
        if count > 1:
            raise InputError(f"{count} templates found; give -o DIR to write one profile file each")
        result.stdout = True
    elif single is not None:
        if count > 1:
            raise InputError(f"{output}: {count} templates found, but -o names one file; give -o DIR/ "
                             "to write one profile file each")
        result.targets = [Path(output)]
    else:
        result.targets = _unique_targets(Path(output), result.profiles)
    return result


def _exists(path: Path) -> bool:
    from aibgen.errors import OutputError

    try:
        return path.exists() or path.is_symlink()
    except OSError as exc:  # e.g. a name too long for the file system
        raise OutputError(f"{path}: cannot write there: {exc.strerror or exc}") from None


def _single_name(output: str) -> str:
    path = Path(output)
    if path.name in (".yaml", ".yml"):
        raise InputError(f"{output}: give the profile a name: NAME.yaml")
    if path.suffix not in (".yaml", ".yml"):
        raise InputError(f"{output}: a profile file ends in .yaml (the profile is named after the file); "
                         "end -o with / to write into a directory")
    name = path.name[: -len(path.suffix)]
    if not NAME_RE.fullmatch(name):
        raise InputError(f"{output}: '{name}' cannot name a profile: use lower-case letters, digits, '.', '_' and '-'")
    return name


def _unique_targets(folder: Path, profiles: list[Imported]) -> list[Path]:
    """One file per profile; a name taken (by another file's profile, even one with a number
    suffix) gets the next free ``-N``."""
    taken: set[str] = set()
    bases = [imp.name for imp in profiles]
    for imp in profiles:
        name, n = imp.name, 2
        while name in taken or (name != imp.name and name in bases):
            name, n = f"{imp.name}-{n}", n + 1
        if name != imp.name:
            imp.text = imp.text.replace(f"--profile {imp.name} ", f"--profile {name} ", 1)
            imp.name = name
        taken.add(name)
    return [folder / f"{imp.name}.yaml" for imp in profiles]


def write_all(result: Plan, force: bool):
    """Write every profile (all or none refused up front); yields ``(target, profile)``."""
    from aibgen.output import write_file

    folder = result.targets[0].parent if result.targets else None
    if folder is not None and not folder.exists() and folder.parent.is_dir():
        folder.mkdir()
    if not force:
        taken = next((t for t in result.targets if _exists(t)), None)
        if taken is not None:
            raise InputError(f"{taken}: already exists; pass --force to replace it")
    for target, imported in zip(result.targets, result.profiles):
        write_file(str(target), imported.text.encode("utf-8"), force)
        yield target, imported

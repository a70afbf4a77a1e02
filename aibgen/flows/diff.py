"""``aibgen catalog diff`` as data: what a change to a catalog does to every image it describes.

Every concrete profile of either side is rendered with its example values and the two
templates compared: added, removed, changed (with a unified diff, keys in API order) or
unchanged. A profile whose inputs are the same bytes on both sides (its own file and every
profile it extends, the local files its items read, and all partials) renders the same, so
it is unchanged without rendering. The cause of a change is every input whose bytes differ:
the profile files of the extends chain, the local scripts, and the partials the render
asked for, so a change to a base or a partial shows on each profile it reaches. A profile
that fails to render on a side is reported with its error, never a crash.
"""
from __future__ import annotations

import difflib
import hashlib
import os
from pathlib import Path
from typing import Callable

from aibgen.errors import AibgenError
from aibgen.flows.diff_sides import Side
from aibgen.flows.examples import ancestors, is_abstract, render_example
from aibgen.profiles.load import load_file
from aibgen.profiles.roots import local_file

ITEM_LISTS = (("customize",), ("distribute",), ("validate", "inVMValidations"))


def compare(base: Side, head: Side, progress: Callable[[int, int], None] | None = None) -> dict:
    """The report of ``catalog diff``: summary, changed files, and one record per profile
    (``progress(done, total)`` is called after each profile)."""
    old, new = ({n for n in side.catalog.profiles if not is_abstract(side.catalog, n)} for side in (base, head))
    records = []
    for name in sorted(old | new):
        records.append(_profile(base, head, name, name in old, name in new))
        if progress is not None:
            progress(len(records), len(old | new))
    _renames(base, head, records)
    counts = {s: sum(1 for r in records if r["status"] == s) for s in ("added", "removed", "changed", "unchanged")}
    counts["failing"] = sum(1 for r in records if r["headError"])
    return {"base": base.label, "head": head.label, "summary": counts,
            "files": _files(base, head, records), "profiles": records}


def _profile(base: Side, head: Side, name: str, in_base: bool, in_head: bool) -> dict:
    record = {"name": name, "status": "unchanged", "causes": [], "renamedFrom": None,
              "baseError": None, "headError": None, "diff": None}
    if not (in_base and in_head):
        side = head if in_head else base
        ex = render_example(side.catalog, name)
        record.update(status="added" if in_head else "removed", causes=[_file(side, name)])
        record["headError" if in_head else "baseError"] = side.names.show(ex.error)
        return record
    inputs = (_inputs(base, name), _inputs(head, name))
    if inputs[0] == inputs[1] and _partials(base) == _partials(head):
        return record
    a, b = render_example(base.catalog, name), render_example(head.catalog, name)
    errors, texts = (base.names.show(a.error), head.names.show(b.error)), (a.text, b.text)
    record.update(baseError=errors[0], headError=errors[1])
    if (texts[0], errors[0]) == (texts[1], errors[1]):
        return record
    record["status"] = "changed"
    record["causes"] = _causes(base, head, inputs, set(a.partials) | set(b.partials))
    if None not in texts:
        record["diff"] = "".join(difflib.unified_diff(texts[0].splitlines(True), texts[1].splitlines(True),
                                                      f"a/{name}.json", f"b/{name}.json"))
    return record


def _inputs(side: Side, name: str) -> dict[str, str | None]:
    """Shown path -> digest of every file a profile's render reads besides partials."""
    def make() -> dict[str, str | None]:
        catalog, out = side.catalog, {}
        for member in sorted(ancestors(catalog, name) | {name}):
            entry = catalog.profiles.get(member)
            if entry is None:
                out[f"(missing profile {member})"] = None
                continue
            out[side.names.file(entry.path)] = _digest(side, entry.path)
            out.update(_local_files(side, entry))
        return out

    return side.once(("inputs", name), make)


def _local_files(side: Side, entry) -> dict[str, str | None]:
    """The ``script`` and ``inline_file`` files a profile's own items read, with their digests."""
    try:
        data = load_file(entry).data
    except AibgenError:
        return {}
    out = {}
    for path in ITEM_LISTS:
        node = data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        for item in node if isinstance(node, list) else []:
            for key in ("script", "inline_file"):
                rel = item.get(key) if isinstance(item, dict) else None
                if isinstance(rel, str):
                    shown = side.names.file(Path(str(entry.path)).parent / rel)
                    if os.path.isabs(shown):  # outside every known folder: as the profile names it
                        at = Path(side.names.file(entry.path)).parent.as_posix()
                        shown = rel if at == "." else f"{at}/{rel}"
                    try:
                        out[shown] = hashlib.sha256(local_file(side.catalog, str(entry.path), rel)).hexdigest()
                    except AibgenError as err:
                        out[shown] = f"unreadable: {side.names.show(str(err))}"  # the same on both sides
    return out


def _partials(side: Side) -> dict[str, str | None]:
    """Partial name -> digest of every partial of the side's catalog."""
    return side.once("partials", lambda: {n: _digest(side, e.path) for n, e in sorted(side.catalog.partials.items())})


def _digest(side: Side, path) -> str | None:
    """SHA-256 of a file's bytes (read once per side), or None when it cannot be read."""
    def make() -> str | None:
        try:
            return hashlib.sha256(Path(str(path)).read_bytes()).hexdigest()
        except OSError:
            return None

    return side.once(("digest", str(path)), make)


def _causes(base: Side, head: Side, inputs: tuple[dict, dict], used: set[str]) -> list[str]:
    """The inputs whose bytes differ: chain and local files, then the partials the render used."""
    old, new = inputs
    causes = [f for f in sorted(set(old) | set(new)) if old.get(f) != new.get(f)]
    a, b = _partials(base), _partials(head)
    changed = [n for n in sorted(set(a) | set(b)) if a.get(n) != b.get(n)]
    used = used | _included(head, used) | _included(base, used)
    causes += [_partial_file(head if n in b else base, n) for n in changed if n in used or not used]
    return causes


def _included(side: Side, names: set[str]) -> set[str]:
    """The partials that ``names`` include or import, directly or through others."""
    found, todo = set(), list(names)
    while todo:
        name = todo.pop()
        for ref in side.once(("includes", name), lambda name=name: _references(side, name)):
            if ref not in found:
                found.add(ref)
                todo.append(ref)
    return found


def _references(side: Side, name: str) -> set[str]:
    """The partials one partial names in ``include``, ``import`` or ``extends`` (parsed once a side)."""
    from jinja2 import meta

    from aibgen.render.environment import environment

    if name not in side.catalog.partials:
        return set()
    env = environment(side.catalog)
    try:
        return {r for r in meta.find_referenced_templates(env.parse(env.loader.get_source(env, name)[0])) if r}
    except Exception:  # noqa: BLE001 - a partial that does not parse is reported by its render
        return set()


def _file(side: Side, name: str) -> str:
    return side.names.file(side.catalog.profiles[name].path)


def _partial_file(side: Side, name: str) -> str:
    return side.names.file(side.catalog.partials[name].path)


def _renames(base: Side, head: Side, records: list[dict]) -> None:
    """An added profile whose file has the bytes of a removed one's was renamed from it."""
    removed = {_digest(base, base.catalog.profiles[r["name"]].path): r["name"]
               for r in records if r["status"] == "removed"}
    for r in records:
        if r["status"] == "added":
            r["renamedFrom"] = removed.get(_digest(head, head.catalog.profiles[r["name"]].path))


def _files(base: Side, head: Side, records: list[dict]) -> list[dict]:
    """Every profile and partial file whose bytes differ, with the profiles it changes."""
    reach: dict[str, list[str]] = {}
    for r in records:
        for cause in r["causes"]:
            reach.setdefault(cause, []).append(r["name"])
    found = {}
    for kind in ("profiles", "partials"):
        a, b = getattr(base.catalog, kind), getattr(head.catalog, kind)
        for name in sorted(set(a) | set(b)):
            old = _digest(base, a[name].path) if name in a else None
            new = _digest(head, b[name].path) if name in b else None
            if old != new:
                shown = head.names.file(b[name].path) if name in b else base.names.file(a[name].path)
                found[shown] = "added" if old is None else "deleted" if new is None else "modified"
    for cause in reach:
        found.setdefault(cause, "modified")
    return [{"file": f, "change": found[f], "profiles": reach.get(f, [])} for f in sorted(found)]

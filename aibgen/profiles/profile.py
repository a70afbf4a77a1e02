"""Load profile YAML, check it against the profile schema, and resolve ``extends``.

The result is a :class:`Profile`: merged plain data, the position (file, line, column)
of every value it came from, and its typed parameters.

Merging: mappings merge key by key, scalars and ordinary lists from the child replace
the parent's. In the item lists ``customize``, ``distribute`` and
``validate.inVMValidations`` each child item says what it does with its ``op``: append
(the default), prepend, replace or remove the inherited item with its ``name``, insert
``before`` or ``after`` the inherited item named by ``target``, or ``clear`` the inherited
list.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from aibgen.profiles import params as params_mod
from aibgen.sources import yamlsrc
from aibgen.profiles.roots import Catalog, Entry
from aibgen.errors import ProfileError, did_you_mean
from aibgen.sources.schemaerrors import describe, unexpected

APPEND_LISTS = ("/customize", "/distribute", "/validate/inVMValidations")
Position = tuple  # (file, line, column)


@dataclass
class Profile:
    """A resolved profile: merged data, provenance and parameters."""

    name: str
    file: str
    data: dict
    positions: dict[str, Position]
    params: dict[str, params_mod.Parameter]
    chain: list[str] = field(default_factory=list)

    @property
    def abstract(self) -> bool:
        return bool(self.data.get("abstract"))

    def where(self, pointer: str) -> Position:
        """(file, line, column) of the closest located value at or above ``pointer``."""
        return yamlsrc.nearest(self.positions, pointer, (self.file, 1, 1))


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    from aibgen import resources

    return Draft202012Validator(resources.schema("profile"))


def load_file(entry: Entry) -> yamlsrc.Located:
    """Read one profile file and check it against the profile schema (cached by content)."""
    from aibgen import cache

    name, raw = str(entry.path), _read(entry)
    digest = cache.key("profile", raw)
    if (name, digest) in _LOADED:
        return _LOADED[(name, digest)]
    hit = _builtin_index().get(hashlib.sha256(raw).hexdigest()) if entry.root == "built-in" else None
    hit = hit or cache.load("profile", digest)
    if hit is not None:
        doc = yamlsrc.Located(hit["data"], name, {p: tuple(v) for p, v in hit["positions"].items()})
    else:
        doc = _parse(name, raw)
        cache.store("profile", digest, {"data": doc.data, "positions": doc.positions})
    _LOADED[(name, digest)] = doc
    return doc


# profiles already read in this process, by (file, content digest); values are never mutated
_LOADED: dict = {}


@lru_cache(maxsize=1)
def _builtin_index() -> dict:
    """Built-in profiles parsed at build time (tools/gen_builtin_index.py), by SHA-256 of their bytes."""
    from aibgen import resources

    try:
        return resources.data("builtin-profiles")
    except (OSError, ValueError):
        return {}


def _parse(name: str, raw: bytes) -> yamlsrc.Located:
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


def _read(entry: Entry) -> bytes:
    try:
        return entry.path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"{entry.path}: cannot read: {exc.strerror or exc}") from None


def _message(doc: yamlsrc.Located, error) -> str:
    from aibgen.sources.schemaerrors import pointer

    if error.validator == "additionalProperties":
        key = unexpected(error)[0]
        where = pointer(error.absolute_path) + "/" + yamlsrc.escape(key)
        hint = did_you_mean(key, error.schema.get("properties", {}))
        return f"{doc.where(where)}: unknown key '{key}'{hint}"
    where, text = describe(error)
    return f"{doc.where(where)}: {text}"


def resolve(catalog: Catalog, name: str) -> Profile:
    """Load profile ``name`` and everything it extends, merged."""
    data, positions, chain = _resolve(catalog, name, ())
    entry = catalog.profile(name)
    prof = Profile(name, str(entry.path), data, positions, {}, chain)
    prof.params = _parameters(prof)
    return prof


def _resolve(catalog: Catalog, name: str, seen: tuple) -> tuple[dict, dict, list]:
    """Merge the profile's ancestors, each applied once (parents before children, left to
    right, so a diamond's shared base is not applied twice), then the profile itself."""
    order: list[tuple[str, yamlsrc.Located]] = []
    _linearize(catalog, name, (), order)
    data: dict = {}
    positions: dict = {}
    for _, doc in order:
        own = {p: (doc.file,) + pos for p, pos in doc.positions.items()}
        body = {k: v for k, v in doc.data.items() if k not in ("extends", "abstract")}
        data, positions = merge(data, positions, body, own, "")
    data["abstract"] = bool(order[-1][1].data.get("abstract"))
    return data, positions, [n for n, _ in order]


def _linearize(catalog: Catalog, name: str, stack: tuple, order: list) -> None:
    entry = catalog.profile(name)
    if name in stack:
        chain = [_extends_line(catalog, n) for n in stack[stack.index(name):]]
        raise ProfileError(f"'extends' forms a cycle: {' → '.join(chain + [str(entry.path)])}")
    if any(n == name for n, _ in order):
        return
    doc = load_file(entry)
    parents = doc.data.get("extends") or []
    parents = [parents] if isinstance(parents, str) else parents
    for i, parent in enumerate(parents):
        if parent not in catalog.profiles:
            hint = did_you_mean(parent, catalog.profiles)
            where = doc.where("/extends" + (f"/{i}" if isinstance(doc.data["extends"], list) else ""))
            raise ProfileError(f"{where}: extends unknown profile '{parent}'{hint}")
        _linearize(catalog, parent, stack + (name,), order)
    order.append((name, doc))


def _extends_line(catalog: Catalog, name: str) -> str:
    """``file:line`` of a profile's ``extends`` key."""
    doc = load_file(catalog.profile(name))
    line = doc.position("/extends")[0]
    return f"{doc.file}:{line}"


def merge(base: dict, bpos: dict, over: dict, opos: dict, at: str) -> tuple[dict, dict]:
    """Merge ``over`` onto ``base`` (see module doc), carrying positions along."""
    out, pos = dict(base), dict(bpos)
    pos.setdefault(at, opos.get(at))
    for key, value in over.items():
        ptr = f"{at}/{yamlsrc.escape(key)}"
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key], pos = merge(old, pos, value, opos, ptr)
        elif isinstance(value, list) and ptr in APPEND_LISTS:
            out[key], pos = _merge_items(old if isinstance(old, list) else [], pos, value, opos, ptr)
        else:
            out[key] = value
            for p in [p for p in pos if p == ptr or p.startswith(ptr + "/")]:
                del pos[p]
            pos.update({p: v for p, v in opos.items() if p == ptr or p.startswith(ptr + "/")})
    return out, pos


def _merge_items(base: list, bpos: dict, over: list, opos: dict, ptr: str) -> tuple[list, dict]:
    """Apply the child's item operations to the inherited list, carrying positions."""
    bsubs, osubs = _by_item(bpos, ptr), _by_item(opos, ptr)
    entries = [(item, bsubs.get(i, {})) for i, item in enumerate(base)]
    for j, item in enumerate(over):
        sub = osubs.get(j, {})
        op = item.get("op", "append")
        clean = {k: v for k, v in item.items() if k not in ("op", "target")}
        if op == "clear":
            entries = []
        elif op in ("append", "prepend"):
            entries.insert(len(entries) if op == "append" else 0, (clean, sub))
        else:
            name = item.get("target") if op in ("before", "after") else item.get("name")
            at = _find(entries, name, op, ptr, sub)
            if op == "replace":
                entries[at] = (clean, sub)
            elif op == "remove":
                del entries[at]
            else:
                entries.insert(at + (op == "after"), (clean, sub))
    pos = {p: v for p, v in bpos.items() if not (p == ptr or p.startswith(ptr + "/"))}
    pos[ptr] = opos.get(ptr) or bpos.get(ptr)
    for i, (_, sub) in enumerate(entries):
        pos.update({f"{ptr}/{i}{suffix}": v for suffix, v in sub.items()})
    return [item for item, _ in entries], pos


def _by_item(positions: dict, ptr: str) -> dict[int, dict]:
    """Positions under ``ptr/<index>``, grouped by index and keyed by the rest of the pointer."""
    out: dict[int, dict] = {}
    start = ptr + "/"
    for p, v in positions.items():
        if p.startswith(start):
            index, _, rest = p[len(start):].partition("/")
            if index.isdigit():
                out.setdefault(int(index), {})["/" + rest if rest else ""] = v
    return out


def _find(entries: list, name, op: str, ptr: str, sub: dict) -> int:
    for i, (item, _) in enumerate(entries):
        if item.get("name") == name:
            return i
    file, line, col = sub.get("", ("?", 1, 1))
    have = ", ".join(str(item.get("name")) for item, _ in entries if item.get("name")) or "none"
    raise ProfileError(f"{file}:{line}:{col}: op '{op}' names '{name}', but {ptr[1:]} has no inherited item "
                       f"of that name (named items: {have})")


def _parameters(prof: Profile) -> dict[str, params_mod.Parameter]:
    specs = dict(prof.data.get("parameters") or {})
    specs.setdefault("name", {"type": "string", "help": "Name of the image template resource."})
    result = {}
    for pname, spec in specs.items():
        file, line, col = prof.where(f"/parameters/{yamlsrc.escape(pname)}")
        spec = dict(spec)
        if pname == "name" and "default" not in spec:
            spec["default"] = prof.name
        try:
            result[pname] = params_mod.from_profile(pname, spec, f"{file}:{line}:{col}")
        except TypeError as exc:  # unexpected key already caught by the schema
            raise ProfileError(f"{file}:{line}:{col}: parameter '{pname}': {exc}") from None
    return result


def explain_lines(prof: Profile) -> list[str]:
    """``pointer = value  # file:line`` for every leaf value of the merged profile."""
    import json

    lines: list[str] = []

    def walk(value, ptr: str) -> None:
        if isinstance(value, dict) and value:
            for key, child in value.items():
                walk(child, f"{ptr}/{yamlsrc.escape(key)}")
        elif isinstance(value, list) and value:
            for i, child in enumerate(value):
                walk(child, f"{ptr}/{i}")
        else:
            file, line, col = prof.where(ptr)
            lines.append(f"{ptr} = {json.dumps(value, ensure_ascii=False)}  # {file}:{line}:{col}")

    walk({k: v for k, v in prof.data.items() if k != "abstract"}, "")
    return lines

"""The semantic difference between a local template and the deployed one.

What the service fills in or keeps to itself is not a difference: read-only members (the
caller names them, from the schema of the apiVersion), the members a PUT does not carry
(``id``, ``name``, ``type``, ``apiVersion``, ``systemData``), and defaults the service
writes back for members the local file leaves out (an empty string, zero, false, an empty
list or object; not inside ``tags``, ``artifactTags`` and ``userAssignedIdentities``, whose
entries are the user's even when empty). Region names and resource ids are compared as
Azure does, without regard to case (and, for regions, spaces); numbers by value (``60``
and ``60.0`` are the same).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from aibgen.cloud.templates import SENT
from aibgen.sources.pointers import escape as _escape

_MISSING = object()
_USER_MAPS = ("tags", "artifactTags", "userAssignedIdentities")  # every entry is the user's, an empty one too
_REGION = re.compile(r"/properties/distribute/\d+/(location|targetRegions/\d+/name|replicationRegions/\d+)")


@dataclass(frozen=True)
class Change:
    """One difference: ``deployed`` and ``local`` at ``pointer`` (``None`` stands for absent)."""

    pointer: str
    deployed: object
    local: object

    def as_dict(self) -> dict:
        return {"pointer": self.pointer, "deployed": self.deployed, "local": self.local}


def differences(local: dict, deployed: dict, ignore: list[str] = ()) -> list[Change]:
    """Every :class:`Change` from ``deployed`` to ``local``, in document order."""
    drop = set(ignore)
    left = _prune(_normal({k: deployed[k] for k in SENT if k in deployed}), "", drop)
    right = _prune(_normal({k: local[k] for k in SENT if k in local}), "", drop)
    out: list[Change] = []
    _walk(left, right, "", out)
    return out


def _normal(doc: dict) -> dict:
    """Location without case and spaces; identity keys (resource ids) in lower case."""
    doc = dict(doc)
    if isinstance(doc.get("location"), str):
        doc["location"] = doc["location"].replace(" ", "").lower()
    identity = doc.get("identity")
    if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), dict):
        ids = {k.lower(): {} for k in identity["userAssignedIdentities"]}  # principal/client ids are the service's
        doc["identity"] = {**identity, "userAssignedIdentities": ids}
    return doc


def _prune(value, pointer: str, drop: set):
    """``value`` without the members at the pointers in ``drop``."""
    if isinstance(value, dict):
        return {k: _prune(v, f"{pointer}/{_escape(k)}", drop) for k, v in value.items()
                if f"{pointer}/{_escape(k)}" not in drop}
    if isinstance(value, list):
        return [_prune(v, f"{pointer}/{i}", drop) for i, v in enumerate(value)]
    return value


def _walk(old, new, pointer: str, out: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        users = pointer.rsplit("/", 1)[-1] in _USER_MAPS
        for key in list(new) + [k for k in old if k not in new]:
            a, b = old.get(key, _MISSING), new.get(key, _MISSING)
            here = f"{pointer}/{_escape(key)}"
            if not users and (a is _MISSING and _blank(b, key) or b is _MISSING and _blank(a, key)):
                continue  # a default the service writes back, or one the file spells out
            if a is _MISSING or b is _MISSING:
                out.append(Change(here, None if a is _MISSING else a, None if b is _MISSING else b))
            else:
                _walk(a, b, here, out)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            if i >= len(old) or i >= len(new):
                out.append(Change(f"{pointer}/{i}", old[i] if i < len(old) else None, new[i] if i < len(new) else None))
            else:
                _walk(old[i], new[i], f"{pointer}/{i}", out)
    elif not _same(old, new, pointer):
        out.append(Change(pointer, old, new))


def _blank(value, key: str = "") -> bool:
    """None, "", 0, false, or a list or object of nothing but such values (a tags map: only when empty)."""
    if key in _USER_MAPS and isinstance(value, dict):
        return not value
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value in (None, "", 0, False)


def _same(a, b, pointer: str = "") -> bool:
    if isinstance(a, str) and isinstance(b, str):
        if a.lower().startswith("/subscriptions/"):
            return a.lower() == b.lower()
        if _REGION.fullmatch(pointer):
            return a.replace(" ", "").lower() == b.replace(" ", "").lower()
    if _number(a) and _number(b):
        return a == b
    return type(a) is type(b) and a == b


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


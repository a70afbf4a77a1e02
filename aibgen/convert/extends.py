"""An imported profile as a child of a catalog profile (``aibgen import --extends P``).

What the parent already provides is left out of the child: a key whose value the parent
writes the same way, a parent value that is one of its parameters (``"{{ buildTimeout }}"``)
where the template has a literal or a parameter of its own (the child then sets that
parameter's default or example instead), and a parent's items that begin the template's
list (the child appends the rest; otherwise it clears the list and lists every item).
What the parent adds that the template does not have cannot be taken away by a child (a
tag, a ``vmProfile`` key): the import's check of the rendered child reports it.
"""
from __future__ import annotations

import re

from aibgen.convert.values import Values

_PARAM = re.compile(r"^\{\{ ([A-Za-z_][A-Za-z0-9_]*) \}\}$")
_SINGLE = re.compile(r"^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$")
_ITEM_LISTS = ("customize", "distribute")
_VNET = ("subnetId", "proxyVmSize", "containerInstanceSubnetId")
_OWN = ("description", "apiVersion", "os", "parameters")


def child_of(parent_name: str, parent: dict, parent_params: dict, draft: dict, values: Values) -> dict:
    """The child profile of ``parent`` (resolved data) that renders what ``draft`` renders."""
    bind = _Bindings(parent_params)
    child = {k: draft[k] for k in ("description", "apiVersion") if k in draft}
    child["extends"] = parent_name
    if "os" in draft and parent.get("os") != draft["os"]:
        child["os"] = draft["os"]
    body: dict = {}
    for key, value in draft.items():
        if key in _OWN:
            continue
        if key not in parent:
            body[key] = value
        elif key in _ITEM_LISTS:
            items = _items(parent[key], value)
            if items:
                body[key] = items
        elif key == "validate" and isinstance(value, dict) and isinstance(parent[key], dict):
            rest = _mapping(parent[key], {k: v for k, v in value.items() if k != "inVMValidations"}, bind)
            if "inVMValidations" in value:
                items = _items(parent[key].get("inVMValidations") or [], value["inVMValidations"])
                if items:
                    rest["inVMValidations"] = items
            if rest:
                body[key] = rest
        elif key == "vmProfile" and isinstance(value, dict) and isinstance(parent[key], dict):
            # an empty network field is left out: the way to drop one the parent sets
            value = dict(value, **{k: "" for k in _VNET if k in parent[key] and k not in value})
            rest = _mapping(parent[key], value, bind)
            if rest:
                body[key] = rest
        elif isinstance(value, dict) and isinstance(parent[key], dict) and key != "source":
            rest = _mapping(parent[key], value, bind)
            if rest:
                body[key] = rest
        elif not _unify(parent[key], value, bind):
            body[key] = value
    child["parameters"] = _parameters(values, parent_params, bind, body)
    if not child["parameters"]:
        del child["parameters"]
    child.update(body)
    return child


def _mapping(parent: dict, value: dict, bind: dict) -> dict:
    """The keys of ``value`` the parent does not already give (after binding its parameters)."""
    return {k: v for k, v in value.items() if k not in parent or not _unify(parent[k], v, bind)}


def _unify(parent, value, bind: dict) -> bool:
    """True when the parent's ``parent`` renders as ``value`` once its parameters are bound."""
    m = _SINGLE.match(parent) if isinstance(parent, str) else None
    if m and m.group(1) in bind.names:  # one of the parent's parameters (not profile_name, os...)
        name = m.group(1)
        known = bind.get(name, _UNSET)
        if known is not _UNSET:
            return known == value
        if isinstance(value, str) and ("{{" in value or "{%" in value) and not _PARAM.match(value):
            return False
        bind[name] = value
        return True
    if parent == value:
        return True
    if isinstance(parent, dict) and isinstance(value, dict) and set(parent) == set(value):
        trial = bind.copy()
        if all(_unify(parent[k], value[k], trial) for k in parent):
            bind.update(trial)
            return True
    return False


def _items(parent: list, items: list) -> list:
    """The child's item list: the rest after the parent's items, or a clear and every item."""
    if items[: len(parent)] == parent:
        return items[len(parent):]
    return [{"op": "clear"}] + items


def _parameters(values: Values, parent_params: dict, bind: dict, body: dict) -> dict:
    """The child's parameters: its own that its values use, and the parent's it binds."""
    used = set(re.findall(r"\{\{ ([A-Za-z_][A-Za-z0-9_]*) \}\}", repr(body)))
    out: dict = {}
    for name, value in bind.items():
        own = _PARAM.match(value) if isinstance(value, str) else None
        spec = values.params[own.group(1)].spec if own and own.group(1) in values.params else None
        theirs = parent_params.get(name)
        if spec is not None:
            out[name] = {k: spec[k] for k in ("example", "default") if k in spec}
        elif theirs is not None and theirs.default == value and theirs.example in (None, value):
            continue  # the parent's default already gives it
        else:
            out[name] = {"default": value}
            if theirs is not None and theirs.example is not None:
                out[name]["example"] = value
    for name in values.params:
        if (name in used or name == "name") and name not in out:
            out[name] = dict(values.params[name].spec)
    return {k: v for k, v in out.items() if v}


class _Unset:
    pass


class _Bindings(dict):
    """Parent parameter -> the value the child gives it; only the parent's parameters bind."""

    def __init__(self, params: dict, *args) -> None:
        super().__init__(*args)
        self.names = set(params)

    def copy(self) -> "_Bindings":
        out = _Bindings({}, self)
        out.names = self.names
        return out


_UNSET = _Unset()

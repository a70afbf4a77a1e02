"""Map one image template onto the keys of a profile (see docs/profiles.md).

Each source, customizer, validator and distributor becomes an item that ``use``s the
partial of its type; a type no partial knows is kept as it is through the ``raw`` partial.
Settings become the profile's keys (``vmProfile`` with its ``vnetConfig`` fields,
``optimize``, ``autoRun`` as true/false...). What a profile cannot hold is left out, with
a note: read-only properties the service fills in, ARM keys of the deployment
(``dependsOn``, ``condition``...), and keys the API does not define.

The result holds, beside the profile, the template the profile must render to with the
parameters' example values, so the import can check itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aibgen.convert.roles import role_of
from aibgen.convert.values import Values

KINDS = {"/properties/source": "sources", "/properties/customize": "customizers",
         "/properties/validate/inVMValidations": "validators", "/properties/distribute": "distributors"}
ITEM_TYPES = {
    "sources": {"PlatformImage": "platform-image", "ManagedImage": "managed-image",
                "SharedImageVersion": "shared-image-version"},
    "customizers": {"Shell": "shell", "PowerShell": "powershell", "File": "file", "WindowsRestart": "windows-restart",
                    "WindowsUpdate": "windows-update"},
    "validators": {"Shell": "shell", "PowerShell": "powershell", "File": "file"},
    "distributors": {"ManagedImage": "managed-image", "SharedImage": "shared-image", "VHD": "vhd"},
}
ARM_KEYS = ("dependsOn", "condition", "copy", "comments", "scope")
_PLAIN = ("buildTimeoutInMinutes", "stagingResourceGroup", "managedResourceTags", "errorHandling")
_VM = ("vmSize", "osDiskSizeGB", "userAssignedIdentities")
_VNET = ("subnetId", "proxyVmSize", "containerInstanceSubnetId")


@dataclass
class Item:
    """One item of the profile: as the partial of its type, and as the raw pass-through."""

    kind: str
    ptr: str  # the template pointer, e.g. /properties/customize/2
    mapped: dict
    raw: dict
    expected: object


@dataclass
class Mapped:
    """The profile keys of one template and the template they must render to."""

    profile: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)


def map_template(resource: dict, values: Values, read_only: set[str]) -> Mapped:
    """The profile of ``resource`` (a bare imageTemplates resource, keys canonical)."""
    out = Mapped()
    prof, exp = out.profile, out.expected
    for key in ("name", "location"):
        if isinstance(resource.get(key), str):
            p, exp[key] = values.text(resource[key], f"/{key}", role_of(f"/{key}"))
            if key == "location":
                prof["location"] = p
    _identity(resource, values, prof, exp)
    for key, value in resource.items():
        if key == "tags":
            _tags(value, values, prof, exp)
        elif key == "dependsOn" and value == []:
            continue  # nothing to lose
        elif key in ARM_KEYS:
            values.notes.append((f"/{key}", f"'{key}' belongs to the ARM deployment, not to the image template; "
                                            "not imported"))
        elif key == "properties" and isinstance(value, dict):
            exp["properties"] = _properties(value, values, prof, out, read_only)
        elif key not in ("type", "apiVersion", "name", "location", "identity"):
            values.notes.append((f"/{key}", f"'{key}' is not a key of an image template; not imported"))
    return out


def _identity(resource: dict, values: Values, prof: dict, exp: dict) -> None:
    ident = resource.get("identity")
    if ident is None:
        return
    ids = ident.get("userAssignedIdentities") if isinstance(ident, dict) else None
    if isinstance(ids, dict) and ident.get("type") == "UserAssigned" and len(ids) == 1 and set(ident) == \
            {"type", "userAssignedIdentities"} and list(ids.values()) == [{}]:
        key = next(iter(ids))
        prof["identity"], e = values.text(key, "/identity", role_of("/identity"))
        exp["identity"] = {"type": "UserAssigned", "userAssignedIdentities": {e: {}}}
        return
    values.notes.append(("/identity", "the identity is not one user-assigned identity, the only kind a profile "
                                      "writes; not imported"))


def _tags(value, values: Values, prof: dict, exp: dict, key: str = "tags") -> None:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        prof[key], exp[key] = values.tree(value, f"/{key}")
    else:
        values.notes.append((f"/{key}", f"'{key}' must map names to text; not imported"))


def _properties(props: dict, values: Values, prof: dict, out: Mapped, read_only: set[str]) -> dict:
    exp: dict = {}
    for key, value in props.items():
        ptr = f"/properties/{key}"
        if key in _PLAIN and key == "managedResourceTags":
            tags: dict = {}
            _tags(value, values, prof, tags, key)
            exp.update(tags)
        elif key in _PLAIN:
            prof[key], exp[key] = values.tree(value, ptr)
        elif key == "vmProfile" and isinstance(value, dict):
            prof[key], exp[key] = _vm_profile(value, values)
        elif key == "optimize" and isinstance(value, dict):
            prof[key], exp[key] = _optimize(value, values)
        elif key == "autoRun" and isinstance(value, dict) and value.get("state") in ("Enabled", "Disabled") \
                and len(value) == 1:
            prof[key], exp[key] = value["state"] == "Enabled", value
        elif key == "additionalDataDisks" and isinstance(value, str):
            prof[key], exp[key] = values.tree(value, ptr)
        elif key == "additionalDataDisks" and isinstance(value, list) and value:
            p, exp[key] = values.tree(value, ptr)
            prof[key] = [d["sizeGB"] if isinstance(d, dict) and list(d) == ["sizeGB"] and isinstance(d["sizeGB"], int)
                         else d for d in p]
        elif key == "source" and isinstance(value, dict) and value:
            prof[key], exp[key] = _item(out, values, "sources", value, ptr)
        elif key in ("customize", "distribute") and isinstance(value, list):
            pairs = [_item(out, values, KINDS[ptr], v, f"{ptr}/{i}") for i, v in _objects(value, ptr, values)]
            prof[key], exp[key] = [p for p, _ in pairs], [e for _, e in pairs]
        elif key == "validate" and isinstance(value, dict):
            prof[key], exp[key] = _validate(value, values, out)
        elif key in read_only:
            values.notes.append((ptr, f"'{key}' is read-only (the service fills it in); not imported"))
        else:
            values.notes.append((ptr, f"'{key}' is not a property a profile can set; not imported"))
    return exp


def _vm_profile(vm: dict, values: Values) -> tuple[dict, dict]:
    p, e = values.tree(vm, "/properties/vmProfile")
    flat = {k: v for k, v in p.items() if k in _VM}
    vnet = p.get("vnetConfig")
    if isinstance(vnet, dict):
        flat.update((k, v) for k, v in vnet.items() if k in _VNET)
    for k in [k for k in vm if k not in _VM + ("vnetConfig",)]:
        values.notes.append((f"/properties/vmProfile/{k}", f"vmProfile '{k}' is not a setting a profile can hold; "
                                                           "not imported"))
        e.pop(k)
    return flat, e


def _optimize(opt: dict, values: Values) -> tuple[dict, dict]:
    p, e = values.tree(opt, "/properties/optimize")
    out = {}
    for key, value in p.items():
        if isinstance(value, dict) and set(value) <= {"state", "scriptUri", "sha256Checksum"} and "state" in value:
            state = {"Enabled": True, "Disabled": False}.get(value["state"], value["state"])
            out[key] = state if key == "vmBoot" and len(value) == 1 else \
                dict({"enabled": state}, **{k: v for k, v in value.items() if k != "state"})
        else:
            out[key] = value
    return out, e


def _validate(block: dict, values: Values, out: Mapped) -> tuple[dict, dict]:
    prof, exp = {}, {}
    for key, value in block.items():
        ptr = f"/properties/validate/{key}"
        if key == "inVMValidations" and isinstance(value, list):
            pairs = [_item(out, values, "validators", v, f"{ptr}/{i}") for i, v in _objects(value, ptr, values)]
            prof[key], exp[key] = [p for p, _ in pairs], [e for _, e in pairs]
        else:
            prof[key], exp[key] = values.tree(value, ptr)
    return prof, exp


def _item(out: Mapped, values: Values, kind: str, item, ptr: str) -> tuple[dict, object]:
    p, e = values.tree(item, ptr)
    named = kind != "sources" and isinstance(p.get("name"), str)
    raw = {"use": "raw", **({"name": p["name"]} if named else {}),
           "with": {k: v for k, v in p.items() if not (named and k == "name")}}
    use = ITEM_TYPES[kind].get(item.get("type")) if isinstance(item.get("type"), str) else None
    if use is None:
        values.notes.append((ptr, f"no partial writes a {kind[:-1]} of type {item.get('type')!r}; kept as it is "
                                  "with the raw partial"))
        out.items.append(Item(kind, ptr, raw, raw, e))
        return raw, e
    args = {k: v for k, v in p.items() if k not in ("type", "name")}
    if use == "platform-image" and "version" not in args:
        args["version"] = None  # the partial would write "latest"
    mapped = {"use": use, **({"name": p["name"]} if "name" in p and named else {}), "with": args}
    if "name" in p and not named:
        mapped = raw
    out.items.append(Item(kind, ptr, mapped, raw, e))
    return mapped, e


def _objects(items: list, ptr: str, values: Values):
    """``(index, item)`` of the items that are JSON objects; any other is left out, with a note."""
    for i, item in enumerate(items):
        if isinstance(item, dict) and item:
            yield i, item
        else:
            values.notes.append((f"{ptr}/{i}", "an item must be a JSON object with a type; not imported"))

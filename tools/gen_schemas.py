#!/usr/bin/env python3
"""Generate aibgen's bundled JSON Schemas from the official Image Builder swagger files.

Usage:
    python tools/gen_schemas.py            # rewrite aibgen/schemas/*.json
    python tools/gen_schemas.py --check    # exit 1 if the committed files differ

Input: ``tools/spec/<apiVersion>/imagebuilder.json`` (Swagger 2.0, copied unchanged
from Azure/azure-rest-api-specs). Output, per apiVersion, a Draft 2020-12 schema of the
``Microsoft.VirtualMachineImages/imageTemplates`` resource as a user writes it:

* every object is closed (``additionalProperties: false``), so typos are rejected;
* read-only properties are kept but refuse any value (``not: {}`` with ``readOnly``),
  so the checker can say "read-only" rather than "unknown";
* each polymorphic base (``discriminator``) becomes a dispatcher: an ``enum`` of the
  discriminator values plus one ``if``/``then`` per subtype, so an error names the
  subtype it belongs to;
* the ARM envelope (``TrackedResource`` lives in common-types, outside these files) is
  written out below from the ARM resource declaration format.

``versions.json`` records, for every property path, the first apiVersion that has it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "tools" / "spec"
OUT_DIR = ROOT / "aibgen" / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The resource envelope: ARM's TrackedResource (location, tags; id/name/type read-only
# in responses) as written in a template or `az image builder create --image-template`
# file, where type, apiVersion, name and dependsOn are part of the declaration.
ENVELOPE = {
    "type": {"type": "string", "description": "Resource type: Microsoft.VirtualMachineImages/imageTemplates."},
    "apiVersion": {"type": "string", "description": "API version of the resource provider."},
    "name": {"type": "string", "description": "Name of the image template."},
    "location": {"type": "string", "description": "The geo-location where the resource lives."},
    "dependsOn": {"type": "array", "items": {"type": "string"}, "description": "ARM deployment dependencies."},
    "comments": {"type": "string", "description": "ARM template comment."},
    "condition": {"description": "ARM template deployment condition."},
    "copy": {"type": "object", "description": "ARM template resource loop."},
    "scope": {"type": "string", "description": "ARM template deployment scope."},
    "resources": {"type": "array", "description": "ARM child resources, e.g. triggers."},
    "tags": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Resource tags."},
}
ENVELOPE_READ_ONLY = ("id", "systemData")
DROP_KEYS = {"x-ms-enum", "x-ms-client-flatten", "x-ms-identifiers", "x-ms-mutability",
             "x-ms-client-name", "x-ms-secret", "format", "title", "x-nullable", "x-ms-azure-resource"}


def local_ref(ref: str) -> str | None:
    """Return the definition name of a local ``#/definitions/X`` reference."""
    return ref.split("/")[-1] if ref.startswith("#/definitions/") else None


class Generator:
    """Turns one swagger file into one JSON Schema document."""

    def __init__(self, swagger: dict) -> None:
        self.defs_in = swagger["definitions"]
        self.defs_out: dict[str, dict] = {}
        self.subtypes = self._find_subtypes()

    def _find_subtypes(self) -> dict[str, list[tuple[str, str]]]:
        found: dict[str, list[tuple[str, str]]] = {}
        for name, d in self.defs_in.items():
            for part in d.get("allOf", []):
                base = local_ref(part.get("$ref", ""))
                if base and "discriminator" in self.defs_in[base]:
                    value = d.get("x-ms-discriminator-value", name)
                    found.setdefault(base, []).append((value, name))
        return found

    def ref(self, name: str) -> dict:
        if name not in self.defs_out:
            self.defs_out[name] = {}  # placeholder breaks reference cycles
            self.defs_out[name] = self.definition(name)
        return {"$ref": f"#/$defs/{name}"}

    def definition(self, name: str) -> dict:
        d = self.defs_in[name]
        if "discriminator" in d:
            return self.dispatcher(name, d)
        return self.node(d, self.inherited(d))

    def inherited(self, d: dict) -> tuple[dict, list]:
        """Properties and required names a subtype takes from its allOf bases."""
        props: dict = {}
        required: list = []
        for part in d.get("allOf", []):
            base = local_ref(part.get("$ref", ""))
            if base is None:
                continue
            b = self.defs_in[base]
            bp, br = self.inherited(b)
            props.update(bp)
            props.update(b.get("properties", {}))
            required += br + b.get("required", [])
        return props, required

    def dispatcher(self, name: str, d: dict) -> dict:
        key = d["discriminator"]
        subs = sorted(self.subtypes.get(name, []))
        out = {"type": "object", "description": d.get("description", ""),
               "required": [key],
               "properties": {key: {"type": "string", "enum": [v for v, _ in subs],
                                    "description": d["properties"][key].get("description", "")}},
               "allOf": []}
        for value, sub in subs:
            out["allOf"].append({
                "if": {"properties": {key: {"const": value}}, "required": [key]},
                "then": self.ref(sub),
            })
        return out

    def node(self, d: dict, inherited: tuple[dict, list] = ({}, [])) -> dict:
        """Convert one swagger schema object (not a discriminator base)."""
        if "$ref" in d:
            target = local_ref(d["$ref"])
            out = self.ref(target)
            if d.get("description"):
                out["description"] = d["description"]
            if "default" in d:
                out["default"] = d["default"]
            return out
        out = {k: v for k, v in d.items()
               if k not in DROP_KEYS and k not in ("properties", "required", "allOf", "items",
                                                   "additionalProperties", "discriminator")
               and not k.startswith("x-ms-discriminator")}
        if d.get("type") == "array" and "items" in d:
            out["items"] = self.node(d["items"])
        props = dict(inherited[0])
        props.update(d.get("properties", {}))
        if "additionalProperties" in d:
            ap = d["additionalProperties"]
            out["additionalProperties"] = self.node(ap) if isinstance(ap, dict) else ap
        if props or d.get("type") == "object" and "additionalProperties" not in d:
            out["type"] = "object"
            out["properties"] = {k: self.prop(v) for k, v in props.items()}
            required = list(dict.fromkeys(inherited[1] + d.get("required", [])))
            if required:
                out["required"] = required
            out["additionalProperties"] = False
        return out

    def prop(self, d: dict) -> dict:
        if d.get("readOnly"):
            return {"not": {}, "readOnly": True, "description": d.get("description", "")}
        return self.node(d)


def envelope(gen: Generator) -> dict:
    """The root schema: the imageTemplates resource as declared by a user."""
    it = gen.defs_in["ImageTemplate"]
    props = dict(ENVELOPE)
    props["identity"] = gen.node(it["properties"]["identity"])
    props["properties"] = gen.node({k: v for k, v in it["properties"]["properties"].items()})
    for name in ENVELOPE_READ_ONLY:
        props[name] = {"not": {}, "readOnly": True, "description": "Set by the service."}
    return {"type": "object", "properties": props,
            "required": ["location", "identity", "properties"], "additionalProperties": False}


def generate(api_version: str, swagger: dict) -> dict:
    """Build the JSON Schema for one apiVersion."""
    gen = Generator(swagger)
    root = envelope(gen)
    if "Trigger" in gen.defs_in:
        gen.ref("Trigger")
    schema = {"$schema": DIALECT,
              "$id": f"https://aibgen.invalid/schemas/{api_version}/imagetemplate.json",
              "title": f"Azure Image Builder template, apiVersion {api_version}",
              "description": "Generated by tools/gen_schemas.py from the official swagger; do not edit."}
    schema.update(root)
    schema["$defs"] = {k: gen.defs_out[k] for k in sorted(gen.defs_out)}
    return schema


def property_paths(schema: dict) -> set[str]:
    """Every property path a user can set, e.g. ``properties.distribute[SharedImage].targetRegions``."""
    defs = schema["$defs"]
    found: set[str] = set()

    def walk(node: dict, path: str, seen: frozenset) -> None:
        if "$ref" in node:
            name = node["$ref"].split("/")[-1]
            if name in seen:
                return
            walk(defs[name], path, seen | {name})
            return
        for part in node.get("allOf", []):
            value = part["if"]["properties"]
            value = next(iter(value.values()))["const"]
            base = path[:-2] if path.endswith("[]") else path
            found.add(f"{base}[{value}]")
            walk(part["then"], f"{base}[{value}]", seen)
        if "items" in node:
            walk(node["items"], path + "[]", seen)
        for key, sub in node.get("properties", {}).items():
            if sub.get("readOnly"):
                continue
            child = f"{path}.{key}" if path else key
            found.add(child)
            walk(sub, child, seen)

    walk(schema, "", frozenset())
    return found


def version_index(schemas: dict[str, dict]) -> dict:
    """For each property path, the first apiVersion (of those bundled) that has it."""
    first: dict[str, str] = {}
    for version in sorted(schemas):
        for path in sorted(property_paths(schemas[version])):
            first.setdefault(path, version)
    return {"versions": sorted(schemas), "introduced": dict(sorted(first.items()))}


def dump(obj: dict) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


def outputs() -> dict[Path, str]:
    """Every generated file and its text."""
    schemas = {}
    for spec in sorted(SPEC_DIR.glob("*/imagebuilder.json")):
        version = spec.parent.name
        schemas[version] = generate(version, json.loads(spec.read_text(encoding="utf-8")))
    files = {OUT_DIR / f"{v}.json": dump(s) for v, s in schemas.items()}
    files[OUT_DIR / "versions.json"] = dump(version_index(schemas))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if committed schemas differ")
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("stale: " + ", ".join(str(p.relative_to(ROOT)) for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

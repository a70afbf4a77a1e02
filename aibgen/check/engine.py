"""Check Image Builder templates: shapes, apiVersion, schema and rules → findings.

Pointers in findings are RFC 6901 pointers into the checked document. ARM expressions
and ``<placeholders>`` are unknown values: schema and rule checks that need their value
skip them (placeholders are reported once, as AIB004).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aibgen import memo, resources
from aibgen.facts import azure
from aibgen.errors import did_you_mean
from aibgen.report.finding import Finding
from aibgen.sources.schemaerrors import describe, pointer, unexpected
from aibgen.check.values import COMMAND_FIELDS, is_expression, is_unknown, placeholder
from aibgen.sources.yamlsrc import escape

RESOURCE_TYPE = "Microsoft.VirtualMachineImages/imageTemplates"
RETIRED = {"2018-02-01-preview": "2020-02-14", "2019-02-01-preview": "2020-02-14", "2019-05-01-preview": "2020-02-14"}
_RULE_OF = {"required": "AIB104", "type": "AIB105", "enum": "AIB106", "const": "AIB106",
            "not": "AIB103", "minimum": "AIB107", "maximum": "AIB107", "pattern": "AIB107",
            "minItems": "AIB107"}
_DISCRIMINATORS = ("type", "scheme")


@dataclass
class Options:
    """What to check: an apiVersion override, rule selection by id or prefix, policy."""

    api_version: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    policy: dict = field(default_factory=dict)
    config: object = None  # aibgen.config.Config, for per-path ignores

    def for_file(self, name: str) -> "Options":
        """These options with the configuration's per-path ignores for ``name`` added."""
        extra = self.config.ignores_for(name) if self.config is not None else ()
        if not extra:
            return self
        return Options(self.api_version, self.select, self.ignore + extra, self.policy, self.config)

    @property
    def filtering(self) -> bool:
        return bool(self.select or self.ignore)

    def wants(self, rule_id: str) -> bool:
        if self.select and not any(rule_id.startswith(s) for s in self.select):
            return False
        return not any(rule_id.startswith(i) for i in self.ignore)


@dataclass
class Template:
    """One image template found in a document."""

    base: str
    resource: dict
    properties_only: bool = False
    findings: list = field(default_factory=list)


def validator(api_version: str, part: str = "resource"):
    """The compiled schema validator for one apiVersion (built once per process)."""
    from aibgen.sources.validator import Validator

    return memo.get("validator", (api_version, part), lambda: Validator(schema_for(api_version, part)))


def schema_for(api_version: str, part: str = "resource") -> dict:
    """The bundled schema of an apiVersion, or (``part='properties'``) of its properties object."""
    schema = resources.schema(api_version)
    if part == "properties":
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/ImageTemplateProperties"}
    return schema


# -- shapes ------------------------------------------------------------------------
def templates(doc) -> list[Template]:
    """Every image template in ``doc``: ARM template, bare resource or properties object."""
    if not isinstance(doc, dict):
        return []
    if isinstance(doc.get("resources"), (list, dict)) and "properties" not in doc:
        return list(_arm_templates(doc, ""))
    if isinstance(doc.get("properties"), dict) or "identity" in doc or "location" in doc:
        return [Template("", doc)]
    if any(k in doc for k in ("source", "distribute", "customize")):
        return [Template("", {"properties": doc}, properties_only=True)]
    return []


def _arm_templates(doc: dict, base: str):
    listed = doc.get("resources") or []
    # languageVersion 2.0 (e.g. compiled Bicep) keys resources by symbolic name
    pairs = listed.items() if isinstance(listed, dict) else enumerate(listed)
    for i, res in pairs:
        if not isinstance(res, dict):
            continue
        i = escape(i) if isinstance(i, str) else i
        kind = str(res.get("type", "")).lower()
        if kind == RESOURCE_TYPE.lower():
            yield Template(f"{base}/resources/{i}", res)
        elif kind == "microsoft.resources/deployments":
            inner = (res.get("properties") or {}).get("template") if isinstance(res.get("properties"), dict) else None
            if isinstance(inner, dict):
                yield from _arm_templates(inner, f"{base}/resources/{i}/properties/template")


# -- apiVersion ------------------------------------------------------------------------
def resolve_version(t: Template, opts: Options) -> str:
    """The apiVersion to check ``t`` against; notes about it go into ``t.findings``."""
    stable = resources.api_versions()
    if opts.api_version:
        return opts.api_version
    if t.properties_only:
        return stable[-1]
    value = t.resource.get("apiVersion")
    where = "/apiVersion"
    if value is None:
        t.findings.append(Finding("AIB003", "error", f"no apiVersion; checked against {stable[-1]}", where))
        return stable[-1]
    if not isinstance(value, str):
        t.findings.append(Finding("AIB003", "error", f"apiVersion must be text such as \"{stable[-1]}\"; "
                                  f"checked against {stable[-1]}", where))
        return stable[-1]
    if is_expression(value):
        t.findings.append(Finding("AIB008", "info", f"apiVersion is an ARM expression; checked against {stable[-1]} "
                                  "(pass --api-version to choose)", where))
        return stable[-1]
    if value in stable:
        return value
    if value in RETIRED:
        t.findings.append(Finding("AIB005", "error", f"apiVersion {value} is a retired preview; move to {RETIRED[value]} "
                                  f"or newer (newest: {stable[-1]})", where))
        return RETIRED[value]
    older = [v for v in stable if isinstance(value, str) and v <= value[:10]]
    nearest = older[-1] if older else stable[0]
    t.findings.append(Finding("AIB003", "error", f"apiVersion {value!r} is not a stable Image Builder version "
                              f"(known: {', '.join(stable)}); checked against {nearest}", where))
    return nearest


# -- schema ----------------------------------------------------------------------------
def check_schema(doc: dict, api_version: str, part: str = "resource") -> list[Finding]:
    """Schema findings for a resource (or, with ``part='properties'``, a properties object)."""
    findings: list[Finding] = []
    root = doc if part == "resource" else {"properties": doc}
    for error in validator(api_version, part).iter_errors(doc):
        if is_unknown(error.instance) and error.validator != "additionalProperties":
            continue
        for f in _findings(error, root, api_version, "" if part == "resource" else "/properties"):
            findings.append(f)
    return sorted(set(findings), key=lambda f: (f.pointer, f.rule, f.message))


def _findings(error, root: dict, api_version: str, prefix: str) -> list[Finding]:
    path = ([p for p in prefix.split("/") if p]) + list(error.absolute_path)
    if error.validator == "additionalProperties":
        return [_unknown(error, path, key, root, api_version, prefix) for key in unexpected(error)]
    if error.validator == "enum" and path and path[-1] in _DISCRIMINATORS:
        newer = _introduced(path[:-1], root, "")
        if newer and newer > api_version:
            return [_needs(pointer(error.absolute_path), f"{path[-1]} '{error.instance}'", newer, api_version)]
    where, message = describe(error)
    return [Finding(_RULE_OF.get(error.validator, "AIB100"), "error", message, where)]


def _unknown(error, path: list, key: str, root: dict, api_version: str, prefix: str) -> Finding:
    where = pointer(error.absolute_path) + "/" + escape(key)
    newer = _introduced(path, root, "." + key)
    if newer and newer > api_version:
        return _needs(where, f"'{key}'", newer, api_version)
    hint = did_you_mean(key, error.schema.get("properties", {}))
    return Finding("AIB101", "error", f"unknown property '{key}'{hint}", where)


def _needs(where: str, what: str, newer: str, current: str) -> Finding:
    return Finding("AIB102", "error", f"{what} needs apiVersion {newer} or newer (this template uses {current}); "
                   f"raise apiVersion or remove it", where)


def _introduced(path: list, doc: dict, suffix: str) -> str | None:
    """First apiVersion that has the property at ``path`` + ``suffix`` in ``doc``."""
    index = resources.schema("versions")["introduced"]
    key, node = "", doc
    for part in path:
        node = node[part] if isinstance(node, (dict, list)) else None
        key = key + "[]" if isinstance(part, int) else (f"{key}.{part}" if key else str(part))
        key = _with_subtype(key, node, index)
    full = key + suffix if key else suffix.lstrip(".")
    return index.get(full) or index.get(full.replace("[]", ""))


def _with_subtype(key: str, node, index: dict) -> str:
    if isinstance(node, dict):
        for disc in _DISCRIMINATORS:
            value = node.get(disc)
            if isinstance(value, str):
                base = key[:-2] if key.endswith("[]") else key
                if f"{base}[{value}]" in index:
                    return f"{base}[{value}]"
    return key


# -- placeholders, type, rules ---------------------------------------------------------------
def placeholders(value, ptr: str = "") -> list[Finding]:
    """AIB004 for every value (or mapping key) that holds a ``<placeholder>``."""
    found: list[Finding] = []
    stack = [(value, ptr)]
    while stack:
        node, at = stack.pop()
        if type(node) is dict:
            for key, child in node.items():
                cptr = f"{at}/{escape(key)}"
                if "<" in key and placeholder(key):
                    found.append(_placeholder(cptr, key))
                if key not in COMMAND_FIELDS and type(child) in (dict, list, str):
                    stack.append((child, cptr))
        elif type(node) is list:
            stack.extend((child, f"{at}/{i}") for i, child in enumerate(node) if type(child) in (dict, list, str))
        elif "<" in node and placeholder(node):
            found.append(_placeholder(at, node))
    return found


def _placeholder(ptr: str, text: str) -> Finding:
    return Finding("AIB004", "error", f"unfilled placeholder {placeholder(text)}; replace it with a real value", ptr)


def run_rules(resource: dict, version: str, opts: Options) -> list[Finding]:
    """Findings of every selected registered rule on one resource."""
    from aibgen.rules import Context

    props = resource.get("properties")
    ctx = Context(resource, version, azure.image_os(props.get("source") if isinstance(props, dict) else None),
                  opts.policy)
    found: list[Finding] = []
    from aibgen.rules import REGISTRY, load_builtin

    load_builtin()
    for rule in _active_rules(opts.select, opts.ignore, tuple(REGISTRY)):
        try:
            found.extend(Finding(rule.id, rule.severity, msg, ptr) for ptr, msg in rule.check(ctx))
        except Exception as exc:  # a broken rule must not hide the other findings
            found.append(Finding("AIB000", "error", f"rule {rule.id} failed: {type(exc).__name__}: {exc}", ""))
    return found


def _active_rules(select: tuple, ignore: tuple, registered: tuple) -> tuple:
    """Rules with a check that the selection keeps, out of the ``registered`` rule ids."""
    from aibgen.rules import REGISTRY

    def make() -> tuple:
        opts = Options(select=select, ignore=ignore)
        return tuple(REGISTRY[r] for r in registered if REGISTRY[r].check is not None and opts.wants(r))

    return memo.get("rules", (select, ignore, registered), make)


def check_template(t: Template, opts: Options) -> list[Finding]:
    """All findings for one image template, pointers relative to the document."""
    version = resolve_version(t, opts)
    found = list(t.findings)
    res = t.resource
    kind = res.get("type")
    if not t.properties_only and isinstance(kind, str) and kind.lower() != RESOURCE_TYPE.lower() and not is_unknown(kind):
        found.append(Finding("AIB007", "error", f"type is '{kind}'; it must be {RESOURCE_TYPE}", "/type"))
    if t.properties_only:
        found.extend(check_schema(res["properties"], version, "properties"))
    else:
        found.extend(check_schema(res, version))
    found.extend(placeholders(res))
    found.extend(run_rules(res, version, opts))
    if opts.filtering:
        found = [f for f in found if opts.wants(f.rule)]
    if t.properties_only or t.base:
        strip = "/properties" if t.properties_only else ""
        found = [f._replace(pointer=t.base + _strip(f.pointer, strip)) for f in found]
    return found


def _strip(ptr: str, prefix: str) -> str:
    return ptr[len(prefix):] if prefix and ptr.startswith(prefix) else ptr


def check_document(doc, opts: Options | None = None) -> list[Finding]:
    """Findings (without file positions) for a parsed JSON document."""
    opts = opts or Options()
    found = templates(doc)
    if not found:
        return [Finding("AIB002", "error", "no Image Builder template found: expected an imageTemplates resource, "
                        "an ARM template with one, or its properties object", "")]
    return [f for t in found for f in check_template(t, opts)]

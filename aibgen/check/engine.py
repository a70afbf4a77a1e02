"""Check Image Builder templates: shapes, apiVersion, schema and rules → findings.

Pointers in findings are RFC 6901 pointers into the checked document. ARM expressions
and ``<placeholders>`` are unknown values: schema and rule checks that need their value
skip them (placeholders are reported once, as AIB004).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aibgen import memo
from aibgen.check.schema import check_schema, schema_for, validator  # noqa: F401  (the public API)
from aibgen.check.shapes import Template, templates
from aibgen.check.values import COMMAND_FIELDS, is_unknown, placeholder
from aibgen.check.versions import resolve_version
from aibgen.errors import guarded
from aibgen.facts import images
from aibgen.facts.resource_ids import RESOURCE_TYPE
from aibgen.report.finding import Finding
from aibgen.rules import finding
from aibgen.sources.pointers import escape

__all__ = ["Options", "Template", "check_document", "check_schema", "check_template", "schema_for",
           "templates", "validator"]


@dataclass
class Options:
    """What to check: an apiVersion override, rule selection by id or prefix, policy."""

    api_version: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    policy: dict = field(default_factory=dict)
    config: object = None  # aibgen.config.Config, for per-path ignores
    image: dict | None = None  # the profile's imageDefinition, when a profile was rendered

    def for_file(self, name: str) -> "Options":
        """These options with the configuration's per-path ignores for ``name`` added."""
        extra = self.config.ignores_for(name) if self.config is not None else ()
        if not extra:
            return self
        return Options(self.api_version, self.select, self.ignore + extra, self.policy, self.config, self.image)

    @property
    def filtering(self) -> bool:
        return bool(self.select or self.ignore)

    def wants(self, rule_id: str) -> bool:
        if self.select and not any(rule_id.startswith(s) for s in self.select):
            return False
        return not any(rule_id.startswith(i) for i in self.ignore)


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
    return finding("AIB004", f"unfilled placeholder {placeholder(text)}; replace it with a real value", ptr)


def run_rules(resource: dict, version: str, opts: Options, arm: dict | None = None) -> list[Finding]:
    """Findings of every selected registered rule on one resource (``arm``: its deployment template)."""
    from aibgen.rules import Context

    props = resource.get("properties")
    ctx = Context(resource, version, images.image_os(props), opts.policy, arm, opts.image)
    found: list[Finding] = []
    from aibgen.rules import REGISTRY, load_builtin

    load_builtin()
    for rule in _active_rules(opts.select, opts.ignore, tuple(REGISTRY)):
        found.extend(_run(rule, ctx))
    return found


def _run(rule, ctx) -> list[Finding]:
    """The findings of one rule; a rule that fails or returns garbage is one AIB000 naming it."""
    try:
        pairs = list(rule.check(ctx))
        bad = next((p for p in pairs if not _well_formed(p)), None)
        if bad is None:
            return [Finding(rule.id, rule.severity, msg, ptr) for ptr, msg in pairs]
        problem = f"returned {_short(bad)}, not a (JSON pointer, message) pair of plain strings"
    except BaseException as exc:  # noqa: BLE001 - even SystemExit or KeyboardInterrupt from a plugin
        if not guarded(exc):
            raise
        problem = f"failed: {type(exc).__name__}: {_text(exc)}"
    return [finding("AIB000", f"rule {rule.id} {problem}")]


def _well_formed(pair) -> bool:
    """A tuple of two plain ``str`` (exact types: a subclass could run code when compared)."""
    if type(pair) is not tuple or tuple.__len__(pair) != 2:
        return False
    ptr, msg = pair
    return type(ptr) is str and type(msg) is str and msg != "" and (ptr == "" or ptr[0] == "/")


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except BaseException:  # noqa: BLE001 - an exception whose __str__ fails
        return "(no message)"


def _short(value) -> str:
    try:
        text = repr(value)
    except BaseException:  # noqa: BLE001 - a __repr__ that fails
        text = f"a {type(value).__name__}"
    return text if len(text) <= 80 else text[:77] + "..."


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
        found.append(finding("AIB007", f"type is '{kind}'; it must be {RESOURCE_TYPE}", "/type"))
    if t.properties_only:
        found.extend(check_schema(res["properties"], version, "properties"))
    else:
        found.extend(check_schema(res, version))
    found.extend(placeholders(res))
    found.extend(run_rules(res, version, opts, t.arm))
    if opts.filtering:
        found = [f for f in found if opts.wants(f.rule)]
    if t.renamed or t.properties_only or t.base:
        found = [f._replace(pointer=t.in_document(f.pointer)) for f in found]
    return found


def check_document(doc, opts: Options | None = None) -> list[Finding]:
    """Findings (without file positions) for a parsed JSON document."""
    opts = opts or Options()
    found = templates(doc)
    if not found:
        return [finding("AIB002", "no Image Builder template found: expected an imageTemplates resource, "
                        "an ARM template with one, or its properties object")]
    return [f for t in found for f in check_template(t, opts)]

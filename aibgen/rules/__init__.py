"""The rule registry: every check aibgen reports has a stable id, a severity and docs.

A rule is a function decorated with :func:`rule`; its docstring is the text
``aibgen explain`` shows (what it checks, why, how to fix, where it is documented). It
receives a :class:`Context` for one image template and yields ``(pointer, message)``
pairs; the pointer is relative to the image template resource. Ids are forever: a
retired rule keeps its number. Families: AIB0xx document, AIB1xx schema, AIB2xx source,
AIB3xx customize and validate, AIB4xx distribute, AIB5xx identity, network, VM profile
and build settings, AIB6xx security, AIB7xx organisation policy, AIB9xx organisation rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from aibgen.check.values import known_str

DOCS = "https://learn.microsoft.com/azure/virtual-machines/linux/image-builder-json"
ID_RE = re.compile(r"AIB\d{3}")


@dataclass(frozen=True)
class Rule:
    """One registered rule."""

    id: str
    severity: str
    summary: str
    explain: str
    check: Callable[["Context"], Iterable[tuple[str, str]]] | None = None
    fix: str = ""  # what ``aibgen validate --fix`` does about it; empty: nothing

    @property
    def fixable(self) -> bool:
        return bool(self.fix)

    def documentation(self) -> str:
        """The explanation, with what --fix does about the rule (or that it leaves it alone)."""
        fix = f"Fixable: `aibgen validate --fix` {self.fix}." if self.fix else "Not fixed by `aibgen validate --fix`."
        return f"{self.explain}\n\n{fix}"


REGISTRY: dict[str, Rule] = {}


def register(r: Rule) -> Rule:
    """Add a rule; an id that is malformed or already taken is a programming error."""
    if not ID_RE.fullmatch(r.id):
        raise ValueError(f"rule id {r.id!r} is not of the form AIB000")
    if r.id in REGISTRY:
        raise ValueError(f"rule id {r.id} is registered twice")
    if r.severity not in ("error", "warning", "info"):
        raise ValueError(f"rule {r.id}: bad severity {r.severity!r}")
    REGISTRY[r.id] = r
    return r


def rule(rule_id: str, severity: str, summary: str, anchor: str | None = None, fix: str = ""):
    """Decorator registering a check function as a rule; its docstring is the explanation.

    ``anchor`` names the section of the Image Builder template docs the rule comes from;
    ``fix`` says what ``aibgen validate --fix`` does about the rule's findings, if anything.
    """

    def deco(fn):
        text = _dedent(fn.__doc__ or summary)
        if anchor:
            text += f"\n\nDocs: {DOCS}#{anchor}"
        register(Rule(rule_id, severity, summary, text, fn, fix))
        return fn

    return deco


def describe(rule_id: str, severity: str, summary: str, explain: str, fix: str = "") -> None:
    """Register a rule the checker itself reports (document and schema families)."""
    register(Rule(rule_id, severity, summary, _dedent(explain), fix=fix))


def _dedent(text: str) -> str:
    import textwrap

    first, _, rest = text.strip().partition("\n")
    return (first + "\n" + textwrap.dedent(rest)).strip()


class Context:
    """One image template as the rules see it; item lists are built once."""

    def __init__(self, resource: dict, version: str, os: str | None, policy: dict | None = None,
                 arm: dict | None = None, image: dict | None = None) -> None:
        self.resource, self.version, self.os = resource, version, os
        self.arm = arm  # the ARM deployment template holding the resource, or None for a bare resource
        self.image = image  # the rendered profile's imageDefinition, or None (validate knows no profile)
        self.policy: dict = policy or {}
        p = resource.get("properties")
        self.props: dict = p if isinstance(p, dict) else {}
        self._items: dict[str, list] = {}
        v = self.props.get("validate")
        self._validators = _objects(v.get("inVMValidations") if isinstance(v, dict) else None,
                                    "/properties/validate/inVMValidations")
        self._steps = self.items("customize") + self._validators

    def marketplace(self) -> tuple[str, str, str] | None:
        """``(publisher, offer, sku)`` of a PlatformImage source whose three names are known, else None."""
        src = self.props.get("source")
        if not isinstance(src, dict) or src.get("type") != "PlatformImage":
            return None
        names = tuple(known_str(src.get(k)) for k in ("publisher", "offer", "sku"))
        return names if all(names) else None  # type: ignore[return-value]

    def items(self, key: str) -> list[tuple[str, dict]]:
        """``(pointer, item)`` for each object in ``properties[key]`` (customize, distribute)."""
        if key not in self._items:
            self._items[key] = _objects(self.props.get(key), f"/properties/{key}")
        return self._items[key]

    def validators(self) -> list[tuple[str, dict]]:
        return self._validators

    def steps(self) -> list[tuple[str, dict]]:
        """Customizers then in-VM validators."""
        return self._steps

    def downloads(self) -> list[tuple[str, dict, str]]:
        """``(pointer, step, key)`` for each step that downloads ``scriptUri`` or File ``sourceUri``."""
        out = []
        for ptr, step in self._steps:
            key = "sourceUri" if step.get("type") == "File" else "scriptUri"
            if step.get("type") in ("Shell", "PowerShell", "File") and key in step:
                out.append((ptr, step, key))
        return out


    def replication_regions(self, item_ptr: str, item: dict) -> list[tuple[str, str]]:
        """``(pointer, region)`` for each known region a distributor replicates to.

        ``replicationRegions`` entries and ``targetRegions[].name``; an ARM expression or a
        placeholder standing for a whole list, or for one region, is an unknown value and skipped.
        """
        out = []
        for i, name in enumerate(_list(item.get("replicationRegions"))):
            if known_str(name):
                out.append((f"{item_ptr}/replicationRegions/{i}", name))
        for i, region in enumerate(_list(item.get("targetRegions"))):
            if isinstance(region, dict) and known_str(region.get("name")):
                out.append((f"{item_ptr}/targetRegions/{i}/name", region["name"]))
        return out

    def regions(self) -> list[tuple[str, str]]:
        """``(pointer, region)`` for the template's location and every region it distributes to."""
        out = [("/location", self.resource["location"])] if known_str(self.resource.get("location")) else []
        for ptr, item in self.items("distribute"):
            if known_str(item.get("location")):
                out.append((f"{ptr}/location", item["location"]))
            out.extend(self.replication_regions(ptr, item))
        return out


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _objects(value, base: str) -> list[tuple[str, dict]]:
    if not isinstance(value, list):
        return []
    return [(f"{base}/{i}", item) for i, item in enumerate(value) if isinstance(item, dict)]


def load_builtin() -> dict[str, Rule]:
    """Import every built-in rule module (each registers its rules), then the plugins; the registry."""
    from aibgen import memo

    memo.get("rules-loaded", None, _import_all)
    return REGISTRY


def _import_all() -> bool:
    from aibgen.rules import (  # noqa: F401
        customize, distribute, document, fit, freshness, identity, policy, regions, security, settings, source)
    _load_plugins()
    return True


def finding(rule_id: str, message: str, pointer: str = "", file: str = "", line: int = 1, column: int = 1):
    """A :class:`~aibgen.report.finding.Finding` of rule ``rule_id``, with the severity registered for it."""
    from aibgen.report.finding import Finding

    if rule_id not in REGISTRY:
        from aibgen.rules import document  # noqa: F401  (AIB0xx and AIB1xx are described there)
    return Finding(rule_id, REGISTRY[rule_id].severity, message, pointer, file, line, column)


def _load_plugins() -> None:
    """Rules from installed packages (entry point group ``aibgen.rules``), ids AIB9xx only."""
    from importlib.metadata import entry_points

    from aibgen.errors import AibgenError, guarded

    builtin = dict(REGISTRY)
    for ep in sorted(entry_points(group="aibgen.rules"), key=lambda e: e.name):
        before = set(REGISTRY)
        try:
            ep.load()
        except BaseException as exc:  # noqa: BLE001 - a broken plugin is named, whatever it raised
            if not guarded(exc):
                raise
            raise AibgenError(f"rule plugin '{ep.name}' ({ep.value}) failed to load: {type(exc).__name__}: {exc}") from None
        for rid in set(REGISTRY) - before:
            if not rid.startswith("AIB9"):
                del REGISTRY[rid]
                raise AibgenError(f"rule plugin '{ep.name}' registered {rid}; organisation rules use ids AIB900-AIB999")
        changed = sorted(rid for rid, r in builtin.items() if REGISTRY.get(rid) is not r)
        if changed:
            REGISTRY.update(builtin)
            raise AibgenError(f"rule plugin '{ep.name}' replaced built-in rule {changed[0]}; "
                              "organisation rules add ids AIB900-AIB999 and change no others")

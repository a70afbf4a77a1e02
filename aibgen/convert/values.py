"""Turn a template's values into profile values, and what the template left open into parameters.

Every string of a template becomes profile text: Jinja delimiters in it are escaped, so the
profile renders the same text back. What the template leaves open becomes a parameter:

* ``[parameters('x')]`` in an ARM deployment template: parameter ``x`` with the type,
  default, allowed values and description of the ARM ``parameters`` block;
  ``[variables('v')]`` whose value is a literal is inlined; any other ARM expression stays
  as text (a note names it);
* a ``<placeholder>``: a required parameter named after it;
* the template's location, identity, name and resource ids: parameters with the
  template's values as examples, so one profile serves every environment.

Each conversion gives two values: the profile text, and the value the profile renders to
with the parameters' example values (what the import checks the profile against). A
required parameter the template gives no value for gets an example made to fit its type,
marked as made up in its help.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from aibgen.check.values import COMMAND_FIELDS, PLACEHOLDER, is_expression
from aibgen.convert.armparams import ZERO_SUB, has_expression, spec_of
from aibgen.convert.roles import Role, role_of
from aibgen.facts import regions, resource_ids

_REF = re.compile(r"\[\s*(parameters|variables)\(\s*'([^']+)'\s*\)\s*\]", re.IGNORECASE)
_RESERVED = {"profile_name", "api_version", "os", "true", "false", "none", "True", "False", "None", "and", "or",
             "not", "in", "is", "if", "else", "loop", "self", "range", "dict", "namespace", "params", "args",
             "item", "template"}
_SPARE_REGIONS = ("westus2", "eastus", "westeurope", "northeurope", "eastus2", "southcentralus", "uksouth",
                  "australiaeast", "westus3", "centralus")


class Text(str):
    """Profile text that carries the comment to write beside it (what the template had)."""

    comment: str = ""


@dataclass
class Param:
    """One parameter an import makes: its profile spec and where it came from."""

    name: str
    spec: dict
    made_up: bool = False


@dataclass
class Values:
    """The parameters of one imported template, and the conversion of its values."""

    arm: dict | None = None
    params: dict[str, Param] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (template pointer, message)
    _by_value: dict[tuple, str] = field(default_factory=dict)
    _by_arm: dict[str, str] = field(default_factory=dict)
    _placeholders: dict[str, str] = field(default_factory=dict)

    # -- the whole tree ---------------------------------------------------------------
    def tree(self, value, ptr: str):
        """``(profile value, rendered value)`` of a template value at ``ptr`` (keys kept)."""
        if isinstance(value, dict):
            pairs = {k: self.tree(v, f"{ptr}/{_esc(k)}") for k, v in value.items()}
            return {k: p for k, (p, _) in pairs.items()}, {k: e for k, (_, e) in pairs.items()}
        if isinstance(value, list):
            pairs = [self.tree(v, f"{ptr}/{i}") for i, v in enumerate(value)]
            return [p for p, _ in pairs], [e for _, e in pairs]
        if isinstance(value, str):
            return self.text(value, ptr, role_of(ptr))
        return value, value

    # -- one string -------------------------------------------------------------------
    def text(self, value: str, ptr: str, role: Role):
        """``(profile value, rendered value)`` of one template string."""
        if self.arm is not None and is_expression(value):
            return self._expression(value, ptr, role, 0)
        if self.arm is not None and value.startswith("[[") and value.endswith("]"):
            value = value[1:]  # ARM's escape for a literal '['
        if role.param and not role.command:
            return self._whole(value, ptr, role)
        if role.region and self._same_as_location(value):
            return self._use("location", value), self.example("location")
        if not role.command and PLACEHOLDER.search(value):
            return self._placeholders_in(value, ptr, role)
        return escape(value), value

    def _expression(self, value: str, ptr: str, role: Role, depth: int, written: str | None = None):
        """A plain reference becomes its parameter or literal; any other expression stays as written."""
        written = written or value
        m = _REF.fullmatch(value)
        if m and m.group(1).lower() == "parameters":
            name = self._arm_param(m.group(2), ptr, role)
            return self._use(name, written), self.example(name)
        if m and depth < 10:
            table = self.arm.get("variables") if isinstance(self.arm, dict) else None
            if isinstance(table, dict) and _declared(table, m.group(2)) in table:
                literal = table[_declared(table, m.group(2))]
                if isinstance(literal, str) and _REF.fullmatch(literal):
                    return self._expression(literal, ptr, role, depth + 1, written)
                if not has_expression(literal):
                    profile, rendered = self.tree(literal, ptr) if not isinstance(literal, str) else \
                        self.text(literal, ptr, role)
                    return _commented(profile, f"was {written}"), rendered
        self.notes.append((ptr, f"the ARM expression {_short(written)} is kept as text: aibgen cannot evaluate it"))
        return escape(written), written

    def _whole(self, value: str, ptr: str, role: Role):
        """A value that is a parameter as a whole: the location, the identity, a resource id, the name."""
        key = (role.param, value)
        if key in self._by_value:
            name = self._by_value[key]
            return self._use(name, value), self.example(name)
        found = [m.group()[1:-1] for m in PLACEHOLDER.finditer(value)]
        example = _fill(value, role) if found else value
        spec = {"type": "string"}
        if role.kind == "region" and (regions.region_name(example) == example or found):
            spec = {"type": "region"}
        elif role.kind and role.kind != "region":
            kinds = (role.kind, "imageVersion") if role.kind == "galleryImage" else (role.kind,)
            kind = next((k for k in kinds if resource_ids.is_resource_id(k, example)), None)
            spec = {"type": "resource-id", "resource": kind} if kind else spec
        spec.update(help=role.help, example=example)
        if role.param != "name":
            spec["required"] = True
        name = self._add(role.param, spec, made_up=bool(found), template_name=role.param == "name")
        self._by_value[key] = name
        for ph in found:
            self._placeholders.setdefault(ph, name) if value == f"<{ph}>" else None
        return self._use(name, value), example

    def _same_as_location(self, value: str) -> bool:
        name = self._by_value.get(("location", value))
        return name == "location"

    def _placeholders_in(self, value: str, ptr: str, role: Role):
        parts, rendered, at = [], [], 0
        for m in PLACEHOLDER.finditer(value):
            before = value[at:m.start()]
            bare = before.rstrip("{")  # a "{" just before "{{ x }}" would join its braces: written apart
            parts.append(escape(bare) + "{{ '{' }}" * (len(before) - len(bare)))
            rendered.append(value[at:m.start()])
            name = self._placeholder(m.group()[1:-1], role, whole=m.group() == value)
            parts.append("{{ " + name + " }}")
            rendered.append(str(self.example(name)))
            at = m.end()
        parts.append(escape(value[at:]))
        rendered.append(value[at:])
        return _commented(_keep_space("".join(parts)), f"was {value}"), "".join(rendered)

    def _placeholder(self, ph: str, role: Role, whole: bool) -> str:
        if ph in self._placeholders:
            return self._placeholders[ph]
        if whole and role.region:
            used = {str(p.spec.get("example")) for p in self.params.values()}
            example = next((r for r in _SPARE_REGIONS if r not in used), "westus2")
            spec = {"type": "region"}
        elif whole and role.example:
            example, spec = role.example, {"type": "string"}
        elif whole and role.url:
            example, spec = f"https://example.com/{_ident(ph)}", {"type": "string"}
        else:
            example, spec = _ident(ph), {"type": "string"}
        spec.update(required=True, help=f"Stands for <{ph}> in the template.", example=example)
        name = self._add(_ident(ph), spec, made_up=True)
        self._placeholders[ph] = name
        return name

    # -- ARM parameters ---------------------------------------------------------------
    def _arm_param(self, arm_name: str, ptr: str, role: Role) -> str:
        table = self.arm.get("parameters") if isinstance(self.arm, dict) else None
        arm_name = _declared(table, arm_name)  # ARM reads names case-insensitively
        if arm_name in self._by_arm:
            return self._by_arm[arm_name]
        entry = table.get(arm_name) if isinstance(table, dict) else None
        if entry is None:
            self.notes.append((ptr, f"parameters('{arm_name}') names no parameter of the ARM template; it became a "
                                    "required parameter with a made-up example"))
        entry = entry if isinstance(entry, dict) else {}
        spec, made_up, notes = spec_of(arm_name, entry, role)
        self.notes.extend((ptr, n) for n in notes)
        name = self._add("name" if role.param == "name" else _ident(arm_name), spec, made_up,
                         template_name=role.param == "name")
        self._by_arm[arm_name] = name
        return name

    # -- bookkeeping ------------------------------------------------------------------
    def _add(self, base: str, spec: dict, made_up: bool, template_name: bool = False) -> str:
        name, n = base, 2
        while name in self.params or (name in _RESERVED) or (name == "name" and not template_name):
            name, n = f"{base}{n}", n + 1
        if made_up:
            spec["help"] = (spec.get("help", "") + " The example is made up: the template gives no value.").strip()
        self.params[name] = Param(name, spec, made_up)
        return name

    def example(self, name: str):
        spec = self.params[name].spec
        return spec["example"] if "example" in spec else spec.get("default")

    def _use(self, name: str, was: str) -> Text:
        return _commented("{{ " + name + " }}", f"was {was}")


def _keep_space(text: str) -> str:
    """One ``{{ x }}`` with white space around it: the space written raw, since Jinja would take
    the text for the parameter's value alone and drop it."""
    m = re.fullmatch(r"(\s*)(\{\{ \w+ \}\})(\s*)", text)
    if not m or not (m.group(1) or m.group(3)):
        return text
    def raw(space: str) -> str:
        return "{% raw %}" + space + "{% endraw %}" if space else ""

    return raw(m.group(1)) + m.group(2) + raw(m.group(3))


def escape(text: str) -> str:
    """``text`` as profile text that renders to itself (Jinja delimiters escaped)."""
    if not any(d in text for d in ("{{", "{%", "{#")):
        return text
    if "endraw" not in text:
        return "{% raw %}" + text + "{% endraw %}"
    return re.sub(r"\{(?=[{%#])", "{{ '{' }}", text)


def _declared(table, name: str) -> str:
    """``name`` as ``table`` spells it (ARM matches parameter and variable names ignoring case)."""
    if isinstance(table, dict) and name not in table:
        return next((k for k in table if isinstance(k, str) and k.lower() == name.lower()), name)
    return name


def _commented(value, comment: str):
    if isinstance(value, str):
        value = Text(value)
        value.comment = printable(_short(comment, 70))
    return value


def printable(text: str) -> str:
    """``text`` for a YAML comment: every character that is not printable (a line break above
    all, which would end the comment) written as its escape."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def _fill(value: str, role: Role) -> str:
    """An example for a value with placeholders: the subscription a zero GUID, a region
    westus2, a whole resource id its documented form, any other part the placeholder's name."""
    if PLACEHOLDER.fullmatch(value) and role.kind == "region":
        return "westus2"
    if PLACEHOLDER.fullmatch(value) and role.kind:
        form = resource_ids.resource_id_form(role.kind).replace("<guid>", ZERO_SUB).replace("<x.y.z|latest>", "1.0.0")
        last = form.rindex("<")
        value = form[:last] + value + form[form.index(">", last) + 1:]
    out = re.sub(r"(?i)(/subscriptions/)<[^>]*>", lambda m: m.group(1) + ZERO_SUB, value)
    return re.sub(r"<([^<>]+)>", lambda m: _ident(m.group(1)), out)


def _ident(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or "value"
    return name if not name[0].isdigit() else f"p_{name}"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _esc(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")

"""A small evaluator of the ARM template expressions aibgen writes, for tests.

It reads ARM's expression grammar (function calls, 'strings' with '' for a quote, integers,
``.property`` and ``[index]`` after a call) and knows the functions aibgen emits:
parameters, variables, format, concat, createArray, createObject, map, lambda,
lambdaVariables, if, empty, json, true, false, null, resourceGroup, subscription,
resourceId and reference. Deploying is what it stands in for: ``evaluate(template,
{"identity": ...})`` gives the resources ARM would create with those parameter values.
"""
from __future__ import annotations

import json
import re

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[(),.\[\]]))")
RG = {"name": "img-rg", "location": "westeurope",
      "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img-rg"}
SUB = {"subscriptionId": "00000000-0000-0000-0000-000000000000",
       "id": "/subscriptions/00000000-0000-0000-0000-000000000000"}


class Context:
    def __init__(self, template: dict, given: dict, references: dict | None = None) -> None:
        self.params = {}
        for name, spec in (template.get("parameters") or {}).items():
            if name in given:
                self.params[name] = given[name]
            elif "defaultValue" in spec:
                self.params[name] = None  # evaluated below, in this context
            else:
                raise KeyError(f"parameter {name} has no value and no default")
        for name, spec in (template.get("parameters") or {}).items():
            if name not in given:
                self.params[name] = value(spec["defaultValue"], self)
        self.variables = template.get("variables") or {}
        self.lambdas: list[dict] = []
        self.references = references or {}


def evaluate(template: dict, given: dict, references: dict | None = None) -> list:
    """The resources of ``template`` with every expression evaluated for parameters ``given``."""
    ctx = Context(template, given, references)
    out = []
    for resource in template["resources"]:
        inner = (resource.get("properties") or {}).get("template") if resource.get("type") == \
            "Microsoft.Resources/deployments" else None
        if inner is None:
            out.append(value(resource, ctx))
            continue  # a nested template with inner scope is evaluated in its own deployment
        done = value(dict(resource, properties={k: v for k, v in resource["properties"].items() if k != "template"}),
                     ctx)
        done["properties"]["template"] = inner
        out.append(done)
    return out


def outputs(template: dict, given: dict, references: dict | None = None) -> dict:
    ctx = Context(template, given, references)
    return {k: value(v["value"], ctx) for k, v in (template.get("outputs") or {}).items()}


def value(v, ctx: Context):
    if isinstance(v, dict):
        return {value(k, ctx): value(x, ctx) for k, x in v.items()}
    if isinstance(v, list):
        return [value(x, ctx) for x in v]
    if isinstance(v, str) and v.startswith("[[") and v.endswith("]"):
        return v[1:]
    if isinstance(v, str) and v.startswith("[") and v.endswith("]"):
        tokens = [m for m in _TOKEN.finditer(v[1:-1].strip())]
        parser = _Parser(tokens, v)
        tree = parser.expr()
        assert parser.i == len(tokens), f"trailing text in {v}"
        return _eval(tree, ctx)
    return v


class _Parser:
    def __init__(self, tokens, text) -> None:
        self.t, self.i, self.text = tokens, 0, text

    def peek(self, kind=None):
        if self.i >= len(self.t):
            return None
        m = self.t[self.i]
        return m if kind is None or m.group(kind) is not None else None

    def take(self, op):
        m = self.peek()
        assert m is not None and m.group("op") == op, f"expected {op!r} in {self.text}"
        self.i += 1

    def expr(self):
        m = self.peek()
        assert m is not None, f"unexpected end of {self.text}"
        self.i += 1
        if m.group("str") is not None:
            node = ("lit", m.group("str")[1:-1].replace("''", "'"))
        elif m.group("num") is not None:
            node = ("lit", int(m.group("num")))
        else:
            name = m.group("name")
            assert name, f"unexpected {m.group()!r} in {self.text}"
            self.take("(")
            args = []
            while self.peek() is not None and self.peek().group("op") != ")":
                args.append(self.expr())
                if self.peek() is not None and self.peek().group("op") == ",":
                    self.i += 1
            self.take(")")
            node = ("call", name.lower(), args)
        while self.peek() is not None and self.peek().group("op") in (".", "["):
            if self.peek().group("op") == ".":
                self.i += 1
                node = ("prop", node, self.peek("name").group("name"))
                self.i += 1
            else:
                self.i += 1
                index = self.expr()
                self.take("]")
                node = ("index", node, index)
        return node


def _eval(node, ctx: Context):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "prop":
        return _eval(node[1], ctx)[node[2]]
    if kind == "index":
        return _eval(node[1], ctx)[_eval(node[2], ctx)]
    name, args = node[1], node[2]
    if name == "lambda":
        return ("lambda", _eval(args[0], ctx), args[1])
    if name == "if":
        return _eval(args[1] if _eval(args[0], ctx) else args[2], ctx)
    vals = [_eval(a, ctx) for a in args]
    if name == "map":
        items, (_, var, body) = vals
        out = []
        for item in items:
            ctx.lambdas.append({var: item})
            out.append(_eval(body, ctx))
            ctx.lambdas.pop()
        return out
    return _FUNCTIONS[name](ctx, *vals)


def _format(ctx, fmt, *args):
    return re.sub(r"\{\{|\}\}|\{(\d+)\}", lambda m: {"{{": "{", "}}": "}"}.get(m.group(), None) or
                  str(args[int(m.group(1))]), fmt)


def _resource_id(ctx, *parts):
    kind, names = parts[0], list(parts[1:])
    segments = kind.split("/")
    path = f"{segments[0]}/{segments[1]}/{names[0]}"
    for seg, name in zip(segments[2:], names[1:]):
        path += f"/{seg}/{name}"
    return f"{RG['id']}/providers/{path}"


_FUNCTIONS = {
    "parameters": lambda ctx, n: ctx.params[n],
    "variables": lambda ctx, n: value(ctx.variables[n], ctx),
    "format": _format,
    "concat": lambda ctx, *a: "".join(map(str, a)) if all(isinstance(x, str) for x in a) else [i for x in a for i in x],
    "createarray": lambda ctx, *a: list(a),
    "createobject": lambda ctx, *a: {a[i]: a[i + 1] for i in range(0, len(a), 2)},
    "lambdavariables": lambda ctx, n: ctx.lambdas[-1][n],
    "empty": lambda ctx, x: not x,
    "json": lambda ctx, text: json.loads(text),
    "true": lambda ctx: True,
    "false": lambda ctx: False,
    "null": lambda ctx: None,
    "resourcegroup": lambda ctx: dict(RG),
    "subscription": lambda ctx: dict(SUB),
    "resourceid": _resource_id,
    "reference": lambda ctx, rid, *rest: ctx.references[rid],
    "guid": lambda ctx, *a: "guid(" + ",".join(map(str, a)) + ")",
    "uniquestring": lambda ctx, *a: "u" + str(abs(hash(a)) % 10**8),
    "split": lambda ctx, text, sep: text.split(sep),
    "subscriptionresourceid": lambda ctx, kind, name: f"{SUB['id']}/providers/{kind}/{name}",
    "string": lambda ctx, x: x if isinstance(x, str) else json.dumps(x),
}

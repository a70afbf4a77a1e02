"""Wrap a rendered template in an ARM deployment template whose parameters are the profile's.

A profile parameter becomes an ARM parameter when its value flows into the template
unchanged: aibgen renders the profile once more with a unique token in place of the
value and checks that putting the value back gives exactly the real template. Those
tokens then become ``[parameters('x')]`` (or ``[format(...)]`` inside longer text).
Parameters that steer the rendering itself (conditions, filters) are fixed at the
values given and listed in the template's metadata.
"""
from __future__ import annotations

import re
from typing import Callable

from aibgen import __version__

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
_ARM_TYPES = {"string": "string", "region": "string", "resource-id": "string", "choice": "string",
              "integer": "int", "boolean": "bool", "list": "array"}


def token(name: str) -> str:
    return f"__aibgen_parameter_{name}__"


def substitute(value, tokens: dict[str, object]):
    """Put real values back where tokens stand (whole-string tokens keep the value's type)."""
    if isinstance(value, dict):
        return {substitute(k, tokens): substitute(v, tokens) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, tokens) for v in value]
    if isinstance(value, str):
        if value in tokens:
            return tokens[value]
        for tok, real in tokens.items():
            if tok in value:
                value = value.replace(tok, str(real))
    return value


def wrap(render: Callable[[dict], dict], values: dict, params: dict, profile: str) -> dict:
    """ARM deployment template for ``render(values)``; ``params`` are the profile's Parameters."""
    real = render(values)
    usable = [n for n in params if n in values and _passes_through(render, values, n, real)]
    tokens = {token(n): values[n] for n in usable}
    tokenized = render(dict(values, **{n: token(n) for n in usable}))
    if substitute(tokenized, tokens) != real:  # parameters interact: fall back to fixed values
        usable, tokenized = [], real
    used = [n for n in usable if token(n) in _all_text(tokenized)]
    resource = _expressions(tokenized, {token(n): n for n in used})
    fixed = sorted(n for n in params if n not in used and n in values)
    return {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {"generator": f"aibgen {__version__}", "profile": profile,
                     "fixedParameters": {n: values[n] for n in fixed}},
        "parameters": {n: _arm_parameter(params[n], values[n]) for n in used},
        "resources": [resource],
    }


def _passes_through(render, values: dict, name: str, real: dict) -> bool:
    try:
        trial = render(dict(values, **{name: token(name)}))
    except Exception:  # the value steers rendering (e.g. used as a number): keep it fixed
        return False
    return substitute(trial, {token(name): values[name]}) == real


def _all_text(value) -> str:
    import json

    return json.dumps(value)


def _arm_parameter(p, value) -> dict:
    out = {"type": _ARM_TYPES.get(p.type, "string"), "defaultValue": value}
    if p.type == "choice":
        out["allowedValues"] = list(p.choices)
        out["type"] = "int" if all(isinstance(c, int) for c in p.choices) else "string"
    if p.help:
        out["metadata"] = {"description": p.help}
    return out


def _expressions(value, names: dict[str, str]):
    if isinstance(value, dict):
        return {_expressions(k, names): _expressions(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_expressions(v, names) for v in value]
    if not isinstance(value, str):
        return value
    if value in names:
        return f"[parameters('{names[value]}')]"
    pattern = "(" + "|".join(map(re.escape, names)) + ")" if names else None
    if pattern and re.search(pattern, value):
        return _format_expression(re.split(pattern, value), names)
    return "[" + value if value.startswith("[") else value


def _format_expression(parts: list[str], names: dict[str, str]) -> str:
    fmt, args = "", []
    for part in parts:
        if part in names:
            fmt += "{" + str(len(args)) + "}"
            args.append(f"parameters('{names[part]}')")
        else:
            fmt += part.replace("{", "{{").replace("}", "}}")
    fmt = fmt.replace("'", "''")
    return f"[format('{fmt}', {', '.join(args)})]"

"""Wrap a rendered template in an ARM deployment template whose parameters are the profile's.

A profile parameter becomes an ARM parameter when its value flows into the template
unchanged: aibgen renders the profile once more with a unique token in place of the
value and checks that putting the value back gives exactly the real template. Those
tokens then become ``[parameters('x')]`` (or ``[format(...)]`` inside longer text).
Parameters that steer the rendering itself (conditions, filters) are fixed at the
values given and listed in the template's metadata.

:func:`wrap` goes in five steps: find the parameters that pass through one at a time;
render once with all of them tokenized; verify that this render gives the real template
back (if not, the parameters interact and all are fixed); turn the tokens into ARM
expressions; assemble the deployment template.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable

from aibgen import __version__
from aibgen.render.armdoc import (declaration, literal, map_text, outputs, parameters_file,  # noqa: F401
                                  schema_bounds)
from aibgen.render.armlists import ITEM, as_map, element, put

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"

Render = Callable[[dict], dict]


def token(name: str) -> str:
    """The text that stands for parameter ``name`` in a tokenized render.

    Parameter names are identifiers, so the dots make sure no token is a prefix of another
    (``a`` and ``a__x`` would otherwise clash). The quote makes a quoting filter
    (``ps_quote``, ``shell_quote``) change the token, so a quoted value stays fixed: an ARM
    parameter would reach the command line unquoted.
    """
    return f"__aibgen.parameter.{name}.'__"


def substitute(value: object, tokens: dict[str, object]) -> object:
    """Put real values back where tokens stand (whole-string tokens keep the value's type)."""
    return map_text(value, lambda text: _put_back(text, tokens))


def wrap(render: Render, values: dict, params: dict, profile: str, baked: frozenset = frozenset()) -> dict:
    """ARM deployment template for ``render(values)``; ``params`` are the profile's Parameters.

    A required parameter gets no ``defaultValue`` (each deployment gives it) unless it is in
    ``baked``; the parameter that gives the template's location defaults to the resource
    group's location."""
    real = render(values)
    why = _pass_through(render, values, params, real)
    names = [n for n, reason in why.items() if reason is None]
    tokenized = _render_or_none(render, _with_tokens(values, names))
    if tokenized is None or not _gives_back(tokenized, values, names, real):  # parameters interact: all fixed
        why.update({n: "it interacts with other parameters in the profile" for n in names})
        names, tokenized = [], real
    used = _used(tokenized, names)
    why.update({n: "the template does not use it" for n in names if n not in used})
    maps = _maps(render, values, params, names, why)
    resource = _expressions(tokenized, {token(n): n for n in used})
    for name, (ptr, make) in maps.items():
        put(resource, ptr, make(lambda v, n=name: arm_value(v, {token(u): u for u in used}, element(n, 0))))
    return _assemble(resource, profile, values, params, used + list(maps), why, baked)


def _maps(render: Render, values: dict, params: dict, names: list[str], why: dict) -> dict:
    """List parameters the profile maps item by item into a list of the template (see armlists)."""
    base = _with_tokens(values, names)
    found: dict = {}
    for name, reason in why.items():
        if reason is None or params[name].type != "list" or not isinstance(values[name], list):
            continue
        mapped = as_map(render, base, name, values[name], substitute)
        if mapped is not None and mapped[0] not in {p for p, _ in found.values()}:
            found[name] = mapped
            why[name] = None
    return found


def arm_value(value: object, names: dict[str, str], item: str) -> str:
    """The body of an ARM expression that builds ``value``: tokens (``token -> name``) become
    ``parameters('name')``, ``item`` the lambda variable, anything else a literal."""
    if isinstance(value, dict):
        pairs = ", ".join(f"{_quoted(k)}, {arm_value(v, names, item)}" for k, v in value.items())
        return f"createObject({pairs})" if pairs else "json('{}')"
    if isinstance(value, list):
        return f"createArray({', '.join(arm_value(v, names, item) for v in value)})" if value else "json('[]')"
    if isinstance(value, bool):
        return "true()" if value else "false()"
    if value is None:
        return "null()"
    if isinstance(value, (int, float)):
        return f"json('{json.dumps(value)}')" if isinstance(value, float) or value < 0 else str(value)
    if value == item:
        return f"lambdaVariables('{ITEM}')"
    if value in names:
        return f"parameters('{names[value]}')"
    every = dict(names, **{item: None})
    pattern = re.compile("(" + "|".join(map(re.escape, every)) + ")")
    if pattern.search(value):
        return _format_expression(pattern.split(value), every)[1:-1]
    return _quoted(value)


def _quoted(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


# Step 1: parameters that pass through, each tried alone


def _pass_through(render: Render, values: dict, params: dict, real: dict) -> dict[str, str | None]:
    """For each parameter with a value: None when its value, tokenized alone, flows through
    unchanged, else why it does not."""
    return {n: _flows_through(render, values, n, real) for n in params if n in values}


def _flows_through(render: Render, values: dict, name: str, real: dict) -> str | None:
    """None when rendering with ``name`` tokenized, then putting its value back, gives ``real``;
    else why not."""
    try:
        trial = render(_with_tokens(values, [name]))
    except Exception:  # noqa: BLE001 - any error: the value steers rendering (e.g. as a number), so keep it fixed
        return "the profile computes with its value (a number, a list it loops over, a filter)"
    if not _gives_back(trial, values, [name], real):
        return "its value does not reach the template as it is (a condition, a loop, a filter or quoting)"
    other = _other(values[name])  # a value of another truthiness: a condition on the value shows
    if other is None:
        return None
    probe = _render_or_none(render, dict(values, **{name: other}))
    if probe is not None and substitute(trial, {token(name): other}) == probe:
        return None
    return "it chooses what the template holds (a condition in the profile)"


def _other(value: object) -> object:
    """A value of the same type and the other truthiness ("" for "x", 0 for 5), or None."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (str, int, list)):
        return type(value)() if value else {str: "x", int: 1, list: None}[type(value)]
    return None


def _render_or_none(render: Render, values: dict) -> dict | None:
    """``render(values)``, or None when rendering with these tokens together fails."""
    try:
        return render(values)
    except Exception:  # noqa: BLE001 - the parameters interact (e.g. one's length checked with another's)
        return None


def _with_tokens(values: dict, names: list[str]) -> dict:
    """``values`` with the value of each of ``names`` replaced by its token."""
    return dict(values, **{n: token(n) for n in names})


# Steps 2 and 3: the tokenized render, verified


def _gives_back(tokenized: object, values: dict, names: list[str], real: dict) -> bool:
    """Whether putting the values of ``names`` back into ``tokenized`` gives exactly ``real``."""
    return substitute(tokenized, {token(n): values[n] for n in names}) == real


def _used(tokenized: object, names: list[str]) -> list[str]:
    """Those of ``names`` whose token appears in ``tokenized`` (in a value or a key)."""
    text = json.dumps(tokenized) if names else ""
    return [n for n in names if token(n) in text]


# Step 4: ARM expressions


def _expressions(value: object, names: dict[str, str]) -> object:
    """``value`` with tokens (``token -> name``) made ARM expressions and literal ``[`` escaped."""
    pattern = re.compile("(" + "|".join(map(re.escape, names)) + ")") if names else None
    return map_text(value, lambda text: _expression(text, names, pattern))


def _expression(text: str, names: dict[str, str], pattern: re.Pattern | None) -> str:
    """One string as ARM reads it: a parameter, a format() around parameters, or literal text."""
    if text in names:
        return f"[parameters('{names[text]}')]"
    if pattern is not None and pattern.search(text):
        return _format_expression(pattern.split(text), names)
    return literal(text)


def _format_expression(parts: list[str], names: dict[str, str | None]) -> str:
    """``[format('...{0}...', parameters('x'))]`` from text split around tokens (a token named
    None is the lambda variable)."""
    fmt, args = "", []
    for part in parts:
        if part in names:
            fmt += "{" + str(len(args)) + "}"
            args.append(f"parameters('{names[part]}')" if names[part] else f"lambdaVariables('{ITEM}')")
        else:
            fmt += part.replace("{", "{{").replace("}", "}}")
    fmt = fmt.replace("'", "''")
    return f"[format('{fmt}', {', '.join(args)})]"


# Step 5: the deployment template


def _assemble(resource: object, profile: str, values: dict, params: dict, used: list[str], why: dict,
              baked: frozenset) -> dict:
    """The deployment template: metadata with the fixed values, ARM parameters, the resource, outputs."""
    fixed = sorted(n for n in params if n not in used and n in values)
    where = resource.get("location") if isinstance(resource, dict) else None
    bounds = schema_bounds(resource, used)
    return {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {"generator": f"aibgen {__version__}", "profile": profile,
                     "fixedParameters": {n: {"value": values[n], "why": why.get(n) or ""} for n in fixed}},
        "parameters": {n: declaration(params[n], values[n], n in baked, where == f"[parameters('{n}')]",
                                      bounds.get(n)) for n in used},
        "resources": [resource],
        "outputs": outputs(resource),
    }


# Shared


def _put_back(text: str, tokens: dict[str, object]) -> object:
    """``text`` with its tokens replaced: by the value itself when the token is the whole text."""
    if text in tokens:
        return tokens[text]
    for tok, real in tokens.items():
        if tok in text:
            text = text.replace(tok, str(real))
    return text

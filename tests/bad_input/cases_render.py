"""Bad-input classes of the render sandbox: hostile profile strings and partials (same case shape as cases.py)."""
from __future__ import annotations

_PROFILE = ("description: d\nextends: linux-base\nsource:\n  use: platform-image\n"
            "  with: {publisher: Canonical, offer: o, sku: s}\ndistribute:\n  - use: vhd\n")
_RENDER = ["new", "-p", "p", "--catalog", "cat", "--example-values", "--no-input", "-o", "out.json"]


def _profile(extra: str) -> dict:
    return {"cat/p.yaml": _PROFILE + extra}


def _evil(body: str) -> dict:
    return {"cat/p.yaml": _PROFILE + "customize:\n  - use: evil\n", "cat/partials/customizers/evil.json.j2": body}


_BIG = '{% set a = "x" * 1000000 %}'

CASES: list[tuple] = [
    ("render-percent-key-width", "profile string with a % format whose mapping key hides a giant width",
     _profile("tags: {a: '{{ \"%(a)999999999s\" % {\"a\": 1} }}'}\n"), _RENDER, 2, "width or precision above a million"),
    ("render-percent-precision", "profile string with a % format of a giant precision",
     _profile("tags: {a: '{{ \"%.999999999s\" % \"x\" }}'}\n"), _RENDER, 2, "width or precision above a million"),
    ("render-format-filter", "partial whose format filter asks for a giant width",
     _evil('{{ "%9999999999s"|format(1) }}'), _RENDER, 2, "width or precision above a million"),
    ("render-single-expr-large", "profile string that is one expression giving more than 16 MiB",
     _profile("tags: {a: '{{ [\"x\" * 1000000] * 17 }}'}\n"), _RENDER, 2, "value is larger than 16 MiB"),
    ("render-join-bomb", "partial that joins a megabyte text with itself 3000 times",
     _evil(_BIG + "{{ a.join([a] * 3000) }}"), _RENDER, 2, "joined or replaced past 16 MiB"),
    ("render-replace-bomb", "partial that replaces each character of a megabyte text by the text",
     _evil(_BIG + '{{ a|replace("x", a) }}'), _RENDER, 2, "joined or replaced past 16 MiB"),
    ("render-list-doubling", "partial that doubles a list with extend in a loop",
     _evil("{% set l = [1] %}{% for i in range(40) %}{% set _ = l.extend(l) %}{% endfor %}{}"), _RENDER, 2,
     "a list grown past 1,000,000 items"),
    ("render-concat-memory", "partial that doubles a text with ~ in a loop",
     _evil('{% set ns = namespace(a="x") %}{% for i in range(40) %}{% set ns.a = ns.a ~ ns.a %}{% endfor %}{}'),
     _RENDER, 2, "needed more than 1024 MiB of memory"),
    ("render-text-loops", "partial with nested loops over megabyte texts",
     _evil('{% for c in "x" * 1000000 %}{% for d in "x" * 1000000 %}{% endfor %}{% endfor %}{}'), _RENDER, 2,
     "ran longer than 10 seconds"),
    ("render-include-value", "partial that includes a --set value as a profile string",
     _evil('{% include "\\x00profile-string:" ~ params.vmSize %}'), _RENDER + ["--set", "vmSize={{ 6*7 }}"], 2,
     "not found"),
    ("render-not-data-cycler", "profile string whose one expression gives a class",
     _profile("location: '{{ cycler }}'\n"), _RENDER, 2, "gives a type, not JSON data"),
    ("render-not-data-range", "profile string whose one expression gives a range",
     _profile("tags: {a: '{{ range(3) }}'}\n"), _RENDER, 2, "gives a range, not JSON data"),
    ("render-not-data-function", "profile string whose one expression gives a function",
     _profile("tags: {a: '{{ json_object }}'}\n"), _RENDER, 2, "gives a function, not JSON data"),
]

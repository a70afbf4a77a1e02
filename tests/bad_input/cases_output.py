"""Bad-input classes of the hardening work: output paths and names (same case shape as cases.py)."""
from __future__ import annotations

_NEW = ["new", "-p", "ubuntu-gen2-vhd", "--set", "{id}"]

CASES: list[tuple] = [
    ("out-name-escape", "template name that climbs out of the folder", {}, _NEW + ["--set", "name=../../x"], 2,
     "template name '../../x' is not valid"),
    ("out-name-absolute", "template name that is an absolute path", {}, _NEW + ["--set", "name=/tmp/x"], 2,
     "template name '/tmp/x' is not valid"),
    ("out-name-space", "template name with a space", {}, _NEW + ["--set", "name=my template"], 2,
     "template name 'my template' is not valid"),
    ("out-name-newline", "template name with a newline", {}, _NEW + ["--set", "name=a\nb"], 2,
     "template name 'a\\nb' is not valid"),
    ("out-force-symlink", "--force onto a symbolic link", {"target.json": "precious"},
     _NEW + ["-o", "t.json", "--force", "LINK:t.json=target.json"], 2, "is a symbolic link; aibgen writes only regular files"),
    ("out-dangling-symlink", "output name that is a dangling symbolic link", {},
     _NEW + ["-o", "t.json", "LINK:t.json=missing.json"], 2, "is a symbolic link; aibgen writes only regular files"),
]

_PARTIAL = ("description: d\nextends: linux-base\nsource:\n  use: platform-image\n"
            "  with: {publisher: Canonical, offer: o, sku: s}\ncustomize:\n  - use: evil\ndistribute:\n  - use: vhd\n")
_RENDER = ["new", "-p", "p", "--catalog", "cat", "--example-values", "--no-input", "-o", "out.json"]


def _evil(body: str) -> dict:
    return {"cat/p.yaml": _PARTIAL, "cat/partials/customizers/evil.json.j2": body}


CASES += [
    ("render-nested-loops", "partial with nested loops of 10^10 steps",
     _evil("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}{}"), _RENDER, 2,
     "loops over range() went past"),
    ("render-huge-text", "partial that repeats text a billion times", _evil("{{ 'x' * 1000000000 }}"), _RENDER, 2,
     "repeated past"),
    ("render-huge-output", "partial whose output passes 16 MiB",
     _evil("{% for i in range(900000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}"), _RENDER, 2,
     "output is larger than 16 MiB"),
    ("render-lipsum", "partial that asks lipsum for endless text", _evil("{{ lipsum(100000) }}"), _RENDER, 2,
     "'lipsum' is undefined"),
    ("render-include-missing", "partial that includes a missing partial", _evil("{% include 'nope' %}"), _RENDER, 2,
     "template 'nope' not found"),
]

CASES += [
    ("arm-bake-without-values", "--bake without --values or --set", {},
     ["new", "-p", "ubuntu-sig", "--format", "arm", "--bake"], 2, "--bake keeps the values of --values and --set"),
    ("arm-parameters-wrong-type", "arm-parameters value of the wrong type", {"v.yaml": "buildTimeout: soon\n"},
     ["new", "-p", "ubuntu-sig", "--format", "arm-parameters", "--values", "v.yaml"], 2,
     "'buildTimeout' must be a whole number"),
    ("arm-parameters-fixed", "arm-parameters value for a parameter the ARM template keeps fixed", {},
     ["new", "-p", "win11-avd-session-host", "--format", "arm-parameters", "--set", "fslogixProfilePath=\\\\f\\p"], 2,
     "is fixed in the ARM template"),
]

CASES += [
    ("arm-prerequisites-unknown-source", "--with-prerequisites for a source whose generation cannot be told", {},
     ["new", "-p", "linux-from-sig", "--format", "arm", "--with-prerequisites", "--example-values"], 2,
     "cannot tell the source's generation"),
    ("arm-prerequisites-template", "--with-prerequisites without --format arm", {},
     ["new", "-p", "ubuntu-sig", "--with-prerequisites", "--example-values"], 2, "use it with --format arm"),
]

"""``aibgen import``: every template comes back out of ``aibgen new --example-values``.

The round trip is judged here, independently of the import's own check: the rendered
template must equal the original resource after the documented normalisation (docs/import.md):
key order; a retired preview apiVersion read as 2020-02-14 and an apiVersion aibgen cannot
read as the newest; ARM deployment keys (dependsOn...) dropped; a template without a name
named by the profile; an ARM ``[parameters('x')]`` equal to its default (any value where
it has none), ``[variables('v')]`` equal to its literal, a leading ``[[`` read as ``[``; a
``<placeholder>`` standing for any text. Templates whose content itself has errors (an
unknown key, a missing identity) cannot pass ``aibgen new``'s checks; for them ``new``
must report only errors ``validate`` reports on the original, and the comparison uses
the rendered template of the library call.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import DATA, ROOT

CORPUS = ROOT.parent / "shared" / "corpus" / "real"
HANDMADE = sorted((DATA / "import").glob("*.json"))
STABLE = ("2020-02-14", "2021-10-01", "2022-02-14", "2022-07-01", "2023-07-01", "2024-02-01", "2025-10-01")
RETIRED = {"2018-02-01-preview": "2020-02-14", "2019-02-01-preview": "2020-02-14", "2019-05-01-preview": "2020-02-14"}
ARM_KEYS = {"dependsOn", "condition", "copy", "comments", "scope"}
# Errors an import resolves: placeholders become parameters, the type and apiVersion are written right
RESOLVED = {"AIB004", "AIB005", "AIB007", "AIB003", "AIB008"}
_REF = re.compile(r"\[\s*(parameters|variables)\(\s*'([^']+)'\s*\)\s*\]")
_PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9 _.:/-]{0,60}>")
_COMMANDS = {"inline", "restartCommand", "restartCheckCommand", "searchCriteria", "filters"}
ANY = object()


def _corpus():
    return sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


def _templates(doc) -> list[tuple[dict, dict | None]]:
    """(resource, deployment template around it) for each image template, found by hand."""
    if isinstance(doc.get("resources"), list):
        out = []
        for res in doc["resources"]:
            if res.get("type", "").lower() == "microsoft.resources/deployments":
                out += _templates(res["properties"]["template"])
            elif res.get("type", "").lower() == "microsoft.virtualmachineimages/imagetemplates":
                out.append((res, doc))
        return out
    if "properties" in doc or "location" in doc:
        return [(doc, None)]
    return [({"properties": doc}, None)]


def _expected(value, arm, ptr=""):
    """The original value as the profile must render it (ANY where any value will do)."""
    if isinstance(value, dict):
        return {k: _expected(v, arm, f"{ptr}/{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_expected(v, arm, f"{ptr}/{i}") for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value
    if arm is not None and value.startswith("[") and value.endswith("]") and not value.startswith("[["):
        m = _REF.fullmatch(value)
        if m and m.group(1) == "parameters":
            default = arm.get("parameters", {}).get(m.group(2), {}).get("defaultValue")
            return ANY if default is None or (isinstance(default, str) and default.startswith("[")) else default
        if m and isinstance(arm.get("variables", {}).get(m.group(2)), (dict, list)) or \
                m and not str(arm.get("variables", {}).get(m.group(2), "[")).startswith("["):
            return _expected(arm["variables"][m.group(2)], arm, ptr)
        return value
    if arm is not None and value.startswith("[[") and value.endswith("]"):
        value = value[1:]
    if _PLACEHOLDER.search(value) and not set(ptr.split("/")[-2:]) & _COMMANDS:
        return re.compile(".+".join(re.escape(p) for p in _PLACEHOLDER.split(value)), re.S)
    return value


def _same(want, got, ptr="") -> list[str]:
    if want is ANY:
        return []
    if isinstance(want, re.Pattern):
        return [] if isinstance(got, str) and want.fullmatch(got) else [f"{ptr}: {got!r} !~ {want.pattern}"]
    if isinstance(want, dict) and isinstance(got, dict):
        if set(want) != set(got):
            return [f"{ptr}: keys {sorted(set(want) ^ set(got))} differ"]
        return [d for k in want for d in _same(want[k], got[k], f"{ptr}/{k}")]
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        return [d for i, (w, g) in enumerate(zip(want, got)) for d in _same(w, g, f"{ptr}/{i}")]
    return [] if want == got and type(want) is type(got) else [f"{ptr}: {got!r} != {want!r}"]


def _compare(resource: dict, arm, rendered: dict) -> list[str]:
    version = resource.get("apiVersion")
    if isinstance(version, str) and not version.startswith("["):
        assert rendered["apiVersion"] == RETIRED.get(version, version if version in STABLE else STABLE[-1])
    want = {k: v for k, v in resource.items() if k not in ARM_KEYS | {"type", "apiVersion"}}
    got = {k: v for k, v in rendered.items() if k not in ("type", "apiVersion")}
    assert rendered["type"] == "Microsoft.VirtualMachineImages/imageTemplates"
    if "name" not in want:
        got.pop("name")
    for key in ("location", "identity"):
        if key not in want:  # a properties object: the profile asks for them
            got.pop(key, None)
    problems = []
    if "identity" in want:  # the identity is a key: compare it as a value
        (key, value), = want.pop("identity")["userAssignedIdentities"].items()
        (gkey, gvalue), = got.pop("identity")["userAssignedIdentities"].items()
        problems += _same(_expected(key, arm, "/identity"), gkey, "/identity") + _same(value, gvalue)
    return problems + _same(_expected(want, arm), got)


def _render_library(profile: Path) -> dict:
    """What ``new --example-values`` renders, without the checks that refuse to write it."""
    from aibgen.convert.verify import render_text
    from aibgen.profiles.roots import default_roots, load_catalog

    text = profile.read_text(encoding="utf-8")
    version = re.search(r"^apiVersion: '?([0-9-]+)", text, re.M)
    rendered = render_text(load_catalog(default_roots([])), profile.stem, text, version and version.group(1))
    assert not isinstance(rendered, str), rendered
    return rendered.doc


def _round_trip(aibgen, workdir, source: Path) -> list[str]:
    from aibgen.sources.positions import lenient  # the corpus has a trailing comma or two

    doc = json.loads(lenient(source.read_text(encoding="utf-8")))
    found = _templates(doc)
    out = workdir / "images"
    r = aibgen("import", str(source), "-o", f"{out}/")
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    profiles = sorted(out.glob("*.yaml"))
    assert len(profiles) == len(found)
    problems = []
    for (resource, arm), profile in zip(found, profiles):
        text = profile.read_text(encoding="utf-8")
        assert text.startswith(f"# Imported from {source}")
        made = aibgen("new", "-p", profile.stem, "--catalog", str(out), "--example-values", "--no-input", "-o", "-")
        if made.code == 0:
            rendered = json.loads(made.out)
        else:
            assert made.code == 1, made.err
            new_rules = set(re.findall(r"error (AIB\d{3})", made.err))
            checked = aibgen("validate", str(source), "--format", "json")
            old_rules = {f["rule"] for f in json.loads(checked.out)["findings"] if f["severity"] == "error"}
            assert new_rules and new_rules <= old_rules - RESOLVED, (new_rules, old_rules)
            rendered = _render_library(profile)
        problems += [f"{profile.name}: {p}" for p in _compare(resource, arm, rendered)]
    return problems


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
@pytest.mark.parametrize("source", _corpus(), ids=lambda p: p.stem[:60])
def test_every_corpus_template_comes_back(aibgen, workdir, source):
    assert _round_trip(aibgen, workdir, source) == []


@pytest.mark.parametrize("source", HANDMADE, ids=lambda p: p.stem)
def test_handmade_templates_come_back(aibgen, workdir, source):
    assert _round_trip(aibgen, workdir, source) == []


def test_handmade_cases_cover_every_type():
    """Every customizer, validator and distributor type and every ARM parameter type is imported."""
    text = "".join(p.read_text(encoding="utf-8") for p in HANDMADE)
    for kind in ("Shell", "PowerShell", "File", "WindowsRestart", "WindowsUpdate", "ManagedImage", "SharedImage",
                 "VHD", "PlatformImage", "SharedImageVersion"):
        assert f'"type": "{kind}"' in text, kind
    for arm_type in ("string", "securestring", "int", "bool", "array", "object", "secureObject"):
        assert f'"type": "{arm_type}"' in text, arm_type
    assert "Microsoft.Resources/deployments" in text


def _concrete_builtins():
    from aibgen.profiles.roots import default_roots, load_catalog
    from aibgen.profiles.load import load_file

    catalog = load_catalog(default_roots([], environ={}))
    out = []
    for name, entry in sorted(catalog.profiles.items()):
        data = load_file(entry).data
        if not data.get("abstract"):
            parents = data.get("extends") or []
            out.append((name, [parents] if isinstance(parents, str) else parents))
    return out


@pytest.mark.parametrize("name,parents", _concrete_builtins(), ids=lambda v: v if isinstance(v, str) else "")
def test_builtin_profiles_come_back_exactly_alone_and_as_children(aibgen, workdir, name, parents):
    """A template aibgen rendered imports into a profile that renders it again, byte for byte; as a
    child of the profile's own parent, the child leaves out what the parent gives."""
    assert aibgen("new", "-p", name, "--example-values", "--no-input", "-o", "t.json").code == 0
    original = (workdir / "t.json").read_text(encoding="utf-8")
    (workdir / "alone").mkdir()
    (workdir / "child").mkdir()
    r = aibgen("import", "t.json", "-o", "alone/again.yaml")
    assert r.code == 0 and "warning" not in r.err, r.err
    assert aibgen("new", "-p", "again", "--catalog", "alone", "--example-values", "-o", "alone.json").code == 0
    assert (workdir / "alone.json").read_text(encoding="utf-8") == original
    if parents:
        r = aibgen("import", "t.json", "--extends", parents[0], "-o", "child/again.yaml")
        assert r.code == 0, r.err
        child = (workdir / "child" / "again.yaml").read_text(encoding="utf-8")
        assert f"extends: {parents[0]}" in child and len(child) < len((workdir / "alone" / "again.yaml").read_text())
        made = aibgen("new", "-p", "again", "--catalog", "child", "--example-values", "-o", "-")
        if "fails a check the template passes" in r.err:  # e.g. the parent's imageDefinition does not fit
            assert made.code == 1 and "error AIB" in made.err
            return
        assert made.code == 0, made.err
        differences = [line for line in r.err.splitlines() if "warning" in line]
        assert (json.loads(made.out) == json.loads(original)) == (not differences), differences


def test_raw_partial_of_every_kind_keeps_an_item_as_written(aibgen, workdir):
    """Types no partial writes, in each kind, are kept through that kind's raw partial."""
    r = aibgen("import", str(DATA / "import"), "-o", "images/")
    assert r.code == 0, r.err
    text = "".join(p.read_text(encoding="utf-8") for p in (workdir / "images").glob("*.yaml"))
    for kind in ("a source", "a customizer", "a validator", "a distributor"):
        assert f"no partial writes {kind} of type" in r.err, kind
    assert re.search(r"^source:\n  use: raw\n", text, re.M)
    for key in ("customize", "inVMValidations", "distribute"):
        assert re.search(rf"^ *{key}:\n(?: .*\n)*? *- use: raw\n", text, re.M), key


# Crafted templates: what a hostile or careless one cannot do to the profile


def _bare(**props) -> dict:
    return {"type": "Microsoft.VirtualMachineImages/imageTemplates", "apiVersion": "2024-02-01", "location": "westus2",
            "identity": {"type": "UserAssigned", "userAssignedIdentities": {
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/img/providers/"
                "Microsoft.ManagedIdentity/userAssignedIdentities/aib": {}}},
            "properties": dict({"source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o", "sku": "s",
                                           "version": "latest"},
                                "distribute": [{"type": "VHD", "runOutputName": "o"}]}, **props)}


CRAFTED = {
    "brace-before-placeholder": _bare(managedResourceTags={"a": "{<foo>", "b": "x{<bar>}y", "c": "{{<baz>}}"}),
    "space-around-placeholder": _bare(managedResourceTags={"a": "  <ws>  ", "b": "\n<nl>\n", "c": " <ron>"}),
    "unprintable-text": _bare(managedResourceTags={"nel": "p\x85q", "ls": "a\u2028b", "k\x85": "v", "bell": "\x07"}),
    "long-text": _bare(managedResourceTags={"long": "x" * 5000 + "   y" + " " * 3}),
    "name-placeholder": dict({k: v for k, v in _bare().items()}, tags={"owner": "<name>"}),
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_crafted_templates_come_back(aibgen, workdir, name):
    source = workdir / f"{name}.json"
    source.write_text(json.dumps(CRAFTED[name]), encoding="utf-8")
    assert _round_trip(aibgen, workdir, source) == []


def test_a_placeholder_called_name_does_not_become_the_template_name(aibgen, workdir):
    (workdir / "t.json").write_text(json.dumps(CRAFTED["name-placeholder"]), encoding="utf-8")
    assert aibgen("import", "t.json", "-o", "img/t.yaml").code == 0
    made = aibgen("new", "-p", "t", "--catalog", "img", "--example-values", "-o", "-")
    assert json.loads(made.out)["name"] == "t"


@pytest.mark.parametrize("where", ["file name", "resource key"])
def test_a_line_break_in_the_source_cannot_add_keys_to_the_profile(aibgen, workdir, where):
    evil = "x\rexamples: {location: eastus}\r#"
    if where == "file name":
        (workdir / f"{evil}.json").write_text(json.dumps(_bare()), encoding="utf-8")
        source = f"{evil}.json"
    else:  # languageVersion 2.0 keys resources by symbolic name
        doc = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
               "languageVersion": "2.0", "contentVersion": "1.0.0.0", "resources": {evil: _bare()}}
        (workdir / "t.json").write_text(json.dumps(doc), encoding="utf-8")
        source = "t.json"
    r = aibgen("import", source, "-o", "img/p.yaml")
    assert r.code == 0, r.err
    text = (workdir / "img" / "p.yaml").read_text(encoding="utf-8")
    assert "\rexamples" not in text and "\\rexamples" in text
    made = aibgen("new", "-p", "p", "--catalog", "img", "--example-values", "-o", "-")
    assert json.loads(made.out)["location"] == "westus2"


def test_arm_names_match_ignoring_case(aibgen, workdir):
    doc = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
           "contentVersion": "1.0.0.0", "parameters": {"timeout": {"type": "int", "defaultValue": 60},
                                                      "Where": {"type": "string", "defaultValue": "eastus"}},
           "resources": [dict(_bare(buildTimeoutInMinutes="[parameters('TIMEOUT')]"), location="[parameters('where')]")]}
    (workdir / "t.json").write_text(json.dumps(doc), encoding="utf-8")
    r = aibgen("import", "t.json", "-o", "-")
    assert r.code == 0 and "warning" not in r.err, r.err
    assert "timeout:\n    type: integer\n    default: 60" in r.out
    assert _round_trip(aibgen, workdir, workdir / "t.json") == []


def test_profiles_of_a_folder_never_share_a_file(aibgen, workdir):
    for stem in ("a", "A", "a-2"):
        (workdir / "in").mkdir(exist_ok=True)
        (workdir / "in" / f"{stem}.json").write_text(json.dumps(_bare()), encoding="utf-8")
    r = aibgen("import", "in", "-o", "out/")
    assert r.code == 0, r.err
    written = sorted(p.name for p in (workdir / "out").iterdir())
    assert len(written) == 3 and len(set(written)) == 3, written


def test_a_profile_too_large_to_read_back_is_not_written(aibgen, workdir):
    big = _bare(customize=[{"type": "Shell", "name": "s", "inline": ["echo " + "x" * 100] * 60000}])
    (workdir / "t.json").write_text(json.dumps(big), encoding="utf-8")
    r = aibgen("import", "t.json", "-o", "img/")
    assert r.code == 2 and "larger than 5 MiB" in r.err and "Traceback" not in r.err
    assert not (workdir / "img").exists() or not list((workdir / "img").iterdir())


def test_half_a_surrogate_pair_is_refused(aibgen, workdir):
    (workdir / "t.json").write_text(json.dumps(_bare(managedResourceTags={"a": "\ud800"})), encoding="utf-8")
    r = aibgen("import", "t.json", "-o", "p.yaml")
    assert r.code == 2 and "not valid Unicode" in r.err and not (workdir / "p.yaml").exists()


def test_a_very_long_file_name_gives_a_short_profile_name(aibgen, workdir):
    two = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
           "contentVersion": "1.0.0.0", "resources": [_bare(), _bare()]}
    (workdir / ("b" * 250 + ".json")).write_text(json.dumps(two), encoding="utf-8")
    r = aibgen("import", "b" * 250 + ".json", "-o", "out/")
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert all(len(p.name) <= 70 for p in (workdir / "out").iterdir())

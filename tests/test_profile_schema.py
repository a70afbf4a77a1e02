"""Profiles and configuration files are checked by the compiled validator, which reports what jsonschema reports.

``aibgen new`` and the configuration loader use :class:`aibgen.sources.validator.Validator`
so that they never import jsonschema; these tests hold it to jsonschema's answer on the
profile and configuration schemas: every built-in profile, every profile under
tests/data, every profile and configuration the bad-input suite writes, hand-written
broken configurations, and randomly broken copies of all the valid ones.
"""
from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import shutil
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import Reference as Draft202012Validator

from aibgen import resources
from aibgen.errors import AibgenError
from aibgen.sources import yamlsrc
from aibgen.sources.validator import Validator

from conftest import ROOT

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

GOLDEN = ROOT / "tests" / "golden"
# The order in which each loader picks the one error it shows (a stable sort of the errors).
SHOWN_FIRST = {"profile": lambda e: (list(map(str, e.absolute_path)), e.validator),  # aibgen/profiles/load.py
               "config": lambda e: list(map(str, e.absolute_path))}                   # aibgen/config.py
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- comparing ----------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _validators(kind: str) -> tuple[Validator, Draft202012Validator]:
    schema = resources.schema(kind)
    return Validator(schema), Draft202012Validator(schema)


def _fact(error) -> tuple:
    """``(keyword, instance path, message, schema node digest)``: what aibgen makes a message of (see test_compiled)."""
    node = hashlib.sha1(json.dumps(error.schema, sort_keys=True).encode()).hexdigest()[:12]
    return error.validator, tuple(error.absolute_path), error.message, node


def _assert_agrees(kind: str, doc) -> None:
    """Same multiset of errors as jsonschema, and the same error shown to the user."""
    fast, reference = _validators(kind)
    ours, theirs = list(fast.iter_errors(doc)), list(reference.iter_errors(doc))
    only_ours = Counter(map(_fact, ours)) - Counter(map(_fact, theirs))
    only_theirs = Counter(map(_fact, theirs)) - Counter(map(_fact, ours))
    assert (sorted(only_ours.elements()), sorted(only_theirs.elements())) == ([], []), doc
    if ours:
        shown = SHOWN_FIRST[kind]
        assert _fact(sorted(ours, key=shown)[0]) == _fact(sorted(theirs, key=shown)[0]), doc


# -- documents ----------------------------------------------------------------------------------
def _yaml(name: str, raw: bytes):
    """The data of a YAML file as aibgen reads it, or None when reading fails before any schema check."""
    try:
        return yamlsrc.load(yamlsrc.decode(raw, name), name).data
    except (AibgenError, RecursionError):
        return None


def _bad_input_files() -> list[tuple[str, str, bytes]]:
    """``(case id, file name, bytes)`` of every file tests/bad_input/cases.py writes."""
    folder = ROOT / "tests" / "bad_input"
    spec = importlib.util.spec_from_file_location("bad_input_cases", folder / "cases.py")
    cases = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(folder))  # cases.py imports its sibling case modules
    try:
        spec.loader.exec_module(cases)
    finally:
        sys.path.remove(str(folder))
    return [(case[0], name, content if isinstance(content, bytes) else content.encode())
            for case in cases.CASES for name, content in case[2].items()]


def _profiles() -> list:
    """Every profile document the repository has: built-in, tests/data, bad-input cases."""
    files = [(f"catalog/{p.name}", p.name, p.read_bytes()) for p in sorted((ROOT / "catalog").glob("*.yaml"))]
    files += [(p.relative_to(ROOT).as_posix(), p.name, p.read_bytes())
              for p in sorted((ROOT / "tests" / "data").rglob("*.yaml"))]
    files += [(f"bad_input/{case}/{name}", name, raw) for case, name, raw in _bad_input_files()
              if name.startswith("cat/") and name.endswith(".yaml") and len(raw) < 1_000_000]
    return [pytest.param(doc, id=label) for label, name, raw in files if (doc := _yaml(name, raw)) is not None]


VALID_CONFIGS = {
    "empty": {},
    "catalog-text": {"catalog": "images"},
    "timeout-whole-float": {"policy": {"max-build-timeout": 10.0}},  # JSON Schema: 10.0 is an integer
    "everything": yamlsrc.load("""\
catalog: [images, more]
validate:
  select: [AIB1, aib304]
  ignore: [AIB]
  per-path-ignores: {'legacy/*.json': [AIB301, aib7]}
policy:
  allowed-regions: [westeurope, northeurope]
  required-tags: [owner]
  required-artifact-tags: [team]
  allowed-sources: [{publisher: Canonical, offer: ubuntu-24_04-lts, sku: server}, {}]
  require-checksums: true
  min-api-version: 2022-02-14
  max-build-timeout: 240
  allowed-vm-sizes: [Standard_D2s_v3]
""", "aibgen.yaml").data,
}
BROKEN_CONFIGS = {
    "api-version-trailing-newline": {"policy": {"min-api-version": "2022-02-14\n"}},  # '$' is the end of the text
    "catalog-number": {"catalog": 5},
    "catalog-list-of-numbers": {"catalog": ["a", 1]},
    "catalog-mapping": {"catalog": {}},
    "unknown-keys": {"validat": {}, "polcy": {}, "catalog": "x"},
    "validate-list": {"validate": ["AIB1"]},
    "select-text": {"validate": {"select": "AIB1"}},
    "select-not-a-rule": {"validate": {"select": ["XYZ1", "AIB1234", "aib12", 3]}},
    "ignore-unknown-key": {"validate": {"ignroe": ["AIB304"], "ignore": []}},
    "per-path-ignores-text": {"validate": {"per-path-ignores": {"a/*": "AIB1", "b": ["nope"]}}},
    "policy-number": {"policy": 3},
    "policy-empty-lists": {"policy": {"allowed-regions": [], "allowed-vm-sizes": [], "allowed-sources": []}},
    "policy-short-lists": {"policy": {"allowed-regions": "westus2", "required-tags": [1, None]}},
    "allowed-sources-bad": {"policy": {"allowed-sources": [{"publisher": 1, "zone": "x"}, "Canonical"]}},
    "timeout-too-low": {"policy": {"max-build-timeout": 5}},
    "timeout-too-high": {"policy": {"max-build-timeout": 961}},
    "timeout-fraction": {"policy": {"max-build-timeout": 10.5}},
    "timeout-boolean": {"policy": {"max-build-timeout": True}},
    "timeout-text": {"policy": {"max-build-timeout": "forever"}},
    "api-version-format": {"policy": {"min-api-version": "2022-2-14", "require-checksums": "yes"}},
    "everything-wrong": {"catalog": None, "validate": {"select": [None], "x": 1}, "policy": {"x": 1, "require-checksums": 0}},
}


def _configs() -> list:
    """Hand-written valid and broken configurations, and those the bad-input suite writes."""
    params = [pytest.param(doc, id=f"valid/{name}") for name, doc in VALID_CONFIGS.items()]
    params += [pytest.param(doc, id=f"broken/{name}") for name, doc in BROKEN_CONFIGS.items()]
    for case, name, raw in _bad_input_files():
        if name == "aibgen.yaml" and (doc := _yaml(name, raw)) is not None:
            params.append(pytest.param(doc, id=f"bad_input/{case}/{name}"))
        elif name == "pyproject.toml":
            try:
                doc = tomllib.loads(raw.decode()).get("tool", {}).get("aibgen", {})
            except tomllib.TOMLDecodeError:
                continue
            params.append(pytest.param(doc, id=f"bad_input/{case}/{name}"))
    return params


PROFILES = _profiles()
CONFIGS = _configs()


# -- agreement on every document the repository has -------------------------------------------------
@pytest.mark.parametrize("doc", PROFILES)
def test_agrees_with_jsonschema_on_profile(doc):
    _assert_agrees("profile", doc)


@pytest.mark.parametrize("doc", CONFIGS)
def test_agrees_with_jsonschema_on_configuration(doc):
    _assert_agrees("config", doc)


def test_the_comparisons_cover_the_catalog_the_test_data_and_the_bad_input_suite():
    ids = [p.id for p in PROFILES]
    assert sum(i.startswith("catalog/") for i in ids) == len(list((ROOT / "catalog").glob("*.yaml")))
    assert sum(i.startswith("tests/data/") for i in ids) >= 10
    assert sum(i.startswith("bad_input/") for i in ids) >= 20
    assert sum(p.id.startswith("bad_input/") for p in CONFIGS) >= 2


def test_broken_documents_are_broken_and_valid_ones_valid():
    fast, _ = _validators("config")
    assert all(not list(fast.iter_errors(doc)) for doc in VALID_CONFIGS.values())
    assert all(list(fast.iter_errors(doc)) for doc in BROKEN_CONFIGS.values())
    profile, _ = _validators("profile")
    assert all(not list(profile.iter_errors(p.values[0])) for p in PROFILES if p.id.startswith("catalog/"))
    assert sum(bool(list(profile.iter_errors(p.values[0]))) for p in PROFILES) >= 5


# -- agreement on randomly broken documents ---------------------------------------------------------
def _names(schema) -> list[str]:
    """Every property name and every string enum or const value in a schema, sorted."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.update(node.get("properties", {}) if isinstance(node.get("properties"), dict) else ())
            found.update(v for v in node.get("enum", []) if isinstance(v, str))
            if isinstance(node.get("const"), str):
                found.add(node["const"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(found)


_TEXTS = ["", "x", "1bad", "Bad", "good_name", "ok-name", "a.b", "../x", "shell", "name\n", "AIB", "aib304",
          "AIB1234", "XYZ1", "2024-02-01", "2024-2-1", "{{ name }}", "é"]


def _values(kind: str):
    """JSON values with the schema's own names and values mixed in, so mutations hit its branches."""
    names = _names(resources.schema(kind))
    keys = st.sampled_from(names + _TEXTS) | st.text(max_size=6)
    scalars = (st.none() | st.booleans() | st.integers(-2, 1000) | st.sampled_from([0.5, 2.0, 961.0, float("nan")])
               | st.sampled_from(names + _TEXTS) | st.text(max_size=8))
    return keys, st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                              | st.dictionaries(keys, inner, max_size=4), max_leaves=8)


def _containers(doc) -> list:
    out, stack = [], [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            out.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    return out


def _tweaks(value) -> list:
    """Values near ``value`` that cross the schema's lines: empty or shorter lists, numbers out of range, bent text."""
    if isinstance(value, list):
        return [[], value[:1], value + value[:1], *value[:1], {}]
    if isinstance(value, dict):
        return [{}, list(value), dict(list(value.items())[1:]), [value]]
    if isinstance(value, bool):
        return [not value, str(value).lower(), int(value)]
    if isinstance(value, (int, float)):
        return [value - 1, value + 1, -value, value * 100, float(value), value + 0.5, str(value), 0, 1]
    if isinstance(value, str):
        return ["", value.upper(), "1" + value, value + "/x", "_" + value, value + "\n", [value], 0]
    return ["", 0, False, []]


@st.composite
def broken(draw, kind: str, docs: list):
    """A valid document with one to four random edits: keys dropped, added or given other or nearby values."""
    keys, values = _values(kind)
    doc = copy.deepcopy(draw(st.sampled_from(docs)))
    for _ in range(draw(st.integers(1, 4))):
        node = draw(st.sampled_from(_containers(doc)))
        where = list(node) if isinstance(node, dict) else list(range(len(node)))
        action = draw(st.sampled_from(["drop", "set", "tweak", "add"])) if where else "add"
        if action == "add" and isinstance(node, list):
            node.append(draw(values))
        elif action == "add":
            node[draw(keys)] = draw(values)
        else:
            at = draw(st.sampled_from(where))
            if action == "drop":
                del node[at]
            else:
                node[at] = draw(values) if action == "set" else draw(st.sampled_from(_tweaks(node[at])))
    return doc


# Valid profiles that use what no built-in profile does: list operations, every parameter kind.
SEED_PROFILES = [yamlsrc.load("""\
description: team image
abstract: false
extends: [linux-base, ubuntu-gen2-vhd]
apiVersion: 2024-02-01
os: linux
parameters:
  pick: {type: choice, choices: [a, b], default: a, help: one of two}
  rg: {type: resource-id, resource: resourceGroup, required: true, example: /subscriptions/x}
  regions: {type: list, items: region, default: [westus2]}
  _flag: {type: boolean}
examples: {pick: b}
tags: {team: red}
buildTimeoutInMinutes: 90
vmProfile: {vmSize: Standard_D2s_v3, osDiskSizeGB: 64, userAssignedIdentities: [a, b]}
customize:
  - {op: clear}
  - {op: remove, name: old}
  - {op: replace, use: shell, name: two, with: {inline: [x]}}
  - {op: before, target: two, use: shell, name: one, when: "{{ pick == 'a' }}"}
  - {op: after, target: two, use: file, script: s.sh, inline_file: i.sh}
validate: {sourceValidationOnly: false, inVMValidations: [{use: shell, name: check}]}
distribute: [{op: prepend, use: vhd}]
optimize: {vmBoot: true}
errorHandling: {onCustomizerError: abort}
autoRun: "{{ auto }}"
managedResourceTags: {a: b}
""", "seed.yaml").data]


VALID_PROFILES = [p.values[0] for p in PROFILES if p.id.startswith("catalog/")] + SEED_PROFILES


def _neighbours(doc) -> list:
    """Every copy of ``doc`` with one value dropped, replaced by one of its :func:`_tweaks`, or its key renamed."""
    paths, stack = [], [((), doc)]
    while stack:
        path, node = stack.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            paths.append(path + (key,))
            stack.append((path + (key,), child))
    out = []
    for path in paths:
        key, renames = path[-1], [path[-1] + "x", "1" + path[-1]] if isinstance(path[-1], str) else []
        for change in ["drop", *renames, *range(len(_tweaks(_at(doc, path))))]:
            near = copy.deepcopy(doc)
            parent = _at(near, path[:-1])
            if isinstance(change, int):
                parent[key] = _tweaks(parent[key])[change]
            elif change == "drop":
                del parent[key]
            elif change not in parent:
                parent[change] = parent.pop(key)
            out.append(near)
    return out


def _at(doc, path: tuple):
    for key in path:
        doc = doc[key]
    return doc


@pytest.mark.parametrize("kind, doc", [pytest.param("profile", d, id=f"profile-{i}") for i, d in enumerate(VALID_PROFILES)]
                         + [pytest.param("config", d, id=f"config-{k}") for k, d in VALID_CONFIGS.items()])
def test_agrees_with_jsonschema_on_every_one_edit_neighbour(kind, doc):
    neighbours = _neighbours(doc)
    assert neighbours or doc == {}
    for near in neighbours:
        _assert_agrees(kind, near)


def _messages(kind: str, docs: list) -> list[str]:
    """The one-line error the real loader raises for each document (written as JSON, which is YAML), or ''."""
    from aibgen import config
    from aibgen.profiles import load

    out = []
    for doc in docs:
        text = json.dumps(doc, indent=1)
        try:
            if kind == "profile":
                load.parse("p.yaml", text.encode())
            else:
                located = yamlsrc.load(text, "aibgen.yaml", config.ConfigError)
                config._check(located.data, Path("aibgen.yaml"), located)
            out.append("")
        except AibgenError as err:
            out.append(str(err))
    return out


@pytest.mark.parametrize("kind", ["profile", "config"])
def test_the_user_sees_the_same_message_as_with_jsonschema(kind, monkeypatch):
    """Sampled one-edit neighbours through the real loaders: byte-identical one-line errors."""
    from aibgen import config
    from aibgen.profiles import load

    seeds = VALID_PROFILES if kind == "profile" else list(VALID_CONFIGS.values())
    samples = [near for doc in seeds for near in _neighbours(doc)][:: 20 if kind == "profile" else 1]
    ours = _messages(kind, samples)
    monkeypatch.setattr(load if kind == "profile" else config, "_validator", lambda: _validators(kind)[1])
    assert _messages(kind, samples) == ours
    assert sum(map(bool, ours)) > len(samples) // 3


@SETTINGS
@given(broken("profile", VALID_PROFILES))
def test_agrees_with_jsonschema_on_randomly_broken_profiles(doc):
    _assert_agrees("profile", doc)


@SETTINGS
@given(broken("config", list(VALID_CONFIGS.values())))
def test_agrees_with_jsonschema_on_randomly_broken_configurations(doc):
    _assert_agrees("config", doc)


# -- jsonschema stays out of the normal path ---------------------------------------------------------
IMPORTTIME = {"PYTHONPROFILEIMPORTTIME": "1"}  # python -X importtime: one stderr line per module imported


def _imported(err: str) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in err.splitlines() if line.startswith("import time:")}


def test_new_with_a_profile_outside_the_built_in_catalog_does_not_import_jsonschema(aibgen, workdir):
    (workdir / "cat").mkdir()
    shutil.copy(ROOT / "catalog" / "ubuntu-sig.yaml", workdir / "cat" / "ubuntu-sig.yaml")
    (workdir / "aibgen.yaml").write_text("validate:\n  ignore: [AIB9]\n")
    run = aibgen("new", "-p", "ubuntu-sig", "--catalog", "cat", "--example-values", "-o", "-", env=IMPORTTIME)
    assert run.code == 0 and "Microsoft.VirtualMachineImages/imageTemplates" in run.out, run.err[-2000:]
    assert "aibgen.profiles.load" in _imported(run.err) and "jsonschema" not in _imported(run.err)


def test_validate_of_a_clean_template_does_not_import_jsonschema(aibgen, workdir):
    (workdir / "aibgen.yaml").write_text("validate:\n  ignore: [AIB9]\n")
    shutil.copy(GOLDEN / "ubuntu-gen2-vhd.json", workdir / "t.json")
    run = aibgen("validate", "t.json", env=IMPORTTIME)
    assert run.code == 0, run.err[-2000:]
    assert "aibgen.sources.validator" in _imported(run.err) and "jsonschema" not in _imported(run.err)


def test_a_schema_error_in_a_catalog_profile_is_reported_without_jsonschema(aibgen, workdir):
    (workdir / "cat").mkdir()
    (workdir / "cat" / "p.yaml").write_text("description: d\nextends: [Linux-Base]\n")
    run = aibgen("new", "-p", "p", "--catalog", "cat", "-o", "-", env=IMPORTTIME)
    assert run.code == 2 and "is not valid under any of the given schemas" in run.err
    assert [line for line in run.err.splitlines() if not line.startswith("import time:")] == [
        "error: cat/p.yaml:2:1: ['Linux-Base'] is not valid under any of the given schemas"]
    assert "jsonschema" not in _imported(run.err)

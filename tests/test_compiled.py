"""The compiled schema validator reports what jsonschema reports, and refuses what it does not implement."""
from __future__ import annotations

import copy
import hashlib
import json
import random
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from aibgen import resources
from aibgen.sources.validator import UnsupportedSchema, Validator
from aibgen.check.engine import schema_for, templates
from aibgen.flows.validate import decode, parse

from conftest import ROOT

CASES = ROOT / "tests" / "cases"
GOLDEN = ROOT / "tests" / "golden"
CORPUS = Path("/work/shared/corpus/real")
VERSIONS = resources.api_versions()
PARTS = ("resource", "properties")


def _errors(validator, instance) -> Counter:
    """One validator's errors on ``instance``, as the facts that must agree.

    Each error is ``(keyword, instance path, message, schema node)``, and the errors are
    compared as a multiset. That is everything aibgen turns into a finding: the rule comes
    from the keyword, the pointer (so the line and column) from the path, and the text from
    the message, the keyword's value and, for unknown properties, the failing node's
    ``properties`` (did-you-mean) — all of which the schema node pins (it is shown by a
    digest of its JSON). The instance needs no comparing: it is the value at the path. The
    order of errors is not compared (findings are sorted), but a missing or extra duplicate
    is. jsonschema's ``schema_path`` is left out: aibgen never shows it, and the compiled
    validator does not track it.
    """
    def node(schema) -> str:
        return hashlib.sha1(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:12]

    return Counter((e.validator, tuple(e.absolute_path), e.message, node(e.schema)) for e in validator.iter_errors(instance))


@lru_cache(maxsize=None)
def _validators(version: str, part: str) -> tuple[Validator, Draft202012Validator]:
    schema = schema_for(version, part)
    return Validator(schema), Draft202012Validator(schema)


def _instances(path: Path) -> list[tuple[str, object]]:
    """``(schema part, instance)`` per image template in a file, found the way ``aibgen validate`` finds them."""
    text, _ = decode(path.name, path.read_bytes())
    doc = parse(path.name, text)[0] if text is not None else None
    return [("properties", t.resource["properties"]) if t.properties_only else ("resource", t.resource)
            for t in templates(doc)]


def _disagreements(instances: list[tuple[str, object]]) -> list[str]:
    """Where the two validators differ, checking each instance against every bundled apiVersion."""
    out = []
    for part, instance in instances:
        for version in VERSIONS:
            fast, reference = _validators(version, part)
            ours, theirs = _errors(fast, instance), _errors(reference, instance)
            if ours != theirs:
                out.append(f"{version} ({part}): only compiled {sorted((ours - theirs).elements())}; "
                           f"only jsonschema {sorted((theirs - ours).elements())}")
    return out


def _params(paths) -> list:
    return [pytest.param(p, id=p.relative_to(p.parents[2]).as_posix() if p.is_relative_to(CASES) else p.name)
            for p in paths]


def _golden_templates() -> list[Path]:
    """The golden files that are built-in profiles rendered (bare resource or ARM template)."""
    profiles = {p.stem for p in (ROOT / "catalog").glob("*.yaml")}
    return [p for p in sorted(GOLDEN.glob("*.json")) if p.name.split(".")[0] in profiles]


def _corpus() -> list:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"), id="no-corpus")]
    return _params(sorted(CORPUS.glob("*.json")))


# -- agreement with jsonschema -------------------------------------------------------------
@pytest.mark.parametrize("path", _params(sorted(CASES.glob("*/*/*.json"))))
def test_agrees_with_jsonschema_on_rule_case(path):
    instances = _instances(path)
    if not instances:
        pytest.skip("no image template in this file")
    assert _disagreements(instances) == []


@pytest.mark.parametrize("path", _params(_golden_templates()))
def test_agrees_with_jsonschema_on_golden_template(path):
    instances = _instances(path)
    assert len(instances) == 1
    assert _disagreements(instances) == []


@pytest.mark.parametrize("path", _corpus())
def test_agrees_with_jsonschema_on_real_world_template(path):
    """Corpus files are often ARM templates, some not strict JSON: compared on what aibgen extracts."""
    instances = _instances(path)
    if not instances:
        pytest.skip("aibgen finds no image template in this file")
    assert _disagreements(instances) == []


def test_golden_comparisons_include_the_arm_wrapped_templates():
    arm = [p for p in _golden_templates() if p.name.endswith(".arm.json")]
    assert arm and all(_instances(p) for p in arm)


def _mutations(doc, rng: random.Random, count: int):
    """Randomly broken copies of ``doc``: keys dropped or added, values of other types."""
    values = [None, True, 0, -3, 7.5, "", "Shel", "x" * 70, [], {}, ["a"], {"type": "File"}, 999999]
    for _ in range(count):
        out = copy.deepcopy(doc)
        nodes, stack = [out], [out]
        while stack:
            node = stack.pop()
            children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else []
            for child in children:
                if isinstance(child, (dict, list)):
                    nodes.append(child)
                    stack.append(child)
        target = rng.choice(nodes)
        if isinstance(target, dict) and target:
            key = rng.choice(sorted(target))
            action = rng.randrange(3)
            if action == 0:
                del target[key]
            else:
                target[key if action == 1 else key + "x"] = rng.choice(values)
        elif isinstance(target, list) and target:
            target[rng.randrange(len(target))] = rng.choice(values)
        yield out


@pytest.mark.parametrize("version", VERSIONS)
def test_agrees_with_jsonschema_on_randomly_broken_templates(version):
    rng = random.Random(version)
    docs = [inst for p in sorted(CASES.glob("*/*/*.json")) for part, inst in _instances(p) if part == "resource"]
    fast, reference = _validators(version, "resource")
    compared = 0
    for doc in docs[::3]:
        for mutated in _mutations(doc, rng, 15):
            assert _errors(fast, mutated) == _errors(reference, mutated)
            compared += 1
    assert compared > 300


# -- compiling ----------------------------------------------------------------------------
@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("version", VERSIONS)
def test_bundled_schema_compiles(version, part):
    Validator(schema_for(version, part))  # raises UnsupportedSchema for anything it would skip


def test_if_then_as_an_allOf_part_applies_then_where_if_holds():
    schema = {"allOf": [{"if": {"properties": {"type": {"const": "A"}}, "required": ["type"]},
                         "then": {"required": ["a"]}}]}
    fast = Validator(schema)
    assert [e.message for e in fast.iter_errors({"type": "A"})] == ["'a' is a required property"]
    assert list(fast.iter_errors({"type": "B"})) == []


def test_unknown_property_message_is_jsonschemas():
    schema = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    [error] = Validator(schema).iter_errors({"a": 1, "c": 2, "b": 3})
    assert error.message == "Additional properties are not allowed ('b', 'c' were unexpected)"


_IF_THEN = {"if": {"required": ["x"]}, "then": {"required": ["y"]}}
REFUSED = [
    pytest.param({"properties": {"a": dict(_IF_THEN)}}, "#/properties/a/if", "'if'", id="if-outside-allOf"),
    pytest.param({"then": {"required": ["y"]}}, "#/then", "'then'", id="then-outside-allOf"),
    pytest.param({"allOf": [dict(_IF_THEN, **{"else": {}})]}, "#/allOf/0/else", "'else'", id="else-in-allOf-part"),
    pytest.param({"allOf": [{"then": {}}]}, "#/allOf/0", "'if'", id="then-without-if-in-allOf-part"),
    pytest.param({"type": "object", "patternProperties": {"^x": {}}}, "#/patternProperties", "'patternProperties'",
                 id="patternProperties"),
    pytest.param({"$defs": {"Unused": {"oneOf": [{}, {}]}}}, "#/$defs/Unused/oneOf", "'oneOf'",
                 id="keyword-in-an-unused-definition"),
    pytest.param({"type": "array", "items": {"minItems": 1}}, "#/items/minItems", "'minItems'", id="keyword-under-items"),
    pytest.param({"properties": {"a/b": {"minLength": 1}}}, "#/properties/a~1b/minLength", "'minLength'",
                 id="location-is-an-escaped-pointer"),
    pytest.param({"$ref": "https://example.com/other.json"}, "#/$ref", "https://example.com/other.json",
                 id="remote-ref"),
    pytest.param({"$ref": "#/$defs/Missing"}, "#/$ref", "Missing", id="ref-to-a-missing-definition"),
    pytest.param({"properties": {"a": True}}, "#/properties/a", "bool", id="boolean-subschema"),
    pytest.param({"properties": {"a": {"type": "decimal"}}}, "#/properties/a/type", "'decimal'", id="unknown-type"),
    pytest.param({"$schema": "http://json-schema.org/draft-07/schema#"}, "#/$schema", "draft-07", id="other-draft"),
]


@pytest.mark.parametrize("schema, location, named", REFUSED)
def test_unsupported_schema_is_refused_naming_what_and_where(schema, location, named):
    with pytest.raises(UnsupportedSchema) as refused:
        Validator(schema)
    assert str(refused.value).startswith(location + ":") and named in str(refused.value)


def test_refusal_is_a_value_error():
    assert issubclass(UnsupportedSchema, ValueError)

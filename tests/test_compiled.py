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
from reference import Reference as Draft202012Validator

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


@pytest.mark.parametrize("name", ["profile", "config"])
def test_bundled_profile_and_config_schemas_compile(name):
    Validator(resources.schema(name))  # compared with jsonschema in tests/test_profile_schema.py


def test_if_then_as_an_allOf_part_applies_then_where_if_holds():
    schema = {"allOf": [{"if": {"properties": {"type": {"const": "A"}}, "required": ["type"]},
                         "then": {"required": ["a"]}}]}
    fast = Validator(schema)
    assert [e.message for e in fast.iter_errors({"type": "A"})] == ["'a' is a required property"]
    assert list(fast.iter_errors({"type": "B"})) == []


def test_else_applies_where_if_fails_and_its_errors_are_its_own():
    other = {"required": ["use"]}
    schema = {"if": {"properties": {"op": {"enum": ["remove", "clear"]}}, "required": ["op"]}, "else": other}
    [error] = Validator(schema).iter_errors({"op": "append"})
    assert (error.validator, error.schema, error.message) == ("required", other, "'use' is a required property")
    assert list(Validator(schema).iter_errors({"op": "clear"})) == []


def test_any_of_reports_one_error_holding_each_failed_branchs_errors():
    schema = {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1}]}
    [error] = Validator(schema).iter_errors([])
    assert error.validator == "anyOf" and error.schema is schema
    assert error.message == "[] is not valid under any of the given schemas"
    assert [(e.validator, e.message) for e in error.context] == [("type", "[] is not of type 'string'"),
                                                                 ("minItems", "[] should be non-empty")]
    assert list(Validator(schema).iter_errors("x")) == []


def test_property_names_are_checked_at_the_mappings_path_with_the_name_as_instance():
    schema = {"properties": {"p": {"propertyNames": {"pattern": "^[a-z]+$"}}}}
    [error] = Validator(schema).iter_errors({"p": {"ok": 1, "Bad": 2}})
    assert (error.validator, list(error.absolute_path), error.instance) == ("pattern", ["p"], "Bad")


# Small schemas for each keyword the profile and config schemas use, against instances on both sides of it.
KEYWORD_CASES = [
    pytest.param({"anyOf": [{"type": "string", "pattern": "^a"}, {"type": "array", "items": {"type": "string"},
                                                                 "minItems": 2}]},
                 ["a", "b", 3, [], ["x"], ["x", 1], ["x", "y"], None, {}], id="anyOf"),
    pytest.param({"anyOf": [{"required": ["a"]}, {"required": ["b"]}], "properties": {"a": {"anyOf": []}}},
                 [{}, {"a": 1}, {"b": 1}, []], id="anyOf-empty-and-nested"),
    pytest.param({"if": {"properties": {"t": {"const": "x"}}, "required": ["t"]}, "then": {"required": ["a"]},
                  "else": {"required": ["b"]}}, [{}, {"t": "x"}, {"t": "y"}, {"t": "x", "a": 1}, {"b": 1}, 5],
                 id="if-then-else"),
    pytest.param({"if": {"minimum": 3}, "then": {"maximum": 5}, "else": {"type": "string"}},
                 [1, 3, 7, "a", [], 4.5, True], id="if-general"),
    pytest.param({"if": {"type": "string"}}, ["a", 1], id="if-alone"),
    pytest.param({"then": {"type": "string"}, "else": {"type": "string"}}, [1, "a"], id="then-else-without-if"),
    pytest.param({"propertyNames": {"pattern": "^[a-z]+$", "enum": ["ab", "Cd"]}},
                 [{}, {"ab": 1}, {"Cd": 1, "x": 2, "9": 3}, ["Cd"], "Cd"], id="propertyNames"),
    pytest.param({"not": {"properties": {"t": {"enum": ["x", 1]}}, "required": ["t"]}},
                 [{}, {"t": "x"}, {"t": 1}, {"t": 1.0}, {"t": True}, {"t": "y"}, {"t": ["x"]}, 5], id="not-discriminator"),
    pytest.param({"properties": {"a": {"not": {}, "readOnly": True}, "b": {"not": {"type": "string"}}}},
                 [{}, {"a": 1}, {"b": "x"}, {"b": 2}], id="not"),
    pytest.param({"minItems": 1}, [[], [1], {}, ""], id="minItems-1"),
    pytest.param({"minItems": 3}, [[], [1, 2], [1, 2, 3], None], id="minItems-3"),
    pytest.param({"enum": ["a", 1, True, None, [1], {"a": 1}]}, ["a", 1, 1.0, True, False, 0, None, [1], [True],
                                                                {"a": 1}, {"a": True}], id="enum"),
    pytest.param({"type": "object", "examples": [{}], "title": "t", "description": "d", "required": [],
                  "properties": {"default": {}, "x": {"title": "only an annotation"}}},
                 [{}, {"default": 1, "x": None}, []], id="annotations"),
]


@pytest.mark.parametrize("schema, instances", KEYWORD_CASES)
def test_agrees_with_jsonschema_on_each_keyword(schema, instances):
    fast, reference = Validator(schema), Draft202012Validator(schema)
    for instance in instances:
        assert _errors(fast, instance) == _errors(reference, instance), instance


def test_unknown_property_message_is_jsonschemas():
    schema = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    [error] = Validator(schema).iter_errors({"a": 1, "c": 2, "b": 3})
    assert error.message == "Additional properties are not allowed ('b', 'c' were unexpected)"


REFUSED = [
    pytest.param({"properties": {"a": {"if": {"minLength": 1}, "then": {}}}}, "#/properties/a/if/minLength",
                 "'minLength'", id="keyword-under-if"),
    pytest.param({"then": {"maxItems": 1}}, "#/then/maxItems", "'maxItems'", id="keyword-under-then-without-if"),
    pytest.param({"allOf": [{"if": {}, "else": {"uniqueItems": True}}]}, "#/allOf/0/else/uniqueItems",
                 "'uniqueItems'", id="keyword-under-else-in-allOf-part"),
    pytest.param({"anyOf": [{}, {"dependentRequired": {}}]}, "#/anyOf/1/dependentRequired", "'dependentRequired'",
                 id="keyword-under-anyOf"),
    pytest.param({"propertyNames": {"minLength": 1}}, "#/propertyNames/minLength", "'minLength'",
                 id="keyword-under-propertyNames"),
    pytest.param({"minItems": "1"}, "#/minItems", "'1'", id="minItems-not-an-integer"),
    pytest.param({"type": "object", "patternProperties": {"^x": {}}}, "#/patternProperties", "'patternProperties'",
                 id="patternProperties"),
    pytest.param({"$defs": {"Unused": {"oneOf": [{}, {}]}}}, "#/$defs/Unused/oneOf", "'oneOf'",
                 id="keyword-in-an-unused-definition"),
    pytest.param({"type": "array", "items": {"maxItems": 1}}, "#/items/maxItems", "'maxItems'", id="keyword-under-items"),
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

"""Every built-in profile renders into a template that Azure's own Python SDK models whole.

``azure-mgmt-imagebuilder`` 2.x (the ``test`` extra) models apiVersion 2025-10-01. Its models
are "hybrid" models: ``ImageTemplate(data)`` keeps every key of the JSON, known or not, so a
plain load-and-dump round trip can never lose anything and proves nothing. This module makes
the two checks that can fail:

1. Every key of the rendered JSON, at every depth, is a field the SDK declares on the model
   class it lands in, polymorphic types resolved by their discriminator (``type``, or
   ``scheme`` for versioning) as the SDK resolves them; a discriminator value the SDK does not
   know fails too. A key that is not declared would stay an opaque leftover: this is the
   hybrid model's ``additional_properties``. Each value, read through the SDK's typed
   attribute, is the rendered value of the same JSON type (the SDK would read a string
   ``"120"`` in an integer field as ``120``, ``true`` as ``1``).
2. The request body the SDK sends for ``begin_create_or_update`` (``json.dumps(model,
   cls=SdkJSONEncoder, exclude_readonly=True)``, read-only fields dropped at every depth) is
   the rendered template, value for value and type for type (key order aside: JSON objects are
   unordered), except for the three resource-envelope keys the SDK does not send in the body:

   - ``apiVersion``: not a field of the resource body; the SDK sends it as the ``api-version``
     query parameter. Checked instead to equal the apiVersion the SDK speaks.
   - ``name``: read-only in the SDK (``Resource.name``); it travels in the URL as the
     ``image_template_name`` argument.
   - ``type``: read-only in the SDK (``Resource.type``); the URL's provider path fixes it.

   A read-only field anywhere else (``source.exactVersion``, ``provisioningState``...) would
   be dropped from the body and fails the test: the service would ignore it.

Profiles render through the real CLI in a subprocess, as ``aibgen new --example-values
--api-version <the SDK's>`` (today also aibgen's default), into a file in the test's folder.
The profile list is read from the installed built-in catalog when the tests are collected,
and checked against what ``aibgen catalog list`` shows. Hand-written good cases in
tests/cases/*/good/ are checked the same way when they are bare resources at the SDK's
apiVersion (none is today: they are written for 2024-02-01 and older, so that test is skipped).
"""
from __future__ import annotations

import enum
import json

import pytest
from azure.mgmt.imagebuilder import __version__ as SDK_VERSION
from azure.mgmt.imagebuilder._configuration import ImageBuilderClientConfiguration
from azure.mgmt.imagebuilder._utils.model_base import Model, SdkJSONEncoder
from azure.mgmt.imagebuilder.models import ImageTemplate

from conftest import ROOT

SDK_API_VERSION = ImageBuilderClientConfiguration(
    credential=object(), subscription_id="00000000-0000-0000-0000-000000000000").api_version
# Keys of the bare resource that are not in the request body, and why (see the docstring).
ENVELOPE = {"apiVersion": "the api-version query parameter", "name": "the URL's image_template_name",
            "type": "fixed by the URL's provider path"}


def _builtin_concrete_profiles() -> list[str]:
    """The non-abstract profiles of the installed built-in catalog (no user or plugin roots)."""
    from aibgen import resources
    from aibgen.flows.lint import concrete_profiles
    from aibgen.profiles.roots import Root, load_catalog

    catalog = load_catalog([Root("built-in", resources.builtin_catalog(), resources.builtin_partials())])
    return concrete_profiles(catalog)


PROFILES = _builtin_concrete_profiles()


def _fields(model: Model) -> dict[str, str]:
    """The model's declared fields: JSON name -> Python attribute."""
    return {rf._rest_name: attr for attr, rf in type(model)._attr_to_rest_field.items()}


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if key.replace("_", "a").isalnum() else f"{path}[{json.dumps(key)}]"


def _unmodelled(model: Model, raw: dict, path: str) -> list[str]:
    """Where ``raw``, loaded into ``model``, is not what the SDK's typed model reads.

    Reading each field through its attribute makes the SDK deserialize it (nested models,
    lists and dicts of models, subclasses chosen by discriminator), as a user of the SDK would."""
    cls = type(model)
    if "__mapping__" in vars(cls):  # a polymorphic base: the discriminator matched no subclass
        disc = next(rf._rest_name for rf in cls._attr_to_rest_field.values() if rf._is_discriminator)
        return [f"{_at(path, disc)}: {json.dumps(raw.get(disc))} is not a {cls.__name__} type that "
                f"azure-mgmt-imagebuilder {SDK_VERSION} models (it knows {', '.join(sorted(cls.__mapping__))})"]
    found = []
    fields = _fields(model)
    for key, value in raw.items():
        if key not in fields:
            found.append(f"{_at(path, key)}: not a field of {cls.__name__} in azure-mgmt-imagebuilder "
                         f"{SDK_VERSION} (the SDK would keep it only as an undeclared leftover)")
            continue
        typed = getattr(model, fields[key])
        if cls._attr_to_rest_field[fields[key]]._is_model and not isinstance(typed, (Model, list, dict)):
            found.append(f"{_at(path, key)}: rendered {json.dumps(value)}, the SDK expects an object")
        else:
            found.extend(_misread(typed, value, _at(path, key)))
    return found


def _misread(typed, raw, path: str) -> list[str]:
    if isinstance(typed, Model):
        if not isinstance(raw, dict):
            return [f"{path}: rendered {json.dumps(raw)}, the SDK expects a {type(typed).__name__} object"]
        return _unmodelled(typed, raw, path)
    if isinstance(typed, list) and isinstance(raw, list) and len(typed) == len(raw):
        return [m for i, (t, r) in enumerate(zip(typed, raw)) for m in _misread(t, r, f"{path}[{i}]")]
    if isinstance(typed, dict) and isinstance(raw, dict) and typed.keys() == raw.keys():
        return [m for k in raw for m in _misread(typed[k], raw[k], _at(path, k))]
    if isinstance(typed, enum.Enum):
        typed = typed.value
    if type(typed) is not type(raw) or typed != raw:  # "120" read as 120, true as 1, 5 as "5"
        return [f"{path}: rendered {json.dumps(raw)}, the SDK's model reads {typed!r}"]
    return []


def _differences(sent, rendered, path: str) -> list[str]:
    """Where the SDK's request body differs from the rendered JSON (key order ignored)."""
    if isinstance(rendered, dict) and isinstance(sent, dict):
        out = [f"{_at(path, k)}: rendered {json.dumps(rendered[k])}, the SDK does not send it (read-only)"
               for k in rendered if k not in sent]
        out += [f"{_at(path, k)}: not rendered, the SDK adds {json.dumps(sent[k])}" for k in sent if k not in rendered]
        return out + [d for k in rendered if k in sent for d in _differences(sent[k], rendered[k], _at(path, k))]
    if isinstance(rendered, list) and isinstance(sent, list):
        if len(rendered) != len(sent):
            return [f"{path}: rendered {len(rendered)} items, the SDK sends {len(sent)}"]
        return [d for i, (s, r) in enumerate(zip(sent, rendered)) for d in _differences(s, r, f"{path}[{i}]")]
    if type(sent) is not type(rendered) or sent != rendered:  # also 1 vs true vs "1"
        return [f"{path}: rendered {json.dumps(rendered)}, the SDK sends {json.dumps(sent)}"]
    return []


def _sdk_problems(doc: dict) -> list[str]:
    """Every way ``doc`` (a bare Image Builder resource) is not modelled whole by the SDK."""
    problems = []
    if doc.get("apiVersion") != SDK_API_VERSION:
        problems.append(f"$.apiVersion: {doc.get('apiVersion')!r}, but azure-mgmt-imagebuilder {SDK_VERSION} "
                        f"speaks {SDK_API_VERSION}")
    body = {k: v for k, v in doc.items() if k != "apiVersion"}
    model = ImageTemplate(json.loads(json.dumps(body)))  # a private copy: the SDK rewrites in place
    problems += _unmodelled(model, body, "$")
    sent = json.loads(json.dumps(model, cls=SdkJSONEncoder, exclude_readonly=True))
    expected = {k: v for k, v in doc.items() if k not in ENVELOPE}
    problems += _differences(sent, expected, "$")
    return problems


def test_the_sdk_speaks_the_api_version_aibgen_renders_by_default():
    from aibgen import resources

    assert SDK_API_VERSION == resources.latest_api_version(), (
        f"azure-mgmt-imagebuilder {SDK_VERSION} models apiVersion {SDK_API_VERSION}, aibgen's newest is "
        f"{resources.latest_api_version()}: use the SDK release that models aibgen's newest apiVersion")


def test_the_envelope_keys_are_the_ones_the_sdk_does_not_send():
    """The keys the comparison ignores are exactly those: read-only in the SDK, or not a field."""
    fields = _fields(ImageTemplate({}))  # the SDK builds its field table on the first instance
    readonly = {rf._rest_name for rf in ImageTemplate._attr_to_rest_field.values() if rf._visibility == ["read"]}
    assert "apiVersion" not in fields
    assert {"name", "type"} <= readonly
    assert all(key not in fields or key in readonly for key in ENVELOPE)


def test_profiles_are_collected_from_the_built_in_catalog(aibgen):
    assert "ubuntu-gen2-vhd" in PROFILES, PROFILES
    r = aibgen("catalog", "list", "--format", "json")
    assert r.code == 0, r.err
    listed = sorted(row["name"] for row in json.loads(r.out) if row["origin"] == "built-in" and not row["abstract"])
    assert listed == sorted(PROFILES)


@pytest.mark.parametrize("profile", PROFILES)
def test_profile_loads_into_the_sdk_models_with_no_dropped_field(aibgen, workdir, profile):
    r = aibgen("new", "-p", profile, "--example-values", "--no-input", "--api-version", SDK_API_VERSION,
               "-o", "template.json")
    assert r.code == 0, f"{profile}: aibgen new failed: {r.err}"
    doc = json.loads((workdir / "template.json").read_text(encoding="utf-8"))
    problems = _sdk_problems(doc)
    assert not problems, f"{profile} (apiVersion {SDK_API_VERSION}, azure-mgmt-imagebuilder {SDK_VERSION}):\n  " \
        + "\n  ".join(problems)


def _good_cases_the_sdk_models() -> list:
    """Hand-written good templates, bare-resource shape, at the apiVersion the SDK models."""
    cases = []
    for path in sorted((ROOT / "tests" / "cases").glob("*/good/*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(doc, dict) and "$schema" not in doc and doc.get("apiVersion") == SDK_API_VERSION:
            cases.append(pytest.param(path, id=str(path.relative_to(ROOT / "tests" / "cases"))))
    return cases


@pytest.mark.parametrize("case", _good_cases_the_sdk_models())
def test_good_case_loads_into_the_sdk_models(case):
    doc = json.loads(case.read_text(encoding="utf-8"))
    problems = _sdk_problems(doc)
    assert not problems, f"{case}:\n  " + "\n  ".join(problems)


EVERYTHING = ROOT / "tests" / "data" / "everything"


@pytest.mark.parametrize("profile", sorted(p.stem for p in EVERYTHING.glob("every-*.yaml") if p.stem != "every-base"))
def test_every_producible_property_loads_into_the_sdk_models(aibgen, workdir, profile):
    """The coverage profiles of test_newest_features.py write every property; the SDK models each."""
    r = aibgen("new", "--catalog", str(EVERYTHING), "-p", profile, "--no-input", "--api-version", SDK_API_VERSION,
               "-o", "template.json")
    assert r.code == 0, f"{profile}: aibgen new failed: {r.err}"
    problems = _sdk_problems(json.loads((workdir / "template.json").read_text(encoding="utf-8")))
    assert not problems, f"{profile}:\n  " + "\n  ".join(problems)

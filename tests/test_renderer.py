"""Rendering profile values in process: types kept, text rendered, errors that name the place."""
from __future__ import annotations

import pytest

from aibgen.errors import RenderError
from aibgen.profiles.resolve import Profile
from aibgen.profiles.roots import default_roots, load_catalog
from aibgen.render.renderer import Renderer

CATALOG = load_catalog(default_roots([], environ={}))


def renderer(**values) -> Renderer:
    prof = Profile("p", "p.yaml", {"os": "linux"}, {"/tags/a": ("p.yaml", 7, 5)}, {})
    return Renderer(CATALOG, prof, dict(values), "2025-10-01")


def test_a_single_expression_keeps_the_type_of_its_value():
    r = renderer(regions=["westus2", "eastus"], count=3, on=True)
    assert r.value("{{ regions }}", "/x") == ["westus2", "eastus"]
    assert r.value("{{ count }}", "/x") == 3 and r.value("{{ on }}", "/x") is True


def test_text_around_expressions_renders_as_text():
    assert renderer(name="img").value("{{ name }}-vhd", "/x") == "img-vhd"
    assert renderer(count=3).value("n={{ count }}", "/x") == "n=3"


def test_values_are_rendered_recursively_and_plain_values_pass_through():
    assert renderer(name="img").value({"a": ["{{ name }}", 1, None]}, "/x") == {"a": ["img", 1, None]}


def test_a_value_is_data_and_never_rendered_itself():
    assert renderer(name="{{ 7 * 7 }}").value("{{ name }}", "/x") == "{{ 7 * 7 }}"


def test_an_undefined_name_names_the_profile_line_and_the_parameters():
    with pytest.raises(RenderError, match=r"p\.yaml:7:5: 'nope' is undefined; parameters available: name"):
        renderer(name="img").value("{{ nope }}", "/tags/a")


def test_sandbox_escapes_are_refused_with_the_place():
    with pytest.raises(RenderError, match=r"p\.yaml:7:5: unsafe template expression refused"):
        renderer().value("{{ ''.__class__.__mro__ }}", "/tags/a")


def test_a_syntax_error_names_the_place():
    with pytest.raises(RenderError, match=r"p\.yaml:7:5: template syntax error"):
        renderer().value("{{ 1 + }}", "/tags/a")


@pytest.mark.parametrize("text, what", [
    ("{{ cycler }}", "a type"), ("{{ range(3) }}", "a range"), ("{{ json_object }}", "a function"),
    ("{{ [1, range(2)] }}", "a range"), ("{{ {1: 2} }}", "a mapping with an int key"),
    ("{{ 1e308 * 10 }}", "the number inf"),
])
def test_a_single_expression_must_give_json_data(text, what):
    with pytest.raises(RenderError, match=rf"p\.yaml:7:5: the expression gives {what}, not JSON data"):
        renderer().value(text, "/tags/a")


def test_a_single_expression_gives_plain_json_data():
    assert renderer().value("{{ (1, 'a', {'k': [none, true, 1.5]}) }}", "/x") == [1, "a", {"k": [None, True, 1.5]}]


def test_a_single_expression_is_held_to_the_output_limit():
    with pytest.raises(RenderError, match=r"p\.yaml:7:5: template refused: the value is larger than 16 MiB"):
        renderer().value("{{ ['x' * 1000000] * 17 }}", "/tags/a")


def test_a_value_cannot_be_included_as_a_profile_string():
    r = renderer(vmSize="{{ 6 * 7 }}")
    with pytest.raises(RenderError, match="not found"):
        r.value('x{% include "\\x00profile-string:" ~ vmSize %}', "/tags/a")
    with pytest.raises(RenderError, match="not found"):
        r.value('x{% include "\\x00profile-string:{{ 6 * 7 }}" %}', "/tags/a")


def test_profile_strings_are_compiled_once_and_render_as_text():
    r = renderer(name="img")
    assert r.value("{% if name %}{{ name }}-x{% endif %}", "/x") == "img-x"
    assert r.value("{% if name %}{{ name }}-x{% endif %}", "/x") == "img-x"


@pytest.mark.parametrize("quote", ["'", "\u2018", "\u2019", "\u201a", "\u201b"])
def test_ps_quote_doubles_every_quote_powershell_ends_a_string_at(quote):
    from aibgen.render.environment import ps_quote

    text = ps_quote(f"x{quote}; Start-Process calc; {quote}")
    assert text == f"'x{quote * 2}; Start-Process calc; {quote * 2}'"


def test_a_set_value_cannot_end_the_quoted_powershell_argument(aibgen, workdir):
    """--set text with a typographic quote stays inside the FSLogix step's quoted argument."""
    import json

    r = aibgen("new", "-p", "win11-avd-session-host", "--example-values", "--no-input",
               "--set", "fslogixProfilePath=x\u2019; Start-Process calc; \u2019", "-o", "t.json")
    assert r.code == 0, r.err
    steps = json.loads((workdir / "t.json").read_text(encoding="utf-8"))["properties"]["customize"]
    line = next(s for s in steps if s["name"] == "avdBuiltInScript_enableFsLogix-parameter")["inline"][0]
    assert line.endswith("-ProfilePath 'x\u2019\u2019; Start-Process calc; \u2019\u2019'"), line


def test_a_quoted_or_conditional_value_stays_fixed_in_arm_output(aibgen, workdir):
    """An ARM parameter would reach the command line unquoted, and '' would not drop -ProfilePath."""
    import json

    r = aibgen("new", "-p", "win11-avd-session-host", "--example-values", "--no-input", "--format", "arm",
               "-o", "t.json")
    assert r.code == 0, r.err
    doc = json.loads((workdir / "t.json").read_text(encoding="utf-8"))
    assert "fslogixProfilePath" in doc["metadata"]["fixedParameters"]
    assert "fslogixProfilePath" not in doc["parameters"]
    assert "identity" in doc["parameters"]  # plain values still become parameters

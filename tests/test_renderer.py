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

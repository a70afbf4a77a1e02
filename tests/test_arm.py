"""The ARM wrapper: profile parameters that flow through unchanged become ARM parameters.

Each test renders with a fake ``render``: a plain function of the values dict, standing
in for the profile renderer.
"""
from __future__ import annotations

from aibgen.profiles.params import Parameter
from aibgen.render.arm import SCHEMA, wrap


def params(*declared: Parameter) -> dict[str, Parameter]:
    return {p.name: p for p in declared}


def text(name: str, **kw) -> Parameter:
    return Parameter(name=name, type="string", **kw)


def resource_of(arm: dict) -> dict:
    [resource] = arm["resources"]
    return resource


# The envelope


def test_the_wrapper_is_a_deployment_template_of_the_rendered_resource():
    arm = wrap(lambda v: {"type": "T"}, {}, {}, "my-profile")
    assert arm["$schema"] == SCHEMA
    assert arm["contentVersion"] == "1.0.0.0"
    assert arm["resources"] == [{"type": "T"}]


def test_the_metadata_names_the_generator_and_the_profile():
    arm = wrap(lambda v: {}, {}, {}, "my-profile")
    assert arm["metadata"]["generator"].startswith("aibgen ")
    assert arm["metadata"]["profile"] == "my-profile"


# Parameters that flow through


def test_a_parameter_used_whole_becomes_a_parameters_expression():
    arm = wrap(lambda v: {"name": v["name"]}, {"name": "img"}, params(text("name")), "p")
    assert resource_of(arm) == {"name": "[parameters('name')]"}
    assert arm["parameters"] == {"name": {"type": "string", "defaultValue": "img"}}


def test_a_parameter_inside_longer_text_becomes_a_format_expression():
    arm = wrap(lambda v: {"out": f"{v['name']}-vhd"}, {"name": "img"}, params(text("name")), "p")
    assert resource_of(arm) == {"out": "[format('{0}-vhd', parameters('name'))]"}


def test_format_numbers_the_parameters_in_the_order_they_appear():
    arm = wrap(lambda v: {"id": f"{v['b']}/{v['a']}/{v['b']}"}, {"a": "x", "b": "y"},
               params(text("a"), text("b")), "p")
    assert resource_of(arm) == {"id": "[format('{0}/{1}/{2}', parameters('b'), parameters('a'), parameters('b'))]"}


def test_braces_in_format_text_are_doubled():
    arm = wrap(lambda v: {"cmd": f"echo {{}} {v['name']}"}, {"name": "img"}, params(text("name")), "p")
    assert resource_of(arm) == {"cmd": "[format('echo {{}} {0}', parameters('name'))]"}


def test_quotes_in_format_text_are_doubled():
    arm = wrap(lambda v: {"cmd": f"echo '{v['name']}'"}, {"name": "img"}, params(text("name")), "p")
    assert resource_of(arm) == {"cmd": "[format('echo ''{0}''', parameters('name'))]"}


def test_a_whole_parameter_keeps_its_value_type_as_the_default():
    arm = wrap(lambda v: {"timeout": v["t"]}, {"t": 120}, params(Parameter(name="t", type="integer")), "p")
    assert resource_of(arm) == {"timeout": "[parameters('t')]"}
    assert arm["parameters"]["t"] == {"type": "int", "defaultValue": 120}


def test_a_number_inside_text_flows_through_as_its_text():
    arm = wrap(lambda v: {"disk": f"{v['size']}GB"}, {"size": 64}, params(Parameter(name="size", type="integer")), "p")
    assert resource_of(arm) == {"disk": "[format('{0}GB', parameters('size'))]"}


def test_arm_parameters_follow_the_profile_declaration_order():
    arm = wrap(lambda v: {"b": v["b"], "a": v["a"]}, {"a": "1", "b": "2"}, params(text("b"), text("a")), "p")
    assert list(arm["parameters"]) == ["b", "a"]


# Keys of dicts


def test_a_parameter_used_as_a_key_becomes_a_parameters_expression():
    arm = wrap(lambda v: {"ids": {v["identity"]: {}}}, {"identity": "/sub/x"}, params(text("identity")), "p")
    assert resource_of(arm) == {"ids": {"[parameters('identity')]": {}}}


def test_a_parameter_inside_a_key_becomes_a_format_expression():
    arm = wrap(lambda v: {"tags": {f"team-{v['team']}": "yes"}}, {"team": "red"}, params(text("team")), "p")
    assert resource_of(arm) == {"tags": {"[format('team-{0}', parameters('team'))]": "yes"}}


def test_a_literal_key_starting_with_a_bracket_is_escaped():
    arm = wrap(lambda v: {"[key]": 1}, {}, {}, "p")
    assert resource_of(arm) == {"[[key]": 1}


# Literal text


def test_a_literal_string_starting_with_a_bracket_is_written_with_two():
    arm = wrap(lambda v: {"note": "[not an expression]"}, {}, {}, "p")
    assert resource_of(arm) == {"note": "[[not an expression]"}


def test_a_bracket_later_in_a_string_is_left_alone():
    arm = wrap(lambda v: {"note": "a [b]"}, {}, {}, "p")
    assert resource_of(arm) == {"note": "a [b]"}


def test_strings_in_lists_are_escaped_too():
    arm = wrap(lambda v: {"inline": ["[x]", "y"]}, {}, {}, "p")
    assert resource_of(arm) == {"inline": ["[[x]", "y"]}


# Parameters that stay fixed


def test_a_parameter_the_render_cannot_take_as_text_is_fixed():
    arm = wrap(lambda v: {"count": int(v["n"]) + 1}, {"n": 2}, params(Parameter(name="n", type="integer")), "p")
    assert arm["metadata"]["fixedParameters"] == {"n": 2}
    assert arm["parameters"] == {}
    assert resource_of(arm) == {"count": 3}


def test_a_parameter_that_chooses_a_branch_is_fixed():
    def render(v):
        return {"customize": "PowerShell" if v["os"] == "windows" else "Shell"}

    os = Parameter(name="os", type="choice", choices=["linux", "windows"])
    arm = wrap(render, {"os": "windows"}, params(os), "p")
    assert arm["metadata"]["fixedParameters"] == {"os": "windows"}
    assert resource_of(arm) == {"customize": "PowerShell"}


def test_a_fixed_parameter_does_not_stop_others_flowing_through():
    def render(v):
        return {"name": v["name"], "customize": "PowerShell" if v["os"] == "windows" else "Shell"}

    arm = wrap(render, {"name": "img", "os": "windows"}, params(text("name"), text("os")), "p")
    assert list(arm["parameters"]) == ["name"]
    assert arm["metadata"]["fixedParameters"] == {"os": "windows"}


def test_parameters_that_interact_are_all_fixed():
    # Each token alone keeps the name under 40 characters; both together do not.
    def render(v):
        name = f"{v['prefix']}{v['suffix']}"
        return {"name": name, "long": len(name) > 40}

    arm = wrap(render, {"prefix": "img", "suffix": "1"}, params(text("prefix"), text("suffix")), "p")
    assert arm["parameters"] == {}
    assert arm["metadata"]["fixedParameters"] == {"prefix": "img", "suffix": "1"}
    assert resource_of(arm) == {"name": "img1", "long": False}


def test_a_parameter_the_template_does_not_use_is_listed_as_fixed():
    arm = wrap(lambda v: {"name": "img"}, {"unused": "x"}, params(text("unused")), "p")
    assert arm["parameters"] == {}
    assert arm["metadata"]["fixedParameters"] == {"unused": "x"}


def test_fixed_parameters_are_sorted_by_name():
    arm = wrap(lambda v: {}, {"b": "1", "a": "2"}, params(text("b"), text("a")), "p")
    assert list(arm["metadata"]["fixedParameters"]) == ["a", "b"]


def test_a_parameter_without_a_value_is_neither_parameter_nor_fixed():
    arm = wrap(lambda v: {"name": v.get("name", "default")}, {}, params(text("name")), "p")
    assert arm["parameters"] == {}
    assert arm["metadata"]["fixedParameters"] == {}


# The ARM parameter declarations


def test_choices_become_allowed_values():
    p = Parameter(name="size", type="choice", choices=["small", "large"])
    arm = wrap(lambda v: {"size": v["size"]}, {"size": "small"}, params(p), "p")
    assert arm["parameters"]["size"] == {"type": "string", "defaultValue": "small", "allowedValues": ["small", "large"]}


def test_choices_that_are_all_whole_numbers_make_an_int_parameter():
    p = Parameter(name="disk", type="choice", choices=[64, 128])
    arm = wrap(lambda v: {"disk": v["disk"]}, {"disk": 128}, params(p), "p")
    assert arm["parameters"]["disk"]["type"] == "int"


def test_choices_of_mixed_kinds_make_a_string_parameter():
    p = Parameter(name="disk", type="choice", choices=[64, "auto"])
    arm = wrap(lambda v: {"disk": v["disk"]}, {"disk": "auto"}, params(p), "p")
    assert arm["parameters"]["disk"]["type"] == "string"


def test_help_text_becomes_the_parameter_description():
    p = text("name", help="Name of the image template resource.")
    arm = wrap(lambda v: {"name": v["name"]}, {"name": "img"}, params(p), "p")
    assert arm["parameters"]["name"]["metadata"] == {"description": "Name of the image template resource."}


def test_boolean_and_list_parameters_get_bool_and_array_types():
    declared = params(Parameter(name="flag", type="boolean"), Parameter(name="regions", type="list"))
    arm = wrap(lambda v: {"f": v["flag"], "r": v["regions"]}, {"flag": True, "regions": ["westus2"]}, declared, "p")
    assert arm["parameters"]["flag"]["type"] == "bool"
    assert arm["parameters"]["regions"]["type"] == "array"


def test_region_and_resource_id_parameters_are_strings():
    declared = params(Parameter(name="loc", type="region"), Parameter(name="id", type="resource-id"))
    arm = wrap(lambda v: {"l": v["loc"], "i": v["id"]}, {"loc": "westus2", "id": "/sub/x"}, declared, "p")
    assert {arm["parameters"][n]["type"] for n in ("loc", "id")} == {"string"}


def test_a_parameter_whose_name_extends_another_gets_its_own_expression():
    doc = wrap(lambda v: {"one": v["a"], "two": v["a__x"]}, {"a": "1", "a__x": "2"}, params(text("a"), text("a__x")), "p")
    assert resource_of(doc) == {"one": "[parameters('a')]", "two": "[parameters('a__x')]"}


def test_parameters_that_fail_only_together_stay_fixed():
    def render(v):
        if v["a"] != "x" and v["b"] != "y":
            raise ValueError("a and b cannot both vary")
        return {"a": v["a"], "b": v["b"]}

    doc = wrap(render, {"a": "x", "b": "y"}, params(text("a"), text("b")), "p")
    assert doc["parameters"] == {} and doc["metadata"]["fixedParameters"] == {"a": "x", "b": "y"}


def test_text_that_only_starts_with_a_bracket_is_not_an_expression_and_stays_as_it_is():
    doc = wrap(lambda v: {"cmd": "[Net.ServicePointManager]::SecurityProtocol = 'Tls12'"}, {}, {}, "p")
    assert resource_of(doc) == {"cmd": "[Net.ServicePointManager]::SecurityProtocol = 'Tls12'"}


def test_a_default_value_that_looks_like_an_expression_is_escaped():
    doc = wrap(lambda v: {"name": v["x"]}, {"x": "[subscription().id]"}, params(text("x")), "p")
    assert doc["parameters"]["x"]["defaultValue"] == "[[subscription().id]"
    assert resource_of(doc) == {"name": "[parameters('x')]"}


def test_expression_like_strings_inside_list_defaults_are_escaped():
    listed = Parameter(name="xs", type="list")
    doc = wrap(lambda v: {"xs": v["xs"]}, {"xs": ["[a()]", "b"]}, params(listed), "p")
    assert doc["parameters"]["xs"]["defaultValue"] == ["[[a()]", "b"]

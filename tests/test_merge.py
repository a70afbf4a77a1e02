"""Merging a child profile onto its parent, in process: values, list operations, positions."""
from __future__ import annotations

import pytest

from aibgen.errors import ProfileError
from aibgen.profiles.merge import Where, merge


def layer(data: dict, file: str) -> tuple[dict, Where]:
    """``data`` with every pointer positioned at (file, line=depth order, 1)."""
    flat: dict[str, tuple] = {}

    def walk(value, ptr: str) -> None:
        flat[ptr] = (file, len(flat) + 1, 1)
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            walk(child, f"{ptr}/{key}")

    walk(data, "")
    return data, Where.of(flat)


def merged(parent: dict, child: dict) -> tuple[dict, dict]:
    data, where = merge({}, Where(), *layer(parent, "parent.yaml"))
    data, where = merge(data, where, *layer(child, "child.yaml"))
    return data, where.flat()


def names(data: dict) -> list:
    return [item["name"] for item in data["customize"]]


PARENT = {"tags": {"a": "1", "b": "2"}, "vmProfile": {"vmSize": "S", "osDiskSizeGB": 30},
          "customize": [{"name": "one"}, {"name": "two"}, {"name": "three"}]}


def test_mappings_merge_key_by_key_and_scalars_replace():
    data, _ = merged(PARENT, {"tags": {"b": "x", "c": "3"}, "vmProfile": {"osDiskSizeGB": 64}})
    assert data["tags"] == {"a": "1", "b": "x", "c": "3"}
    assert data["vmProfile"] == {"vmSize": "S", "osDiskSizeGB": 64}


def test_a_value_the_child_sets_is_positioned_in_the_child():
    _, positions = merged(PARENT, {"vmProfile": {"osDiskSizeGB": 64}})
    assert positions["/vmProfile/osDiskSizeGB"][0] == "child.yaml"
    assert positions["/vmProfile/vmSize"][0] == "parent.yaml"
    assert positions["/vmProfile"][0] == "parent.yaml"


def test_a_replaced_subtree_keeps_no_positions_of_the_old_one():
    _, positions = merged({"x": {"deep": {"er": 1}}}, {"x": "flat"})
    assert "/x/deep" not in positions and "/x/deep/er" not in positions and positions["/x"][0] == "child.yaml"


@pytest.mark.parametrize("op, expected", [
    ({"name": "four"}, ["one", "two", "three", "four"]),
    ({"op": "prepend", "name": "zero"}, ["zero", "one", "two", "three"]),
    ({"op": "replace", "name": "two", "use": "x"}, ["one", "two", "three"]),
    ({"op": "remove", "name": "two"}, ["one", "three"]),
    ({"op": "before", "target": "two", "name": "1.5"}, ["one", "1.5", "two", "three"]),
    ({"op": "after", "target": "two", "name": "2.5"}, ["one", "two", "2.5", "three"]),
    ({"op": "clear"}, []),
])
def test_each_list_operation(op, expected):
    data, _ = merged(PARENT, {"customize": [op]})
    assert names(data) == expected
    assert all("op" not in item and "target" not in item for item in data["customize"])


def test_items_carry_their_positions_when_they_move():
    _, positions = merged(PARENT, {"customize": [{"op": "prepend", "name": "zero"}]})
    assert positions["/customize/0"][0] == "child.yaml"
    assert positions["/customize/1"][0] == "parent.yaml" and positions["/customize/3"][0] == "parent.yaml"
    assert "/customize/4" not in positions


def test_naming_a_missing_item_is_an_error_at_the_childs_item():
    with pytest.raises(ProfileError, match="child.yaml:.*op 'remove' names 'nine'.*named items: one, two, three"):
        merged(PARENT, {"customize": [{"op": "remove", "name": "nine"}]})


def test_ordinary_lists_are_replaced_whole():
    data, _ = merged({"regions": ["a", "b"]}, {"regions": ["c"]})
    assert data["regions"] == ["c"]


def test_merging_many_keys_keeps_every_value_and_position():
    parent = {"tags": {f"t{i}": str(i) for i in range(50_000)}}
    child = {"tags": {f"t{i}": "x" for i in range(0, 50_000, 2)}}
    data, positions = merged(parent, child)
    assert data["tags"]["t0"] == "x" and data["tags"]["t1"] == "1" and positions["/tags/t0"][0] == "child.yaml"

"""Positions: the line and column of JSON pointers in JSON text as the user wrote it."""
from __future__ import annotations

import pytest

from aibgen.sources.positions import Positions


def at(text: str, pointer: str, wanted: set[str] | None = None) -> tuple[int, int]:
    return Positions(text, wanted).lookup(pointer)


# Where things are


def test_the_root_is_at_its_opening_bracket():
    assert at('\n  {"a": 1}', "") == (2, 3)


def test_a_member_is_located_at_its_key_not_its_value():
    assert at('{"a":     1}', "/a") == (1, 2)


def test_members_of_nested_objects_are_located():
    text = '{\n  "a": {\n    "b": {"c": true}\n  }\n}'
    assert at(text, "/a/b") == (3, 5)
    assert at(text, "/a/b/c") == (3, 11)


def test_array_items_are_located_by_index():
    text = '[10, [20,\n 30]]'
    assert at(text, "/0") == (1, 2)
    assert at(text, "/1") == (1, 6)
    assert at(text, "/1/1") == (2, 2)


def test_objects_inside_arrays_are_located():
    text = '[\n  {"a": 1},\n  {"a": 2, "b": [3]}\n]'
    assert at(text, "/1/b/0") == (3, 18)


def test_text_values_with_brackets_and_colons_do_not_confuse_the_scan():
    text = '{"a": "[{:,}]", "b": 1}'
    assert at(text, "/b") == (1, 17)


# Keys and RFC 6901 escaping


def test_a_slash_in_a_key_is_written_as_tilde_one():
    assert Positions('{"a/b": 1}').offsets == {"": 0, "/a~1b": 1}


def test_a_tilde_in_a_key_is_written_as_tilde_zero():
    assert Positions('{"c~d": 1}').offsets == {"": 0, "/c~0d": 1}


def test_a_key_that_looks_escaped_is_escaped_again():
    assert "/~01" in Positions('{"~1": 1}').offsets


def test_an_escaped_quote_in_a_key_is_decoded():
    assert at('{"x": 0, "a\\"b": 1}', '/a"b') == (1, 10)


def test_a_unicode_escape_in_a_key_is_decoded():
    assert "/\u00e9" in Positions('{"\\u00e9": 1}').offsets


# Duplicate keys


def test_a_repeated_key_is_recorded_as_a_duplicate():
    assert Positions('{"a": 1, "b": 2, "a": 3}').duplicates == ["/a"]


def test_a_duplicate_is_located_at_the_later_key():
    assert at('{"a": 1,\n "a": 2}', "/a") == (2, 2)


def test_a_duplicate_in_a_nested_object_has_its_full_pointer():
    assert Positions('{"x": [{"a": 1, "a": 2}]}').duplicates == ["/x/0/a"]


def test_the_same_key_in_two_objects_is_not_a_duplicate():
    assert Positions('[{"a": 1}, {"a": 2}]').duplicates == []


def test_a_key_repeated_three_times_is_recorded_twice():
    assert Positions('{"a": 1, "a": 2, "a": 3}').duplicates == ["/a", "/a"]


# Line endings, tabs and the BOM


@pytest.mark.parametrize("text, pointer, where", [
    pytest.param('{\r\n  "a": 1,\r\n  "b": 2\r\n}', "/b", (3, 3), id="crlf-is-one-line-break"),
    pytest.param('{\n\t\t"a": 1}', "/a", (2, 3), id="a-tab-is-one-column"),
    pytest.param('\ufeff{"a": 1}', "/a", (1, 2), id="a-bom-takes-no-column-on-line-one"),
    pytest.param('\ufeff{\n"a": 1}', "/a", (2, 1), id="a-bom-does-not-shift-later-lines"),
    pytest.param('\ufeff{"a": 1}', "", (1, 1), id="the-root-after-a-bom-is-at-column-one"),
])
def test_line_endings_tabs_and_the_bom(text, pointer, where):
    assert at(text, pointer) == where


# Trailing commas


def test_members_after_a_trailing_comma_in_an_array_are_located():
    assert at('{"a": [1, 2,], "b": 3}', "/b") == (1, 16)


def test_a_trailing_comma_in_an_array_adds_no_item():
    assert "/a/2" not in Positions('{"a": [1, 2,]}').offsets


def test_a_trailing_comma_in_an_object_is_accepted():
    assert at('{"a": {"x": 1,}, "b": 2,}', "/b") == (1, 18)


# Only the wanted pointers


def test_unwanted_subtrees_are_not_scanned():
    pos = Positions('{"a": {"x": 1}, "c": {"y": 2}}', {"/a/x"})
    assert "/c" in pos.offsets
    assert "/c/y" not in pos.offsets


def test_wanted_pointers_are_located_after_a_skipped_subtree():
    text = '{"skip": {"s": "}]", "t": [[{}]]},\n "keep": {"k": 1}}'
    assert at(text, "/keep/k", {"/keep/k"}) == (2, 11)


def test_ancestors_of_a_wanted_pointer_are_scanned():
    pos = Positions('{"a": {"b": {"c": 1}}, "z": [0]}', {"/a/b/c"})
    assert {"", "/a", "/a/b", "/a/b/c"} <= set(pos.offsets)
    assert "/z/0" not in pos.offsets


def test_a_wanted_pointer_in_a_skipped_subtree_is_not_lost_to_a_sibling():
    pos = Positions('[{"a": 1}, {"a": 2}]', {"/1/a"})
    assert "/0/a" not in pos.offsets
    assert pos.lookup("/1/a") == (1, 13)


# Pointers that are not there


def test_a_missing_pointer_falls_back_to_its_nearest_located_parent():
    text = '{\n  "a": {\n    "b": 1\n  }\n}'
    assert at(text, "/a/b/c/d") == at(text, "/a/b") == (3, 5)


def test_a_missing_member_falls_back_to_its_object():
    assert at('{\n"a": {"b": 1}}', "/a/zzz") == (2, 1)


def test_a_missing_array_item_falls_back_to_its_array():
    assert at('{"list":\n [1, 2]}', "/list/5") == (1, 2)


def test_a_pointer_with_no_located_parent_is_at_line_one_column_one():
    assert Positions("").lookup("/a") == (1, 1)

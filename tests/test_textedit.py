"""Editing JSON text in place: spans of values, and edits that keep every other character."""
from __future__ import annotations

import json

import pytest

from aibgen.sources.spans import Spans, blank
from aibgen.sources.textedit import Op, apply, apply_to, edits


def edited(text: str, *ops: Op) -> str:
    out = apply(text, edits(Spans(text), list(ops)))
    assert json.loads(blank(out)) == apply_to(json.loads(blank(text)), list(ops))
    return out


def test_a_span_covers_a_member_from_its_key_to_the_end_of_its_value():
    text = '{"a": [1, {"b": true}], "c": "x"}'
    spans = Spans(text)
    a = spans.at["/a"]
    assert text[a.start:a.end] == '"a": [1, {"b": true}]' and text[a.value:a.end] == '[1, {"b": true}]'
    assert text[spans.at["/a/1/b"].value:spans.at["/a/1/b"].end] == "true"


def test_a_repeated_key_is_found_at_its_last_member_and_the_earlier_ones_are_shadowed():
    text = '{"a": {"x": 1}, "a": {"y": 2}}'
    spans = Spans(text)
    assert "/a/x" not in spans.at and text[spans.at["/a"].value:spans.at["/a"].end] == '{"y": 2}'
    assert [(p, text[m.start:m.end]) for p, m in spans.shadowed] == [("/a", '"a": {"x": 1}')]


def test_comments_and_trailing_commas_are_read_as_spaces_at_the_same_offsets():
    text = '{"a": 1, // one\n "b": [2,], /* x */ "c": 3}'
    assert len(blank(text)) == len(text) and json.loads(blank(text)) == {"a": 1, "b": [2], "c": 3}
    assert text[Spans(text).at["/c"].value] == "3"


@pytest.mark.parametrize("gone,result", [
    (["/a"], '{"b": 2, "c": 3}'), (["/b"], '{"a": 1, "c": 3}'), (["/c"], '{"a": 1, "b": 2}'),
    (["/a", "/b"], '{"c": 3}'), (["/b", "/c"], '{"a": 1}'), (["/a", "/c"], '{"b": 2}'), (["/a", "/b", "/c"], "{}")])
def test_deleting_members_on_one_line_leaves_no_stray_comma(gone, result):
    assert edited('{"a": 1, "b": 2, "c": 3}', *[Op("delete", p) for p in gone]) == result


@pytest.mark.parametrize("gone,result", [
    (["/a"], '{\n  "b": [\n    1\n  ],\n  "c": 3\n}'), (["/b"], '{\n  "a": 1,\n  "c": 3\n}'),
    (["/c"], '{\n  "a": 1,\n  "b": [\n    1\n  ]\n}'), (["/b", "/c"], '{\n  "a": 1\n}'), (["/a", "/b", "/c"], "{}")])
def test_deleting_members_on_their_own_lines_removes_those_lines(gone, result):
    assert edited('{\n  "a": 1,\n  "b": [\n    1\n  ],\n  "c": 3\n}', *[Op("delete", p) for p in gone]) == result


def test_a_comment_beside_a_kept_member_stays():
    text = '{\n  // about a\n  "a": 1,\n  "id": "x", // set by the service\n  "c": 3\n}'
    assert edited(text, Op("delete", "/c")) == '{\n  // about a\n  "a": 1,\n  "id": "x" // set by the service\n}'


def test_a_deleted_or_renamed_key_takes_its_earlier_repeats_with_it():
    text = '{\n  "a": 1,\n  "a": 2,\n  "b": 3\n}'
    assert edited(text, Op("delete", "/a")) == '{\n  "b": 3\n}'
    assert edited(text, Op("rename", "/a", 2, key="z")) == '{\n  "z": 2,\n  "b": 3\n}'


def test_a_new_value_follows_the_layout_around_it():
    text = '{\r\n\t"r": [\r\n\t\t"x"\r\n\t],\r\n\t"s": ["y"]\r\n}'
    out = edited(text, Op("rename", "/r", [{"name": "x"}], key="t"), Op("set", "/s", [{"name": "y"}]))
    assert out == ('{\r\n\t"t": [\r\n\t\t{\r\n\t\t\t"name": "x"\r\n\t\t}\r\n\t],\r\n\t"s": [{"name": "y"}]\r\n}')


def test_an_inserted_member_gets_a_line_of_its_own_where_its_neighbour_has_one():
    text = '{\n    "a": 1,\n    "b": 2\n}'
    assert edited(text, Op("insert", "", {"k": 1}, key="n", after="a")) == \
        '{\n    "a": 1,\n    "n": {\n        "k": 1\n    },\n    "b": 2\n}'
    assert edited(text, Op("insert", "", 3, key="n", after="b")) == '{\n    "a": 1,\n    "b": 2,\n    "n": 3\n}'
    assert edited('{"a": 1}', Op("insert", "", "v", key="n", after="a")) == '{"a": 1, "n": "v"}'


def test_overlapping_edits_are_a_bug_not_a_guess():
    from aibgen.sources.textedit import Edit

    with pytest.raises(ValueError):
        apply("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])


def test_a_new_key_keeps_the_value_and_its_comments_while_its_items_change():
    text = '{\r\n\t"r": [\r\n\t\t"x", // first\r\n\t\t/* b */ "y",\r\n\t],\r\n\t"s": ["z" /* z */]\r\n}'
    out = edited(text, Op("set", "/r/0", {"name": "x"}), Op("set", "/r/1", {"name": "y"}), Op("rekey", "/r", key="t"),
                 Op("set", "/s/0", {"name": "z"}), Op("rekey", "/s", key="u"))
    assert out == ('{\r\n\t"t": [\r\n\t\t{\r\n\t\t\t"name": "x"\r\n\t\t}, // first\r\n'
                   '\t\t/* b */ {\r\n\t\t\t"name": "y"\r\n\t\t},\r\n\t],\r\n\t"u": [{"name": "z"} /* z */]\r\n}')


@pytest.mark.parametrize("text,spans", [
    ('{"a": 1, // x\n}', [(7, 8), (9, 13)]),
    ('[1, /* a */ // b\r\n /* c */ ]', [(2, 3), (4, 11), (12, 16), (19, 26)]),
    ('[1, // b\n 2]', [(4, 8)]),  # a comma before a comment and a value: not trailing
    ('[1, /* open\n]', []),  # "/*" with no end: no comment, so the comma is not trailing either
    ('{"a": "//", "b": ",}"}', []),
])
def test_noise_finds_a_trailing_comma_across_comments_and_leaves_a_crlf_line_end(text, spans):
    from aibgen.sources.positions import noise

    assert list(noise(text)) == spans

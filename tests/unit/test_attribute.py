"""The data-rtp-event text: a plain string, or a strict JSON array read without recursion."""

import json

import pytest

from rtp_py import ValidationError
from rtp_py.attribute import read_attribute
from rtp_py.declarative import parse


@pytest.mark.parametrize("raw, items", [
    ('["a", "b"]', ["a", "b"]),
    (' not an array', " not an array"),
    ('[ "a" , "b" ]\n', ["a", "b"]),
    ('["\\"\\\\\\/\\b\\f\\n\\r\\t"]', ['"\\/\b\f\n\r\t']),
    ('["\\u00e9\\ud83d\\ude00"]', ["\u00e9\U0001f600"]),
    ('["\\ud800"]', ["\ud800"]),
    ('[1, -2.5e3, true, false, null, [1, [2]], {"k": {"j": []}}]', [0, 0.0, True, False, None, [], {}]),
    ("[]", []),
])
def test_items_are_read_with_non_strings_as_stand_ins(raw, items):
    """Strings are decoded; other items stand for their type only (what the event rules refuse)."""
    assert read_attribute(raw) == items
    assert [type(item) for item in read_attribute(raw)] == [type(item) for item in items]


@pytest.mark.parametrize("raw, at", [
    ("[1,]", 3), ("[01]", 1), ('["a\tb"]', 3), ("['a']", 1), ("[NaN]", 1), ('["a"] x', 6), ("[", 1),
    ('["a', 3), ('["\\x"]', 2), ('["\\u12"]', 4), ("[1.]", 1), ("[-]", 1), ("[1e]", 1), ('[{"a" 1}]', 6),
    ('[{"a": 1,}]', 9), ("[{1: 2}]", 2), ("[tru]", 1), ("[1 2]", 3),
])
def test_invalid_json_names_where_reading_stopped(raw, at):
    """Anything RFC 8259 does not allow is refused, with the character index where reading stopped."""
    with pytest.raises(ValidationError) as caught:
        read_attribute(raw)
    assert caught.value.field == "data-rtp-event"
    assert caught.value.message == "starts with '[' but is not a valid JSON array (at character %d)" % at


def test_deep_nesting_is_read_without_recursion():
    """A million levels, which json.loads cannot read, are read (and refused as a list) without recursion."""
    deep = "[" * 1_000_000 + "]" * 1_000_000
    with pytest.raises(RecursionError):
        json.loads(deep)
    assert read_attribute(deep) == [[]]


def test_a_deeply_nested_item_is_refused_by_the_event_rules():
    """The event rules see a nested array as a list item and name it."""
    with pytest.raises(ValidationError) as caught:
        parse('["ok", ' + "[" * 100_000 + "]" * 100_000 + "]")
    assert (caught.value.field, caught.value.message) == ("value[1]", "expected str, got list")


def test_unclosed_deep_nesting_is_invalid_not_a_crash():
    with pytest.raises(ValidationError) as caught:
        read_attribute("[" * 1_000_000)
    assert caught.value.message.endswith("(at character 1000000)")


def test_agrees_with_json_loads_on_valid_arrays_of_strings():
    """For arrays of strings, the result is exactly what json.loads gives."""
    values = ["a", "é", "\U0001f600", 'q"uote', "back\\slash", "\u2028", "tab\tin"]
    for ensure_ascii in (True, False):
        raw = json.dumps(values, ensure_ascii=ensure_ascii)
        assert read_attribute(raw) == json.loads(raw)

"""Every validation rule for event values, in plain CPython."""

import pytest

from rtp_py import MAX_VALUE_LENGTH, RtpError, ValidationError, validation
from rtp_py.validation import check_event


@pytest.fixture(autouse=True, params=["isprintable", "utf8-bytes"])
def fast_path(request, monkeypatch):
    """Run every rule through both fast paths: CPython/Pyodide's str.isprintable and MicroPython's bytes."""
    monkeypatch.setattr(validation, "_HAS_ISPRINTABLE", request.param == "isprintable")
    return request.param


@pytest.mark.parametrize("value, expected", [
    ("MyEvent", "MyEvent"),
    ("download - example whitepaper", "download - example whitepaper"),
    ("Télécharger le livre blanc – ünïcödé 日本語 😀", "Télécharger le livre blanc – ünïcödé 日本語 😀"),
    ("a", "a"),
    ("x" * MAX_VALUE_LENGTH, "x" * MAX_VALUE_LENGTH),
    ("inner  spaces are kept", "inner  spaces are kept"),
    ("¡hola!\u00a0non-breaking", "¡hola!\u00a0non-breaking"),
    ("emoji with joiner 👩\u200d💻", "emoji with joiner 👩\u200d💻"),
    (["MyEvent", "download - example whitepaper"], ["MyEvent", "download - example whitepaper"]),
    (("a", "b"), ["a", "b"]),
    (["dup", "dup"], ["dup", "dup"]),
    ({"value": "MyEvent"}, "MyEvent"),
    ({"value": ["a", "b"]}, ["a", "b"]),
    ({"value": ("a",)}, ["a"]),
])
def test_valid_values_are_accepted_unchanged(value, expected):
    """Valid strings, lists, tuples and {'value': ...} dicts come back normalised, nothing altered."""
    assert check_event(value) == expected


@pytest.mark.parametrize("value, field, problem", [
    # non-strings anywhere
    (5, "value", "expected str, list or tuple of str, or {'value': ...}, got int"),
    (1.5, "value", "got float"),
    (True, "value", "got bool"),
    (None, "value", "got NoneType"),
    (b"bytes", "value", "got bytes"),
    ({"a", "b"}, "value", "got set"),
    (iter(["a"]), "value", "got list_iterator"),
    (["ok", 5], "value[1]", "expected str, got int"),
    (["ok", False], "value[1]", "expected str, got bool"),
    (["ok", None], "value[1]", "expected str, got NoneType"),
    ([b"x"], "value[0]", "expected str, got bytes"),
    (["a", ["nested"]], "value[1]", "expected str, got list"),
    (["a", {"value": "b"}], "value[1]", "expected str, got dict"),
    (["a", "b", "c", "d", "e", 6], "value[5]", "expected str, got int"),
    # empty and blank
    ("", "value", "must not be empty"),
    (" ", "value", "must not be blank"),
    ("\u00a0\u2003", "value", "must not be blank"),
    (["a", ""], "value[1]", "must not be empty"),
    (["a", "   "], "value[1]", "must not be blank"),
    ([], "value", "must not be an empty list"),
    ((), "value", "must not be an empty tuple"),
    ({"value": []}, "value", "must not be an empty list"),
    # whitespace that would make a segment rule miss
    (" lead", "value", "leading or trailing whitespace"),
    ("trail ", "value", "leading or trailing whitespace"),
    (["a", "tab\t"], "value[1]", "leading or trailing whitespace"),
    # invisible characters
    ("line\nbreak", "value", "control character U+000A at index 4"),
    ("nul\x00", "value", "control character U+0000 at index 3"),
    ("c1\x85x", "value", "control character U+0085 at index 2"),
    ("del\x7f", "value", "control character U+007F at index 3"),
    ("é\x9f", "value", "control character U+009F at index 1"),
    ("bad\ud800", "value", "lone surrogate U+D800 at index 3"),
    # too long: an error, never cut
    ("x" * (MAX_VALUE_LENGTH + 1), "value", "is 1001 characters long; at most 1000 are allowed"),
    # dict shape
    ({}, "value", "missing; an event dict needs the key 'value'"),
    ({"value": "a", "label": "b"}, "label", "unexpected key"),
    ({"values": ["a"]}, "values", "unexpected key"),
    ({1: "a"}, "1", "unexpected key"),
    ({"value": {"value": "a"}}, "value", "expected str or list of str, got dict"),
    ({"value": 3}, "value", "got int"),
    ({"value": None}, "value", "got NoneType"),
])
def test_invalid_values_name_the_field_and_problem(value, field, problem, fast_path):
    """Each rejected value raises ValidationError naming the field and saying what is wrong."""
    if "surrogate" in problem and fast_path == "utf8-bytes":
        pytest.skip("CPython cannot encode a lone surrogate to mimic MicroPython's byte path; "
                    "tests/unit/test_parity.py checks it on MicroPython itself")
    with pytest.raises(ValidationError) as caught:
        check_event(value)
    assert caught.value.field == field
    assert problem in caught.value.message
    assert str(caught.value) == field + ": " + caught.value.message


def test_validation_error_is_rtp_error_and_value_error():
    """On CPython, callers may catch ValidationError as RtpError or as ValueError."""
    with pytest.raises(ValueError):
        check_event(["a", 5])
    with pytest.raises(RtpError):
        check_event(["a", 5])


def test_str_subclass_is_sent_as_plain_str():
    """A str subclass is accepted but normalised to a plain str."""
    class Label(str):
        pass

    checked = check_event([Label("a")])
    assert checked == ["a"] and type(checked[0]) is str


def test_input_list_is_not_mutated_or_aliased():
    """The normalised list is a new list; the caller's list is untouched."""
    original = ["a", "b"]
    checked = check_event(original)
    checked.append("c")
    assert original == ["a", "b"]

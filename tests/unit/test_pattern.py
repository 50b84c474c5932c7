"""check_pattern: RTP's % wildcard, property-tested against a regular expression."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtp_py import ValidationError, check_pattern


@pytest.mark.parametrize("text, pattern, expected", [
    ("download - example whitepaper", "download%", True),
    ("download - example whitepaper", "%whitepaper", True),
    ("download - example whitepaper", "%example%", True),
    ("download - example whitepaper", "download - example whitepaper", True),
    ("download - example whitepaper", "example", False),
    ("download - example whitepaper", "Download%", False),
    ("abc", "a%b%c", True), ("abc", "a%c%b", False), ("aa", "a%a", True), ("a", "a%a", False),
    ("", "%", True), ("", "", True), ("x", "", False), ("100%", "100%", True), ("%", "%%", True),
])
def test_documented_forms(text, pattern, expected):
    assert check_pattern(text, pattern) is expected


def reference(text, pattern):
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("%")), text, re.S) is not None


alphabet = st.sampled_from(list("ab%é😀 "))


@given(st.text(alphabet, max_size=12), st.text(alphabet, max_size=8))
def test_agrees_with_a_regular_expression(text, pattern):
    assert check_pattern(text, pattern) == reference(text, pattern)


@given(st.text(alphabet, max_size=12), st.text(alphabet, max_size=4), st.text(alphabet, max_size=4))
def test_a_text_matches_its_own_prefix_suffix_and_infix_patterns(text, left, right):
    whole = left + text + right
    pieces = text.replace("%", "")
    assert check_pattern(whole.replace("%", ""), left.replace("%", "") + "%")
    assert check_pattern(whole.replace("%", ""), "%" + right.replace("%", ""))
    assert check_pattern(whole.replace("%", ""), "%" + pieces + "%")


@pytest.mark.parametrize("text, pattern, field", [(5, "a", "text"), ("a", None, "pattern")])
def test_arguments_must_be_strings(text, pattern, field):
    with pytest.raises(ValidationError) as caught:
        check_pattern(text, pattern)
    assert caught.value.field == field

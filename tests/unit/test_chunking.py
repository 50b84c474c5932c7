"""Splitting long value arrays into calls of at most four, in order, none dropped."""

from hypothesis import given
from hypothesis import strategies as st

from rtp_py import MAX_VALUES
from rtp_py.validation import event_calls, split

# Strings the validator accepts: no control characters or surrogates, no blank, no edge whitespace.
valid_strings = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30,
).filter(lambda s: not s[0].isspace() and not s[-1].isspace())


@given(st.lists(valid_strings, min_size=1, max_size=60))
def test_chunks_concatenate_back_to_the_input(values):
    """For any list of valid strings, the calls hold 1 to 4 strings each and rebuild the input exactly."""
    calls = event_calls(values)
    assert all(1 <= len(call) <= MAX_VALUES for call in calls)
    assert [item for call in calls for item in call] == values
    assert len(calls) == -(-len(values) // MAX_VALUES)


def test_examples_from_the_contract():
    """send_event('A') is one call of 'A'; six letters are a call of four then a call of two."""
    assert event_calls("A") == ["A"]
    assert event_calls(list("abcdef")) == [["a", "b", "c", "d"], ["e", "f"]]
    assert event_calls(list("abcd")) == [["a", "b", "c", "d"]]
    assert event_calls(["one"]) == [["one"]]
    assert event_calls({"value": list("abcdefghi")}) == [list("abcd"), list("efgh"), ["i"]]


def test_split_empty_and_exact():
    """split keeps every item: nothing for nothing, exact multiples have no empty tail."""
    assert split([]) == []
    assert split(list("abcdefgh")) == [list("abcd"), list("efgh")]

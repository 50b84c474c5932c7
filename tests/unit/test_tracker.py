"""Tracker with an injected recorder in place of the page's rtp."""

import pytest

import rtp_py
from rtp_py import BrowserRequired, Tracker, ValidationError


@pytest.fixture
def calls():
    return []


@pytest.fixture
def tracker(calls):
    return Tracker(rtp=lambda *args: calls.append(args))


def test_string_value_is_one_call_with_the_object_shape(tracker, calls):
    """A string becomes exactly rtp('send', 'event', {'value': str})."""
    assert tracker.send_event("download - example whitepaper") == ["download - example whitepaper"]
    assert calls == [("send", "event", {"value": "download - example whitepaper"})]


def test_nine_values_become_three_ordered_calls(tracker, calls):
    """Nine strings are sent as calls of 4, 4 and 1, in order."""
    values = ["v%d" % i for i in range(9)]
    sent = tracker.send_event(values)
    assert sent == [values[0:4], values[4:8], values[8:]]
    assert calls == [("send", "event", {"value": chunk}) for chunk in sent]


def test_dict_shape_is_accepted(tracker, calls):
    """The seed's JS shape {'value': ...} is sent as the same object."""
    tracker.send_event({"value": ["MyEvent", "download - example whitepaper"]})
    assert calls == [("send", "event", {"value": ["MyEvent", "download - example whitepaper"]})]


def test_invalid_value_sends_nothing_even_after_valid_chunks(tracker, calls):
    """A bad item anywhere (here in the second chunk) means no call at all, not a partial send."""
    with pytest.raises(ValidationError) as caught:
        tracker.send_event(["a", "b", "c", "d", "e", 6])
    assert caught.value.field == "value[5]"
    assert calls == []


def test_returned_values_are_not_the_callers_list(tracker):
    """Mutating the returned calls cannot change what the caller passed."""
    values = ["a", "b"]
    tracker.send_event(values)[0].append("x")
    assert values == ["a", "b"]


def test_default_tracker_needs_a_browser():
    """Outside PyScript the module-level send_event says clearly that it needs a page."""
    with pytest.raises(BrowserRequired, match="needs a page running PyScript"):
        rtp_py.send_event("A")


def test_public_api_is_listed():
    """Every name in __all__ exists and is documented in the package docstring."""
    for name in rtp_py.__all__:
        assert hasattr(rtp_py, name)
        assert name in rtp_py.__doc__

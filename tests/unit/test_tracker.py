"""Tracker with an injected recorder in place of the page's rtp."""

import re
import types

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


def _index_names():
    """The names the package docstring's "Public API" block lists, one per entry."""
    block = rtp_py.__doc__.split("Public API", 1)[1].split("\n\n", 2)[1]
    return {match.group(1) for match in re.finditer(r"^    ([A-Za-z_]\w*)", block, re.M)}


def test_the_index_docstring_lists_exactly_all():
    """__all__ and the index docstring name exactly the same public names, and each exists."""
    assert _index_names() == set(rtp_py.__all__)
    assert len(rtp_py.__all__) == len(set(rtp_py.__all__))
    for name in rtp_py.__all__:
        assert hasattr(rtp_py, name)


def test_every_public_attribute_is_in_all():
    """Nothing public is left out of __all__ (submodules and __version__ aside)."""
    public = {name for name in dir(rtp_py) if not name.startswith("_")
              and not isinstance(getattr(rtp_py, name), types.ModuleType)}
    assert public == set(rtp_py.__all__)

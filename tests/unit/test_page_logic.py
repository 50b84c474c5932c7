"""Page-level behaviour in CPython, against a fake page: on_click, declarative tracking, start() and its
replay, once per session, the tag missing or failing, and what is reported."""

import pytest

import rtp_py
from rtp_py import Tracker, ValidationError, declarative, event, on_click, send_event, start
from rtp_py.limits import MAX_KEPT_CLICKS

from support import WHITEPAPER, sent


@pytest.fixture
def validations(monkeypatch):
    """Counts how often a value is validated, from a page that has validated nothing yet."""
    monkeypatch.setattr(event, "_remembered", {})
    monkeypatch.setattr(declarative, "_parsed", {})
    count = {"n": 0}
    original = event.check_event

    def counting(value):
        count["n"] += 1
        return original(value)

    monkeypatch.setattr(event, "check_event", counting)
    return count


# on_click

def test_on_click_sends_on_each_click_and_runs_the_decorated_function_after(fake):
    """A bound element sends its event on every click; the decorated function runs after, with the event."""
    seen = []

    @on_click("#contact", ["MyEvent", "contact sales"])
    def clicked(dom_event):
        seen.append((dom_event.target.id, len(fake.rtp)))

    fake.click(fake.by_id("contact"))
    fake.click(fake.by_id("contact"))
    assert fake.rtp == [sent(["MyEvent", "contact sales"])] * 2
    assert seen == [("contact", 1), ("contact", 2)]


def test_a_click_is_not_validated_again(fake, validations):
    """The value is validated once, when bound; clicks send it without validating it again."""
    on_click("#contact", "contact sales")
    for _ in range(3):
        fake.click(fake.by_id("contact"))
    assert validations["n"] == 1
    assert len(fake.rtp) == 3


def test_binding_the_same_value_twice_adds_nothing(fake):
    """One click, one call: binding an element again to the same value adds no listener."""
    rtp_py.debug(True)
    first = on_click("#contact", "contact sales")
    second = on_click("#contact", "contact sales")
    fake.click(fake.by_id("contact"))
    assert fake.rtp == [sent("contact sales")]
    assert first.elements == [fake.by_id("contact")] and second.elements == []
    assert ("info", "[rtp_py] on_click('#contact'): already bound to every match; nothing added") in fake.console_lines


def test_a_selector_matching_nothing_warns(fake):
    """Nothing bound, and a console warning says so."""
    binding = on_click("#nowhere", "x")
    assert not binding.bound
    assert fake.console_lines == [("warn", "[rtp_py] on_click('#nowhere'): no element matches; nothing bound")]


@pytest.mark.parametrize("kwargs, field", [
    ({"selector": "#contact", "value": ""}, "value"),
    ({"selector": "", "value": "x"}, "selector"),
    ({"selector": "!!", "value": "x"}, "selector"),
    ({"selector": "#contact", "value": "x", "once": "forever"}, "once"),
])
def test_bad_arguments_bind_nothing(fake, kwargs, field):
    """A bad value, selector or once raises ValidationError naming it, and binds nothing."""
    selector, value = kwargs.pop("selector"), kwargs.pop("value")
    with pytest.raises(ValidationError) as caught:
        on_click(selector, value, **kwargs)
    assert caught.value.field == field
    fake.click(fake.by_id("contact"))
    assert fake.rtp == []


def test_a_decorator_needs_a_callable(fake):
    with pytest.raises(ValidationError) as caught:
        on_click("#contact", "x")("not callable")
    assert caught.value.field == "callback"


def test_once_unbinds_every_element_after_the_first_click(fake):
    """once=True: the first click on any match sends; then all are unbound."""
    binding = on_click("button", "first button click", once=True)
    fake.click(fake.by_id("contact2"))
    fake.click(fake.by_id("contact"))
    assert fake.rtp == [sent("first button click")]
    assert not binding.bound
    binding.unbind()  # safe twice


def test_unbind_releases_the_element_for_a_new_binding(fake):
    """After unbind(), the same value can be bound again and sends again."""
    on_click("#contact", "x").unbind()
    on_click("#contact", "x")
    fake.click(fake.by_id("contact"))
    assert fake.rtp == [sent("x")]


def test_once_per_session_on_click(fake):
    """once='session': sent once in the session, later clicks are skipped and logged."""
    on_click("#contact", "x", once="session")
    fake.click(fake.by_id("contact"))
    fake.click(fake.by_id("contact"))
    assert fake.rtp == [sent("x")]
    assert fake.storage == {"rtp_py:sent:x": "1"}
    assert [d["kind"] for d in fake.not_sent] == ["skipped"]


# declarative tracking and start()

def test_start_makes_declarative_tracking_live_and_signals_ready(fake):
    """After start(), data-rtp-event elements send their string or JSON array; a child counts."""
    start()
    assert fake.ready
    fake.click(fake.by_id("download"))
    fake.click(fake.by_id("pair"))
    fake.click(fake.by_id("inner"))
    fake.click(fake.by_id("plain"))
    assert fake.rtp == [sent(WHITEPAPER), sent(["MyEvent", WHITEPAPER]), sent(WHITEPAPER)]


def test_a_declarative_click_is_validated_once(fake, validations):
    """Each declarative click validates its attribute once (not again when sending)."""
    start()
    fake.click(fake.by_id("pair"))
    assert validations["n"] == 1


def test_a_declarative_element_clicked_again_is_not_validated_again(fake, validations):
    start()
    for _ in range(3):
        fake.click(fake.by_id("pair"))
        fake.click(fake.by_id("download"))
    assert validations["n"] == 2
    assert fake.rtp == [sent(["MyEvent", WHITEPAPER]), sent(WHITEPAPER)] * 3


def test_a_value_sent_again_is_not_validated_again(fake, validations):
    """Sites send the same few events over and over: the second send of an equal value skips validation,
    and still sends exactly what the first did."""
    first = send_event(["MyEvent", WHITEPAPER])
    first[0].append("changed by the caller")   # the caller's list, not the remembered one
    second = send_event(["MyEvent", WHITEPAPER])
    send_event(WHITEPAPER)
    send_event(WHITEPAPER)
    assert validations["n"] == 2
    assert second == [["MyEvent", WHITEPAPER]]
    assert fake.rtp == [sent(["MyEvent", WHITEPAPER])] * 2 + [sent(WHITEPAPER)] * 2


def test_an_invalid_value_is_refused_every_time(fake, validations):
    for _ in range(2):
        with pytest.raises(ValidationError, match=r"value\[1\]"):
            send_event(["ok", ""])
    assert validations["n"] == 2
    assert fake.rtp == []


def test_memory_of_validated_values_is_bounded_and_values_beyond_it_still_go_out(fake, validations):
    values = ["event %d" % n for n in range(event.MAX_REMEMBERED + 10)]
    for value in values + values:
        send_event(value)
    assert len(event._remembered) == event.MAX_REMEMBERED
    assert validations["n"] == event.MAX_REMEMBERED + 2 * 10
    assert fake.rtp == [sent(value) for value in values + values]


def test_a_str_subclass_is_validated_every_time(fake, validations):
    class Text(str):
        pass
    send_event(Text("A"))
    send_event(Text("A"))
    assert validations["n"] == 2


def test_start_twice_changes_nothing(fake):
    """A second start() installs no second listener: one click, one call."""
    start()
    start()
    fake.click(fake.by_id("download"))
    assert fake.rtp == [sent(WHITEPAPER)]


def test_an_invalid_attribute_is_reported_once_per_element(fake):
    """An invalid value is reported once, with the element and the problem, and never sent."""
    start()
    fake.click(fake.by_id("bad"))
    fake.click(fake.by_id("bad"))
    assert fake.rtp == []
    assert fake.not_sent == [{"kind": "invalid", "value": '["ok", 5]',
                              "reason": "<button#bad data-rtp-event>: value[1]: expected str, got int"}]


def test_data_rtp_once_sends_once_per_session(fake):
    start()
    fake.click(fake.by_id("once"))
    fake.click(fake.by_id("once"))
    assert fake.rtp == [sent("newsletter")]


def test_start_replays_captured_clicks_in_order_then_reports_what_was_not_kept(fake):
    """Captured clicks (kept ones first, with only a label) are sent in order, once; the count over the
    bound is reported as not-kept."""
    download = fake.by_id("download")
    fake.captured = [(None, "from the last page", False, "a#nav"), (download, WHITEPAPER, False, "button#download"),
                     (None, ValidationError("data-rtp-event", "contains lone surrogate U+D800 at index 0"),
                      False, "a#odd")]
    fake.over = 3
    start()
    assert fake.rtp == [sent("from the last page"), sent(WHITEPAPER)]
    assert fake.not_sent == [
        {"kind": "invalid", "value": None,
         "reason": "<a#odd data-rtp-event>: data-rtp-event: contains lone surrogate U+D800 at index 0"},
        {"kind": "not-kept", "value": None, "reason": "3 click(s) over the bound"}]
    assert "at most %d clicks" % MAX_KEPT_CLICKS in fake.console_lines[-1][1]
    start()
    assert len(fake.rtp) == 2


def test_the_page_debug_switch_turns_on_debug_at_start(fake):
    """<html data-rtp-debug> (here the fake's switch): start() logs every call from then on."""
    fake.debug = True
    fake.captured = [(None, "kept", False, "a#nav")]
    start()
    assert ("debug", '[rtp_py] rtp("send", "event", {"value": "kept"})') in fake.console_lines
    assert ("info", "[rtp_py] replaying 1 click(s) captured during start-up") in fake.console_lines


# the tag, through the default tracker

def test_a_missing_tag_gets_the_stub_and_one_warning(fake):
    """With rtp missing, the first call installs the queue stub (one warning); later calls go through it."""
    fake.rtp = None
    assert send_event("A") == ["A"]
    assert send_event("B") == ["B"]
    assert fake.rtp == [sent("A"), sent("B")]
    assert [line for line in fake.console_lines if "queue stub" in line[1]] == [
        ("warn", "[rtp_py] window.rtp is undefined (tag blocked or not loaded yet): installed the documented "
                 "queue stub; calls wait on rtp.q for rtp.js")]


def test_a_failing_tag_is_reported_with_its_reason_alone(fake):
    """A tag error is left out of the result, reported with the page's reason, and not remembered."""
    fake.tag_error = "rtp threw: boom"
    assert send_event("A", once_per_session=True) == []
    assert fake.not_sent == [{"kind": "tag-error", "value": "A", "reason": "rtp threw: boom"}]
    fake.tag_error = None
    assert send_event("A", once_per_session=True) == ["A"]


def test_once_per_session_without_storage_still_holds_for_the_page(fake):
    """With sessionStorage unavailable, once per session falls back to memory for the page's life."""
    fake.storage = None
    tracker = Tracker()
    assert tracker.send_event("A", once_per_session=True) == ["A"]
    assert tracker.send_event("A", once_per_session=True) == []


def test_once_per_session_uses_the_tabs_storage(fake):
    """An event remembered in sessionStorage (an earlier page of the session) is skipped."""
    fake.storage["rtp_py:sent:A"] = "1"
    assert Tracker().send_event("A", once_per_session=True) == []
    assert fake.rtp == []

"""Personalisation in CPython, against the fake page: when_segment and data-rtp-segment blocks."""

import json

import pytest

from rtp_py import Tracker, ValidationError, personalise, start, when_segment

from fakepage import FakeElement, run_async

ANSWER = {"status": 200, "results": {"matchedSegments": [{"name": "Whitepaper downloaders", "id": 4101}]}}


@pytest.fixture
def fake(use_page):
    """A page with a segment block and its default."""
    page = use_page(FakeElement("div", "offer", data_rtp_segment="Whitepaper downloaders"),
                    FakeElement("div", "default", data_rtp_segment_default=""))
    yield page
    for coroutine in page.scheduled:
        coroutine.close()  # a test that did not run it: no "never awaited" warning


def run_scheduled(page):
    for coroutine in page.scheduled:
        run_async(coroutine)


def test_start_asks_rtp_then_shows_blocks_runs_handlers_and_keeps_the_answer(fake):
    """start() asks get visitor; the answer shows the visitor's blocks, runs their handlers once, and is kept."""
    ran = []
    when_segment("Whitepaper downloaders")(lambda visitor: ran.append(visitor.segment_names()))
    when_segment("Pricing")(lambda visitor: ran.append("never"))
    fake.answer = ANSWER
    start()
    assert fake.shown_segments == [] and ran == []  # nothing known yet: every block hidden, defaults show
    run_scheduled(fake)
    assert fake.shown_segments == ["Whitepaper downloaders"]
    assert ran == [["Whitepaper downloaders"]]
    assert json.loads(fake.storage["rtp_py:visitor"]) == ANSWER
    personalise.apply(personalise._known())  # applying again runs no handler twice
    assert ran == [["Whitepaper downloaders"]]


def test_a_known_visitor_is_applied_inside_start(fake):
    """With rtp's last answer in the tab's storage, start() applies it before returning."""
    ran = []
    when_segment("Whitepaper downloaders")(lambda visitor: ran.append("at once"))
    fake.storage["rtp_py:visitor"] = json.dumps(ANSWER)
    start()
    assert ran == ["at once"] and fake.shown_segments == ["Whitepaper downloaders"]


def test_damaged_storage_is_ignored(fake):
    fake.storage["rtp_py:visitor"] = "{not json"
    start()
    assert fake.shown_segments == []


def test_no_answer_keeps_the_defaults_and_says_so(fake):
    """No answer within the timeout: nothing is shown, and the console says why."""
    visitor = run_async(personalise.refresh(Tracker(), 0.05))
    assert visitor is None and fake.shown_segments is None
    assert any("kept the default content" in message for _, message in fake.console_lines)


def test_a_failing_handler_is_reported_and_the_others_run(fake):
    ran = []

    @when_segment("Whitepaper downloaders")
    def broken(visitor):
        raise KeyError("oops")

    when_segment("Whitepaper downloaders")(lambda visitor: ran.append("second"))
    fake.answer = ANSWER
    run_async(personalise.refresh(Tracker(), 1))
    assert ran == ["second"]
    assert any("handler broken raised KeyError" in message for _, message in fake.console_lines)


def test_a_page_with_nothing_to_personalise_asks_nothing(use_page):
    page = use_page(FakeElement("p", "plain"))
    start()
    assert page.scheduled == [] and page.rtp == []


@pytest.mark.parametrize("name, function, field", [("", print, "name"), (5, print, "name"),
                                                   ("Pricing", "nope", "function")])
def test_when_segment_checks_its_arguments(name, function, field):
    with pytest.raises(ValidationError) as caught:
        when_segment(name)(function)
    assert caught.value.field == field

"""Pure-Python parts of 'nothing lost': once per session, a failing tag, attribute parsing, the snippet."""

from pathlib import Path

import pytest

import rtp_py
from rtp_py import Tracker, ValidationError
from rtp_py.declarative import parse
from rtp_py.event import Event
from rtp_py.session import MemoryStore

ROOT = Path(__file__).resolve().parents[2]


def test_once_per_session_skips_and_logs_the_repeat(capsys):
    """An identical event already sent this session is skipped, logged, and returns []."""
    calls = []
    tracker = Tracker(rtp=lambda *args: calls.append(args), storage=MemoryStore())
    assert tracker.send_event("A", once_per_session=True) == ["A"]
    assert tracker.send_event(["A"], once_per_session=True) == []  # the same event in the list shape
    assert tracker.send_event("A") == ["A"]  # without the flag it is sent
    assert [c[2]["value"] for c in calls] == ["A", "A"]
    assert "already sent in this browser session" in capsys.readouterr().err


def test_failing_tag_is_logged_not_raised_and_not_remembered(capsys):
    """If rtp raises, send_event logs it, leaves the call out of its result, and can send it later."""
    state = {"fail": True}
    calls = []

    def flaky(*args):
        if state["fail"]:
            raise RuntimeError("tag exploded")
        calls.append(args)

    tracker = Tracker(rtp=flaky, storage=MemoryStore())
    assert tracker.send_event("A", once_per_session=True) == []
    assert "rtp threw RuntimeError: tag exploded" in capsys.readouterr().err
    state["fail"] = False
    assert tracker.send_event("A", once_per_session=True) == ["A"]
    assert calls == [("send", "event", {"value": "A"})]


def test_validation_errors_still_raise():
    """A bad value is the caller's bug: it raises, unlike a failing tag."""
    with pytest.raises(ValidationError):
        Tracker(rtp=lambda *args: None).send_event("", once_per_session=True)


def test_event_key_is_shape_independent_and_unambiguous():
    """'A' and ['A'] are one event; ['a b'] and ['a', 'b'] are two."""
    assert Event("A").key == Event(["A"]).key
    assert Event(["a b"]).key != Event(["a", "b"]).key


@pytest.mark.parametrize("raw, expected", [
    ("download - example whitepaper", "download - example whitepaper"),
    ('["MyEvent", "download - example whitepaper"]', ["MyEvent", "download - example whitepaper"]),
    ("not [json", "not [json"),
])
def test_attribute_values(raw, expected):
    """A data-rtp-event is a plain string unless it starts with '[' (then a JSON array)."""
    assert parse(raw).value == expected


@pytest.mark.parametrize("raw, field, problem", [
    ('["unclosed"', "data-rtp-event", "not a valid JSON array"),
    ('["ok", 5]', "value[1]", "expected str, got int"),
    ("[]", "value", "must not be an empty list"),
    ("", "value", "must not be empty"),
])
def test_invalid_attribute_values(raw, field, problem):
    """Bad attribute values raise ValidationError naming the field."""
    with pytest.raises(ValidationError) as caught:
        parse(raw)
    assert caught.value.field == field and problem in caught.value.message


def _squash(text):
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


# Every file that must carry the snippet: each page that loads rtp_py (the README points to capture.js).
SNIPPET_COPIES = ["index.html",
                  *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "demo").glob("*.html"))]


@pytest.mark.parametrize("path", SNIPPET_COPIES)
def test_pasted_snippets_match_capture_js(path):
    """Every copy of the capture snippet (the pages' <head>) is capture.js verbatim, up to indentation."""
    snippet = _squash((ROOT / rtp_py.CAPTURE_SNIPPET).read_text())
    text = (ROOT / path).read_text()
    if path.endswith(".html"):
        text = text.split("</head>", 1)[0]  # pages must run it in <head>, before anything can be clicked
    lines = _squash(text)
    start = lines.index(snippet[0])
    assert lines[start:start + len(snippet)] == snippet


# Pages only the tests and the bench load are built from one head template instead (scripts/serve.py).
TEMPLATED_PAGES = ["tests/pages/tracking.html", "bench/pages/rtp.html"]


@pytest.mark.parametrize("path", TEMPLATED_PAGES)
def test_templated_pages_get_capture_js_verbatim_in_head(path):
    """Test and bench pages carry no copy: the server puts capture.js, verbatim, in their <head>."""
    from serve import HEAD_MARKER, render_page

    text = (ROOT / path).read_text()
    assert HEAD_MARKER in text and "rtp_py start-up capture" not in text
    head = render_page(text).split("</head>", 1)[0]
    assert (ROOT / rtp_py.CAPTURE_SNIPPET).read_text().strip() in head


def test_the_demo_pastes_segments_js_verbatim_in_head():
    """The demo's landing page carries rtp_py/segments.js exactly, in <head>."""
    snippet = _squash((ROOT / rtp_py.SEGMENTS_SNIPPET).read_text())
    lines = _squash((ROOT / "demo/index.html").read_text().split("</head>", 1)[0])
    start = lines.index(snippet[0])
    assert lines[start:start + len(snippet)] == snippet
    assert '"rtp_py:visitor"' in (ROOT / rtp_py.SEGMENTS_SNIPPET).read_text()

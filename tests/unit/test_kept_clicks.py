"""Pure-Python parts of issue 8: the capture snippet's bound agrees with rtp_py, log previews, reasons."""

import re
from pathlib import Path

import rtp_py
from rtp_py import Tracker, ValidationError, bridge, startup
from rtp_py.declarative import ATTRIBUTE, handle
from rtp_py.report import MAX_PREVIEW, preview
from rtp_py.session import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
CAPTURE = (ROOT / rtp_py.CAPTURE_SNIPPET).read_text()


def test_the_snippet_keeps_what_start_says_it_keeps():
    """capture.js's key and bound are the ones bridge.KEPT_KEY and startup.MAX_KEPT_* report."""
    assert '"%s"' % bridge.KEPT_KEY in CAPTURE
    assert re.search(r"q\.length < (\d+) && c\[1\]\.length <= (\d+)", CAPTURE).groups() == (
        str(startup.MAX_KEPT_CLICKS), str(startup.MAX_KEPT_LENGTH))


def test_the_snippet_keeps_on_pagehide_and_when_hidden():
    """The snippet moves its clicks on pagehide and on visibilitychange to hidden, never on unload."""
    assert 'addEventListener("pagehide", keep)' in CAPTURE
    assert 'visibilityState === "hidden") keep()' in CAPTURE
    assert "unload" not in CAPTURE.replace("pagehide", "")  # unload handlers bar the back/forward cache


def test_preview_cuts_long_values_and_says_how_long():
    """A log line shows at most MAX_PREVIEW characters of a value, and its full length."""
    assert preview("short") == '"short"'
    long_text = preview("x" * 5000)
    assert long_text.startswith('"' + "x" * (MAX_PREVIEW - 1))
    assert long_text.endswith("…(5002 characters)")


def test_a_value_the_page_could_not_hand_over_is_reported_as_invalid(capsys):
    """handle() reports a ValidationError the bridge found in the page's text, with the element's label."""
    calls = []
    tracker = Tracker(rtp=lambda *args: calls.append(args), storage=MemoryStore())
    problem = ValidationError(ATTRIBUTE, "contains lone surrogate U+D800 at index 1")
    handle(None, problem, False, tracker, label="a#nav")
    assert calls == []
    assert ("event not sent (invalid): null: <a#nav data-rtp-event>: "
            "data-rtp-event: contains lone surrogate U+D800 at index 1") in capsys.readouterr().err


def test_a_kept_click_from_an_earlier_page_is_sent(capsys):
    """handle() sends a kept click (no element, only its label) like any other."""
    calls = []
    tracker = Tracker(rtp=lambda *args: calls.append(args), storage=MemoryStore())
    handle(None, '["a", "b"]', False, tracker, label="a#nav")
    assert calls == [("send", "event", {"value": ["a", "b"]})]

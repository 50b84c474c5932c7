"""PyScript's worker mode (`<script type="py" worker>`): rtp_py runs unchanged in a Web Worker on a page
served with cross-origin isolation, and says what is missing on a page without it.

tests/pages/worker.html loads rtp_py that way; scripts/serve.py sends it with the isolation headers
(Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy), or without them for `?isolated=no`.
"""

import re

import pytest
from playwright.sync_api import expect

from pagetools import READY_TIMEOUT_MS, queued, url, wait_ready
from support import WHITEPAPER, event

PAGE = "/tests/pages/worker.html"
NOT_ISOLATED = "BrowserRequired: rtp_py in PyScript's worker mode"


def wait_queued(page, count):
    """Wait until rtp.q holds `count` calls: in a worker, a click's handler runs after the click returns."""
    page.wait_for_function("n => (window.rtp.q || []).length >= n", arg=count, timeout=READY_TIMEOUT_MS)
    return queued(page)


@pytest.mark.parametrize("embedder", ["require-corp", "credentialless"])
def test_worker_mode_tracks_declarative_and_bound_clicks(page, interpreter, embedder):
    """In a worker, start() binds the page's elements: both kinds of click reach rtp, a bad one is refused.
    Either embedder policy isolates the page (`credentialless` also lets a third-party tag's script load)."""
    page.goto(url(PAGE, interpreter, "" if embedder == "require-corp" else "isolated=credentialless"))
    wait_ready(page)
    assert page.evaluate("() => crossOriginIsolated")
    assert page.locator("script[worker]").get_attribute("type") == interpreter
    with page.expect_console_message(lambda message: "event not sent (invalid)" in message.text):
        page.click("#bad")
    page.click("#wp")
    page.click("#py-bound")
    assert wait_queued(page, 2) == [event(WHITEPAPER), event("python bound")]


def test_worker_mode_replays_a_click_made_while_python_starts(page, interpreter):
    """The capture snippet keeps a click made before the worker is up; start() in the worker sends it once."""
    held, clicked = [], []

    def hold_config_until_clicked(route):  # Python cannot start before it has its config
        if clicked:
            route.fallback()
        else:
            held.append(route)

    page.route("**/pyscript*.toml", hold_config_until_clicked)
    page.goto(url(PAGE, interpreter), wait_until="domcontentloaded")
    page.click("#wp")  # the config may not even be asked for yet: either way Python cannot have started
    assert queued(page) == [] and "rtp-ready" not in (page.locator("html").get_attribute("class") or "")
    clicked.append(True)
    for route in held:
        route.fallback()
    wait_ready(page)
    assert wait_queued(page, 1) == [event(WHITEPAPER)]


def test_worker_mode_without_isolation_says_which_headers_are_missing(page, page_guard, interpreter):
    """Without the headers PyScript cannot give a worker the page: importing rtp_py raises BrowserRequired
    naming both headers, and tracking never starts (the capture snippet still keeps the clicks)."""
    page_guard.allow(re.escape(NOT_ISOLATED))
    with page.expect_console_message(lambda message: NOT_ISOLATED in message.text,
                                     timeout=READY_TIMEOUT_MS) as message:
        page.goto(url(PAGE, interpreter, "isolated=no"))
    text = message.value.text
    assert "Cross-Origin-Opener-Policy: same-origin" in text and "Cross-Origin-Embedder-Policy: require-corp" in text
    assert not page.evaluate("() => crossOriginIsolated")
    page.click("#wp")
    expect(page.locator("html")).not_to_have_class(re.compile(r"\brtp-ready\b"))
    assert queued(page) == [] and page.evaluate("() => rtpPy.q.length") == 1

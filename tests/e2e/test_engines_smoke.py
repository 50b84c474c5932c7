"""One test body, three engines: Chromium (Playwright), WebKit (WebKitGTK) and Firefox, on the repo's real pages.

Each test is written against Playwright's `page` API and runs unchanged on every engine (engine_fixtures.py).
"""

from urllib.parse import urlsplit

import pytest

from conftest import QUEUE_JS, READY_TIMEOUT_MS

pytest_plugins = ["engine_fixtures"]

PAGE = "/tests/pages/tracking.html"
READY = "() => document.documentElement.classList.contains('rtp-ready')"
WHITEPAPER = ["send", "event", {"value": "download - example whitepaper"}]


@pytest.fixture
def page_guard(engine_guard):
    """conftest's autouse page_guard opens a Chromium page for every test: here it guards the test's engine."""
    return engine_guard


@pytest.mark.parametrize("query", ["?interpreter=mpy", ""], ids=["micropython", "pyodide"])
def test_a_click_is_queued_once_python_is_ready(engine_page, query):
    engine_page.goto(PAGE + query)
    engine_page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    engine_page.click("#wp")
    assert engine_page.evaluate(QUEUE_JS) == [WHITEPAPER]


def test_the_offline_guard_catches_requests_that_leave_the_machine(engine_page, page_guard):
    """Negative control: a script from a CDN (https) and one from another host (http) are refused and recorded."""
    engine_page.goto("/tests/pages/landing.html")
    page_guard.allow(".")  # each engine reports the refused loads as console errors: expected here
    urls = ["https://cdn.jsdelivr.net/npm/@pyscript/core/dist/core.js", "http://example.com/tag.js"]
    outcome = engine_page.evaluate("""urls => Promise.all(urls.map(url => new Promise(resolve => {
        const script = Object.assign(document.createElement("script"), {src: url});
        script.onload = () => resolve("loaded");
        script.onerror = () => resolve("refused");
        document.head.append(script);
    })))""", urls)
    assert outcome == ["refused", "refused"]
    # https:// shows only its host to a proxy (CONNECT host:443); Chromium's route sees the whole URL.
    assert {"cdn.jsdelivr.net", "example.com"} <= {urlsplit(url).hostname for url in page_guard.external}
    page_guard.external.clear()  # seen and refused: this test passes


def test_back_to_a_ready_page_after_following_a_link(engine_page):
    """A link away from a live page, then Back: the page comes back working, restored from the back/forward
    cache (one pageshow with persisted true on the same document) or loaded afresh."""
    engine_page.add_init_script("""window.__shows = [];
        addEventListener("pageshow", event => window.__shows.push(event.persisted));""")
    engine_page.goto(PAGE + "?interpreter=mpy")
    engine_page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    engine_page.click("#nav")
    engine_page.wait_for_function("() => location.pathname === '/tests/pages/landing.html'")
    engine_page.go_back()
    engine_page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    assert engine_page.evaluate("() => window.__shows") in ([False], [False, True])
    engine_page.click("#wp")
    assert engine_page.evaluate(QUEUE_JS)[-1] == WHITEPAPER

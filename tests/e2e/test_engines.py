"""The journeys that carry rtp_py's promises, on three engines (Chromium, WebKit, Firefox) and both interpreters.

Each test body is written once, against Playwright's `page` API, and runs unchanged on every engine
(engine_fixtures.py, engines.py): Chromium through Playwright, WebKit (WebKitGTK's WebDriver) and Firefox
(WebDriver BiDi) through tests/e2e/engines.py. The same guards hold everywhere: a request leaving this machine, a
page error, a console error or a Python traceback fails the test. The rest of the suite runs in Chromium.
"""

import contextlib
import json
import os
import signal
import subprocess
from urllib.parse import urlsplit

import pytest

from pagetools import QUEUE_JS, READY_TIMEOUT_MS
from documented import examples
from support import WHITEPAPER, event

READY = "() => document.documentElement.classList.contains('rtp-ready')"
TRACKING = "/tests/pages/tracking.html"
# How long the server holds the PyScript config (and what it lists) for the tests of a page left mid-start.
SLOW_MS = 3000


@pytest.fixture
def page_guard(engine_guard):
    """conftest's autouse guard opens a Chromium page for every test: here it guards the test's engine."""
    return engine_guard


def at(path, interpreter, query=""):
    """`path` on `interpreter` (the test pages pick MicroPython with ?interpreter=mpy)."""
    params = [param for param in (query, "interpreter=mpy" if interpreter == "mpy" else "") if param]
    return path + ("?" + "&".join(params) if params else "")


def queued(page):
    return [list(args) if isinstance(args, list) else args for args in page.evaluate(QUEUE_JS)]


def test_clicks_before_and_after_start_up_are_sent_once_each(engine_page, interpreter):
    """Declarative clicks made before start() are replayed in order, once; then declarative and on_click
    clicks are sent as they come, and an invalid value is not sent."""
    page = engine_page  # Playwright's page on Chromium, an engines.EnginePage elsewhere
    page.goto(at(TRACKING, interpreter, "start=later"))
    name = "micropython" if interpreter == "mpy" else "cpython"
    page.wait_for_function("name => document.documentElement.hasAttribute('data-bound-' + name)", arg=name,
                           timeout=READY_TIMEOUT_MS)
    page.click("#s1")
    page.click("#s0")
    assert queued(page) == []  # captured, not sent: rtp_py has not started
    page.evaluate("() => document.dispatchEvent(new Event('test:start'))")
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    page.click("#wp")
    page.click("#py-bound")
    page.click("#bad")
    page.wait_for_function("() => rtp.q.length >= 4")
    assert queued(page) == [event("step 1"), event("step 0"), event(WHITEPAPER), event("python bound")]


def test_a_link_clicked_during_start_up_is_sent_once_and_back_starts_again(engine_page, interpreter):
    """A tracked link followed while Python is still starting (the server holds its config): the next page of
    the site sends the click, once. Back to the first page: it starts (WebKit restores it from its
    back/forward cache with its loads cancelled; rtp_py's capture snippet starts it again) and sends nothing
    twice."""
    page = engine_page  # Playwright's page on Chromium, an engines.EnginePage elsewhere
    page.goto(at(TRACKING, interpreter, "slow=%d" % SLOW_MS), wait_until="domcontentloaded")
    page.click("#next")  # #next is this page again, without ?slow
    page.wait_for_function("() => !location.search.includes('slow')")
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    assert queued(page) == [event("go to the next page")]
    page.go_back()
    page.wait_for_function("() => location.search.includes('slow')")
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS + SLOW_MS)
    assert queued(page) == []
    page.click("#wp")
    assert queued(page) == [event(WHITEPAPER)]


def test_back_to_a_started_page_replays_nothing(engine_page, interpreter):
    """A click kept when the page was left is sent by the next page; back on the first page (restored from the
    back/forward cache where the engine keeps it: Firefox then shows it a sessionStorage older than the next
    page's), and on a page after that, nothing is sent twice and tracking goes on."""
    page = engine_page  # Playwright's page on Chromium, an engines.EnginePage elsewhere
    page.goto(at(TRACKING, interpreter, "start=later"))
    name = "micropython" if interpreter == "mpy" else "cpython"
    page.wait_for_function("name => document.documentElement.hasAttribute('data-bound-' + name)", arg=name,
                           timeout=READY_TIMEOUT_MS)
    page.click("#s0")  # captured: rtp_py is loaded but not started
    page.goto(at(TRACKING, interpreter))
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    assert queued(page) == [event("step 0")]
    page.go_back()
    page.wait_for_function("() => location.search.includes('start=later') && document.readyState === 'complete'")
    page.wait_for_function("name => document.documentElement.hasAttribute('data-bound-' + name)", arg=name,
                           timeout=READY_TIMEOUT_MS)
    page.evaluate("() => document.dispatchEvent(new Event('test:start'))")
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    page.click("#s1")
    assert queued(page) == [event("step 1")]
    page.goto(at(TRACKING, interpreter))  # a later page does not send the kept click again either
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    assert queued(page) == []


# Every sessionStorage call throws: reading as a browser's private mode or a disabled storage does, writing as
# a full one does.
STORAGE_THROWS = """(() => {
  const denied = () => { throw new DOMException("The operation is insecure.", "SecurityError"); };
  Storage.prototype.getItem = denied;
  Storage.prototype.removeItem = denied;
  Storage.prototype.key = denied;
  Storage.prototype.setItem = () => { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };
})();"""


def test_session_storage_that_throws_or_is_full_breaks_nothing(engine_page, interpreter):
    """With every sessionStorage call throwing, rtp_py starts, sends, and keeps once-per-session in memory."""
    page = engine_page  # Playwright's page on Chromium, an engines.EnginePage elsewhere
    page.add_init_script(STORAGE_THROWS)
    page.goto(at(TRACKING, interpreter))
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    page.click("#once")
    page.click("#once")
    page.click("#wp")
    assert queued(page) == [event("newsletter signup"), event(WHITEPAPER)]


def test_consent_holds_every_call_until_the_platform_grants_it(engine_page, interpreter):
    """With a TCF platform followed, the page view and a click are held; the visitor's acceptance releases
    them, in order, once."""
    page = engine_page  # Playwright's page on Chromium, an engines.EnginePage elsewhere
    page.goto(at("/tests/pages/consent.html", interpreter))
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    page.click("#wp")
    assert page.evaluate("() => [rtpPy.consent, (rtp.q || []).length]") == ["pending", 0]
    page.evaluate("() => fakeTcf.choose([1, 5, 6])")
    page.wait_for_function("() => rtp.q.length >= 2")
    assert queued(page) == [["send", "view", "/consent"], event(WHITEPAPER)]


# At DOMContentLoaded, before any Python: which of the two blocks the page shows.
FIRST_PAINT = """document.addEventListener("DOMContentLoaded", () => {
  window.painted = ["first", "default"].map(id => getComputedStyle(document.getElementById(id)).display);
});"""


def test_a_known_visitor_sees_their_block_from_the_first_paint(engine_page, interpreter):
    """A visitor this tab already knows (rtp's last answer, kept by an earlier page) sees their segment's
    block and not the default from the first paint, before Python starts; the known answer is Marketo's
    documented one."""
    page = engine_page  # Playwright's page on Chromium, an engines.EnginePage elsewhere
    answer = examples()["answers"]["get visitor, with a segment match"]
    page.goto("/tests/pages/landing.html")
    page.evaluate("answer => sessionStorage.setItem('rtp_py:visitor', JSON.stringify(answer))", answer)
    page.add_init_script(FIRST_PAINT)
    page.goto(at("/tests/pages/personal.html", interpreter))
    assert page.evaluate("() => window.painted") == ["block", "none"]
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    assert page.evaluate("""() => ["first", "default"].map(id =>
        getComputedStyle(document.getElementById(id)).display)""") == ["block", "none"]


def test_the_demo_whitepaper_journey(engine_page, interpreter):
    """The demo as a visitor walks it: the consent banner holds the calls until Accept, the download puts the
    visitor in the segment at once, and the campaign shows from the second page view after it, with both
    personalised lines changed."""
    page = engine_page  # Playwright's page on Chromium, an engines.EnginePage elsewhere
    query = "interpreter=mpy" if interpreter == "mpy" else "interpreter=py"
    page.goto("/demo/whitepaper.html?" + query)
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    assert page.evaluate("() => rtpPy.consent") == "pending"
    page.click("#consent-accept")
    page.wait_for_function("() => window.rtpStandin && rtpStandin.state().views === 1", timeout=READY_TIMEOUT_MS)
    page.evaluate("() => document.getElementById('download-whitepaper').removeAttribute('href')")  # no download
    page.click("#download-whitepaper")
    page.wait_for_function("() => rtpStandin.state().segments.length === 1")
    for views, path in enumerate(("/demo/customers.html", "/demo/"), 2):
        page.goto(path + "?" + query)
        page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
        # The page's view is held until the consent platform answers (after start()), and a held call ends with
        # its page: wait until the stand-in counted it before leaving, as a visitor reading the page would.
        page.wait_for_function("n => window.rtpStandin && rtpStandin.state().views === n", arg=views,
                               timeout=READY_TIMEOUT_MS)
    page.wait_for_function("() => document.querySelector('[data-rtp-campaign]') !== null", timeout=READY_TIMEOUT_MS)
    page.wait_for_function("""() => getComputedStyle(document.getElementById('seg-known')).display !== 'none' &&
        document.getElementById('py-personal').classList.contains('rtp-personalised')""", timeout=READY_TIMEOUT_MS)
    state = page.evaluate("() => rtpStandin.state()")
    assert state["segments"] == [{"name": "Whitepaper downloaders", "id": 4101}]
    assert json.loads(state["events"][0]) == WHITEPAPER


def test_the_offline_guard_catches_requests_that_leave_the_machine(engine_page, page_guard):
    """Negative control, once per engine: a script from another host over https (as from a CDN) and one over
    http are refused and recorded, so "no request left this machine" is proved on every engine, not hoped."""
    engine_page.goto("/tests/pages/landing.html")
    page_guard.allow(".")  # each engine reports the refused loads as console errors: expected here
    urls = ["https://example.org/npm/core.js", "http://example.com/tag.js"]
    outcome = engine_page.evaluate("""urls => Promise.all(urls.map(url => new Promise(resolve => {
        const script = Object.assign(document.createElement("script"), {src: url});
        script.onload = () => resolve("loaded");
        script.onerror = () => resolve("refused");
        document.head.append(script);
    })))""", urls)
    assert outcome == ["refused", "refused"]
    # https:// shows only its host to a proxy (CONNECT host:443); Chromium's request events show the whole URL.
    assert {"example.org", "example.com"} <= {urlsplit(url).hostname for url in page_guard.external}
    page_guard.external.clear()  # seen and refused: this test passes


def test_a_test_whose_page_crashed_is_run_once_more(engine_page, engine, request):
    """Control for conftest's rerun of a browser failure, once per engine: the page's process is killed on the
    first try, which fails with the engine's own words for it (Playwright's "Target crashed", WebKit's ended
    session, Firefox's crash page); only a rerun in a fresh page lets the second try pass."""
    engine_page.goto("/tests/pages/landing.html")
    if request.node.execution_count == 1:
        _crash(engine_page, engine)
    assert engine_page.evaluate("() => document.readyState") == "complete"
    assert request.node.execution_count == 2


def _crash(page, engine):
    """Kill the process that runs `page`: Chromium's renderer (chrome://crash), WebKit's web process or
    Firefox's web content processes (this test process's own, found by their command lines)."""
    if engine == "chromium":
        try:
            page.goto("chrome://crash")
        except Exception as error:  # Playwright raises its crash error here (the words of which vary)
            assert "crash" in str(error).lower(), error
        return
    name = {"webkit": "WebKitWebProcess", "firefox": "-isForBrowser"}[engine]
    pids = [pid for pid in _descendants(os.getpid()) if name in _command_line(pid)]
    assert pids, "no %s process under this test process" % name
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # ended meanwhile
            os.kill(pid, signal.SIGKILL)
    page.wait_for_function("() => false")  # until the driver tells the page is gone (engines.BrowserFailure)


def _descendants(pid):
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [each for child in children for each in (int(child), *_descendants(child))]


def _command_line(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:  # ended meanwhile
        return ""

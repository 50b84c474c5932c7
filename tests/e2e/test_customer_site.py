"""On a customer's site: links that navigate during start-up, two interpreters on one page, a hostile tag
and hostile attributes, a page that forgets start()."""

import re

import pytest
from playwright.sync_api import expect

from pagetools import READY_TIMEOUT_MS, queued, run_python, url, wait_ready
from support import WHITEPAPER, event
from pageguard import PageGuard

PAGE = "/tests/pages/tracking.html"
KEPT_KEY = "rtp_py:kept"
PYTHON_NAME = {"py": "cpython", "mpy": "micropython"}

# Records every rtp-py:not-sent event from the first script on, so reports made during start() count.
RECORD_NOT_SENT = """window.notSent = [];
document.addEventListener("rtp-py:not-sent", e => window.notSent.push(e.detail));"""


def hold_first_config(page):
    """Hold the first PyScript config request (Python cannot start on that page); later ones pass."""
    held = []

    def handler(route):
        if held:
            route.fallback()
        else:
            held.append(route)

    page.route("**/pyscript*.toml", handler)
    return held


def kept(page):
    return page.evaluate("k => sessionStorage.getItem(k)", KEPT_KEY)


def test_link_clicked_during_start_up_is_sent_on_the_next_page(page, interpreter):
    """Clicks captured before start, the last on a link, are sent in order by the next page's start()."""
    held = hold_first_config(page)
    page.goto(url(PAGE, interpreter), wait_until="domcontentloaded")
    page.click("#s0")
    page.click("#s1")
    page.click("#next")  # navigates at once: the first page's Python never started
    wait_ready(page)
    assert len(held) == 1
    assert queued(page) == [event("step 0"), event("step 1"), event("go to the next page")]
    assert kept(page) is None


def test_clicks_kept_when_the_page_is_hidden_are_sent_once_when_it_starts(page, interpreter):
    """A page hidden before start() keeps its clicks; when it starts after all, it sends each once."""
    held = hold_first_config(page)
    page.goto(url(PAGE, interpreter), wait_until="domcontentloaded")
    page.click("#s0")
    page.evaluate("""() => {
        Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "hidden"});
        document.dispatchEvent(new Event("visibilitychange"));
        delete document.visibilityState; }""")
    assert page.evaluate("() => rtpPy.q.length") == 0
    assert kept(page) is not None
    page.click("#s1")  # back in view, still starting: captured in memory
    held[0].fallback()
    wait_ready(page)
    assert queued(page) == [event("step 0"), event("step 1")]
    assert kept(page) is None


def test_kept_clicks_are_bounded_and_the_rest_reported(page, interpreter):
    """At most 50 kept clicks of at most 8192 characters each; the next start() reports the rest."""
    hold_first_config(page)
    page.add_init_script(RECORD_NOT_SENT)
    page.goto(url(PAGE, interpreter), wait_until="domcontentloaded")
    page.evaluate("() => document.querySelector('#s4').setAttribute('data-rtp-event', 'x'.repeat(8193))")
    page.click("#s4")
    order = ["s%d" % (i % 4) for i in range(52)]
    for element_id in order:
        page.click("#" + element_id)
    page.goto(url(PAGE, interpreter))  # leaving the page (pagehide) keeps what fits
    wait_ready(page)
    assert queued(page) == [event("step " + element_id[1]) for element_id in order[:50]]
    assert page.evaluate("() => window.notSent") == [
        {"kind": "not-kept", "value": None, "reason": "3 click(s) over the bound"}]


@pytest.fixture
def bfcache_page(browser_type, browser_type_launch_args, base_url):
    """A page in a browser with the back/forward cache on (Playwright turns it off by default)."""
    browser = browser_type.launch(**browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"])
    context = browser.new_context(base_url=base_url)
    guard = PageGuard()
    context.route("**/*", guard.route)
    page = context.new_page()
    page.on("console", guard.on_console)
    page.on("pageerror", guard.on_page_error)
    yield page
    browser.close()
    guard.check()


def test_a_page_restored_from_the_back_forward_cache_does_not_send_kept_clicks_again(bfcache_page, interpreter):
    """Kept clicks are sent by the next page; going back to the first page (bfcache) sends none again."""
    page = bfcache_page
    page.add_init_script("addEventListener('pageshow', e => { window.restored = e.persisted; });")
    page.goto(url(PAGE, interpreter, "start=later"))
    name = PYTHON_NAME[interpreter]
    expect(page.locator("html")).to_have_attribute("data-bound-" + name, "", timeout=READY_TIMEOUT_MS)
    page.click("#s0")  # rtp_py is loaded but not started: the click is captured
    page.goto(url(PAGE, interpreter))
    wait_ready(page)
    assert queued(page) == [event("step 0")]

    page.go_back(wait_until="commit")
    page.wait_for_function("() => window.restored === true", timeout=READY_TIMEOUT_MS)
    page.evaluate("() => document.dispatchEvent(new Event('test:start'))")
    expect(page.locator("html")).to_have_attribute("data-started-" + name, "", timeout=READY_TIMEOUT_MS)
    page.click("#s1")
    assert queued(page) == [event("step 1")]
    assert kept(page) is None


def test_two_interpreters_on_one_page_send_one_call_per_click(page):
    """Pyodide and MicroPython both bind the same element and both start: one click is one call."""
    page.goto(url(PAGE, "py", "interpreter=both"))
    for name in PYTHON_NAME.values():
        expect(page.locator("html")).to_have_attribute("data-bound-" + name, "", timeout=READY_TIMEOUT_MS)
    wait_ready(page)
    page.click("#py-bound")
    page.click("#wp")
    assert queued(page) == [event("python bound"), event(WHITEPAPER)]


# Tags that fail in unusual ways: each JS snippet replaces window.rtp.
HOSTILE_TAGS = {
    "throws a null-prototype object": "window.rtp = () => { throw Object.create(null); }",
    "throws an object whose message and toString throw":
        "window.rtp = () => { throw {get message() { throw 1; }, toString() { throw 2; }}; }",
    "throws a revoked proxy":
        "window.rtp = () => { const r = Proxy.revocable({}, {}); r.revoke(); throw r.proxy; }",
    "throws a symbol": "window.rtp = () => { throw Symbol('odd'); }",
    "throws undefined": "window.rtp = () => { throw undefined; }",
    "whose very read throws":
        "Object.defineProperty(window, 'rtp', {configurable: true, get() { throw new Error('blocked'); }})",
    "that is not a function and cannot be replaced":
        "Object.defineProperty(window, 'rtp', {configurable: true, writable: false, value: 5})",
}


def test_any_tag_failure_is_one_tag_error_report(page, interpreter):
    """Whatever the tag throws, or however window.rtp fails to read, each click gives one tag-error
    report, no page error, and tracking works again once the tag does."""
    page.add_init_script(RECORD_NOT_SENT)
    page.goto(url(PAGE, interpreter))
    wait_ready(page)
    for label, install in HOSTILE_TAGS.items():
        page.evaluate("() => { window.goodRtp = window.rtp; %s; }" % install)
        page.click("#wp")
        page.evaluate("() => { delete window.rtp; window.rtp = window.goodRtp; }")
        reports = page.evaluate("() => window.notSent.splice(0)")
        assert [(r["kind"], r["value"]) for r in reports] == [("tag-error", WHITEPAPER)], label
        assert reports[0]["reason"] and not reports[0]["reason"].startswith("event not sent"), label
    page.click("#pair")
    assert queued(page) == [event(["MyEvent", WHITEPAPER])]


# Attribute values no page should have; each gets exactly one "invalid" report, with the same reason on
# both interpreters.
HOSTILE_ATTRIBUTES = {
    "lone": ("'a\\ud800b'", "data-rtp-event: contains lone surrogate U+D800 at index 1"),
    "huge": ("'x'.repeat(10_000_000)", "data-rtp-event: is 10000000 characters long; at most 65536 are read"),
    "deep": ("'['.repeat(100_000)", None),
    "deep-closed": ("'['.repeat(50_000) + ']'.repeat(50_000)", None),
}


def test_hostile_attributes_give_one_report_each_and_tracking_goes_on(page, interpreter):
    """A lone surrogate, a 10 MB value or JSON nested 100,000 deep: one invalid report per element, no
    crash, and the next click is sent."""
    page.add_init_script(RECORD_NOT_SENT)
    page.goto(url(PAGE, interpreter))
    wait_ready(page)
    for element_id, (js_value, _) in HOSTILE_ATTRIBUTES.items():
        page.evaluate("""() => { const b = document.createElement("button"); b.id = %r;
            b.setAttribute("data-rtp-event", %s); document.body.append(b); }""" % (element_id, js_value))
        page.click("#" + element_id)
        page.click("#" + element_id)
    page.click("#wp")
    assert queued(page) == [event(WHITEPAPER)]
    reports = page.evaluate("() => window.notSent.map(d => [d.kind, d.reason])")
    assert [kind for kind, _ in reports] == ["invalid"] * len(HOSTILE_ATTRIBUTES)
    for (element_id, (_, expected)), (_, reason) in zip(HOSTILE_ATTRIBUTES.items(), reports, strict=True):
        assert reason.startswith("<button#%s data-rtp-event>: " % element_id), reason
        if expected is not None:
            assert reason == "<button#%s data-rtp-event>: %s" % (element_id, expected)


def test_a_page_that_never_calls_start_says_so(page, interpreter):
    """If no script calls start(), the console says declarative tracking is off and names the fix."""
    with page.expect_console_message(lambda m: "none called start()" in m.text,
                                     timeout=READY_TIMEOUT_MS) as message:
        page.goto(url(PAGE, interpreter, "start=never"))
    assert message.value.type == "warning"
    assert "call rtp_py.start() after your on_click bindings" in message.value.text
    page.click("#wp")
    assert queued(page) == []


def test_a_page_that_calls_start_gets_no_such_warning(page, interpreter):
    """The start() warning is not given once start() ran (checked after every script is done)."""
    warnings = []
    page.on("console", lambda m: "none called start()" in m.text and warnings.append(m.text))
    page.add_init_script("addEventListener('py:all-done', () => { window.allDone = true; });")
    page.goto(url(PAGE, interpreter))
    wait_ready(page)
    page.wait_for_function("() => window.allDone === true", timeout=READY_TIMEOUT_MS)
    assert warnings == []


def test_debug_from_the_page_counts_from_import(page, interpreter):
    """<html data-rtp-debug> logs calls made before start(), from the moment rtp_py is imported."""
    debug_lines = []
    page.on("console", lambda m: "[rtp_py] rtp(" in m.text and debug_lines.append(m.text))
    page.goto(url(PAGE, interpreter, "debug&start=later"))
    expect(page.locator("html")).to_have_attribute("data-bound-" + PYTHON_NAME[interpreter], "",
                                                   timeout=READY_TIMEOUT_MS)
    outcome = run_python(page, "from rtp_py import send_event\nreturn send_event('early')")
    assert outcome == {"ok": True, "result": ["early"]}
    assert debug_lines == ['[rtp_py] rtp("send", "event", {"value": "early"})']
    expect(page.locator("html")).not_to_have_class(re.compile("rtp-ready"))

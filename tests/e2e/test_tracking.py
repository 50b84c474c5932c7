"""Nothing lost: declarative tracking, clicks during start-up, a missing or failing tag, double start."""

import re

import pytest
from playwright.sync_api import expect

from pagetools import ROOT, queued, run_python, serve_page, url, wait_ready
from support import WHITEPAPER, event

PAGE = "/tests/pages/tracking.html"


def record_not_sent(page):
    """Collect rtp_py's `rtp-py:not-sent` DOM events in window.notSent."""
    page.evaluate("""() => { window.notSent = [];
        document.addEventListener("rtp-py:not-sent", e => window.notSent.push(e.detail)); }""")


@pytest.fixture
def tracking(page, interpreter):
    """The declarative test page on the test's interpreter, tracking live."""
    page.goto(url(PAGE, interpreter))
    wait_ready(page)
    return page


def test_declarative_string_and_json_array(tracking):
    """data-rtp-event sends its string, or its JSON array, and clicks on a child count for the element."""
    tracking.click("#wp")
    tracking.click("#pair")
    tracking.click("#inner")
    assert queued(tracking) == [event(WHITEPAPER), event(["MyEvent", WHITEPAPER]), event("nested")]
    assert tracking.evaluate("() => rtp.q.every(a => Object.getPrototypeOf(a[2]) === Object.prototype)")


def test_clicks_during_start_up_are_replayed_in_order_once(page, interpreter):
    """50 clicks made while Python is still starting are all sent, in click order, exactly once."""
    held = []
    page.route("**/pyscript*.toml", lambda route: held.append(route))  # Python waits for its config
    with page.expect_request("**/pyscript*.toml"):  # held: counted below
        page.goto(url(PAGE, interpreter), wait_until="domcontentloaded")
    order = ["s%d" % (i % 5) for i in range(50)]
    for element_id in order:
        page.click("#" + element_id)
    assert len(held) == 1, "the config request should be held while we click"
    assert page.evaluate("() => [rtpPy.q.length, rtp.q.length]") == [50, 0]
    expect(page.locator("html")).not_to_have_class(re.compile("rtp-ready"))
    held[0].fallback()
    wait_ready(page)
    assert queued(page) == [event("step " + element_id[1]) for element_id in order]
    assert page.evaluate("() => rtpPy.q.length") == 0
    run_python(page, "from rtp_py import start\nstart()")  # a second start replays nothing
    page.click("#s0")
    assert len(queued(page)) == 51


def test_a_captured_link_click_still_navigates(page, interpreter):
    """A link clicked during start-up navigates at once: capture never blocks or delays the click."""
    held = []
    page.route("**/pyscript*.toml", lambda route: held.append(route))
    page.goto(url(PAGE, interpreter), wait_until="domcontentloaded")
    page.click("#nav")
    expect(page.locator("#landed")).to_be_visible()


def test_a_thousand_rapid_clicks_give_a_thousand_calls(tracking):
    """1,000 clicks in one burst produce exactly 1,000 rtp calls."""
    tracking.evaluate("() => { const b = document.querySelector('#wp'); for (let i = 0; i < 1000; i++) b.click(); }")
    assert tracking.evaluate("() => rtp.q.length") == 1000
    assert tracking.evaluate(
        "() => rtp.q.every(a => a[0] === 'send' && a[1] === 'event' && a[2].value === %r)" % WHITEPAPER)


def test_elements_added_after_start_up_are_tracked(tracking):
    """An element inserted after start() is tracked by the document-level listener."""
    tracking.evaluate("""() => { const b = document.createElement("button");
        b.id = "late"; b.textContent = "Late"; b.dataset.rtpEvent = "added later"; document.body.append(b); }""")
    tracking.click("#late")
    assert queued(tracking) == [event("added later")]


def test_double_start_sends_once_per_click(tracking):
    """Re-running the page's start-up (start() and the same on_click again) never makes a click send twice."""
    outcome = run_python(tracking, """
        from rtp_py import on_click, start
        on_click("#py-bound", "python bound")
        start()
        start()
        return "again"
    """)
    assert outcome["ok"]
    tracking.click("#py-bound")
    tracking.click("#wp")
    assert queued(tracking) == [event("python bound"), event(WHITEPAPER)]


def test_missing_rtp_installs_the_stub_and_queues_intact(tracking):
    """With window.rtp removed (an ad blocker), the documented stub is installed and calls wait on rtp.q."""
    messages = []
    tracking.on("console", lambda m: messages.append(m.text))
    tracking.evaluate("() => { delete window.rtp; }")
    tracking.click("#pair")
    tracking.click("#wp")
    assert tracking.evaluate("() => typeof rtp") == "function"
    assert queued(tracking) == [event(["MyEvent", WHITEPAPER]), event(WHITEPAPER)]
    assert tracking.evaluate("() => Object.prototype.toString.call(rtp.q[0])") == "[object Arguments]"
    stub_warnings = [m for m in messages if "installed the documented queue stub" in m]
    assert len(stub_warnings) == 1


def test_throwing_rtp_is_logged_and_the_next_click_is_sent(tracking):
    """If rtp throws, rtp_py logs it and announces it; tracking goes on and no page error occurs."""
    record_not_sent(tracking)
    messages = []
    tracking.on("console", lambda m: messages.append((m.type, m.text)))
    tracking.evaluate("""() => { const stub = window.rtp; let calls = 0;
        window.rtp = function () {
            if (calls++ === 0) throw new Error("tag exploded");
            return stub.apply(this, arguments); };
        window.rtp.q = stub.q; }""")
    tracking.click("#wp")
    tracking.click("#pair")
    assert queued(tracking) == [event(["MyEvent", WHITEPAPER])]
    assert tracking.evaluate("() => window.notSent") == [
        {"kind": "tag-error", "value": WHITEPAPER,
         "reason": tracking.evaluate("() => window.notSent[0].reason")}]
    assert "tag exploded" in tracking.evaluate("() => window.notSent[0].reason")
    assert any(kind == "warning" and "tag exploded" in text for kind, text in messages)


def test_invalid_attribute_warns_once_and_sends_nothing(tracking):
    """An invalid data-rtp-event gives one warning naming the element and problem, and no call."""
    record_not_sent(tracking)
    warnings = []
    tracking.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    tracking.click("#bad")
    tracking.click("#bad")
    tracking.click("#wp")  # processed after both #bad clicks
    assert queued(tracking) == [event(WHITEPAPER)]
    assert len(warnings) == 1
    assert "button#bad" in warnings[0] and "value[1]: expected str, got int" in warnings[0]
    assert tracking.evaluate("() => window.notSent.map(d => [d.kind, d.value])") == [["invalid", '["ok", 5]']]


def test_invalid_json_attribute_is_reported(tracking):
    """A data-rtp-event that starts with '[' but is not JSON is refused with that reason."""
    warnings = []
    tracking.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    tracking.evaluate("""() => { const b = document.createElement("button"); b.id = "broken";
        b.setAttribute("data-rtp-event", '["unclosed"'); document.body.append(b); }""")
    tracking.click("#broken")
    tracking.click("#wp")
    assert queued(tracking) == [event(WHITEPAPER)]
    assert len(warnings) == 1 and "not a valid JSON array" in warnings[0]


def test_once_per_session_holds_across_reload_and_resets_in_a_new_session(tracking, context, interpreter):
    """data-rtp-once: sent once, skipped (and logged) after a reload, sent again in a new session (tab)."""
    infos = []
    tracking.on("console", lambda m: infos.append(m.text))
    tracking.click("#once")
    tracking.click("#once")
    tracking.click("#wp")
    assert queued(tracking) == [event("newsletter signup"), event(WHITEPAPER)]
    assert any("already sent in this browser session" in text for text in infos)

    tracking.reload()
    wait_ready(tracking)
    tracking.click("#once")
    tracking.click("#wp")
    assert queued(tracking) == [event(WHITEPAPER)]

    fresh = context.new_page()  # a new tab is a new browser session: sessionStorage starts empty
    fresh.goto(url(PAGE, interpreter))
    wait_ready(fresh)
    fresh.click("#once")
    assert queued(fresh) == [event("newsletter signup")]


def test_send_event_once_per_session_from_python(tracking):
    """send_event(once_per_session=True) returns [] when skipped; on_click(once='session') too."""
    outcome = run_python(tracking, """
        from rtp_py import on_click, send_event
        first = send_event(["a", "b", "c", "d", "e"], once_per_session=True)
        second = send_event(["a", "b", "c", "d", "e"], once_per_session=True)
        on_click("#py-bound", "bound once", once="session")
        return [first, second]
    """)
    assert outcome["result"] == [[["a", "b", "c", "d"], ["e"]], []]
    tracking.click("#py-bound")
    tracking.click("#py-bound")
    assert queued(tracking)[2:] == [event("python bound"), event("bound once"), event("python bound")]


def test_link_event_is_queued_before_navigation(tracking):
    """An <a href data-rtp-event> navigates, and its event was on rtp.q before the page unloaded."""
    tracking.evaluate("""() => addEventListener("pagehide", () =>
        sessionStorage.setItem("queue-at-unload", JSON.stringify(rtp.q.map(a => Array.from(a)))))""")
    tracking.click("#nav")
    expect(tracking).to_have_url(re.compile(r"/tests/pages/landing\.html$"))
    assert tracking.evaluate("() => JSON.parse(sessionStorage.getItem('queue-at-unload'))") == [event("go to landing")]


def test_debug_logs_every_call(page, interpreter):
    """<html data-rtp-debug> turns on debug: each rtp call rtp_py makes is logged."""
    debug_lines = []
    page.on("console", lambda m: "[rtp_py] rtp(" in m.text and debug_lines.append(m.text))
    page.goto(url(PAGE, interpreter, "debug"))
    wait_ready(page)
    page.click("#pair")
    assert debug_lines == ['[rtp_py] rtp("send", "event", {"value": ["MyEvent", "download - example whitepaper"]})']


def test_debug_switch_from_pyscript_toml(page, interpreter):
    """[rtp_py] debug = true in the page's PyScript config turns on debug logging."""
    config = "pyscript.mpy.toml" if interpreter == "mpy" else "pyscript.toml"
    toml = (ROOT / config).read_text() + "\n[rtp_py]\ndebug = true\n"
    serve_page("/" + config, toml, "application/toml")
    debug_lines = []
    page.on("console", lambda m: "[rtp_py] rtp(" in m.text and debug_lines.append(m.text))
    page.goto(url(PAGE, interpreter))
    wait_ready(page)
    page.click("#wp")
    assert debug_lines == ['[rtp_py] rtp("send", "event", {"value": "download - example whitepaper"})']


def test_debug_switch_from_python(tracking):
    """rtp_py.debug(True) logs calls; debug(False) stops it."""
    debug_lines = []
    tracking.on("console", lambda m: "[rtp_py] rtp(" in m.text and debug_lines.append(m.text))
    run_python(tracking, "import rtp_py\nrtp_py.debug(True)")
    tracking.click("#wp")
    run_python(tracking, "import rtp_py\nrtp_py.debug(False)")
    tracking.click("#wp")
    assert len(queued(tracking)) == 2
    assert debug_lines == ['[rtp_py] rtp("send", "event", {"value": "download - example whitepaper"})']

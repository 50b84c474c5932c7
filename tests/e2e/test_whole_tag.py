"""The whole RTP tag from Python: every call form, get_visitor's answer, error answer and timeout, and
personalisation in Python and in HTML, on both interpreters."""

import json
import re
import textwrap

import pytest
from playwright.sync_api import expect

from pagetools import LOADER, READY_TIMEOUT_MS, ROOT, queued, run_python, serve_page, url, wait_ready

PAGE = "/tests/pages/tracking.html"
ANSWER = {"status": 200, "results": {
    "matchedSegments": [{"name": "Whitepaper downloaders", "id": 4101}],
    "abm": [{"code": "T1", "name": "Tier one"}], "org": "Acme", "location": {"country": "FR", "city": "Paris",
                                                                              "state": "IDF"},
    "industries": ["Software"], "isp": "Orange"}}

# Like conftest's run_python, for a body that awaits: it runs as a task, its outcome lands on a marker.
_ASYNC_HARNESS = """\
import asyncio as _asyncio
import json as _json
from pyscript import document as _document
import rtp_py as _rtp_py

async def _body():
{body}

async def _main():
    try:
        _out = {{"ok": True, "result": await _body()}}
    except Exception as _error:
        _out = {{"ok": False, "type": type(_error).__name__, "message": str(_error),
                 "is_rtp_error": isinstance(_error, _rtp_py.RtpError)}}
    _document.getElementById("{marker}").setAttribute("data-result", _json.dumps(_out))

_asyncio.create_task(_main())
"""
_count = [0]


def run_python_async(page, body):
    """Run `body` (an async function body: `return` its result) in the page's Python; return the outcome."""
    _count[0] += 1
    marker = "py-async-%d" % _count[0]
    code = _ASYNC_HARNESS.format(body=textwrap.indent(textwrap.dedent(body).strip(), "    "), marker=marker)
    page.evaluate("""([marker, code]) => {
        const out = document.createElement("div"); out.id = marker; out.hidden = true;
        const script = document.createElement("script");
        script.type = document.querySelector('script[type="mpy"]') ? "mpy" : "py";
        script.textContent = code;
        document.body.append(out, script); }""", [marker, code])
    locator = page.locator("#" + marker)
    expect(locator).to_have_attribute("data-result", re.compile("."), timeout=READY_TIMEOUT_MS)
    return json.loads(locator.get_attribute("data-result"))


@pytest.fixture
def tracking(page, interpreter):
    page.goto(url(PAGE, interpreter))
    wait_ready(page)
    return page


def answer_visitor_with(page, answer):
    """Make the page's rtp answer `get visitor` with `answer` (after a task, as a network reply would)."""
    page.evaluate("""answer => { const stub = window.rtp;
        window.rtp = function (a, b, callback) {
            if (a === "get" && b === "visitor") { setTimeout(() => callback(answer), 5); return; }
            return stub.apply(this, arguments); };
        window.rtp.q = stub.q; }""", answer)


def test_every_call_form_reaches_rtp_as_plain_values(tracking):
    """Each wrapper makes exactly its documented rtp(...) call, with plain JS strings, arrays and objects."""
    outcome = run_python(tracking, """
        import rtp_py
        return [rtp_py.set_account("ACME-1"), rtp_py.set_custom_var(1, "gold"),
                rtp_py.redirect("org", ["Acme"], "/acme"),
                rtp_py.redirect("location.country", {"/fr": ["France", "Belgique"]}),
                rtp_py.send_view("/pricing"), rtp_py.send_view(), rtp_py.get_campaign(),
                rtp_py.set_recommendations({"title": "Read next", "count": 3}, "template1"),
                rtp_py.get_recommendations()]
    """)
    assert outcome == {"ok": True, "result": [True] * 9}
    assert queued(tracking) == [
        ["setAccount", "ACME-1"],
        ["set", "customVar1", "gold"],
        ["send", "redirect", "org", ["Acme"], "/acme"],
        ["send", "redirect", "location.country", {"/fr": ["France", "Belgique"]}],
        ["send", "view", "/pricing"],
        ["send", "view"],
        ["get", "campaign", True],
        ["set", "rcmd", "richmedia", "template1", {"title": "Read next", "count": 3}],
        ["get", "rcmd", "richmedia"],
    ]
    assert tracking.evaluate("""() => rtp.q.every(args => Array.from(args).every(a =>
        typeof a !== "object" || Array.isArray(a) || Object.getPrototypeOf(a) === Object.prototype))""")


def test_a_bad_argument_is_a_validation_error_and_nothing_is_sent(tracking):
    """set_custom_var with a name Marketo does not document is refused with a clear error; rtp gets nothing."""
    outcome = run_python(tracking, """
        import rtp_py
        rtp_py.set_custom_var("custom6", "gold")
    """)
    assert outcome["ok"] is False and outcome["type"] == "ValidationError" and outcome["field"] == "slot"
    assert queued(tracking) == []


def test_out_of_order_calls_are_warned_about(tracking):
    """A custom variable after the view call, and a recommendations get before its set, are warned about."""
    warnings = []
    tracking.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    run_python(tracking, """
        import rtp_py
        rtp_py.send_view()
        rtp_py.set_custom_var(2, "late")
        rtp_py.get_recommendations()
    """)
    assert len(queued(tracking)) == 3
    assert any("set_custom_var(2) after send_view()" in text for text in warnings)
    assert any("get_recommendations() before set_recommendations()" in text for text in warnings)


def test_user_context_ready_runs_the_python_callback(tracking):
    """on_user_context_ready hands rtp a JS function; when rtp calls it, the Python callback runs."""
    run_python(tracking, """
        import rtp_py
        from pyscript import document
        rtp_py.on_user_context_ready(lambda: document.body.setAttribute("data-context", "ready"))
    """)
    assert tracking.evaluate("() => [rtp.q[0][0], typeof rtp.q[0][1]]") == ["userContextReady", "function"]
    tracking.evaluate("() => rtp.q[0][1]()")
    expect(tracking.locator("body")).to_have_attribute("data-context", "ready")


def test_get_visitor_returns_the_documented_answer_as_a_visitor(tracking):
    """get_visitor awaits rtp's answer and gives a typed Visitor."""
    answer_visitor_with(tracking, ANSWER)
    outcome = run_python_async(tracking, """
        visitor = await _rtp_py.get_visitor(timeout=5)
        return [visitor.segment_names(), visitor.in_segment("Whitepaper downloaders"), visitor.org,
                visitor.location.city, visitor.industries, visitor.isp, [a.code for a in visitor.abm],
                visitor.segments[0].id]
    """)
    assert outcome == {"ok": True, "result": [["Whitepaper downloaders"], True, "Acme", "Paris", ["Software"],
                                              "Orange", ["T1"], 4101]}


def test_an_error_answer_raises_visitor_error(tracking):
    """rtp's error answer becomes a VisitorError carrying its message."""
    answer_visitor_with(tracking, {"status": 500, "error": "contact support"})
    outcome = run_python_async(tracking, "return await _rtp_py.get_visitor(timeout=5)")
    assert outcome["ok"] is False and outcome["type"] == "VisitorError" and outcome["is_rtp_error"]
    assert "contact support" in outcome["message"]


# Answers no JSON can hold, as a broken or hostile tag might give them (each a JS expression).
UNREADABLE = {
    "cyclic": "(() => { const a = {status: 200, results: {}}; a.results.self = a; return a; })()",
    "deep": "(() => { let a = {}; const top = a; for (let i = 0; i < 100; i++) { a.x = {}; a = a.x; } "
            "return {status: 200, results: top}; })()",
    "throwing getter": "({status: 200, get results() { throw new Error('no results for you'); }})",
    "revoked proxy": "(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()",
    "bigint": "({status: 200, results: {org: 10n}})",
    "window": "window",
}


def test_an_answer_that_cannot_be_read_is_a_visitor_error_at_once(tracking):
    """Each answer no JSON can hold is a VisitorError at once, with the reason, on both interpreters; nothing
    is thrown back into the tag (no page error)."""
    tracking.evaluate("""() => { const stub = window.rtp;
        window.rtp = function (a, b, callback) {
            if (a === "get" && b === "visitor") { callback((0, eval)(window.nextAnswer)); return; }
            return stub.apply(this, arguments); };
        window.rtp.q = stub.q; }""")
    for kind in sorted(UNREADABLE):
        tracking.evaluate("source => { window.nextAnswer = source; }", UNREADABLE[kind])
        outcome = run_python_async(tracking, """
            from pyscript import window
            started = window.performance.now()
            try:
                await _rtp_py.get_visitor(timeout=30)
            except _rtp_py.VisitorError as error:
                return [type(error).__name__, str(error), window.performance.now() - started]
        """)
        kind_name, message, waited_ms = outcome["result"]
        assert kind_name == "VisitorError" and "rtp's answer could not be read" in message, (kind, outcome)
        assert waited_ms < 5000, kind  # at once: not the 30 s timeout


def test_no_callback_stays_alive_after_1000_get_visitor_calls(tracking):
    """Each get_visitor's callback is let go of after its answer or its timeout: after 1,000 calls (answered,
    timed out, and answered twice), no relayed callback is alive, and a late answer reaches nothing."""
    tracking.evaluate("""() => { const stub = window.rtp; let n = 0; window.lateAnswers = [];
        window.rtp = function (a, b, callback) {
            if (a === "get" && b === "visitor") {
                n++;
                if (n % 10 === 0) { window.lateAnswers.push(callback); return; }  // no answer: a timeout
                callback({status: 200, results: {}}); callback({status: 200, results: {}}); return;
            }
            return stub.apply(this, arguments); };
        window.rtp.q = stub.q; }""")
    before = tracking.evaluate("() => window.rtpPy.relays || 0")
    outcome = run_python_async(tracking, """
        answered = timeouts = 0
        for _ in range(1000):
            try:
                await _rtp_py.get_visitor(timeout=0.001)
                answered += 1
            except _rtp_py.VisitorTimeout:
                timeouts += 1
        return [answered, timeouts]
    """)
    assert outcome == {"ok": True, "result": [900, 100]}
    assert tracking.evaluate("() => window.rtpPy.relays") == before
    tracking.evaluate("() => window.lateAnswers.forEach(callback => callback({status: 200, results: {}}))")


def test_no_answer_raises_visitor_timeout(tracking):
    """With rtp.js never loading (the stub only queues), get_visitor gives up after its timeout."""
    outcome = run_python_async(tracking, "return await _rtp_py.get_visitor(timeout=0.3)")
    assert outcome["ok"] is False and outcome["type"] == "VisitorTimeout" and outcome["is_rtp_error"]
    assert tracking.evaluate("() => [rtp.q.length, rtp.q[0][0], rtp.q[0][1]]") == [1, "get", "visitor"]


# Personalisation: a page of our own with the tag stub, both snippets from the package, and blocks.
PERSONAL_PAGE = """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.rtp = window.rtp || function () { (rtp.q = rtp.q || []).push(arguments); };
{answer_js}</script>
<script>{capture}</script>
<script>{segments}</script>
<script type="module" src="/vendor/pyscript/core.js"></script>{loader}</head><body>
<section id="hero">
  <div id="offer" data-rtp-segment="Whitepaper downloaders">Part two is out</div>
  <div id="other" data-rtp-segment="Pricing visitors">Talk to sales</div>
  <div id="default" data-rtp-segment-default>Download the whitepaper</div>
</section>
<p id="py-block">everyone</p>
<script type="{type}" config="{config}">
from pyscript import document
from rtp_py import start, when_segment

@when_segment("Whitepaper downloaders")
def follow_up(visitor):
    document.getElementById("py-block").textContent = "for " + visitor.segments[0].name

start()
</script></body></html>"""

ANSWER_JS = """var rtpAnswer = %s;
var stubbed = window.rtp;
window.rtp = function (a, b, callback) {
  if (a === "get" && b === "visitor") { setTimeout(function () { callback(rtpAnswer); }, 5); return; }
  return stubbed.apply(this, arguments); };
window.rtp.q = stubbed.q || [];"""


def personal_page(interpreter, answer, snippet=True):
    body = PERSONAL_PAGE if snippet else PERSONAL_PAGE.replace("<script>{segments}</script>", "")
    for name, text in [("{answer_js}", ANSWER_JS % json.dumps(answer)),
                       ("{capture}", (ROOT / "rtp_py/capture.js").read_text()),
                       ("{segments}", (ROOT / "rtp_py/segments.js").read_text()), ("{type}", interpreter),
                       ("{config}", "/pyscript.mpy.toml" if interpreter == "mpy" else "/pyscript.toml"),
                       ("{loader}", LOADER)]:
        body = body.replace(name, text)
    return serve_page("/personal.html", body)


def test_blocks_and_python_follow_the_visitors_segments(page, interpreter):
    """Before the answer, blocks are hidden and the default shows; after it, the visitor's block and the
    Python handler; other segments' blocks stay hidden."""
    path = personal_page(interpreter, ANSWER)
    held = []
    page.route("**/pyscript*.toml", lambda route: held.append(route))  # Python waits while we look
    with page.expect_request("**/pyscript*.toml"):  # held: counted below
        page.goto(path, wait_until="domcontentloaded")
    expect(page.locator("#default")).to_be_visible()
    expect(page.locator("#offer")).to_be_hidden()
    expect(page.locator("#other")).to_be_hidden()
    assert len(held) == 1
    held[0].fallback()
    expect(page.locator("#offer")).to_be_visible(timeout=READY_TIMEOUT_MS)
    expect(page.locator("#default")).to_be_hidden()
    expect(page.locator("#other")).to_be_hidden()
    expect(page.locator("#py-block")).to_have_text("for Whitepaper downloaders")


def test_a_known_visitor_sees_their_content_from_the_first_paint(page, interpreter):
    """On the next page of the session, the known visitor's block shows before Python starts."""
    path = personal_page(interpreter, ANSWER)
    page.goto(path)
    expect(page.locator("#py-block")).to_have_text("for Whitepaper downloaders", timeout=READY_TIMEOUT_MS)
    held = []
    page.route("**/pyscript*.toml", lambda route: held.append(route))  # Python cannot start on the next load
    with page.expect_request("**/pyscript*.toml"):  # held: counted below
        page.reload(wait_until="domcontentloaded")
    assert page.evaluate("() => getComputedStyle(document.querySelector('#offer')).display") != "none"
    assert page.evaluate("() => getComputedStyle(document.querySelector('#default')).display") == "none"
    expect(page.locator("html")).not_to_have_class(re.compile("rtp-ready"))
    assert len(held) == 1


def test_a_visitor_in_no_segment_sees_the_defaults(page, interpreter):
    """With no matched segment, every block stays hidden and the defaults show; no handler runs."""
    answer = {"status": 200, "results": {"abm": [], "org": "", "industries": [], "isp": "",
                                         "location": {"country": "", "city": "", "state": ""}}}
    path = personal_page(interpreter, answer)
    page.goto(path)
    wait_ready(page)
    page.wait_for_function("() => sessionStorage.getItem('rtp_py:visitor') !== null", timeout=READY_TIMEOUT_MS)
    expect(page.locator("#default")).to_be_visible()
    expect(page.locator("#offer")).to_be_hidden()
    expect(page.locator("#py-block")).to_have_text("everyone")


def test_without_the_head_snippet_rtp_py_brings_its_own_rule(page, interpreter):
    """A page that did not paste segments.js is still personalised: rtp_py runs the snippet from its wheel."""
    path = personal_page(interpreter, ANSWER, snippet=False)
    page.goto(path)
    # Every block shows until rtp_py brings the rule (no snippet in <head>): wait for the rule, then the answer.
    expect(page.locator("#other")).to_be_hidden(timeout=READY_TIMEOUT_MS)
    expect(page.locator("#offer")).to_be_visible(timeout=READY_TIMEOUT_MS)
    expect(page.locator("#default")).to_be_hidden()
    assert page.evaluate("() => document.querySelectorAll('#rtp-py-segments').length") == 1


def test_check_pattern_gives_the_same_answers_in_the_page(tracking):
    """check_pattern runs in the page's Python (no rtp.js) with the same answers as in CPython."""
    from rtp_py import check_pattern

    cases = [["download - example whitepaper", "download%"], ["download - example whitepaper", "%paper"],
             ["download - example whitepaper", "%example%"], ["download - example whitepaper", "Download%"],
             ["télécharger – le guide", "%guide"], ["abc", "a%c%b"], ["", "%"], ["x", ""]]
    outcome = run_python(tracking, """
        from rtp_py import check_pattern
        return [check_pattern(text, pattern) for text, pattern in %r]
    """ % cases)
    assert outcome == {"ok": True, "result": [check_pattern(text, pattern) for text, pattern in cases]}
    assert outcome["result"] == [True, True, True, False, True, False, True, False]

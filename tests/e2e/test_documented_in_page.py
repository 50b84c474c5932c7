"""Marketo's documented examples, in the page, on both interpreters: every call as the README writes it in
Python reaches rtp with exactly the documented arguments (at the top level of a script, `await` included);
every documented answer drives when_segment, data-rtp-segment blocks and the next page's known visitor;
every checkPattern example gives its verdict; every snippet form puts the tag in as its snippet does."""

import json
import re
import textwrap

import pytest
from playwright.sync_api import expect

from pagetools import LOADER, READY_TIMEOUT_MS, ROOT, run_python, serve_page, url, wait_ready
from documented import examples, js_call, strictly_equal, table

EXAMPLES = examples()
ANSWERS = {name: answer for name, answer in EXAMPLES["answers"].items() if isinstance(answer, dict)}
WITH_MATCH = ANSWERS["get visitor, with a segment match"]
CONFIGS = {"py": "/pyscript.toml", "mpy": "/pyscript.mpy.toml"}


def page_with(path, head, script, interpreter, body=""):
    """Serve a page at `path` with `head` in its <head>, `body`, and `script` as its one Python script."""
    html = ('<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">%s'
            '<script type="module" src="/vendor/pyscript/core.js"></script>%s</head><body>%s'
            '<script type="%s" config="%s">\n%s\n</script></body></html>'
            % (head, LOADER, body, interpreter, CONFIGS[interpreter], script))
    return serve_page(path, html)


def documented_args(args):
    """The documented call as the recorder writes what rtp received: a function as {"function": true}."""
    return [{"function": True} if isinstance(arg, dict) and set(arg) == {"function"} else arg for arg in args]


def test_every_documented_call_reaches_rtp_exactly_as_documented(page, interpreter):
    """Each README line, run at the top level of a page's script, makes exactly Marketo's call: the same
    arguments, order and types, nothing added; and each checkPattern example gives its verdict."""
    rows = table("calls")
    calls = [call["args"] for call in EXAMPLES["calls"]]
    lines = [next(row[1] for row in rows if row[0] == js_call(args)) for args in calls]
    steps = "".join(textwrap.dedent("""
        try:
            %s
            _outcomes.append("ok")
        except Exception as _error:
            _outcomes.append(type(_error).__name__ + ": " + str(_error))
        window.recorded.push("--")
        """) % line for line in lines)
    script = textwrap.dedent("""
        import json
        from pyscript import document, window
        from rtp_py import *

        def callback():
            pass

        _outcomes = []
        """) + steps + textwrap.dedent("""
        _outcomes.append([visitor.segments[0].id, visitor.abm[0].code, visitor.isp])
        _outcomes.append([check_pattern(case["text"], case["pattern"]) for case in json.loads(%r)])
        document.body.setAttribute("data-outcomes", json.dumps(_outcomes))
        """) % json.dumps(EXAMPLES["check_pattern"])
    head = ('<script src="/tests/pages/recorder.js"></script><script>window.rtpAnswer = %s;</script>'
            % json.dumps(WITH_MATCH))
    page.goto(page_with("/documented-calls.html", head, script, interpreter))
    expect(page.locator("body")).to_have_attribute("data-outcomes", re.compile("."), timeout=READY_TIMEOUT_MS)
    outcomes = json.loads(page.locator("body").get_attribute("data-outcomes"))
    assert outcomes[:len(lines)] == ["ok"] * len(lines), list(zip(lines, outcomes, strict=False))
    assert strictly_equal(outcomes[len(lines)], [177, 4, False])
    assert outcomes[-1] == [case["matches"] for case in EXAMPLES["check_pattern"]]
    recorded = page.evaluate("() => recorded")
    made, current = [], []
    for entry in recorded:
        if entry == "--":
            made.append(current)
            current = []
        else:
            current.append(entry)
    for args, line, got in zip(calls, lines, made, strict=True):
        assert len(got) == 1 and strictly_equal(got[0], documented_args(args)), (line, got)


# A page personalised by segment "first click", the segment of Marketo's example answer.
SEGMENT_BLOCKS = """<section id="hero">
  <div id="first" data-rtp-segment="first click">For first clickers</div>
  <div id="default" data-rtp-segment-default>For everyone</div>
</section><p id="handler">not run</p><p id="read"></p>"""

PERSONAL_SCRIPT = """
import json
from pyscript import document
from rtp_py import start, when_segment, when_visitor

@when_segment("first click")
def first(visitor):
    document.getElementById("handler").textContent = "ran for " + visitor.segments[0].name

@when_visitor
def read(visitor):
    where = visitor.location
    document.getElementById("read").textContent = json.dumps({
        "matchedSegments": [{"name": s.name, "id": s.id} for s in visitor.segments],
        "abm": [{"code": a.code, "name": a.name} for a in visitor.abm], "org": visitor.org,
        "location": {"country": where.country, "city": where.city, "state": where.state},
        "industries": visitor.industries, "isp": visitor.isp})

start()
"""


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_each_documented_answer_drives_personalisation(page, interpreter, name):
    """Marketo's example answers, as the tag gives them (numeric ids and codes, isp false), are read with
    every value and type kept, show the matching block (or the default), run the segment's handler, and are
    known on the next page of the session before Python starts."""
    answer = ANSWERS[name]
    head = ('<script src="/tests/pages/recorder.js"></script><script>window.rtpAnswer = %s;</script><script>%s'
            '</script>' % (json.dumps(answer), (ROOT / "rtp_py/segments.js").read_text()))
    path = page_with("/personal-documented.html", head, PERSONAL_SCRIPT, interpreter, SEGMENT_BLOCKS)
    page.goto(path)
    wait_ready(page)
    expect(page.locator("#read")).not_to_be_empty(timeout=READY_TIMEOUT_MS)
    read = json.loads(page.locator("#read").text_content())
    expected = dict(answer["results"], matchedSegments=answer["results"].get("matchedSegments", []))
    assert strictly_equal(read, expected)
    matched = "matchedSegments" in answer["results"]
    if matched:
        expect(page.locator("#first")).to_be_visible()
        expect(page.locator("#default")).to_be_hidden()
        expect(page.locator("#handler")).to_have_text("ran for first click")
    else:
        expect(page.locator("#first")).to_be_hidden()
        expect(page.locator("#default")).to_be_visible()
        expect(page.locator("#handler")).to_have_text("not run")
    page.wait_for_function("() => sessionStorage.getItem('rtp_py:visitor') !== null")
    held = []
    page.route("**/pyscript*.toml", lambda route: held.append(route))  # Python cannot start on the next load
    with page.expect_request("**/pyscript*.toml"):  # held: counted below
        page.reload(wait_until="domcontentloaded")
    shown = page.evaluate("() => getComputedStyle(document.querySelector('#first')).display") != "none"
    assert shown is matched
    assert (page.evaluate("() => getComputedStyle(document.querySelector('#default')).display") == "none") is matched
    assert len(held) == 1


def local_line(line, base_url):
    """A README insert_tag line with its placeholders filled for this test: every rtp.js URL is the test's
    stand-in (scheme-relative where the snippet's is), the pod a local path, the account a documented one."""
    host = base_url.split("://", 1)[1]

    def script_url(match):
        literal = match.group(1)
        if literal in ("[pod-url]",):
            return '"/tests/pod"'
        if literal == "[accountId]":
            return '"561-HYG-937"'
        return '"%s/tests/pages/rtp-loaded.js"' % ("//" + host if literal.startswith("//") else "")
    return re.sub(r'"([^"]*)"', lambda match: script_url(match) if "[" in match.group(1) else match.group(0), line)


RESET_TAG_JS = """() => { delete window.rtp; delete window.rtpLoadedFrom; window.rtpPy.tagInserted = false;
    document.querySelectorAll('script[src*="rtp-loaded.js"]').forEach(s => s.remove()); }"""


def test_each_snippet_form_inserts_the_tag_as_its_snippet_does(page, base_url, interpreter):
    """For each of Marketo's snippet forms, the README's insert_tag line loads rtp.js from the URL the snippet
    builds (with ?rh=<host>&aid=<account>, ?aid=<account>, or as given), sets rtp.a (and rtp.p only with a
    pod), and inserts the async script before the page's first script; for Googlebot, the guarded form
    inserts nothing."""
    rows = {row[0]: row[3] for row in table("snippets")}
    page.goto(url("/tests/pages/tracking.html", interpreter))
    wait_ready(page)
    origin = base_url
    for snippet in EXAMPLES["snippets"]:
        page.evaluate(RESET_TAG_JS)
        outcome = run_python(page, "import rtp_py\nreturn " + local_line(rows[snippet["form"]], base_url)
                             .replace("insert_tag(", "rtp_py.insert_tag("))
        assert outcome == {"ok": True, "result": True}, snippet["form"]
        query = {"pod": "", "no pod, query built at run time": "?rh=127.0.0.1&aid=561-HYG-937",
                 "no pod, account only": "?aid=561-HYG-937"}[snippet["form"]]
        page.wait_for_function("() => window.rtpLoadedFrom !== undefined")
        assert page.evaluate("() => window.rtpLoadedFrom") == origin + "/tests/pages/rtp-loaded.js" + query
        assert page.evaluate("() => [rtp.a, rtp.p, rtp.e, typeof rtp.q]") == [
            "561-HYG-937", "/tests/pod" if "p" in snippet["sets"] else None, None, "undefined"]
        assert page.evaluate("""() => { const s = document.getElementsByTagName('script')[0];
            return [s.src.includes('rtp-loaded.js'), s.async]; }""") == [True, True]
    guarded = next(snippet for snippet in EXAMPLES["snippets"] if "guard" in snippet)
    page.evaluate(RESET_TAG_JS)
    page.evaluate("""() => Object.defineProperty(navigator, 'userAgent',
        {get: () => 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'})""")
    outcome = run_python(page, "import rtp_py\nreturn " + local_line(rows[guarded["form"]], base_url)
                         .replace("insert_tag(", "rtp_py.insert_tag("))
    assert outcome == {"ok": True, "result": False}
    assert page.evaluate("() => [typeof window.rtp, document.querySelectorAll('script[src*=\"rtp-loaded\"]').length]") \
        == ["undefined", 0]

"""index.html: the seed's whitepaper button, tracked from Python on Pyodide, in Debian's Chromium."""

import re

from playwright.sync_api import expect

from pagetools import queued, run_python
from support import WHITEPAPER



def test_page_becomes_ready(ready_page):
    """index.html loads PyScript and Pyodide from our origin and signals tracking is live."""
    expect(ready_page.locator("#status")).to_be_visible()
    assert ready_page.evaluate("() => getComputedStyle(document.querySelector('#status'), '::after').content") \
        == '"tracking is live"'


def test_pyodide_compiles_no_standard_library_module_while_starting(ready_page, interpreter):
    """Pyodide's standard library is served with what a page imports while starting compiled
    (scripts/pyc_stdlib.py): once rtp_py is ready, every module Python read from the archive was bytecode.
    MicroPython's standard library is frozen into its wasm: no files to compile."""
    outcome = run_python(ready_page, """
        import json, sys
        from_source = sorted(module.__name__ for module in list(sys.modules.values())
                             if type(getattr(module, "__loader__", None)).__name__ == "zipimporter"
                             and module.__file__.endswith(".py"))
        return [sys.implementation.name, getattr(json, "__file__", None), from_source]
    """)
    assert outcome["ok"], outcome
    name, json_file, from_source = outcome["result"]
    if interpreter == "py":
        assert name == "cpython" and re.fullmatch(r"/lib/python3\d+\.zip/json/__init__\.pyc", json_file), json_file
        assert from_source == [], "compiled while starting: add them to scripts/pyc_stdlib.py's STARTUP_EXTRA"
    else:
        assert [name, json_file, from_source] == ["micropython", None, []]


def test_click_queues_exactly_the_seed_payload_as_a_plain_object(ready_page):
    """One click puts exactly ["send", "event", {value: ...}] on rtp.q, as a plain Object."""
    assert queued(ready_page) == []
    ready_page.click("#download-whitepaper")
    expect(ready_page.locator("#sent li")).to_have_count(1)
    assert queued(ready_page) == [["send", "event", {"value": WHITEPAPER}]]
    assert ready_page.evaluate("() => Object.getPrototypeOf(rtp.q[0][2]) === Object.prototype")
    assert ready_page.evaluate("() => Object.keys(rtp.q[0][2])") == ["value"]
    expect(ready_page.locator("#sent li")).to_have_text(
        'rtp("send", "event", {"value":"download - example whitepaper"})')


def test_each_click_sends_again(ready_page):
    """Three clicks are three calls: the binding stays alive after the first."""
    for _ in range(3):
        ready_page.click("#download-whitepaper")
    expect(ready_page.locator("#sent li")).to_have_count(3)
    assert queued(ready_page) == [["send", "event", {"value": WHITEPAPER}]] * 3


def test_nine_values_from_python_make_three_calls(ready_page):
    """send_event with 9 values in the page yields calls of 4, 4 and 1 real Arrays, in order."""
    outcome = run_python(ready_page, """
        from rtp_py import send_event
        return send_event(["v%d" % i for i in range(9)])
    """)
    values = ["v%d" % i for i in range(9)]
    assert outcome == {"ok": True, "result": [values[0:4], values[4:8], values[8:]]}
    assert queued(ready_page) == [["send", "event", {"value": chunk}] for chunk in outcome["result"]]
    assert ready_page.evaluate("() => rtp.q.every(a => Array.isArray(a[2].value))")


def test_bad_value_raises_in_the_page_and_nothing_reaches_rtp(ready_page, interpreter):
    """A non-string in the list raises ValidationError naming value[5]; rtp is never called."""
    outcome = run_python(ready_page, """
        from rtp_py import send_event
        send_event(["a", "b", "c", "d", "e", 6])
    """)
    assert outcome["ok"] is False
    assert outcome["type"] == "ValidationError"
    assert outcome["field"] == "value[5]"
    assert outcome["message"] == "value[5]: expected str, got int"
    assert outcome["is_rtp_error"]
    # MicroPython cannot give a class two built-in exception bases: there ValidationError is not a
    # ValueError (documented in rtp_py.errors and the README).
    assert outcome["is_value_error"] is (interpreter == "py")
    assert queued(ready_page) == []


def test_dict_with_extra_key_is_rejected_in_the_page(ready_page):
    """The JS shape with a key other than value is refused, naming that key."""
    outcome = run_python(ready_page, """
        from rtp_py import send_event
        send_event({"value": "MyEvent", "label": "x"})
    """)
    assert (outcome["type"], outcome["field"]) == ("ValidationError", "label")
    assert queued(ready_page) == []


def test_unicode_values_arrive_unchanged(ready_page):
    """Accented and non-Latin values reach rtp exactly as written."""
    values = ["Télécharger le livre blanc", "Ladda ner vitboken – åäö", "ホワイトペーパー", "😀 emoji"]
    outcome = run_python(ready_page, """
        from rtp_py import send_event
        return send_event(%r)
    """ % (values,))
    assert outcome["ok"]
    assert queued(ready_page) == [["send", "event", {"value": values}]]


def test_on_click_bad_value_binds_nothing(ready_page):
    """on_click with an invalid value raises before binding: a click sends only the page's own event."""
    outcome = run_python(ready_page, """
        from rtp_py import on_click
        on_click("#download-whitepaper", ["ok", None])
    """)
    assert (outcome["type"], outcome["field"]) == ("ValidationError", "value[1]")
    ready_page.click("#download-whitepaper")
    expect(ready_page.locator("#sent li")).to_have_count(1)
    assert queued(ready_page) == [["send", "event", {"value": WHITEPAPER}]]


def test_on_click_invalid_selector_is_a_validation_error(ready_page):
    """A malformed CSS selector is reported as a ValidationError on the selector field."""
    outcome = run_python(ready_page, """
        from rtp_py import on_click
        on_click("#download-whitepaper[", "MyEvent")
    """)
    assert (outcome["type"], outcome["field"]) == ("ValidationError", "selector")
    assert "not a valid CSS selector" in outcome["message"]


def test_on_click_decorator_runs_after_send_and_once_unbinds(ready_page):
    """As a decorator with once=True: first click sends and runs the function with the DOM event; later
    clicks do nothing."""
    outcome = run_python(ready_page, """
        from pyscript import document, window
        from rtp_py import on_click

        button = document.createElement("button")
        button.id = "extra"
        button.textContent = "Extra"
        document.body.append(button)

        @on_click("#extra", ["MyEvent", "extra clicked"], once=True)
        def clicked(event):
            # the event is already on the queue when the function runs
            window.document.body.setAttribute("data-seen", str(event.type) + ":" + str(window.rtp.q.length))
        return clicked.__name__
    """)
    assert outcome == {"ok": True, "result": "clicked"}
    ready_page.click("#extra")
    expect(ready_page.locator("body")).to_have_attribute("data-seen", "click:1")
    ready_page.click("#extra")
    ready_page.click("#download-whitepaper")  # a later call proves the second #extra click was processed
    expect(ready_page.locator("#sent li")).to_have_count(2)
    assert queued(ready_page) == [
        ["send", "event", {"value": ["MyEvent", "extra clicked"]}],
        ["send", "event", {"value": WHITEPAPER}],
    ]


def test_unbind_stops_sending(ready_page):
    """Binding.unbind() removes the listener: clicks after it send nothing more."""
    run_python(ready_page, """
        global second  # PyScript's scripts share one global namespace per interpreter
        from rtp_py import on_click
        second = on_click("#download-whitepaper", "second binding")
    """)
    ready_page.click("#download-whitepaper")
    expect(ready_page.locator("#sent li")).to_have_count(2)
    outcome = run_python(ready_page, """
        global second
        second.unbind()
        return second.bound
    """)
    assert outcome == {"ok": True, "result": False}
    ready_page.click("#download-whitepaper")
    expect(ready_page.locator("#sent li")).to_have_count(3)
    values = [call[2]["value"] for call in queued(ready_page)]
    assert sorted(values[:2]) == sorted([WHITEPAPER, "second binding"])
    assert values[2] == WHITEPAPER


def test_offline_guard_catches_a_cdn_request(page, page_guard, base_url):
    """Negative control: a PyScript page without a local interpreter asks a CDN, and the guard blocks it."""
    page.route(base_url + "/cdn-default.html", lambda route: route.fulfill(
        content_type="text/html",
        body='<!doctype html><link rel="icon" href="data:,">'
             '<script type="module" src="/vendor/pyscript/core.js"></script>'
             '<script type="py">print(1)</script>'))
    page_guard.allow(".")  # PyScript reports the blocked download as an error: expected here
    with page.expect_event("requestfailed", lambda request: "127.0.0.1" not in request.url,
                           timeout=30_000) as failed:
        page.goto("/cdn-default.html")
    assert failed.value.url in page_guard.external
    assert failed.value.failure.startswith("net::ERR_TUNNEL_CONNECTION_FAILED")  # the offline proxy refused it
    page_guard.external.clear()  # seen and blocked: this test passes

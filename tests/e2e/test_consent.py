"""Consent end to end, on both interpreters: each platform's fake (its documented API and nothing more)
decides; a recorder in place of `rtp` proves that no call reaches the tag before the grant, and a request
log proves that rtp.js is not even requested before it."""

import json
import re

import pytest
from playwright.sync_api import expect

from pagetools import LOADER, READY_TIMEOUT_MS, ROOT, run_python, serve_page, wait_ready
from support import WHITEPAPER

PAGE = """<!doctype html>
<html lang="en"{html}>
<head>
  <meta charset="utf-8"><link rel="icon" href="data:,"><title>consent</title>
  {platform}
  <script>{recorder}</script>
  <script>{capture}</script>
  <script>
    window.announced = [];
    ["held", "released", "not-sent", "consent"].forEach(function (name) {
      document.addEventListener("rtp-py:" + name, function (e) { announced.push([name, e.detail]); });
    });
  </script>
  <link rel="stylesheet" href="/vendor/pyscript/core.css">
  <script type="module" src="/vendor/pyscript/core.js"></script>
  {loader}
</head>
<body>
  <button id="wp" data-rtp-event="download - example whitepaper">Whitepaper</button>
  <script type="{type}" config="/consent-{type}.toml">
from pyscript import document
from rtp_py import consent, follow_consent, send_event, send_view, start
{setup}
start()
send_view("/consent")
send_event(["a", "b", "c", "d", "e"])
document.documentElement.setAttribute("data-sent", consent())
  </script>
</body>
</html>"""

RECORDER = ("window.recorded = []; window.rtp = function () { "
            "recorded.push(JSON.parse(JSON.stringify(Array.prototype.slice.call(arguments)))); };")
SENT = [["send", "view", "/consent"], ["send", "event", {"value": ["a", "b", "c", "d"]}],
        ["send", "event", {"value": ["e"]}], ["send", "event", {"value": WHITEPAPER}]]

# platform -> (the Python line or config that switches it on, the visitor accepting, the visitor refusing)
PLATFORMS = {
    "tcf": ('follow_consent("tcf")', "fakeTcf.choose([1, 5, 6])", "fakeTcf.choose([1])"),
    "consent-mode": ('follow_consent("consent-mode")',
                     'gtag("consent", "update", {ad_storage: "granted", ad_personalization: "granted"})',
                     'gtag("consent", "update", {ad_storage: "denied", ad_personalization: "denied"})'),
    "onetrust": ('consent_from = "onetrust"', 'fakeOneTrust.choose(["C0002", "C0004"])',
                 'fakeOneTrust.choose(["C0002"])'),
    "cookiebot": ('follow_consent("cookiebot", category="marketing")', "fakeCookiebot.choose(true)",
                  "fakeCookiebot.choose(false)"),
}


# A tag manager's way: the platform's script is added to the page one second after its load event, and
# after rtp_py started (Python may start after the load event), so rtp_py has to wait for it.
LATE_LOADER = """window.addEventListener("load", function () {
  var html = document.documentElement;
  function inject() { setTimeout(function () {
    var script = document.createElement("script"); script.src = "/tests/pages/consent/%s.js";
    document.head.appendChild(script); }, 1000); }
  if (html.classList.contains("rtp-ready")) return inject();
  new MutationObserver(function (changes, observer) {
    if (html.classList.contains("rtp-ready")) { observer.disconnect(); inject(); }
  }).observe(html, {attributes: true, attributeFilter: ["class"]});
});"""


def consent_page(interpreter, setup="", config="", platform=None, html="", recorder=True,
                 hostile=None, late=None):
    """Serve a page (and its PyScript config, with `config` under [rtp_py]) and return its path. `platform`
    names a fake in tests/pages/consent/, inline in <head>; `late` names one added 1 s after the load event;
    `hostile` is a platform's script written here instead."""
    script = "<script>%s</script>" % hostile if hostile is not None else ""
    if platform is not None:
        script = "<script>%s</script>" % (ROOT / "tests/pages/consent" / (platform + ".js")).read_text()
    if late is not None:
        script = "<script>%s</script>" % (LATE_LOADER % late)
    body = PAGE
    for name, text in [("{html}", html), ("{platform}", script), ("{recorder}", RECORDER if recorder else ""),
                       ("{capture}", (ROOT / "rtp_py/capture.js").read_text()), ("{type}", interpreter),
                       ("{setup}", setup), ("{loader}", LOADER)]:
        body = body.replace(name, text)
    toml = (ROOT / ("pyscript.mpy.toml" if interpreter == "mpy" else "pyscript.toml")).read_text()
    serve_page("/consent-%s.toml" % interpreter, toml + "\n[rtp_py]\n" + config + "\n", "text/plain")
    return serve_page("/consent.html", body)


def open_consent_page(page, interpreter, **options):
    page.goto(consent_page(interpreter, **options))
    expect(page.locator("html")).to_have_attribute("data-sent", re.compile("."), timeout=READY_TIMEOUT_MS)
    wait_ready(page)
    return page.locator("html").get_attribute("data-sent")


def announced(page, name, kind=None):
    return page.evaluate("([name, kind]) => announced.filter(a => a[0] === name && (!kind || a[1].kind === kind))"
                         ".map(a => a[1])", [name, kind])


def wait_announced(page, name, count, kind=None):
    page.wait_for_function("([name, kind, count]) => announced.filter(a => a[0] === name && "
                           "(!kind || a[1].kind === kind)).length >= count", arg=[name, kind, count])
    assert len(announced(page, name, kind)) == count


def recorded(page):
    return page.evaluate("() => recorded")


def stored_keys(page):
    return page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('rtp_py:'))")


def setup_of(platform):
    line = PLATFORMS[platform][0]
    return ("", line) if "=" in line and "(" not in line else (line, "")


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_a_platform_holds_everything_until_the_grant_then_follows_a_withdrawal(page, interpreter, platform):
    setup, config = setup_of(platform)
    assert open_consent_page(page, interpreter, setup=setup, config=config, platform=platform) == "pending"
    page.click("#wp")
    wait_announced(page, "held", 3)  # the view, the five-value event, the click
    assert recorded(page) == []
    wait_announced(page, "consent", 1)  # the real starting state first: nobody chose yet
    assert announced(page, "consent") == [{"state": "pending", "previous": None}]
    page.evaluate(PLATFORMS[platform][1])
    page.wait_for_function("n => recorded.length >= n", arg=len(SENT))
    assert recorded(page) == SENT
    assert len(announced(page, "released")) == 3

    page.evaluate(PLATFORMS[platform][2])  # the visitor changes their mind
    page.wait_for_function("() => rtpPy.consent === 'denied'")
    page.click("#wp")
    wait_announced(page, "not-sent", 1, kind="consent")
    assert recorded(page) == SENT
    assert stored_keys(page) == []


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_a_refusal_drops_everything_and_a_later_grant_sends_none_of_it(page, interpreter, platform):
    setup, config = setup_of(platform)
    open_consent_page(page, interpreter, setup=setup, config=config, platform=platform)
    page.evaluate(PLATFORMS[platform][2])
    wait_announced(page, "not-sent", 2, kind="consent")
    page.click("#wp")
    wait_announced(page, "not-sent", 3, kind="consent")
    dropped = announced(page, "not-sent", "consent")
    assert [d.get("call") or d["value"] for d in dropped] == [["send", "view", "/consent"],
                                                               ["a", "b", "c", "d", "e"], WHITEPAPER]
    assert recorded(page) == [] and stored_keys(page) == []
    outcome = run_python(page, """
        from rtp_py import consent, send_event
        consent("granted")
        return send_event("after the grant")
    """)
    assert outcome == {"ok": True, "result": ["after the grant"]}
    assert recorded(page) == [["send", "event", {"value": "after the grant"}]]


def test_the_tag_is_inserted_and_rtp_js_requested_only_after_the_grant(page, base_url, interpreter):
    """With [rtp_py.tag], rtp_py inserts the tag itself: before the grant there is no `rtp` and no request
    for rtp.js (here the demo's stand-in); after it, rtp.js drains the held calls in order."""
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "rtp-standin" in request.url else None)
    config = ('consent = "pending"\n[rtp_py.tag]\nsrc = "/demo/rtp-standin.js"\npod = "/demo/pod"\n'
              'account = "LUMEN-TEST"')
    assert open_consent_page(page, interpreter, config=config, recorder=False) == "pending"
    page.click("#wp")
    wait_announced(page, "held", 3)
    assert page.evaluate("() => typeof window.rtp") == "undefined"
    assert requests == []
    assert run_python(page, 'from rtp_py import consent\nreturn consent("granted")') == {"ok": True,
                                                                                         "result": "granted"}
    page.wait_for_function("n => window.rtpStandin && rtpStandin.log.length >= n", arg=len(SENT),
                           timeout=READY_TIMEOUT_MS)
    log = page.evaluate("() => rtpStandin.log.map(e => ({args: e.args, ok: e.ok}))")
    assert log == [{"args": args, "ok": True} for args in SENT]
    assert requests == [base_url + "/demo/rtp-standin.js"]
    assert page.evaluate("() => [rtp.a, rtp.p]") == ["LUMEN-TEST", "/demo/pod"]
    assert page.evaluate("() => document.scripts[0].src.endsWith('/demo/rtp-standin.js') && "
                         "document.scripts[0].async")


@pytest.mark.parametrize("declared, kept", [(' data-rtp-consent="pending"', False), ("", True)])
def test_before_consent_the_capture_snippet_keeps_clicks_in_memory_only(page, interpreter, declared, kept):
    """A click before Python starts, then the page is hidden: on a page that declares consent pending, the
    click stays in memory (nothing written to sessionStorage) and is held once Python starts; without the
    declaration it is kept in sessionStorage, as on any page (the issue-8 behaviour)."""
    path = consent_page(interpreter, html=declared)
    held = []
    page.route("**/consent-*.toml", lambda route: held.append(route))  # Python waits while we click
    page.goto(path, wait_until="domcontentloaded")
    page.click("#wp")
    page.evaluate("() => window.dispatchEvent(new Event('pagehide'))")
    assert (page.evaluate("() => sessionStorage.getItem('rtp_py:kept')") is not None) is kept
    if kept:
        return
    assert len(held) == 1
    held[0].fallback()
    expect(page.locator("html")).to_have_attribute("data-sent", "pending", timeout=READY_TIMEOUT_MS)
    wait_announced(page, "held", 3)
    assert announced(page, "held")[0]["value"] == WHITEPAPER  # replayed first, as captured
    run_python(page, 'from rtp_py import consent\nconsent("granted")')
    page.wait_for_function("n => recorded.length >= n", arg=3)
    assert recorded(page)[0] == ["send", "event", {"value": WHITEPAPER}]


def test_global_privacy_control_denies_and_refuses_a_grant(page, interpreter):
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})")
    assert open_consent_page(page, interpreter, config="gpc = true") == "denied"
    outcome = run_python(page, 'from rtp_py import consent\nreturn consent("granted")')
    assert outcome == {"ok": True, "result": "denied"}
    assert recorded(page) == [] and stored_keys(page) == []
    assert len(announced(page, "not-sent", "consent")) == 2


# What each fake is called once it is on the page, to wait for it.
FAKES = {"tcf": "window.fakeTcf", "consent-mode": "window.gtag", "onetrust": "window.fakeOneTrust",
         "cookiebot": "window.fakeCookiebot"}


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_a_platform_that_arrives_after_load_is_followed(page, interpreter, platform):
    """A platform added by a tag manager 1 s after the load event (and after rtp_py started): calls are held
    until it is there; the visitor's refusal drops them, and a later acceptance sends what comes after it."""
    setup, config = setup_of(platform)
    assert open_consent_page(page, interpreter, setup=setup, config=config, late=platform) == "pending"
    page.click("#wp")
    wait_announced(page, "held", 3)
    page.wait_for_function("() => %s !== undefined && document.readyState === 'complete'" % FAKES[platform])
    page.evaluate(PLATFORMS[platform][2])  # the visitor refuses
    wait_announced(page, "not-sent", 3, kind="consent")
    assert recorded(page) == []
    page.evaluate(PLATFORMS[platform][1])  # and changes their mind
    page.wait_for_function("() => rtpPy.consent === 'granted'")
    page.click("#wp")
    page.wait_for_function("() => recorded.length >= 1")
    assert recorded(page) == [["send", "event", {"value": WHITEPAPER}]]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_with_global_privacy_control_no_platform_answer_lifts_denied(page, interpreter, platform):
    """With GPC honoured and sent, the platform's "not answered yet" and its grant both leave the state
    denied: nothing is held, nothing reaches rtp, and no pending or granted is ever announced."""
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})")
    setup, config = setup_of(platform)
    state = open_consent_page(page, interpreter, setup=setup, config=config + "\ngpc = true",
                              platform=platform)
    assert state == "denied"
    page.evaluate(PLATFORMS[platform][1])  # the visitor accepts in the banner
    page.click("#wp")
    wait_announced(page, "not-sent", 3, kind="consent")
    assert announced(page, "held") == [] and recorded(page) == []
    assert {a["state"] for a in announced(page, "consent")} == {"denied"}
    assert page.evaluate("() => rtpPy.consent") == "denied"


def test_a_platform_missing_from_the_page_is_reported_and_nothing_is_sent(page, interpreter):
    page.add_init_script("window.warned = []; const warn = console.warn; "
                         "console.warn = function (m) { warned.push(String(m)); return warn.apply(this, arguments); };")
    page.clock.install()
    assert open_consent_page(page, interpreter, setup='follow_consent("onetrust")') == "pending"
    page.clock.run_for(11_000)  # past the 10 s rtp_py gives a platform after the load event
    missing = ("consent platform onetrust: window.OneTrust not found on the page 10 s after it loaded (rtp_py "
               "follows it if it comes later); consent stays pending")
    page.wait_for_function("text => warned.filter(m => m.includes(text)).length === 1", arg=missing)
    page.click("#wp")
    wait_announced(page, "held", 3)
    assert recorded(page) == []


def test_a_bad_consent_setting_is_a_clear_error(page, interpreter):
    open_consent_page(page, interpreter)
    outcome = run_python(page, """
        from rtp_py import consent, follow_consent
        errors = []
        for call in (lambda: consent("yes"), lambda: follow_consent("tcf", purposes=[0]),
                     lambda: follow_consent("usercentrics")):
            try:
                call()
            except Exception as error:
                errors.append([type(error).__name__, error.field, str(error)])
        return [consent(), errors]
    """)
    assert outcome["ok"], outcome
    state, errors = outcome["result"]
    assert state == "granted"
    assert [(name, field) for name, field, _ in errors] == [("ValidationError", "state"),
                                                            ("ValidationError", "purposes[0]"),
                                                            ("ValidationError", "platform")]
    assert json.dumps(errors)


# Platforms that break their own documented API: reading them throws, or what they hold is garbage.
HOSTILE = {
    "tcf": "window.__tcfapi = function () { throw new Error('cmp exploded'); };",
    "consent-mode": "window.dataLayer = [{get 0() { throw new Error('getter'); }}, ['consent', 'update', null], "
                    "Object.create(null), null, ['consent', 'update', {ad_storage: {}, ad_personalization: 7}]];",
    "onetrust": "window.OnetrustActiveGroups = ',C0001,'; window.OneTrust = {IsAlertBoxClosed: function () "
                "{ throw 'nope'; }, OnConsentChanged: function () { throw new Error('no'); }};",
    "cookiebot": "window.Cookiebot = {hasResponse: true, get consent() { throw new Error('getter'); }};",
}


@pytest.mark.parametrize("platform", sorted(HOSTILE))
def test_a_platform_that_throws_or_holds_garbage_keeps_everything_held_and_the_page_whole(page, interpreter,
                                                                                          platform):
    setup = 'follow_consent("%s")' % platform
    assert open_consent_page(page, interpreter, setup=setup, hostile=HOSTILE[platform]) == "pending"
    page.click("#wp")
    wait_announced(page, "held", 3)
    assert recorded(page) == []
    outcome = run_python(page, 'from rtp_py import consent\nreturn consent("granted")')
    assert outcome == {"ok": True, "result": "granted"}
    page.wait_for_function("n => recorded.length >= n", arg=len(SENT))
    assert recorded(page) == SENT

"""demo/: the whitepaper journey on the Lumen demo site, with the local rtp.js stand-in, on both interpreters.

Each journey step saves a screenshot to test-results/journey/<interpreter>/NN-<step>.png.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import wait_ready

INTERPRETERS = ["py", "mpy"]
RUNTIME_NAMES = {"py": "cpython", "mpy": "micropython"}
WHITEPAPER = "download - example whitepaper"
SEGMENT = "Whitepaper downloaders #4101"
DEFAULT_TITLE = "The real-time personalisation playbook"
CAMPAIGN_TITLE = "Put the playbook to work: a 30-minute personalisation workshop"
MARKUP = "<img src=x onerror=alert(1)>"
PAGES = ["/demo/", "/demo/platform.html", "/demo/customers.html", "/demo/whitepaper.html"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=INTERPRETERS)
def interpreter(request):
    return request.param


@pytest.fixture
def shots(pytestconfig, interpreter):
    """shots(page, "01-land") saves a full-page screenshot under test-results/journey/<interpreter>/."""
    folder = Path(pytestconfig.getoption("--output"))
    if not folder.is_absolute():
        folder = Path(pytestconfig.rootpath) / folder
    folder = folder / "journey" / interpreter
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        page.screenshot(path=str(folder / (name + ".png")), full_page=True)

    return save


def url(path, interpreter, **params):
    params = {"interpreter": interpreter, **params}
    return path + "?" + "&".join("%s=%s" % item for item in params.items())


def settled(page, interpreter):
    """Wait until rtp_py is live on the page's interpreter and the stand-in has answered get campaign."""
    wait_ready(page)
    expect(page.locator("#python-runtime")).to_have_text(re.compile("^" + RUNTIME_NAMES[interpreter] + " "))
    expect(calls(page).filter(has_text='rtp("get", "campaign", true)')).to_have_count(1)


def returning(page_or_context):
    """A visitor who accepted on an earlier visit: the stand-in banner's stored choice is there already."""
    page_or_context.add_init_script("localStorage.setItem('lumen.consent', 'accepted')")


def open_demo(page, path, interpreter, **params):
    """Open a demo page as a visitor who has accepted, and wait until it is live."""
    returning(page)
    page.goto(url(path, interpreter, **params))
    settled(page, interpreter)


def follow(page, link_text, interpreter):
    """Click a main-navigation link, as a visitor would, and wait for the next page to be live."""
    link = page.locator("nav.main-nav a", has_text=link_text)
    target = link.get_attribute("href")
    assert "interpreter=" + interpreter in target, target  # links keep the interpreter
    assert page.url != base_of(page) + target, "already on " + target
    link.click()
    page.wait_for_url(base_of(page) + target)  # the next document, loaded (not the one we left)
    settled(page, interpreter)


def base_of(page):
    return re.match(r"https?://[^/]+", page.url).group(0)


def calls(page):
    return page.locator("#inspector-calls li")


def zone(page):
    return page.locator("[data-rtp-zone=hero]")


def expect_default_content(page):
    expect(zone(page).locator("h2")).to_have_text(DEFAULT_TITLE)
    expect(page.locator("#inspector-campaign")).to_have_text("default content")


def expect_campaign(page):
    expect(zone(page).locator("h2")).to_have_text(CAMPAIGN_TITLE)
    expect(zone(page).get_by_role("link")).to_have_text("See how Fjordline did it")
    expect(page.locator("#inspector-campaign")).to_have_text("whitepaper-follow-up")


PY_KNOWN = "Personalised in Python: you downloaded the playbook, here is chapter 3 in 5 minutes."


def expect_default_personal_blocks(page):
    """The landing page's personalised blocks as everyone sees them before a download."""
    page.wait_for_function("() => sessionStorage.getItem('rtp_py:visitor') !== null")  # rtp answered
    expect(page.locator("#seg-default")).to_be_visible()
    expect(page.locator("#seg-known")).to_be_hidden()
    expect(page.locator("#py-personal")).to_have_text("Personalised in Python: nothing known about you yet.")


def test_whitepaper_journey(page, browser, base_url, page_guard, interpreter, shots):
    """Land and accept the consent banner, read, download (segmented at once); the campaign shows from the
    2nd page view after; a new session does not see it."""
    page.goto(url("/demo/", interpreter))
    wait_ready(page)
    expect(page.locator("#consent-banner")).to_be_visible()
    expect(page.locator("#inspector-consent")).to_have_text("pending")
    expect(page.locator("#inspector-held li")).to_have_count(2)  # the page view and the campaign request
    shots(page, "00-consent")
    page.click("#consent-accept")
    expect(page.locator("#consent-banner")).to_be_hidden()
    settled(page, interpreter)
    expect(page.locator("#inspector-consent")).to_have_text("granted")
    expect(page.get_by_role("heading", level=1)).to_have_text("Personalise every B2B visit, in real time")
    expect_default_content(page)
    expect(page.locator("#inspector-segments")).to_have_text("none")
    expect_default_personal_blocks(page)
    shots(page, "01-land")

    follow(page, "Platform", interpreter)
    expect(page.get_by_role("heading", level=1)).to_have_text("The platform")
    expect_default_content(page)
    shots(page, "02-read")

    follow(page, "Whitepaper", interpreter)
    expect_default_content(page)
    shots(page, "03-whitepaper")

    page.click("#download-whitepaper")
    expect(calls(page).last.locator("code")).to_have_text(
        'rtp("send", "event", {"value":"%s"})' % WHITEPAPER)
    expect(page.locator("#inspector-segments li")).to_have_text([SEGMENT])
    expect_default_content(page)  # segmented at once; the campaign waits for later page views
    shots(page, "04-download")

    follow(page, "Customers", interpreter)
    expect(page.locator("#inspector-views")).to_have_text("4 (1 since the download)")
    expect_default_content(page)
    shots(page, "05-next-page-view")

    follow(page, "Home", interpreter)
    expect(page.locator("#inspector-views")).to_have_text("5 (2 since the download)")
    expect_campaign(page)
    expect(page.locator("#inspector-segments li")).to_have_text([SEGMENT])
    expect(page.locator("#seg-known")).to_be_visible()  # personalised in HTML (data-rtp-segment)
    expect(page.locator("#seg-default")).to_be_hidden()
    expect(page.locator("#py-personal")).to_have_text(PY_KNOWN)  # personalised in Python (when_segment)
    shots(page, "06-campaign")

    context = browser.new_context(base_url=base_url)
    returning(context)
    try:
        context.route("**/*", page_guard.route)
        fresh = context.new_page()
        fresh.on("console", page_guard.on_console)
        fresh.on("pageerror", page_guard.on_page_error)
        open_demo(fresh, "/demo/", interpreter)
        expect_default_content(fresh)
        expect_default_personal_blocks(fresh)
        expect(fresh.locator("#inspector-segments")).to_have_text("none")
        expect(fresh.locator("#inspector-views")).to_have_text("1")
        shots(fresh, "07-new-session")
    finally:
        context.close()


def test_markup_looking_value_shows_as_text(page, interpreter):
    """A value like <img src=x onerror=alert(1)> reaches the inspector as those characters: no element, no dialog."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_demo(page, "/demo/customers.html", interpreter)
    page.click("#try-markup")
    expect(calls(page).last.locator("code")).to_have_text('rtp("send", "event", {"value":"%s"})' % MARKUP)
    expect(page.locator("#rtp-inspector img")).to_have_count(0)
    assert page.locator("img").count() == 0
    assert dialogs == []


def test_localized_values_reach_the_inspector_unchanged(page, interpreter):
    """Python-bound buttons on the French page send accented and Japanese values that show unchanged."""
    open_demo(page, "/demo/whitepaper.html", interpreter, lang="fr")
    expect(page.locator("#download-whitepaper")).to_have_text("Télécharger le livre blanc")
    expected = {
        "#edition-fr": "télécharger – le guide de la personnalisation (français)",
        "#edition-sv": "ladda ner – handboken för personalisering (svenska)",
        "#edition-ja": "ダウンロード – リアルタイム・パーソナライゼーション入門（日本語）",
    }
    for selector, localized in expected.items():
        page.click(selector)
        expect(calls(page).last.locator("code")).to_have_text(
            "rtp(\"send\", \"event\", %s)" % json.dumps({"value": [WHITEPAPER, localized]},
                                                      ensure_ascii=False, separators=(",", ":")))
    page.click("#contact-sales")
    expect(calls(page).last.locator("code")).to_have_text('rtp("send", "event", {"value":["MyEvent","contact sales"]})')
    expect(page.locator("#inspector-segments li")).to_have_text([SEGMENT])


def test_not_sent_events_are_listed_with_their_reason(page, interpreter):
    """An invalid value and a second once-per-session click are listed as not sent, with rtp_py's reason."""
    open_demo(page, "/demo/platform.html", interpreter)
    not_sent = page.locator("#inspector-not-sent li")
    expect(not_sent).to_have_text(["none"])
    page.click("#try-invalid")
    expect(not_sent).to_have_count(1)
    expect(not_sent.first).to_have_attribute("data-not-sent", "invalid")
    expect(not_sent.first).to_contain_text("leading or trailing whitespace")
    page.click("#try-once")
    expect(calls(page).last.locator("code")).to_have_text('rtp("send", "event", {"value":"demo - once per session"})')
    page.click("#try-once")
    expect(not_sent).to_have_count(2)
    expect(not_sent.last).to_have_attribute("data-not-sent", "skipped")
    expect(not_sent.last.locator("code")).to_have_text('"demo - once per session"')
    expect(calls(page).filter(has_text="demo - once per session")).to_have_count(1)


def test_consent_banner_holds_releases_and_drops(page, interpreter):
    """A new visitor: nothing reaches rtp (and rtp.js is not loaded) until Accept; what was held is released
    in order; after Reject (from "Privacy choices"), clicks are dropped and listed, and nothing is sent."""
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "rtp-standin" in request.url else None)
    page.goto(url("/demo/whitepaper.html", interpreter))
    wait_ready(page)
    page.click("#try-markup")
    held = page.locator("#inspector-held li")
    expect(held).to_have_count(3)
    expect(held.locator("code")).to_have_text(['rtp("send", "view")', 'rtp("get", "campaign", true)',
                                               '"%s"' % MARKUP])
    assert page.evaluate("() => typeof window.rtp") == "undefined" and requests == []
    expect(calls(page)).to_have_count(0)

    page.click("#consent-accept")
    # The held calls in order, then personalisation's question (app.py has a when_segment handler).
    expect(calls(page).locator("code")).to_have_text(['rtp("send", "view")', 'rtp("get", "campaign", true)',
                                                      'rtp("send", "event", {"value":"%s"})' % MARKUP,
                                                      'rtp("get", "visitor", function)'])
    expect(page.locator("#inspector-held li[data-consent=released]")).to_have_count(3)
    assert len(requests) == 1

    page.click("#consent-reopen")
    page.click("#consent-reject")
    expect(page.locator("#inspector-consent")).to_have_text("denied")
    page.click("#download-whitepaper")
    expect(page.locator("#inspector-held li[data-consent=dropped] code")).to_have_text(['"%s"' % WHITEPAPER])
    expect(page.locator("#inspector-not-sent li[data-not-sent=consent]")).to_have_count(1)
    expect(calls(page)).to_have_count(4)
    assert page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('rtp_py:'))") == []


def test_stand_in_rejects_malformed_calls_loudly(page, page_guard, interpreter):
    """The stand-in answers documented calls and rejects undocumented ones with a console error."""
    page_guard.allow(r"^\[rtp\.js stand-in\] rejected ")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    open_demo(page, "/demo/", interpreter)
    visitor = page.evaluate("""() => new Promise(resolve => {
        rtp("set", "customVar1", "enterprise");
        rtp("send", "view", "/demo/virtual-page");
        rtp("get", "visitor", resolve);
    })""")
    assert visitor["status"] == 200
    assert visitor["results"]["matchedSegments"] == []
    page.evaluate("""() => {
        rtp("send", "event", "bare string");
        rtp("send", "event", {value: ["a", "b", "c", "d", "e"]});
        rtp("send", "event", {value: "x", label: "y"});
        rtp("send", "event", {value: ["ok", 5]});
        rtp("get", "campaign");
        rtp("set", "customVar6", "x");
        rtp("track", "event");
    }""")
    rejected = calls(page).filter(has=page.locator(".badge.bad"))
    expect(rejected).to_have_count(7)
    expect(rejected.nth(1)).to_contain_text("value has 5 elements; at most 4 are allowed")
    assert len(errors) == 7 and all(text.startswith("[rtp.js stand-in] rejected rtp(") for text in errors)
    expect(calls(page).filter(has_text='"customVar1"')).to_contain_text("stored; sent with the next page view")


def test_links_keep_interpreter_and_language(page):
    """The demo runs on Pyodide by default; the visible switch moves to MicroPython and links keep
    ?interpreter and ?lang."""
    returning(page)
    page.goto("/demo/?lang=de")
    settled(page, "py")
    expect(page.locator("nav.main-nav a").nth(1)).to_have_text("Plattform")
    page.locator("[data-switch-interpreter=mpy]").click()
    page.wait_for_url(re.compile(r"interpreter=mpy"))
    settled(page, "mpy")
    expect(page.locator("nav.main-nav a").nth(1)).to_have_text("Plattform")
    for link in page.locator("nav.main-nav a").all():
        href = link.get_attribute("href")
        assert "interpreter=mpy" in href and "lang=de" in href, href


@pytest.mark.parametrize("interpreter", ["mpy"])  # texts do not depend on the interpreter: the fast one
def test_every_text_is_translated_in_every_language(page, interpreter):
    """Each of it, sv, es, fr, de has a text for every data-i18n key on every demo page and in the campaign."""
    campaign_keys = ["campaign.kicker", "campaign.title", "campaign.body", "campaign.cta"]
    for lang in ["it", "sv", "es", "fr", "de"]:
        open_demo(page, "/demo/", interpreter, lang=lang)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        missing = page.evaluate("""async ([pages, campaignKeys]) => {
            const missing = demoI18n.missing(document);
            for (const path of pages) {
                const html = await (await fetch(path)).text();
                missing.push(...demoI18n.missing(new DOMParser().parseFromString(html, "text/html")));
            }
            const texts = demoI18n.texts[demoI18n.lang];
            missing.push(...campaignKeys.filter(key => !(key in texts)));
            return missing;
        }""", [PAGES, campaign_keys])
        assert missing == [], (lang, missing)

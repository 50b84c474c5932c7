"""demo/: the whitepaper journey on the Lumen demo site, with the local rtp.js stand-in, on both interpreters.

With `--journey-screenshots` (make test PYTEST_ARGS="-k journey --journey-screenshots"), each journey step is
saved as a screenshot in test-results/journey/<interpreter>-<lang>-<width>/NN-<step>.png for a person to look at;
without it, only a failing test keeps one.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pagetools import wait_ready
from support import WHITEPAPER

INTERPRETERS = ["py", "mpy"]
RUNTIME_NAMES = {"py": "cpython", "mpy": "micropython"}
SEGMENT = "Whitepaper downloaders #4101"
DEFAULT_TITLE = "The real-time personalisation playbook"
CAMPAIGN_TITLE = "Put the playbook to work: a 30-minute personalisation workshop"
MARKUP = "<img src=x onerror=alert(1)>"
PAGES = ["/demo/", "/demo/platform.html", "/demo/customers.html", "/demo/whitepaper.html",
         "/demo/workshop.html"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=INTERPRETERS)
def interpreter(request):
    return request.param


PHONE = {"width": 390, "height": 844}

# Words that are the same in every language: names of the product, the company and the interpreters. A visible
# text made only of these (with digits and punctuation) needs no translation; any other text needs a key.
PROPER_NOUNS = ["Lumen", "Pyodide", "MicroPython"]

# Every visible text node of the page that is not translated into the page's language, as [why, text]:
# - "no key": prose that no data-i18n element holds (so no language can translate it);
# - "no text": a key the language's catalogue lacks;
# - "English": a text from the English catalogue that the language's catalogue does not also use.
# Data is not prose: calls, values and messages in <code>, anything inside translate="no" (segment names),
# texts in a language of their own ([lang], the whitepaper's editions), and the language menu's own names.
UNTRANSLATED_JS = """([english, nouns]) => {
    const lang = demoI18n.lang, texts = demoI18n.texts[lang] || {};
    const ownTexts = new Set(Object.values(texts));
    const problems = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.data.trim(), parent = node.parentElement;
        if (!text || !parent.checkVisibility({visibilityProperty: true})) continue;
        if (parent.closest("code, script, style, select, [translate=no]")) continue;
        const own = parent.closest("[lang]");
        if (own && own !== document.documentElement) continue;
        const bare = nouns.reduce((rest, noun) => rest.split(noun).join(""), text);
        if (/^[\\s\\p{N}\\p{P}\\p{S}]*$/u.test(bare)) continue;
        const owner = parent.closest("[data-i18n]");
        if (!owner) { problems.push(["no key", text]); continue; }
        if (lang === "en") continue;
        const key = owner.getAttribute("data-i18n");
        if (!(key in texts)) problems.push(["no text", key]);
        else if (english.includes(text) && !ownTexts.has(text)) problems.push(["English", text]);
    }
    return problems;
}"""

# On a phone: the page is no wider than the screen, and every element a visitor clicks to be tracked (or to
# move around) is shown and lies within the screen's width. [what, detail] for each problem.
OFF_SCREEN_JS = """() => {
    const problems = [], width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
        problems.push(["scrolls sideways", document.documentElement.scrollWidth - width]);
    }
    const reachable = "[data-rtp-event], #contact-sales, [id^=edition-], nav.main-nav a, #end-session, " +
                      "#consent-reopen, #language, .consent-banner button";
    for (const el of document.querySelectorAll(reachable)) {
        if (el.closest("[hidden]")) continue;  // a closed banner
        const box = el.getBoundingClientRect();
        if (!el.checkVisibility() || box.width === 0) problems.push(["hidden", el.id || el.textContent]);
        else if (box.left < 0 || box.right > width + 0.5) problems.push(["off screen", el.id || el.textContent]);
    }
    return problems;
}"""


def english_catalogue():
    """Every English text the demo shows: the pages' data-i18n texts and the English that the inspector,
    the stand-ins and app.py write (their `data-i18n` elements carry the English as their text)."""
    texts = set()
    for path in sorted((ROOT / "demo").glob("*.html")):
        texts.update(t.strip() for t in re.findall(r'data-i18n="[^"]+"[^>]*>([^<]+)<', path.read_text()))
    for path in ("inspector.js", "rtp-standin.js", "cmp-standin.js", "app.py"):
        source = (ROOT / "demo" / path).read_text()
        texts.update(re.findall(r'"((?:[A-Z][a-z]|[a-z]+ )[^"\\{}]{3,})"', source))
    return sorted(texts)


ENGLISH = english_catalogue()


def journey_name(interpreter, lang, phone):
    """A journey's test id and screenshot folder: <interpreter>-<lang>-<phone|desktop>."""
    return "%s-%s-%s" % (interpreter, lang, "phone" if phone else "desktop")


class Journey:
    """A visitor's walk through the demo in one language, at one width: each step is checked for untranslated
    text (and, on a phone, for anything off screen). With `--journey-screenshots`, each step is also saved for a
    person to look at, under test-results/journey/<interpreter>-<lang>-<width>/NN-<step>.png (a failing test
    keeps a screenshot of its pages in test-results/ anyway)."""

    def __init__(self, page, root, interpreter, lang, phone):
        self.page, self.lang, self.phone = page, lang, phone
        self.folder = None if root is None else root / journey_name(interpreter, lang, phone)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    def text(self, key, english, **params):
        """What the page shows for `key` in the journey's language (English with its placeholders filled)."""
        return self.page.evaluate(
            "([key, english, params]) => demoI18n.fill(demoI18n.lang === 'en' ? english : "
            "demoI18n.texts[demoI18n.lang][key], params)", [key, english, params])

    def step(self, name):
        untranslated = self.page.evaluate(UNTRANSLATED_JS, [ENGLISH, PROPER_NOUNS])
        assert untranslated == [], (name, self.lang, untranslated)
        if self.phone:
            off = self.page.evaluate(OFF_SCREEN_JS)
            assert off == [], (name, self.lang, off)
        if self.folder is not None:
            self.page.screenshot(path=str(self.folder / (name + ".png")), full_page=True)


@pytest.fixture
def journey_folder(pytestconfig):
    """Where the journeys' screenshots go, with --journey-screenshots; None (no screenshots) otherwise."""
    if not pytestconfig.getoption("--journey-screenshots"):
        return None
    folder = Path(pytestconfig.getoption("--output"))
    if not folder.is_absolute():
        folder = Path(pytestconfig.rootpath) / folder
    return folder / "journey"


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


PY_KNOWN = "Personalised in Python: you downloaded the playbook, here is chapter 3 in 5 minutes."


# (interpreter, language, phone?): every language walks the whole journey on MicroPython, at desktop width or on a
# phone; Pyodide walks it once (texts and layout do not depend on the interpreter, and WebKit and Firefox walk it
# again on both: test_engines.py).
JOURNEYS = [("py", "en", False), ("mpy", "en", True), ("mpy", "de", False),
            ("mpy", "it", True), ("mpy", "sv", False), ("mpy", "es", True), ("mpy", "fr", False)]


@pytest.mark.parametrize("interpreter,lang,phone", JOURNEYS, ids=[journey_name(*j) for j in JOURNEYS])
def test_whitepaper_journey(page, journey_folder, interpreter, lang, phone):
    """The demo as a marketer shows it, in one language and width: the consent banner holds the calls until
    Accept; a download gives the PDF in the visitor's language and segments them at once; the campaign shows
    from the 2nd page view after and leads to the workshop page; End session resets everything visible;
    after Reject, clicks are dropped. Every step is fully translated and, on a phone, fits the screen."""
    if phone:
        page.set_viewport_size(PHONE)
    j = Journey(page, journey_folder, interpreter, lang, phone)
    zone_title = zone(page).locator("h2")

    def default_promo(title_key="promo.title", title=DEFAULT_TITLE):
        expect(zone_title).to_have_text(j.text(title_key, title))
        expect(page.locator("#inspector-campaign")).to_have_text(j.text("inspector.campaignDefault", "default content"))

    page.goto(url("/demo/", interpreter, lang=lang))
    wait_ready(page)
    expect(page.locator("#consent-banner")).to_be_visible()
    expect(page.locator("#inspector-consent")).to_have_text(j.text("inspector.consent.state.pending", "pending"))
    expect(page.locator("#inspector-held li[data-consent=held]")).to_have_count(2)  # the view, the campaign request
    j.step("00-consent")

    page.click("#consent-accept")
    expect(page.locator("#consent-banner")).to_be_hidden()
    settled(page, interpreter)
    expect(page.locator("#inspector-held li[data-consent=released]")).to_have_count(2)
    expect(page.locator("#inspector-consent")).to_have_text(j.text("inspector.consent.state.granted", "granted"))
    default_promo()
    expect(page.locator("#seg-default")).to_be_visible()
    expect(page.locator("#py-personal")).to_have_text(
        j.text("home.py.default", "Personalised in Python: nothing known about you yet."))
    # What rtp_py read of the visitor (Marketo's documented example answer, which the stand-in gives).
    expect(page.locator("#inspector-org")).to_have_text("Marketo")
    expect(page.locator("#inspector-location")).to_have_text("San Mateo, CA, United States")
    expect(page.locator("#inspector-abm li")).to_have_text(["abm_saleforce_customers #4", "abm_top_customers #5"])
    expect(page.locator("#inspector-industries")).to_have_text("Software & Internet")
    j.step("01-land")

    follow(page, j.text("nav.platform", "Platform"), interpreter)
    default_promo()
    j.step("02-read")

    follow(page, j.text("nav.whitepaper", "Whitepaper"), interpreter)
    default_promo("promo.story.title", "How Fjordline doubled demo requests from returning visitors")  # not itself
    j.step("03-whitepaper")

    with page.expect_download() as download:
        page.click("#download-whitepaper")
    pdf = "lumen-playbook-%s.pdf" % lang
    assert download.value.suggested_filename == pdf
    assert Path(download.value.path()).read_bytes() == (ROOT / "demo" / "build" / pdf).read_bytes()
    expect(calls(page).last.locator("code.call")).to_have_text('rtp("send", "event", {"value":"%s"})' % WHITEPAPER)
    expect(calls(page).last.locator(".note")).to_have_text(j.text(
        "standin.joins", "counted; visitor joins segment \u201c{segment}\u201d", segment="Whitepaper downloaders"))
    expect(page.locator("#inspector-segments li")).to_have_text([SEGMENT])
    j.step("04-download")

    follow(page, j.text("nav.customers", "Customers"), interpreter)
    expect(page.locator("#inspector-views")).to_have_text(
        j.text("inspector.viewsSince", "{views} ({since} since the download)", views=4, since=1))
    default_promo()
    j.step("05-next-page-view")

    follow(page, j.text("nav.home", "Home"), interpreter)
    expect(zone_title).to_have_text(j.text("campaign.title", CAMPAIGN_TITLE))
    expect(zone(page).get_by_role("link")).to_have_text(j.text("campaign.cta", "Book your workshop"))
    expect(page.locator("#inspector-campaign")).to_have_text("whitepaper-follow-up")
    expect(page.locator("#seg-known")).to_be_visible()  # personalised in HTML (data-rtp-segment)
    expect(page.locator("#seg-default")).to_be_hidden()
    expect(page.locator("#py-personal")).to_have_text(j.text("home.py.known", PY_KNOWN))  # in Python
    j.step("06-campaign")

    zone(page).get_by_role("link").click()  # the campaign's button: tracked, and it leads to the workshop
    page.wait_for_url(re.compile(r"/demo/workshop\.html"))
    settled(page, interpreter)
    expect(page.get_by_role("heading", level=1)).to_have_text(j.text("workshop.title", "Your personalisation workshop"))
    expect(page.locator("[data-rtp-zone]")).to_have_count(0)
    assert '"campaign - book workshop"' in page.evaluate("() => rtpStandin.state().events")
    j.step("07-workshop")

    follow(page, j.text("nav.home", "Home"), interpreter)
    expect(zone_title).to_have_text(j.text("campaign.title", CAMPAIGN_TITLE))
    with page.expect_event("load"):
        page.click("#end-session")  # a new session: the whole visible state is the default again
    settled(page, interpreter)
    default_promo()
    expect(page.locator("#inspector-segments")).to_have_text(j.text("inspector.none", "none"))
    expect(page.locator("#inspector-views")).to_have_text("1")
    expect(page.locator("#seg-default")).to_be_visible()
    expect(page.locator("#seg-known")).to_be_hidden()
    expect(page.locator("#py-personal")).to_have_text(
        j.text("home.py.default", "Personalised in Python: nothing known about you yet."))
    j.step("08-end-session")

    page.click("#consent-reopen")
    page.click("#consent-reject")
    expect(page.locator("#inspector-consent")).to_have_text(j.text("inspector.consent.state.denied", "denied"))
    page.click("#try-once")
    expect(page.locator("#inspector-held li[data-consent=dropped] code")).to_have_text(['"demo - once per session"'])
    expect(page.locator("#inspector-not-sent li[data-not-sent=consent] .note")).to_have_text(
        j.text("inspector.why.consent", "no consent: dropped, never sent; rtp_py says:"))
    j.step("09-rejected")


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
    expect(not_sent.last.locator("code.value")).to_have_text('"demo - once per session"')
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
    documented = json.loads((ROOT.parent / "shared" / "rtp-documented-examples.json").read_text())["answers"]
    assert visitor == documented["get visitor, without a segment match"]  # the documented shape, exactly
    page.evaluate("""() => {
        rtp("get", "campaign");
        rtp("set", "custom1", "productA");
        rtp("send", "event", "bare string");
        rtp("send", "event", {value: ["a", "b", "c", "d", "e"]});
        rtp("send", "event", {value: "x", label: "y"});
        rtp("send", "event", {value: ["ok", 5]});
        rtp("get", "campaign", false);
        rtp("set", "customVar6", "x");
        rtp("track", "event");
    }""")
    rejected = calls(page).filter(has=page.locator(".badge.bad"))
    expect(rejected).to_have_count(7)
    expect(rejected.nth(1)).to_contain_text("value has 5 elements; at most 4 are allowed")
    assert len(errors) == 7 and all(text.startswith("[rtp.js stand-in] rejected rtp(") for text in errors)
    expect(calls(page).filter(has_text='"customVar1"')).to_contain_text("stored; sent with the next page view")
    expect(calls(page).filter(has_text='"custom1"')).to_contain_text("stored; sent with the next page view")
    expect(calls(page).filter(has_text='rtp("get", "campaign")')).not_to_have_class(re.compile("rejected"))


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


@pytest.mark.parametrize("interpreter", ["mpy"])  # layout and texts do not wait for Python: the fast one
def test_every_page_fits_a_phone_in_every_language(page, interpreter):
    """At 390 px no demo page scrolls sideways and every tracked element is on screen, in all six languages;
    and every visible text is translated (the journeys check the same with the consent banner, the campaign
    and the inspector's entries, on both interpreters)."""
    page.set_viewport_size(PHONE)
    returning(page)
    for lang in ["en", "it", "sv", "es", "fr", "de"]:
        for path in PAGES:
            page.goto(url(path, interpreter, lang=lang))
            settled(page, interpreter)
            assert page.evaluate(OFF_SCREEN_JS) == [], (lang, path)
            assert page.evaluate(UNTRANSLATED_JS, [ENGLISH, PROPER_NOUNS]) == [], (lang, path)

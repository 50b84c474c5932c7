"""rtp_py's loader (kit/loader.js, dist/rtp_py-<version>.js): whenever the page's <script> for it arrives,
Python finds rtp_py, because the config names it as a JS module and PyScript imports that before the
interpreter is ready.
"""

import re

from playwright.sync_api import expect

from pagetools import READY_TIMEOUT_MS, queued, url, wait_ready

PAGE = "/tests/pages/tracking.html"
# PyScript announces each step of a start on window (py:progress / mpy:progress); noted from before any script.
PROGRESS = """window.progress = [];
["py:progress", "mpy:progress"].forEach(function (type) {
  addEventListener(type, function (e) { progress.push(e.detail); });
});"""


def test_a_loader_that_arrives_after_the_interpreter_still_gives_python_rtp_py(page, interpreter):
    """The loader's response is held until PyScript has loaded the interpreter and is importing the config's JS
    modules: the page's Python still imports rtp_py, and a click is sent."""
    held, released = [], []

    def hold(route):
        if released:
            route.fallback()
        else:
            held.append(route)

    page.add_init_script(PROGRESS)
    page.route(re.compile(r".*/dist/rtp_py-[^/]+\.js$"), hold)
    page.goto(url(PAGE, interpreter), wait_until="commit")
    page.wait_for_function("() => progress.includes('Loading JS modules')", timeout=READY_TIMEOUT_MS)
    expect(page.locator("html")).not_to_have_class(re.compile(r"\brtp-ready\b"))
    assert held
    released.append(True)
    for route in held:
        route.fallback()
    wait_ready(page)
    page.click("#wp")
    assert queued(page)[-1] == ["send", "event", {"value": "download - example whitepaper"}]

"""Browser fixtures: our static server, Debian's Chromium, an offline guard and a console guard.

Every e2e test gets a fresh page whose requests are all routed: anything not on 127.0.0.1/localhost is
aborted and recorded, and any page error, console error or Python traceback is recorded too; the test fails
if either list is non-empty when its body ends.
"""

import itertools
import json
import re
import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chromium import CHROMIUM, QUIET_CHROMIUM_ARGS
from pageguard import is_local, is_problem
from serve import serve_in_background

# Pyodide takes ~3-6 s to start on a 2-core machine; this bounds the wait, it is not a sleep.
READY_TIMEOUT_MS = 60_000
ROOT = Path(__file__).resolve().parents[2]
INTERPRETERS = ["py", "mpy"]  # PyScript's script types: Pyodide, MicroPython
# rtp_py's loader (kit/loader.js, built into dist/ by scripts/build.py), as every page that uses rtp_py has it
# right after PyScript's core.js: it writes rtp_py into the interpreter before the page's Python runs.
LOADER = '<script type="module" src="/dist/rtp_py-%s.js"></script>' % re.search(
    r'^__version__ = "([^"]+)"$', (ROOT / "rtp_py" / "__init__.py").read_text(), re.M).group(1)


@pytest.fixture(scope="session")
def server():
    srv = serve_in_background(port=0, verbose=False)
    yield srv
    srv.shutdown()


@pytest.fixture(scope="session")
def base_url(server):
    host, port = server.server_address[:2]
    return "http://%s:%d" % (host, port)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *QUIET_CHROMIUM_ARGS],
    }


class PageGuard:
    """Records what must never happen in a page: external requests, page errors, Python tracebacks."""

    def __init__(self):
        self.external = []
        self.problems = []
        self._allowed = []

    def allow(self, pattern):
        """Let console errors matching `pattern` through (for tests that provoke them on purpose)."""
        self._allowed.append(re.compile(pattern))

    def route(self, route):
        if is_local(route.request.url):
            route.fallback()
        else:
            self.external.append(route.request.url)
            route.abort("blockedbyclient")

    def on_console(self, message):
        text = message.text
        if is_problem(message.type, text):
            if not any(p.search(text) for p in self._allowed):
                self.problems.append("console %s: %s" % (message.type, text))

    def on_page_error(self, error):
        self.problems.append("page error: %s" % error)

    def check(self):
        assert not self.external, "requests left localhost: %s" % self.external
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture(autouse=True)
def page_guard(context, page):
    guard = PageGuard()
    context.route("**/*", guard.route)
    page.on("console", guard.on_console)
    page.on("pageerror", guard.on_page_error)
    return guard


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    guard = item.funcargs.get("page_guard")
    if guard is not None:
        guard.check()
    return result


def wait_ready(page):
    """Wait until rtp_py has bound everything (class rtp-ready on <html>)."""
    expect(page.locator("html")).to_have_class(re.compile(r"\brtp-ready\b"), timeout=READY_TIMEOUT_MS)


@pytest.fixture(params=INTERPRETERS)
def interpreter(request):
    """Each test that uses it runs on Pyodide ("py") and on MicroPython ("mpy"), same rtp_py code."""
    return request.param


def url(path, interpreter, query=""):
    """A test page's URL on the given interpreter: our pages pick MicroPython with ?interpreter=mpy."""
    params = [p for p in (query, "interpreter=mpy" if interpreter == "mpy" else "") if p]
    return path + ("?" + "&".join(params) if params else "")


def open_index(page, base_url, interpreter):
    """Load index.html on `interpreter`. index.html is the plain seed example with a static
    `<script type="py">`; for MicroPython the test serves it with that one tag switched to
    `type="mpy" config="./pyscript.mpy.toml"`, nothing else changed."""
    if interpreter == "mpy":
        html = (ROOT / "index.html").read_text()
        static = 'type="py" config="./pyscript.toml"'
        assert html.count(static) == 1
        page.route(base_url + "/", lambda route: route.fulfill(
            content_type="text/html; charset=utf-8",
            body=html.replace(static, 'type="mpy" config="./pyscript.mpy.toml"')))
    page.goto("/")
    wait_ready(page)
    return page


@pytest.fixture
def ready_page(page, base_url, interpreter):
    """index.html, loaded on the test's interpreter and with tracking live."""
    return open_index(page, base_url, interpreter)


_ids = itertools.count()

# Runs a test's Python body in the page's interpreter and writes the outcome as JSON onto a marker element.
_HARNESS = """\
import json as _json
from pyscript import document as _document
import rtp_py as _rtp_py

def _body():
{body}

try:
    _out = {{"ok": True, "result": _body()}}
except Exception as _error:
    _out = {{"ok": False, "type": type(_error).__name__, "message": str(_error),
             "field": getattr(_error, "field", None),
             "is_rtp_error": isinstance(_error, _rtp_py.RtpError),
             "is_value_error": isinstance(_error, ValueError)}}
_document.getElementById("{marker}").setAttribute("data-result", _json.dumps(_out))
"""


def run_python(page, body):
    """Run `body` (a function body: `return` its result) in the page's Python; return the outcome dict.

    It runs in the interpreter the page uses (a `<script type="mpy">` on the page means MicroPython).

    The outcome is {"ok": True, "result": ...} or, if the body raised, {"ok": False, "type", "message",
    "field", "is_rtp_error", "is_value_error"}.
    """
    marker = "py-run-%d" % next(_ids)
    code = _HARNESS.format(body=textwrap.indent(textwrap.dedent(body).strip(), "    "), marker=marker)
    page.evaluate(
        """([marker, code]) => {
            const out = document.createElement("div");
            out.id = marker; out.hidden = true;
            const script = document.createElement("script");
            script.type = document.querySelector('script[type="mpy"]') ? "mpy" : "py";
            script.textContent = code;
            document.body.append(out, script);
        }""",
        [marker, code],
    )
    locator = page.locator("#" + marker)
    expect(locator).to_have_attribute("data-result", re.compile("."), timeout=READY_TIMEOUT_MS)
    return json.loads(locator.get_attribute("data-result"))


QUEUE_JS = "() => (window.rtp.q || []).map(args => Array.from(args))"


def queued(page):
    """The calls waiting on rtp.q, each as a list of its arguments."""
    return page.evaluate(QUEUE_JS)

"""What the browser tests share (the fixtures are in conftest.py): where things are, waiting for a page to be
ready, URLs on either interpreter, running Python in the page, reading the tag's queue."""

import contextlib
import io
import itertools
import json
import re
import textwrap
from pathlib import Path

from playwright.sync_api import expect
from pageguard import PageGuard
from serve import Handler

# Pyodide takes ~3-6 s to start on a 2-core machine; this bounds the wait, it is not a sleep.
READY_TIMEOUT_MS = 60_000
ROOT = Path(__file__).resolve().parents[2]
INTERPRETERS = ["py", "mpy"]  # PyScript's script types: Pyodide, MicroPython
# rtp_py's loader (kit/loader.js, built into dist/ by scripts/build.py), as every page that uses rtp_py has it
# right after PyScript's core.js: it writes rtp_py into the interpreter before the page's Python runs.
LOADER = '<script type="module" src="/dist/rtp_py-%s.js"></script>' % re.search(
    r'^__version__ = "([^"]+)"$', (ROOT / "rtp_py" / "__init__.py").read_text(), re.M).group(1)


class TestServerHandler(Handler):
    """scripts/serve.py's handler, plus the pages a test serves for itself (serve_page)."""

    pages = {}  # path -> (body, content type), for the running test only (conftest clears it after each)

    def send_head(self):
        found = self.pages.get(self.path.split("?", 1)[0])
        if found is None:
            return super().send_head()
        body, content_type = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve_page(path, body, content_type="text/html; charset=utf-8"):
    """Have the test server answer `path` with `body` until the test ends; return `path`. (A page.route would
    do it too, but a routed page loads without the browser's cache, so its Pyodide starts 1.5 s slower.)"""
    TestServerHandler.pages[path] = (body.encode("utf-8"), content_type)
    return path


@contextlib.contextmanager
def guarded(context, page):
    """conftest's rules for a Chromium page, for as long as the block lasts: a PageGuard that hears every request
    of the context's pages (a request leaving this machine fails the test) and the page's console and errors."""
    guard = PageGuard()
    context.on("request", guard.on_request)
    page.on("console", guard.on_console)
    page.on("pageerror", guard.on_page_error)
    try:
        yield guard
    finally:
        context.remove_listener("request", guard.on_request)


def wait_ready(page):
    """Wait until rtp_py has bound everything (class rtp-ready on <html>)."""
    expect(page.locator("html")).to_have_class(re.compile(r"\brtp-ready\b"), timeout=READY_TIMEOUT_MS)


def url(path, interpreter, query=""):
    """A test page's URL on the given interpreter: our pages pick MicroPython with ?interpreter=mpy."""
    params = [p for p in (query, "interpreter=mpy" if interpreter == "mpy" else "") if p]
    return path + ("?" + "&".join(params) if params else "")


def open_index(page, interpreter):
    """Load index.html on `interpreter`. index.html is the plain seed example with a static
    `<script type="py">`; for MicroPython the test serves it with that one tag switched to
    `type="mpy" config="./pyscript.mpy.toml"`, nothing else changed."""
    if interpreter == "mpy":
        html = (ROOT / "index.html").read_text()
        static = 'type="py" config="./pyscript.toml"'
        assert html.count(static) == 1
        serve_page("/", html.replace(static, 'type="mpy" config="./pyscript.mpy.toml"'))
    page.goto("/")
    wait_ready(page)
    return page


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

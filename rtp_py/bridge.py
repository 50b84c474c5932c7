"""The JS bridge: the only module that imports `pyscript`, finds the page's `rtp` and converts payloads.

Interpreter differences are settled here, once, at import time. Outside a page (plain CPython, the unit
tests) the import still works; only calling into the page raises `BrowserRequired`.

Payloads are built as plain JS objects and arrays directly (`Object.new()`, `Array.of(...)`), not with
`to_js`: Pyodide would otherwise hand the tag a borrowed proxy that dies when the call returns (and `rtp.q`
keeps it), and MicroPython's `to_js` slows ~50x after ~100,000 conversions in one page.
"""

from .errors import BrowserRequired, RtpError, ValidationError

try:
    from pyscript import document, window
    from pyscript.ffi import create_proxy

    IN_BROWSER = True
except ImportError:  # plain CPython: no page to talk to
    document = window = create_proxy = None
    IN_BROWSER = False


def _require_browser():
    if not IN_BROWSER:
        raise BrowserRequired(
            "this needs a page running PyScript; in plain Python pass rtp=<callable> to Tracker")


def to_js(value):
    """Return `value` as a plain JS value: dicts become plain Objects, lists and tuples Arrays."""
    if isinstance(value, dict):
        obj = window.Object.new()
        for key, item in value.items():
            window.Reflect.set(obj, key, to_js(item))
        return obj
    if isinstance(value, (list, tuple)):
        return window.Array.of(*[to_js(item) for item in value])
    return value


def call_rtp(*args):
    """Call the page's global `rtp(...)` with `args` converted to plain JS values."""
    _require_browser()
    # Looked up on every call: Marketo's rtp.js replaces the queue stub when it loads.
    rtp = getattr(window, "rtp", None)
    if rtp is None:
        raise RtpError("the RTP tag is not on this page: window.rtp is undefined")
    rtp(*[to_js(arg) for arg in args])


def query_all(selector):
    """Return the elements matching a CSS selector, as a Python list."""
    _require_browser()
    try:
        nodes = document.querySelectorAll(selector)
    except Exception as error:  # the DOM raises a SyntaxError for a malformed selector
        raise ValidationError("selector", "not a valid CSS selector: " + repr(selector)) from error
    return [nodes.item(index) for index in range(nodes.length)]


def listen(target, event_type, handler):
    """Add a DOM event listener that calls `handler(event)`; return a function that removes it.

    The proxy JS calls stays alive until that function runs: without one, Pyodide would destroy the
    handler after the binding call returns and every later click would raise.
    """
    _require_browser()
    proxy = create_proxy(handler)
    target.addEventListener(event_type, proxy)

    def remove():
        target.removeEventListener(event_type, proxy)
        destroy = getattr(proxy, "destroy", None)  # Pyodide only; MicroPython frees it itself
        if destroy is not None:
            destroy()

    return remove


def describe(element):
    """A short CSS-like name for an element, for log messages: `button#download.cta`."""
    name = str(element.tagName).lower()
    if element.id:
        name += "#" + str(element.id)
    return name


def warn(message):
    """Write a warning to the browser console (prefixed so users can filter on it)."""
    _require_browser()
    window.console.warn("[rtp_py] " + message)


def mark_ready():
    """Add the class `rtp-ready` to `<html>`: the page's signal that tracking is live."""
    _require_browser()
    document.documentElement.classList.add("rtp-ready")

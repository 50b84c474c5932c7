"""The JS bridge: the only module that imports `pyscript`; it finds `rtp`, builds payloads, binds listeners.

Interpreter differences are settled here, once, at import time. Outside a page (plain CPython, the unit
tests) the import still works: page-only functions raise `BrowserRequired`, and logging goes to stderr.

Three facts shape this module:
- Payloads are built as plain JS objects and arrays in JS (`_kit.event` gets the strings as arguments), not
  with `to_js`: Pyodide would hand the tag a borrowed proxy that dies when the call returns (and `rtp.q`
  keeps it), and MicroPython's `to_js` slows ~50x after ~100,000 conversions in one page. One crossing
  per call also keeps the cost per event low.
- MicroPython cannot catch a JavaScript exception: it aborts the whole script. So every JS call that may
  throw (the tag, `querySelectorAll`, `sessionStorage`) goes through `_kit`, a few lines of JS that catch.
- JS `null` is `None` on MicroPython but `jsnull` on Pyodide; `_kit` returns arrays and booleans instead.
"""

import sys

from .errors import BrowserRequired, TagError, ValidationError

try:
    from pyscript import config, document, window
    from pyscript.ffi import create_proxy

    IN_BROWSER = True
except ImportError:  # plain CPython: no page to talk to
    config = document = window = create_proxy = None
    IN_BROWSER = False

# State shared by every rtp_py on the page (both interpreters, a script included twice) lives on
# `window.rtpPy`, which the start-up capture snippet (capture.js) may already have created.
_KIT_SOURCE = """
var page = window.rtpPy = window.rtpPy || {q: []};
page.q = page.q || [];
var reported = new WeakSet(), bound = new WeakMap();
return {
  event: function (isList) {
    // The hot path, one crossing per call: rtp("send", "event", {value}) with a plain Object, the
    // documented queue stub installed first if rtp is missing. 1 = stub installed, 0 = sent, else the error.
    var value = isList ? Array.prototype.slice.call(arguments, 1) : arguments[1];
    var installed = typeof window.rtp !== "function";
    if (installed) {
      window.rtp = function () { (window.rtp.q = window.rtp.q || []).push(arguments); };
      window.rtp.q = [];
    }
    try { window.rtp("send", "event", {value: value}); } catch (e) { return String(e && e.message || e); }
    return installed ? 1 : 0;
  },
  query: function (selector) {
    try { return [true, Array.from(document.querySelectorAll(selector))]; } catch (e) { return [false, String(e.message)]; }
  },
  claim: function () { if (page.live) return false; page.live = true; return true; },
  drain: function () { return page.q.splice(0, page.q.length); },
  match: function (target, selector, attribute, onceAttribute) {
    var el = target && target.closest ? target.closest(selector) : null;
    return el ? [el, el.getAttribute(attribute), el.hasAttribute(onceAttribute)] : [];
  },
  firstReport: function (el) { if (reported.has(el)) return false; reported.add(el); return true; },
  bind: function (el, key) {
    var keys = bound.get(el) || new Set(); bound.set(el, keys);
    if (keys.has(key)) return false; keys.add(key); return true;
  },
  unbind: function (el, key) { var keys = bound.get(el); if (keys) keys.delete(key); },
  seen: function (key) { try { return sessionStorage.getItem(key) !== null; } catch (e) { return false; } },
  remember: function (key) { try { sessionStorage.setItem(key, "1"); return true; } catch (e) { return false; } },
  announce: function (kind, value, reason) {
    document.dispatchEvent(new CustomEvent("rtp-py:not-sent", {detail: {kind: kind, value: value, reason: reason}}));
  }
};
"""

_kit = window.Function.new(_KIT_SOURCE)() if IN_BROWSER else None
# The hot path's JS function, looked up once (its body does not use `this`).
_send_event_js = _kit.event if IN_BROWSER else None


def _require_browser():
    if not IN_BROWSER:
        raise BrowserRequired(
            "this needs a page running PyScript; in plain Python pass rtp=<callable> to Tracker")


def _event_value_js(value):
    """An event value (a str, or a list of str) as a JS value: lists become plain Arrays."""
    return window.Array.of(*value) if isinstance(value, (list, tuple)) else value


def _clicked(triple):
    """A JS `[element, raw attribute, once]` triple as a Python tuple."""
    return triple[0], str(triple[1]), bool(triple[2])


def send_event(value):
    """Call the page's `rtp("send", "event", {value: value})`; `value` is a validated str or list of str.

    `rtp` is looked up on every call (Marketo's rtp.js replaces the queue stub when it loads). Returns
    True if it was missing (an ad blocker removed it, or the tag is not on the page) and the documented
    queue stub was installed to hold the call for rtp.js; raises `TagError` if `rtp` threw.
    """
    _require_browser()
    if isinstance(value, str):
        outcome = _send_event_js(False, value)
    else:
        outcome = _send_event_js(True, *value)
    if isinstance(outcome, str):
        raise TagError(outcome)
    return outcome == 1


def query_all(selector):
    """Return the elements matching a CSS selector, as a Python list."""
    _require_browser()
    outcome = _kit.query(selector)
    if not outcome[0]:
        raise ValidationError("selector", "not a valid CSS selector: " + repr(selector))
    nodes = outcome[1]
    return [nodes[index] for index in range(nodes.length)]


def listen(target, event_type, handler, capture=False):
    """Add a DOM event listener that calls `handler(event)`; return a function that removes it.

    The proxy JS calls stays alive until that function runs: without one, Pyodide would destroy the
    handler after the binding call returns and every later click would raise.
    """
    _require_browser()
    proxy = create_proxy(handler)
    target.addEventListener(event_type, proxy, capture)

    def remove():
        target.removeEventListener(event_type, proxy, capture)
        destroy = getattr(proxy, "destroy", None)  # Pyodide only; MicroPython frees it itself
        if destroy is not None:
            destroy()

    return remove


def claim_page():
    """Return True for the first rtp_py to start on this page (any interpreter), False afterwards."""
    _require_browser()
    return bool(_kit.claim())


def drain_captured():
    """Take the clicks the capture snippet recorded before start: a list of (element, raw value, once)."""
    _require_browser()
    items = _kit.drain()
    return [_clicked(items[index]) for index in range(items.length)]


def declarative_target(event, selector, attribute, once_attribute):
    """For a click event, return (element, raw attribute, once) of the closest match, or None."""
    found = _kit.match(event.target, selector, attribute, once_attribute)
    return _clicked(found) if found.length else None


def first_report(element):
    """True the first time it is asked about `element` (so a bad element is reported once)."""
    return bool(_kit.firstReport(element))


def claim_binding(element, key):
    """True if `element` is not yet bound for `key` (and mark it bound); False for a duplicate."""
    return bool(_kit.bind(element, key))


def release_binding(element, key):
    _kit.unbind(element, key)


def session_seen(key):
    """True if `key` is in this tab's sessionStorage (False if storage is unavailable)."""
    return bool(_kit.seen(key))


def session_remember(key):
    """Store `key` in sessionStorage; False if storage is unavailable (private mode, disabled)."""
    return bool(_kit.remember(key))


def describe(element):
    """A short CSS-like name for an element, for log messages: `button#download`."""
    name = str(element.tagName).lower()
    if element.id:
        name += "#" + str(element.id)
    return name


def page_debug():
    """True if `<html data-rtp-debug>` is set or pyscript.toml has `[rtp_py] debug = true`."""
    if not IN_BROWSER:
        return False
    section = config.get("rtp_py") if isinstance(config, dict) else None
    from_config = isinstance(section, dict) and section.get("debug") is True
    return from_config or bool(document.documentElement.hasAttribute("data-rtp-debug"))


def console(level, message, kind=None, value=None):
    """Write `message` to the browser console at `level`; with `kind`, also announce a not-sent event.

    Outside a page it writes to stderr instead.
    """
    if not IN_BROWSER:
        print(message, file=sys.stderr)
        return
    getattr(window.console, level)(message)
    if kind is not None:
        _kit.announce(kind, _event_value_js(value), message)


def mark_ready():
    """Add the class `rtp-ready` to `<html>`: the page's signal that tracking is live."""
    _require_browser()
    document.documentElement.classList.add("rtp-ready")
